import EtcdSim

/// Protocol-buffer encoding of the responses `-w protobuf` prints.
enum Protobuf {
  static func header(_ h: ResponseHeader) -> [UInt8] {
    ProtoWire.field(1, varint: h.clusterID) + ProtoWire.field(2, varint: h.memberID) + ProtoWire.field(3, varint: UInt64(max(0, h.revision)))
      + ProtoWire.field(4, varint: h.raftTerm)
  }

  static func member(_ m: Member) -> [UInt8] {
    var b = ProtoWire.field(1, varint: m.id)
    if !m.name.isEmpty { b += ProtoWire.field(2, bytes: Array(m.name.utf8)) }
    for u in m.peerURLs { b += ProtoWire.field(3, bytes: Array(u.utf8)) }
    for u in m.clientURLs { b += ProtoWire.field(4, bytes: Array(u.utf8)) }
    if m.isLearner { b += ProtoWire.field(5, varint: 1) }
    return b
  }

  static func memberList(_ h: ResponseHeader, _ members: [Member]) -> [UInt8] {
    var header = h
    header.revision = 0
    return ProtoWire.field(1, bytes: Protobuf.header(header)) + members.flatMap { ProtoWire.field(2, bytes: member($0)) }
  }
}
