import EtcdSim

/// Protocol-buffer encoding of the responses `-w protobuf` prints.
enum Protobuf {
  static func varint(_ v: UInt64) -> [UInt8] {
    var v = v
    var out: [UInt8] = []
    repeat {
      var b = UInt8(v & 0x7F)
      v >>= 7
      if v != 0 { b |= 0x80 }
      out.append(b)
    } while v != 0
    return out
  }

  static func field(_ n: Int, varint v: UInt64) -> [UInt8] { v == 0 ? [] : varint(UInt64(n << 3)) + varint(v) }

  static func field(_ n: Int, bytes: [UInt8]) -> [UInt8] { varint(UInt64(n << 3 | 2)) + varint(UInt64(bytes.count)) + bytes }

  static func header(_ h: ResponseHeader) -> [UInt8] {
    field(1, varint: h.clusterID) + field(2, varint: h.memberID) + field(3, varint: UInt64(max(0, h.revision)))
      + field(4, varint: h.raftTerm)
  }

  static func member(_ m: Member) -> [UInt8] {
    var b = field(1, varint: m.id)
    if !m.name.isEmpty { b += field(2, bytes: Array(m.name.utf8)) }
    for u in m.peerURLs { b += field(3, bytes: Array(u.utf8)) }
    for u in m.clientURLs { b += field(4, bytes: Array(u.utf8)) }
    if m.isLearner { b += field(5, varint: 1) }
    return b
  }

  static func memberList(_ h: ResponseHeader, _ members: [Member]) -> [UInt8] {
    var header = h
    header.revision = 0
    return field(1, bytes: Protobuf.header(header)) + members.flatMap { field(2, bytes: member($0)) }
  }
}
