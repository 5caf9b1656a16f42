import EtcdSim

extension Etcdctl {
  /// Applies the environment and checks the output format: what `mustClientFromCmd` does.
  mutating func prepare<B: EtcdBackend>(_ env: [String: String], io: inout IO, backend: inout B) -> Int32? {
    if let code = applyEnvironment(env, io: &io, backend: &backend) { return code }
    if let code = checkFormat(&io) { return code }
    return loadTLSFiles(&io, backend: backend)
  }

  /// The client's TLS files (`transport.TLSInfo.ClientConfig`): a certificate needs its key, every
  /// file must exist, the certificate and key must be PEM of their kinds and belong together.
  mutating func loadTLSFiles<B: EtcdBackend>(_ io: inout IO, backend: B) -> Int32? {
    let cert = tls["cert"] ?? "", key = tls["key"] ?? "", cacert = tls["cacert"] ?? ""
    if cert.isEmpty != key.isEmpty {
      return Etcdctl.fail(&io, 128, "KeyFile and CertFile must both be present[key: \(key), cert: \(cert)]")
    }
    if cert.isEmpty && key.isEmpty && cacert.isEmpty {
      let skip = flags.bool("insecure-skip-tls-verify")
      clientTLS = ClientTLS(secure: skip, skipVerify: skip)
      return nil
    }
    let fs = backend.fileSystem(of: host)
    func content(_ name: String) -> FileSystem.Content? { fs?.content(FileSystem.resolve(name, cwd: cwd)) }
    for name in [cert, key, cacert] where !name.isEmpty && !(fs?.exists(FileSystem.resolve(name, cwd: cwd)) ?? false) {
      return Etcdctl.fail(&io, 128, EtcdError.noSuchFile(operation: "open", path: name))
    }
    var client = ClientTLS(secure: !cert.isEmpty || !cacert.isEmpty || flags.bool("insecure-skip-tls-verify"),
                           skipVerify: flags.bool("insecure-skip-tls-verify"))
    if !cert.isEmpty {
      switch (content(cert), content(key)) {
      case (.certificate(let c)?, .privateKey(let k)?):
        if c.keyID != k { return Etcdctl.fail(&io, 128, EtcdError.tlsKeyMismatch) }
        client.cert = c
      case (.privateKey?, _):
        return Etcdctl.fail(&io, 128, EtcdError.tlsPEMSwitched)
      case (.certificate?, _):
        return Etcdctl.fail(&io, 128, EtcdError.tlsBadPEM("tls: failed to find any PEM data in key input"))
      default:
        return Etcdctl.fail(&io, 128, EtcdError.tlsBadPEM("tls: failed to find any PEM data in certificate input"))
      }
    }
    if !cacert.isEmpty {
      guard case .certificate(let ca)? = content(cacert) else {
        return Etcdctl.fail(&io, 128, EtcdError.tlsBadPEM("data does not contain any valid RSA or ECDSA certificates"))
      }
      client.trustedCA = ca
    }
    clientTLS = client
    return nil
  }

  static func parseID(_ s: String) -> Result<UInt64, Message> {
    if let v = Hex.parseID(s) { return .success(v) }
    let valid = !s.isEmpty && s.allSatisfy(\.isHexDigit)
    return .failure(Message("strconv.ParseUint: parsing \(Go.quote(s)): \(valid ? "value out of range" : "invalid syntax")"))
  }

  /// Reports a failed call: `Error: <message>`, exit 1.
  static func failCall(_ r: CallResult, io: inout IO) -> Int32 {
    fail(&io, 1, r.error ?? .deadlineExceeded)
  }

  mutating func memberAdd<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    if args.isEmpty { return Etcdctl.fail(&io, 128, "member name not provided") }
    if args.count > 1 {
      var msg = "too many arguments"
      for a in args.dropFirst() where a.lowercased().hasPrefix("http") { msg += ", did you mean --peer-urls=\(a)" }
      return Etcdctl.fail(&io, 128, msg)
    }
    guard let raw = flags.string("peer-urls"), !raw.isEmpty else { return Etcdctl.fail(&io, 128, "member peer urls not provided") }
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    let urls: [String]
    switch Etcdctl.parseURLs(raw) {
    case .success(let u): urls = u
    case .failure(let m): return Etcdctl.fail(&io, 1, EtcdError.badURL(m.text))
    }
    let learner = flags.bool("learner")
    let r = call(.memberAdd(peerURLs: urls, isLearner: learner), io: &io, backend: &backend)
    guard case .memberAdded(let h, let added, let members)? = r.response else { return Etcdctl.failCall(r, io: &io) }
    switch writeOut {
    case "json":
      io.out("{\"header\":\(Render.headerJSON(h, revision: false)),\"member\":\(Render.memberJSON(added)),\"members\":[\(members.map(Render.memberJSON).joined(separator: ","))]}")
      return 0
    case "table", "fields":
      return Etcdctl.fail(&io, 4, EtcdError.outputFormatNotSupported(writeOut))
    case "protobuf":
      return 0
    default:
      break
    }
    // 3.6 names a learner in the first line (`printer_simple.go` v3.6.5, etcd PR #13597's era).
    let asLearner = added.isLearner && Release.isAtLeast(binaryVersion, "3.6") ? " as learner " : " "
    io.out("Member \(Hex.padded(added.id)) added\(asLearner)to cluster \(Hex.padded(h.clusterID))")
    var conf: [String] = []
    for m in members {
      for u in m.peerURLs {
        let name = m.id == added.id ? args[0] : m.name
        conf.append("\(name)=\(u)")
      }
    }
    io.out("")
    io.out("ETCD_NAME=\(Go.quote(args[0]))")
    io.out("ETCD_INITIAL_CLUSTER=\(Go.quote(conf.joined(separator: ",")))")
    io.out("ETCD_INITIAL_ADVERTISE_PEER_URLS=\(Go.quote(raw))")
    io.out("ETCD_INITIAL_CLUSTER_STATE=\"existing\"")
    return 0
  }

  mutating func memberList<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    // 3.5 made member list linearizable: without a leader it times out.
    let request: ClientRequest = Release.isAtLeast(binaryVersion, "3.5") ? .memberListLinearizable : .memberList
    let r = call(request, io: &io, backend: &backend)
    guard case .members(let h, let members)? = r.response else { return Etcdctl.failCall(r, io: &io) }
    Render.memberList(h, members, format: writeOut, io: &io)
    return 0
  }

  mutating func memberChange<B: EtcdBackend>(_ verb: String, env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    guard args.count == 1 else { return Etcdctl.fail(&io, 128, "member ID is not provided") }
    let id: UInt64
    switch Etcdctl.parseID(args[0]) {
    case .success(let v): id = v
    case .failure(let m): return Etcdctl.fail(&io, 128, "bad member ID arg (\(m.text)), expecting ID in Hex")
    }
    var request = ClientRequest.memberRemove(id)
    if verb == "update" {
      guard let raw = flags.string("peer-urls"), !raw.isEmpty else { return Etcdctl.fail(&io, 128, "member peer urls not provided") }
      if let code = prepare(env, io: &io, backend: &backend) { return code }
      switch Etcdctl.parseURLs(raw) {
      case .success(let u): request = .memberUpdate(id, peerURLs: u)
      case .failure(let m): return Etcdctl.fail(&io, 1, EtcdError.badURL(m.text))
      }
    } else {
      if let code = prepare(env, io: &io, backend: &backend) { return code }
      if verb == "promote" { request = .memberPromote(id) }
    }
    let r = call(request, io: &io, backend: &backend)
    guard case .membersChanged(let h, let members)? = r.response else { return Etcdctl.failCall(r, io: &io) }
    let done = verb == "remove" ? "removed from" : verb == "update" ? "updated in" : "promoted in"
    switch writeOut {
    case "simple":
      io.out("Member \(Hex.padded(id)) \(done) cluster \(Hex.padded(h.clusterID))")
    case "json" where verb != "promote":
      io.out("{\"header\":\(Render.headerJSON(h, revision: false)),\"members\":[\(members.map(Render.memberJSON).joined(separator: ","))]}")
    case "protobuf":
      break
    default:
      if verb == "promote" {
        // etcdctl 3.4 has no promote printer for these formats: it crashes after the promotion.
        io.err("panic: runtime error: invalid memory address or nil pointer dereference")
        io.err("[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0xd5d8a2]")
        io.err("")
        io.err("goroutine 1 [running]:")
        return 2
      }
      return Etcdctl.fail(&io, 4, EtcdError.outputFormatNotSupported(writeOut))
    }
    return 0
  }

  mutating func put<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    var a = args
    if a.count == 1, !io.stdin.isEmpty { a.append(io.stdinText.trimmingSpaces()) }
    guard a.count == 2 else { return Etcdctl.fail(&io, 128, "put command needs 1 argument and input from stdin or 2 arguments") }
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    let r = call(.put(key: a[0], value: a[1]), io: &io, backend: &backend)
    guard case .put(let h)? = r.response else { return Etcdctl.failCall(r, io: &io) }
    switch writeOut {
    case "json": io.out("{\"header\":\(Render.headerJSON(h, revision: true))}")
    case "fields": Render.headerFields(h, io: &io)
    case "table": return Etcdctl.fail(&io, 4, EtcdError.outputFormatNotSupported("table"))
    default: io.out("OK")
    }
    return 0
  }

  mutating func get<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    guard (1...2).contains(args.count) else {
      return Etcdctl.fail(&io, 128, "get command needs one argument as key and an optional argument as range_end")
    }
    if let c = flags.string("consistency"), c != "l", c != "s" {
      return Etcdctl.fail(&io, 128, "unknown consistency flag \(Go.quote(c))")
    }
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    let serializable = flags.string("consistency") == "s"
    let end = args.count == 2 ? args[1] : (flags.bool("from-key") ? "\0" : nil)
    let r = call(.range(key: args[0], end: end, prefix: flags.bool("prefix"), serializable: serializable), io: &io, backend: &backend)
    guard case .range(let h, var kvs)? = r.response else { return Etcdctl.failCall(r, io: &io) }
    if let l = flags.string("limit").flatMap(Int.init), l > 0 { kvs = Array(kvs.prefix(l)) }
    switch writeOut {
    case "json":
      if kvs.isEmpty {
        io.out("{\"header\":\(Render.headerJSON(h, revision: true))\(kvs.isEmpty ? "" : ",\"count\":\(kvs.count)")}")
      } else {
        let items = kvs.map { kv in
          "{\"key\":\"\(Base64.encode(kv.key))\",\"create_revision\":\(kv.createRevision),\"mod_revision\":\(kv.modRevision),\"version\":\(kv.version)" + (flags.bool("keys-only") ? "" : ",\"value\":\"\(Base64.encode(kv.value))\"") + "}"
        }
        io.out("{\"header\":\(Render.headerJSON(h, revision: true)),\"kvs\":[\(items.joined(separator: ","))],\"count\":\(kvs.count)}")
      }
    case "fields":
      Render.headerFields(h, io: &io)
      for kv in kvs {
        io.out("\"Key\" : \(Go.quote(kv.key))")
        io.out("\"CreateRevision\" : \(kv.createRevision)")
        io.out("\"ModRevision\" : \(kv.modRevision)")
        io.out("\"Version\" : \(kv.version)")
        io.out("\"Value\" : \(Go.quote(kv.value))")
        io.out("\"Lease\" : 0")
      }
      io.out("\"More\" : false")
      io.out("\"Count\" : \(kvs.count)")
    case "table":
      return Etcdctl.fail(&io, 4, EtcdError.outputFormatNotSupported("table"))
    default:
      // printKV: the key unless --print-value-only, then the value (empty with --keys-only).
      let hex = flags.bool("hex")
      func text(_ s: String) -> String { hex ? s.utf8.map { "\\x" + Hex.byte($0) }.joined() : s }
      for kv in kvs {
        if !flags.bool("print-value-only") { io.out(text(kv.key)) }
        io.out(flags.bool("keys-only") ? "" : text(kv.value))
      }
    }
    return 0
  }

  mutating func del<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    guard (1...2).contains(args.count) else {
      return Etcdctl.fail(&io, 128, "del command needs one argument as key and an optional argument as range_end")
    }
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    let end = args.count == 2 ? args[1] : (flags.bool("from-key") ? "\0" : nil)
    let r = call(.deleteRange(key: args[0], end: end, prefix: flags.bool("prefix")), io: &io, backend: &backend)
    guard case .deleted(let h, let n)? = r.response else { return Etcdctl.failCall(r, io: &io) }
    switch writeOut {
    case "json": io.out("{\"header\":\(Render.headerJSON(h, revision: true))\(n > 0 ? ",\"deleted\":\(n)" : "")}")
    case "table": return Etcdctl.fail(&io, 4, EtcdError.outputFormatNotSupported("table"))
    default: io.out("\(n)")
    }
    return 0
  }

  /// The endpoints an `endpoint` command checks: `--endpoints`, or with `--cluster` the client
  /// URLs of every started member, from `member list`.
  mutating func targetEndpoints<B: EtcdBackend>(io: inout IO, backend: inout B) -> [String]? {
    guard flags.bool("cluster") else { return endpoints }
    let r = call(.memberList, io: &io, backend: &backend)
    guard case .members(_, let members)? = r.response else {
      // etcdctl 3.4's endpointsFromCluster wraps the error (seen in generated session 2-005).
      let error = r.error ?? .deadlineExceeded
      io.error = error
      _ = Etcdctl.fail(&io, 1, "failed to fetch endpoints from etcd cluster member list: \(error.message)")
      return nil
    }
    return members.flatMap(\.clientURLs)
  }

  mutating func endpointHealth<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    guard let eps = targetEndpoints(io: &io, backend: &backend) else { return 1 }
    var results: [HealthResult] = []
    let start = backend.now
    var finished = start
    for ep in eps {
      var sub = IO()
      let before = backend.now
      backend.advance(by: start - before)  // the checks run side by side
      let r = call(.health, endpoints: [ep], io: &sub, backend: &backend)
      io.append(sub)
      finished = max(finished, backend.now)
      let took = r.tookNanos + backend.random(in: 800_000...4_000_000)
      if r.response == .healthy {
        results.append(HealthResult(ep: ep, ok: true, took: took, error: ""))
      } else {
        results.append(HealthResult(ep: ep, ok: false, took: took, error: (r.error ?? .deadlineExceeded).message))
      }
    }
    backend.advance(by: finished - backend.now)
    results.sort { $0.took < $1.took }  // printed as they complete
    switch writeOut {
    case "table":
      io.write(TableWriter.bytes(header: ["endpoint", "health", "took", "error"], rows: results.map {
        [$0.ep, $0.ok ? "true" : "false", SimTime.goDuration(nanos: $0.took), $0.error]
      }))
    case "json":
      io.out("[" + results.map {
        "{\"endpoint\":\(JSON.quote($0.ep)),\"health\":\($0.ok),\"took\":\(JSON.quote(SimTime.goDuration(nanos: $0.took)))" + ($0.error.isEmpty ? "" : ",\"error\":\(JSON.quote($0.error))") + "}"
      }.joined(separator: ",") + "]")
    default:
      for h in results {
        if h.ok {
          // 3.4 logs the healthy lines to stderr; 3.5 prints them on stdout (printer_simple.go).
          let line = "\(h.ep) is healthy: successfully committed proposal: took = \(SimTime.goDuration(nanos: h.took))"
          if Release.isAtLeast(binaryVersion, "3.5") { io.out(line) } else { io.err(line) }
        } else {
          io.err("\(h.ep) is unhealthy: failed to commit proposal: \(h.error)")
        }
      }
    }
    if results.contains(where: { !$0.ok }) { return Etcdctl.fail(&io, 1, EtcdError.endpointsUnhealthy) }
    return 0
  }

  mutating func endpointStatus<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    guard let eps = targetEndpoints(io: &io, backend: &backend) else { return 1 }
    var rows: [(String, StatusInfo)] = []
    var failed = false
    for ep in eps {
      let r = call(.status, endpoints: [ep], target: "passthrough:///\(ep)", io: &io, backend: &backend)
      if case .status(let s)? = r.response {
        rows.append((ep, s))
      } else {
        io.err("Failed to get the status of endpoint \(ep) (\((r.error ?? .deadlineExceeded).message))")
        io.error = r.error ?? .deadlineExceeded
        failed = true
      }
    }
    Render.status(rows, format: writeOut, v36: Release.isAtLeast(binaryVersion, "3.6"), io: &io)
    return failed ? 1 : 0
  }

  mutating func moveLeader<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    guard args.count == 1 else { return Etcdctl.fail(&io, 128, "move-leader command needs 1 argument") }
    let target: UInt64
    switch Etcdctl.parseID(args[0]) {
    case .success(let v): target = v
    case .failure(let m): return Etcdctl.fail(&io, 128, m.text)
    }
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    var leaderEP: String?
    var leaderID: UInt64 = 0
    for ep in endpoints {
      let r = call(.status, endpoints: [ep], target: "passthrough:///\(ep)", io: &io, backend: &backend)
      guard case .status(let s)? = r.response else { return Etcdctl.failCall(r, io: &io) }
      if s.header.memberID == s.leader {
        leaderEP = ep
        leaderID = s.leader
        break
      }
    }
    guard let ep = leaderEP else { return Etcdctl.fail(&io, 128, EtcdError.noLeaderEndpoint(endpoints)) }
    let r = call(.moveLeader(target), endpoints: [ep], io: &io, backend: &backend)
    guard case .leaderMoved? = r.response else { return Etcdctl.failCall(r, io: &io) }
    io.out("Leadership transferred from \(Hex.string(leaderID)) to \(Hex.string(target))")
    return 0
  }
}

/// One endpoint's answer to `endpoint health`.
struct HealthResult {
  var ep: String
  var ok: Bool
  var took: Int64
  var error: String
}

/// An error message as a value.
struct Message: Error, Equatable {
  var text: String
  init(_ text: String) { self.text = text }
}
