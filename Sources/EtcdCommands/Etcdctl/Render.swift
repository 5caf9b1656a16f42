import EtcdSim

/// etcdctl's printers (`printer_simple.go`, `printer_json.go`, `printer_table.go`, `printer_fields.go`).
enum Render {
  static func headerJSON(_ h: ResponseHeader, revision: Bool) -> String {
    var s = "{\"cluster_id\":\(h.clusterID),\"member_id\":\(h.memberID)"
    if revision && h.revision != 0 { s += ",\"revision\":\(h.revision)" }
    return s + ",\"raft_term\":\(h.raftTerm)}"
  }

  /// A key-value as Go's encoding/json writes `mvccpb.KeyValue` (zero fields left out).
  static func kvJSON(_ kv: KeyValueStore.Entry, keysOnly: Bool = false) -> String {
    var s = "{\"key\":\"\(Base64.encode(kv.key))\",\"create_revision\":\(kv.createRevision),\"mod_revision\":\(kv.modRevision),\"version\":\(kv.version)"
    if !keysOnly, !kv.value.isEmpty { s += ",\"value\":\"\(Base64.encode(kv.value))\"" }
    if kv.lease != 0 { s += ",\"lease\":\(kv.lease)" }
    return s + "}"
  }

  /// A key-value as the fields printer writes it, its names prefixed (`Prev` for previous pairs).
  static func kvFields(_ kv: KeyValueStore.Entry, prefix: String = "", keysOnly: Bool = false, io: inout IO) {
    io.out("\"\(prefix)Key\" : \(Go.quote(kv.key))")
    io.out("\"\(prefix)CreateRevision\" : \(kv.createRevision)")
    io.out("\"\(prefix)ModRevision\" : \(kv.modRevision)")
    io.out("\"\(prefix)Version\" : \(kv.version)")
    io.out("\"\(prefix)Value\" : \(Go.quote(keysOnly ? "" : kv.value))")
    io.out("\"\(prefix)Lease\" : \(kv.lease)")
  }

  /// `printKV` of the simple printer: the key (unless only values are wanted), then the value.
  static func kvSimple(_ kv: KeyValueStore.Entry, hex: Bool, valueOnly: Bool = false, keysOnly: Bool = false, io: inout IO) {
    func text(_ s: String) -> String { hex ? s.utf8.map { "\\x" + Hex.byte($0) }.joined() : s }
    if !valueOnly { io.out(text(kv.key)) }
    io.out(keysOnly ? "" : text(kv.value))
  }

  static func memberJSON(_ m: Member) -> String {
    var s = "{\"ID\":\(m.id)"
    if !m.name.isEmpty { s += ",\"name\":\(JSON.quote(m.name))" }
    s += ",\"peerURLs\":[\(m.peerURLs.map(JSON.quote).joined(separator: ","))]"
    if !m.clientURLs.isEmpty { s += ",\"clientURLs\":[\(m.clientURLs.map(JSON.quote).joined(separator: ","))]" }
    if m.isLearner { s += ",\"isLearner\":true" }
    return s + "}"
  }

  static func headerFields(_ h: ResponseHeader, io: inout IO) {
    io.out("\"ClusterID\" : \(h.clusterID)")
    io.out("\"MemberID\" : \(h.memberID)")
    io.out("\"Revision\" : \(h.revision)")
    io.out("\"RaftTerm\" : \(h.raftTerm)")
  }

  static func memberRow(_ m: Member) -> [String] {
    [Hex.string(m.id), m.isStarted ? "started" : "unstarted", m.name, m.peerURLs.joined(separator: ","),
     m.clientURLs.joined(separator: ","), m.isLearner ? "true" : "false"]
  }

  static func memberList(_ h: ResponseHeader, _ members: [Member], format: String, io: inout IO) {
    switch format {
    case "table":
      io.write(TableWriter.bytes(header: ["ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"], rows: members.map(memberRow)))
    case "json":
      io.out("{\"header\":\(headerJSON(h, revision: false)),\"members\":[\(members.map(memberJSON).joined(separator: ","))]}")
    case "fields":
      var header = h
      header.revision = 0
      headerFields(header, io: &io)
      for m in members {
        io.out("\"ID\" : \(m.id)")
        io.out("\"Name\" : \(Go.quote(m.name))")
        for u in m.peerURLs { io.out("\"PeerURL\" : \(Go.quote(u))") }
        for u in m.clientURLs { io.out("\"ClientURL\" : \(Go.quote(u))") }
        io.out("\"IsLearner\" : \(m.isLearner)")
        io.out("")
      }
    case "protobuf":
      io.write(Protobuf.memberList(h, members))
    default:
      for m in members { io.out(memberRow(m).joined(separator: ", ")) }
    }
  }

  /// A row of `endpoint status`; etcdctl 3.6 (`v36`) adds storage version, in use, percentage not in
  /// use, quota and the downgrade columns (`etcdctl/ctlv3/command/printer.go` v3.6.5).
  static func statusRow(_ ep: String, _ s: StatusInfo, v36: Bool = false) -> [String] {
    let leader = s.leader == s.header.memberID ? "true" : "false"
    let tail = [s.isLearner ? "true" : "false", "\(s.raftTerm)", "\(s.raftIndex)", "\(s.raftAppliedIndex)", s.errors.joined(separator: ", ")]
    if v36 {
      let notInUse = s.dbSize == 0 ? 0 : 100 - s.dbSizeInUse * 100 / s.dbSize
      // The quota is what the server was configured with: 0 unless --quota-backend-bytes was given.
      return [ep, Hex.string(s.header.memberID), s.version, s.storageVersion, Humanize.bytes(s.dbSize), Humanize.bytes(s.dbSizeInUse),
              "\(notInUse)%", Humanize.bytes(0), leader] + tail + ["", "false"]
    }
    return [ep, Hex.string(s.header.memberID), s.version, Humanize.bytes(s.dbSize), leader] + tail
  }

  static let statusHeader = ["endpoint", "ID", "version", "db size", "is leader", "is learner", "raft term", "raft index", "raft applied index", "errors"]
  static let statusHeader36 = ["endpoint", "ID", "version", "storage version", "db size", "in use", "percentage not in use", "quota", "is leader",
                               "is learner", "raft term", "raft index", "raft applied index", "errors", "downgrade target version", "downgrade enabled"]

  static func status(_ rows: [(String, StatusInfo)], format: String, v36: Bool = false, io: inout IO) {
    switch format {
    case "table":
      io.write(TableWriter.bytes(header: v36 ? statusHeader36 : statusHeader, rows: rows.map { statusRow($0.0, $0.1, v36: v36) }))
    case "json":
      io.out("[" + rows.map { ep, s in
        var st = "{\"header\":\(headerJSON(s.header, revision: true)),\"version\":\(JSON.quote(s.version)),\"dbSize\":\(s.dbSize),\"leader\":\(s.leader),\"raftIndex\":\(s.raftIndex),\"raftTerm\":\(s.raftTerm),\"raftAppliedIndex\":\(s.raftAppliedIndex)"
        if !s.errors.isEmpty { st += ",\"errors\":[\(s.errors.map(JSON.quote).joined(separator: ","))]" }
        st += ",\"dbSizeInUse\":\(s.dbSizeInUse)"
        if s.isLearner { st += ",\"isLearner\":true" }
        if v36, !s.storageVersion.isEmpty { st += ",\"storageVersion\":\(JSON.quote(s.storageVersion))" }
        if v36, s.sendsDowngradeInfo { st += ",\"downgradeInfo\":{}" }
        return "{\"Endpoint\":\(JSON.quote(ep)),\"Status\":\(st)}}"
      }.joined(separator: ",") + "]")
    case "fields":
      for (ep, s) in rows {
        headerFields(s.header, io: &io)
        io.out("\"Version\" : \(Go.quote(s.version))")
        if v36 { io.out("\"StorageVersion\" : \(Go.quote(s.storageVersion))") }
        io.out("\"DBSize\" : \(s.dbSize)")
        if v36 { io.out("\"DBSizeInUse\" : \(s.dbSizeInUse)") }
        io.out("\"Leader\" : \(s.leader)")
        io.out("\"IsLearner\" : \(s.isLearner)")
        io.out("\"RaftIndex\" : \(s.raftIndex)")
        io.out("\"RaftTerm\" : \(s.raftTerm)")
        io.out("\"RaftAppliedIndex\" : \(s.raftAppliedIndex)")
        io.out("\"Errors\" : [\(s.errors.joined(separator: " "))]")
        io.out("\"Endpoint\" : \(Go.quote(ep))")
        if v36 {
          io.out("\"DowngradeTargetVersion\" : \"\"")
          io.out("\"DowngradeEnabled\" : false")
        }
        io.out("")
      }
    default:
      for (ep, s) in rows { io.out(statusRow(ep, s, v36: v36).joined(separator: ", ")) }
    }
  }
}

/// Standard base64, as Go's encoding/json writes `[]byte`.
enum Base64 {
  private static let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

  static func encode(_ s: String) -> String {
    let b = Array(s.utf8)
    var out = ""
    var i = 0
    while i < b.count {
      let n = min(3, b.count - i)
      let chunk = (UInt32(b[i]) << 16) | (n > 1 ? UInt32(b[i + 1]) << 8 : 0) | (n > 2 ? UInt32(b[i + 2]) : 0)
      for k in 0..<4 {
        out.append(k <= n ? table[Int((chunk >> UInt32(18 - 6 * k)) & 63)] : "=")
      }
      i += 3
    }
    return out
  }
}
