import EtcdSim

/// The maintenance commands: `compaction`, `defrag`, `alarm list|disarm`, `endpoint hashkv`
/// (etcdctl 3.4's `compaction_command.go`, `defrag_command.go`, `alarm_command.go`, `ep_command.go`).
extension Etcdctl {
  mutating func compaction<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    guard args.count == 1 else { return Etcdctl.fail(&io, 128, "compaction command needs 1 argument") }
    let rev: Int64
    switch GoParseInt.parse(args[0], base: 10) {
    case .success(let v): rev = v
    case .failure(let m): return Etcdctl.fail(&io, 1, m.text)
    }
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    let r = call(.compact(revision: rev, physical: flags.bool("physical")), io: &io, backend: &backend)
    guard case .compacted? = r.response else { return Etcdctl.failCall(r, io: &io) }
    io.out("compacted revision \(rev)")
    return 0
  }

  mutating func defrag<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    if let dir = flags.string("data-dir"), !dir.isEmpty {
      io.err("etcdlab: 'etcdctl defrag --data-dir' (a stopped member's data dir) is not simulated")
      return 1
    }
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    guard let eps = targetEndpoints(io: &io, backend: &backend) else { return 1 }
    var failures = 0
    for ep in eps {
      let r = call(.defragment, endpoints: [ep], target: "passthrough:///\(ep)", io: &io, backend: &backend)
      if case .defragmented? = r.response {
        io.out("Finished defragmenting etcd member[\(ep)]")
      } else {
        let error = r.error ?? .deadlineExceeded
        io.err("Failed to defragment etcd member[\(ep)] (\(error.message))")
        io.error = error
        failures += 1
      }
    }
    return failures == 0 ? 0 : 1
  }

  mutating func alarm<B: EtcdBackend>(_ verb: String, env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    guard args.isEmpty else { return Etcdctl.fail(&io, 128, "alarm \(verb) command accepts no arguments") }
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    let r = call(verb == "list" ? .alarmList : .alarmDisarm, io: &io, backend: &backend)
    guard case .alarms(_, let alarms)? = r.response else { return Etcdctl.failCall(r, io: &io) }
    // The response carries no header (the server leaves it nil): the fields printer crashes on it.
    switch writeOut {
    case "json":
      io.out(alarms.isEmpty ? "{}" : "{\"alarms\":[" + alarms.map { "{\"memberID\":\($0.memberID),\"alarm\":\($0.kind.rawValue)}" }.joined(separator: ",") + "]}")
    case "fields":
      io.err(AlarmPanic.trace(verb))
      return 2
    case "table":
      return Etcdctl.fail(&io, 4, EtcdError.outputFormatNotSupported("table"))
    case "protobuf":
      io.write(alarms.flatMap { ProtoWire.field(2, bytes: ProtoWire.field(1, varint: $0.memberID) + ProtoWire.field(2, varint: UInt64($0.kind.rawValue))) })
    default:
      for a in alarms { io.out("memberID:\(a.memberID) alarm:\(a.kind.name) ") }
    }
    return 0
  }

  mutating func endpointHashKV<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    guard let eps = targetEndpoints(io: &io, backend: &backend) else { return 1 }
    let rev = max(0, Int64(flags.string("rev") ?? "0") ?? 0)
    var rows: [(ep: String, header: ResponseHeader, hash: UInt32, compactRevision: Int64)] = []
    var failure: EtcdError?
    for ep in eps {
      let r = call(.hashKV(revision: rev), endpoints: [ep], target: "passthrough:///\(ep)", io: &io, backend: &backend)
      if case .hashKV(let h, let hash, let compacted)? = r.response {
        rows.append((ep, h, hash, compacted))
      } else {
        let error = r.error ?? .deadlineExceeded
        io.err("Failed to get the hash of endpoint \(ep) (\(error.message))")
        failure = error
      }
    }
    switch writeOut {
    case "json":
      io.out("[" + rows.map { row in
        var s = "{\"header\":\(Render.headerJSON(row.header, revision: true))"
        if row.hash != 0 { s += ",\"hash\":\(row.hash)" }
        if row.compactRevision != 0 { s += ",\"compact_revision\":\(row.compactRevision)" }
        return "{\"Endpoint\":\(JSON.quote(row.ep)),\"HashKV\":\(s)}}"
      }.joined(separator: ",") + "]")
    case "table":
      io.write(TableWriter.bytes(header: ["endpoint", "hash"], rows: rows.map { [$0.ep, "\($0.hash)"] }))
    case "fields":
      for row in rows {
        Render.headerFields(row.header, io: &io)
        io.out("\"Endpoint\" : \(Go.quote(row.ep))")
        io.out("\"Hash\" : \(row.hash)")
        io.out("")
      }
    case "protobuf":
      return Etcdctl.fail(&io, 4, EtcdError.outputFormatNotSupported("protobuf"))
    default:
      for row in rows { io.out("\(row.ep), \(row.hash)") }
    }
    if let failure { return Etcdctl.fail(&io, 1, failure) }
    return 0
  }
}

/// What etcdctl 3.4.23 (Debian's build) prints when its fields printer meets an alarm response
/// without a header (captures 16 and 17).
enum AlarmPanic {
  static func trace(_ verb: String) -> String {
    let (printerArgs, caller, line, callerArgs, frame) = verb == "list"
      ? ("0xc0001bc740?, {0x0?, {0xc0000b0658?, 0x0?, 0x0?}}", "alarmListCommandFunc", "80 +0xe7", "0xc000155800?, {0xc00019fbc0?, 0x3?, 0x3?}", "0xc000155800, {0xc00019fb60, 0x3, 0x3}")
      : ("0xc000296500?, {0x0?, {0x0?, 0xc0001f2750?, 0x0?}}", "alarmDisarmCommandFunc", "57 +0x110", "0xc000225200?, {0xc0001fd350?, 0x3?, 0x3?}", "0xc000225200, {0xc0001fd2f0, 0x3, 0x3}")
    return """
      panic: runtime error: invalid memory address or nil pointer dereference
      [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0xb9181e]

      goroutine 1 [running]:
      go.etcd.io/etcd/etcdctl/ctlv3/command.(*fieldsPrinter).hdr(0x0?, 0x0)
      \tgo.etcd.io/etcd/etcdctl/ctlv3/command/printer_fields.go:38 +0x5e
      go.etcd.io/etcd/etcdctl/ctlv3/command.(*fieldsPrinter).Alarm(\(printerArgs))
      \tgo.etcd.io/etcd/etcdctl/ctlv3/command/printer_fields.go:181 +0x45
      go.etcd.io/etcd/etcdctl/ctlv3/command.\(caller)(\(callerArgs))
      \tgo.etcd.io/etcd/etcdctl/ctlv3/command/alarm_command.go:\(line)
      github.com/spf13/cobra.(*Command).execute(\(frame))
      \tgithub.com/spf13/cobra/command.go:920 +0x847
      github.com/spf13/cobra.(*Command).ExecuteC(0x13b9920)
      \tgithub.com/spf13/cobra/command.go:1044 +0x3bd
      github.com/spf13/cobra.(*Command).Execute(...)
      \tgithub.com/spf13/cobra/command.go:968
      go.etcd.io/etcd/etcdctl/ctlv3.Start()
      \tgo.etcd.io/etcd/etcdctl/ctlv3/ctl_nocov.go:26 +0x97
      main.main()
      \tgo.etcd.io/etcd/etcdctl/main.go:35 +0x65
      """
  }
}
