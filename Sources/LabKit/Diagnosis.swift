import EtcdCommands
import EtcdSim

/// Works out which case of an error happened, from the words typed and the world: the facts an
/// explanation names (the member whose id was wanted, the URL that is wrong, the voters left).
extension Facts {
  static func diagnose(_ event: Event, world: World, into f: inout [String: String]) {
    let words = commandWords(event, world: world)
    let cluster = world.labCluster
    switch event.error {
    case .usage(let message)?: usage(message, event, cluster: cluster, world: world, into: &f)
    case .badURL(let message)?: badURL(message, words, into: &f)
    case .peerURLsNoMatch(_, let detail)?: peerURLsNoMatch(detail, words, cluster: cluster, world: world, into: &f)
    case .peerURLsExist?:
      if let url = flagValue(words, "peer-urls"), let c = cluster,
        let m = c.sortedMembers.first(where: { m in m.peerURLs.contains { url.split(separator: ",").map(String.init).contains($0) } }) {
        f["url"] = url
        f["owner"] = display(m, world: world)
        f["ownerID"] = Hex.string(m.id)
        f["case"] = "owner"
      }
    case .tooManyLearners?:
      if let c = cluster, let l = c.learners.first {
        f["learner"] = display(l, world: world)
        f["learnerID"] = Hex.string(l.id)
        f["case"] = "existing"
      }
    case .unhealthyCluster?: unhealthy(event, cluster: cluster, world: world, into: &f)
    case .endpointsUnhealthy?: endpoints(event, cluster: cluster, world: world, into: &f)
    case .flagUndefined(let flag)?:
      let version = world.host(event.host)?.etcdVersion ?? "3.4.23"
      if f["case"] == nil, let best = EtcdLauncher.closestFlag(to: flag, version: version) {
        f["suggestion"] = "--" + best
        f["case"] = "typo"
      }
    case .invalidFlagValue(let message)?:
      if message.contains("--advertise-client-urls is required") { f["case"] = "advertise-required" }
      else if message.contains("is not a valid flag") { f["case"] = "stray-word"; f["value"] = quoted(message, open: "'", close: "'") ?? "?" }
      else if message.contains("-initial-cluster-state") { f["case"] = "state"; f["value"] = quoted(message, open: "\"", close: "\"") ?? "?" }
    default: break
    }
  }

  // MARK: etcdctl's argument errors

  static func usage(_ message: String, _ event: Event, cluster: Cluster?, world: World, into f: inout [String: String]) {
    let words = event.words
    let args = positionals(words, after: event.command)
    f["command"] = event.command
    if message.contains("expecting ID in Hex") || message.hasPrefix("strconv.ParseUint") {
      let typed = args.first ?? ""
      f["typed"] = typed
      if let c = cluster, let m = member(named: typed, in: c, world: world) {
        f["name"] = typed
        f["member"] = Hex.string(m.id)
        f["corrected"] = words.map { $0 == typed ? Hex.string(m.id) : $0 }.joined(separator: " ")
        f["case"] = "name-for-id"
      } else {
        f["case"] = message.contains("value out of range") ? "id-out-of-range" : "id-expected"
      }
    } else if message == "member ID is not provided" || message == "move-leader command needs 1 argument" {
      if let url = args.first(where: { $0.lowercased().hasPrefix("http") }) {
        f["url"] = url
        f["corrected"] = words.map { $0 == url ? "--peer-urls=" + url : $0 }.joined(separator: " ")
        f["case"] = "url-without-flag"
      } else {
        f["case"] = "id-missing"
      }
    } else if message.hasPrefix("too many arguments, did you mean --peer-urls=") {
      let url = args.dropFirst().first { $0.lowercased().hasPrefix("http") } ?? "?"
      f["url"] = url
      f["corrected"] = words.map { $0 == url ? "--peer-urls=" + url : $0 }.joined(separator: " ")
      f["case"] = "url-without-flag"
    } else if message == "member peer urls not provided" {
      f["case"] = "peer-urls-missing"
    } else if message == "member name not provided" {
      f["case"] = "name-missing"
    } else if message.hasPrefix("unknown consistency flag") {
      f["value"] = quoted(message, open: "\"", close: "\"") ?? "?"
      f["case"] = "consistency"
    } else if message.hasPrefix("could not open "), message.hasSuffix("no such file or directory)") {
      let part = String(message.dropFirst("could not open ".count).prefix { $0 != " " })
      let path = part.hasSuffix(".part") ? String(part.dropLast(5)) : part
      f["path"] = path
      f["dir"] = FileSystem.parent(path.hasPrefix("/") ? path : "./" + path)
      f["case"] = "save-no-dir"
    } else if message.hasPrefix("unknown flag: ") || message.hasPrefix("unknown shorthand flag: ") {
      f["flag"] = String(message.drop { $0 != ":" }.dropFirst(2))
      f["case"] = "unknown-flag"
    } else if message.hasPrefix("unknown command ") {
      f["typed"] = quoted(message, open: "\"", close: "\"") ?? "?"
      f["case"] = "unknown-command"
    } else if message.contains(" argument") {
      // `put command needs 1 argument ...`, `snapshot save expects one argument`: what the command takes.
      f["message"] = message
      f["given"] = String(args.count)
      f["case"] = "arguments"
    } else if message.hasPrefix("KeyFile and CertFile must both be present") {
      f["case"] = "tls-pair"
    }
  }

  // MARK: URLs

  static func badURL(_ message: String, _ words: [String], into f: inout [String: String]) {
    for (flag, value) in flagValues(words) where flag.hasSuffix("urls") || flag == "endpoints" {
      for item in value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
        guard case .failure = URLList.validate(item) else { continue }
        f["url"] = item
        f["flag"] = "--" + flag
        let port = flag.contains("peer") ? "2380" : "2379"
        if message.contains("missing protocol scheme") || message.contains("first path segment") || message.contains("URL scheme must be") {
          f["case"] = "no-scheme"
          let rest = item.contains("://") ? String(item.drop { $0 != ":" }.dropFirst(3)) : item
          f["fixed"] = "http://" + rest
        } else if message.contains("does not have the form") {
          f["case"] = "no-port"
          f["fixed"] = (item.hasSuffix("/") ? String(item.dropLast()) : item) + ":" + port
        } else if message.contains("must not contain a path") {
          f["case"] = "path"
          f["fixed"] = "http://" + URLList.hostPort(item)
        }
        return
      }
    }
  }

  static func peerURLsNoMatch(_ detail: String, _ words: [String], cluster: Cluster?, world: World, into f: inout [String: String]) {
    // detail: `(ID, [URL ...]), last resolver error (...)`
    let inner = detail.dropFirst().prefix { $0 != ")" }
    let id = String(inner.prefix { $0 != "," })
    let registered = String(inner.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" })
    f["member"] = id
    f["registered"] = registered
    let name = cluster.flatMap { c in UInt64(id, radix: 16).flatMap { c.members[$0] } }.map { display($0, world: world) } ?? id
    f["name"] = name
    guard let initial = flagValue(words, "initial-cluster") else { return }
    let given = initial.split(separator: ",").compactMap { pair -> (String, String)? in
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      return parts.count == 2 ? (parts[0], parts[1]) : nil
    }
    if let typed = given.first(where: { $0.0 == name })?.1 {
      f["typed"] = typed
      f["case"] = "wrong-url"
    } else {
      f["case"] = "missing-entry"
    }
  }

  // MARK: Quorum

  static func unhealthy(_ event: Event, cluster: Cluster?, world: World, into f: inout [String: String]) {
    guard let c = cluster else { return }
    let running = Set(world.runningVoters(of: c).compactMap { $0.etcd?.memberID })
    let down = c.voters.filter { !running.contains($0.id) }
    f["down"] = down.map { display($0, world: world) }.joined(separator: ", ")
    if event.command.hasSuffix("member remove"), let target = memberArgument(event, cluster: c) {
      let n = c.voters.count - 1
      let up = c.voters.filter { running.contains($0.id) && $0.id != target.id }
      f["target"] = display(target, world: world)
      f["left"] = String(n)
      f["leftUp"] = String(up.count)
      f["leftQuorum"] = String(Cluster.quorum(n))
      f["upNames"] = up.isEmpty ? "-" : up.map { display($0, world: world) }.joined(separator: ", ")
      f["case"] = down.isEmpty ? "recent" : "remove-quorum"
    } else {
      f["case"] = down.isEmpty ? "recent" : "voter-down"
    }
  }

  /// Why `endpoint health` failed: a learner, or nothing listening where etcdctl looked.
  static func endpoints(_ event: Event, cluster: Cluster?, world: World, into f: inout [String: String]) {
    let words = event.words
    var targets = endpoint(words).split(separator: ",").map(String.init)
    if words.contains("--cluster"), let c = cluster { targets = c.sortedMembers.flatMap(\.clientURLs) }
    for ep in targets {
      let hostPort = URLList.hostPort(ep)
      guard let p = world.listener(hostPort, from: event.host, peer: false), let e = p.etcd else {
        f["endpoint"] = ep
        noListener(hostPort, on: event.host, world: world, into: &f)
        return
      }
      if let m = world.clusters[e.clusterID]?.members[e.memberID], m.isLearner {
        f["endpoint"] = ep
        f["learner"] = display(m, world: world)
        f["case"] = "learner"
        return
      }
    }
  }

  /// Nothing listens at `hostPort` seen from `host`: when an etcd runs on that host but not on
  /// 127.0.0.1, say where it listens.
  static func noListener(_ hostPort: String, on host: String, world: World, into f: inout [String: String]) {
    f["case"] = "no-listener"
    if hostPort.hasPrefix("127.") || hostPort.hasPrefix("localhost"),
      let local = world.processes.first(where: { $0.isRunning && $0.host == host && $0.etcd != nil })?.etcd {
      f["listens"] = local.config.listenClientURLs
      f["case"] = "not-on-loopback"
    }
  }

  // MARK: Helpers

  /// The words of what ran: for `systemctl start|restart UNIT`, the etcd command line of the unit.
  static func commandWords(_ event: Event, world: World) -> [String] {
    guard event.command.hasPrefix("systemctl"), let unit = event.words.last,
      let svc = world.host(event.host)?.services[unit.hasSuffix(".service") ? String(unit.dropLast(8)) : unit], !svc.execStart.isEmpty
    else { return event.words }
    return svc.execStart.split(separator: " ").map(String.init)
  }

  /// A member as a student knows it: its name, or for one not started yet the host its peer URL is on.
  static func display(_ m: Member, world: World) -> String {
    if !m.name.isEmpty { return m.name }
    if let url = m.peerURLs.first, let h = world.hosts.first(where: { $0.addresses.contains(URLList.host(url)) }) { return h.name }
    return Hex.string(m.id)
  }

  /// The member a student named by its name (or by the host it runs on).
  static func member(named name: String, in c: Cluster, world: World) -> Member? {
    guard !name.isEmpty else { return nil }
    return c.sortedMembers.first { $0.name == name } ?? c.sortedMembers.first { display($0, world: world) == name }
  }

  /// The member a `member remove|promote|update ID` names.
  static func memberArgument(_ event: Event, cluster c: Cluster) -> Member? {
    positionals(event.words, after: event.command).first.flatMap { UInt64($0, radix: 16) }.flatMap { c.members[$0] }
  }

  /// The words after the command's own (`etcdctl member remove X` → X), flags and their values left out.
  static func positionals(_ words: [String], after command: String) -> [String] {
    let path = command.split(separator: " ").dropFirst().map(String.init)
    var out: [String] = []
    var i = 1, matched = 0
    while i < words.count {
      let w = words[i]
      i += 1
      if w.hasPrefix("-") {
        // `--flag value` of a flag that takes one: skip the value.
        if !w.contains("="), valueFlags.contains(String(w.drop { $0 == "-" })), i < words.count { i += 1 }
        continue
      }
      if matched < path.count, w == path[matched] { matched += 1; continue }
      out.append(w)
    }
    return out
  }

  static let valueFlags: Set<String> = ["endpoints", "peer-urls", "w", "write-out", "command-timeout", "dial-timeout", "cacert", "cert", "key",
                                        "consistency", "data-dir", "name", "initial-cluster", "initial-cluster-token", "initial-advertise-peer-urls",
                                        "wal-dir", "user", "password", "listen-peer-urls", "listen-client-urls", "advertise-client-urls", "initial-cluster-state"]

  /// `--flag=value` and `--flag value` pairs (also `-flag`), in order.
  static func flagValues(_ words: [String]) -> [(String, String)] {
    var out: [(String, String)] = []
    for (i, w) in words.enumerated() where w.hasPrefix("-") {
      let body = String(w.drop { $0 == "-" })
      if let eq = body.firstIndex(of: "=") {
        out.append((String(body[..<eq]), String(body[body.index(after: eq)...])))
      } else if i + 1 < words.count, !words[i + 1].hasPrefix("-") {
        out.append((body, words[i + 1]))
      }
    }
    return out
  }

  static func flagValue(_ words: [String], _ flag: String) -> String? {
    flagValues(words).last { $0.0 == flag }?.1
  }

  /// The text between the first `open` and the next `close`.
  static func quoted(_ s: String, open: Character, close: Character) -> String? {
    guard let a = s.firstIndex(of: open) else { return nil }
    let rest = s[s.index(after: a)...]
    guard let b = rest.firstIndex(of: close) else { return nil }
    return String(rest[..<b])
  }
}

extension Facts {
  /// The facts a pasted error line gives: an id, a URL, a flag, an address, a quoted name; and what
  /// the world says about the member an id or a name denotes.
  static func fromText(_ text: String, world: World) -> [String: String] {
    var f: [String: String] = [:]
    let tokens = text.split(whereSeparator: { " \t()[],".contains($0) }).map { String($0).trimming("\"'.:;") }
    if let id = tokens.first(where: { $0.count == 16 && $0.allSatisfy(\.isHexDigit) }) {
      f["member"] = id
      if let c = world.labCluster, let v = UInt64(id, radix: 16), let m = c.members[v] { f["name"] = display(m, world: world) }
    }
    if let url = tokens.first(where: { $0.hasPrefix("http://") || $0.hasPrefix("https://") }) { f["url"] = url; f["endpoint"] = url }
    if let r = text.range(of: "not defined: -") { f["flag"] = String(text[r.upperBound...].prefix { !$0.isWhitespace }) }
    if let r = text.range(of: "listen tcp ") { f["address"] = String(text[r.upperBound...].prefix { !$0.isWhitespace }).trimming(":") }
    if let q = quoted(text, open: "\"", close: "\"") {
      f["localName"] = q
      f["variable"] = q
      f["typed"] = q
      if let c = world.labCluster, let m = member(named: q, in: c, world: world) {
        f["name"] = q
        f["member"] = Hex.string(m.id)
        f["case"] = "name-for-id"
      }
    }
    return f
  }
}

extension String {
  /// The string without the given characters at either end.
  func trimming(_ set: String) -> String {
    var s = Substring(self)
    while let c = s.first, set.contains(c) { s = s.dropFirst() }
    while let c = s.last, set.contains(c) { s = s.dropLast() }
    return String(s)
  }
}
