import EtcdCommands
import EtcdSim

/// A predicate over the world and the event log — never over the typed text, so any correct
/// command sequence passes.
public indirect enum Check: Equatable, Sendable {
  public enum MemberState: String, Sendable, CaseIterable {
    case present, absent, started, unstarted, running, stopped, learner, voter
  }

  /// A member, by name (or its host's name), peer URL or id.
  case member(name: String?, peerURL: String?, id: String?, state: MemberState)
  /// The cluster as a whole; every given field must hold.
  case cluster(voters: Int?, learners: Int?, members: Int?, healthy: Bool?, leader: Bool?)
  /// A key's value, or its absence.
  case key(String, value: String?, absent: Bool)
  /// A path on a host.
  case file(host: String, path: String, exists: Bool)
  /// A snapshot file on a host that `snapshot restore` accepts (intact, with its hash), holding
  /// at least `keys` keys and at least revision `revision`.
  case snapshot(host: String, path: String, keys: Int?, revision: Int64?)
  /// An etcd process on a host, optionally with flags on its command line.
  case process(host: String, running: Bool, flags: [String])
  /// A systemd unit's state.
  case service(host: String, unit: String, active: Bool)
  /// Versions: the etcd running on `host` is of release `binary` (a prefix: `3.5` or `3.5.17`),
  /// and/or the cluster runs at version `cluster` (major.minor, as `/version`'s etcdcluster).
  case version(host: String?, binary: String?, cluster: String?)
  /// During the step an etcdctl command was answered over TLS with the client's certificate
  /// (on `host`, if given): the student found the right `--cacert`, `--cert` and `--key`.
  case tls(host: String?)
  /// A command of a kind that ran during the step: succeeded, or failed (with an error id).
  case event(command: String, succeeded: Bool, error: String?, host: String?)
  case all([CheckItem])
  case any([CheckItem])
  case not(CheckItem)

  /// The kinds a lab file may name.
  public static let kinds = ["member", "cluster", "key", "file", "snapshot", "tls", "version", "process", "service", "event", "all", "any", "not"]
}

/// A check with its own message (what is still missing), and where it was written.
public struct CheckItem: Equatable, Sendable {
  public var check: Check
  public var message: Localized?
  public var line: Int = 0
  public var column: Int = 0

  public init(_ check: Check, message: Localized? = nil) {
    self.check = check
    self.message = message
  }
}

/// What checks look at: the world now, and the events of the step so far.
public struct CheckContext: Sendable {
  public var world: World
  /// A view of the session's log (never a copy of it: a check costs nothing that grows with the session).
  public var events: ArraySlice<Event>

  public init(world: World, events: ArraySlice<Event>) {
    self.world = world
    self.events = events
  }

  public init(world: World, events: [Event]) { self.init(world: world, events: events[...]) }

  /// The lab's cluster (`World.labCluster`).
  public var cluster: Cluster? { world.labCluster }

  /// A member by name, by the name of the host whose address its peer URL uses, by peer URL or id.
  public func member(name: String?, peerURL: String?, id: String?) -> Member? {
    guard let c = cluster else { return nil }
    if let id, let v = UInt64(id, radix: 16) { return c.members[v] }
    if let url = peerURL { return c.sortedMembers.first { $0.peerURLs.contains(url) } }
    guard let name else { return nil }
    if let m = c.sortedMembers.first(where: { $0.name == name }) { return m }
    if let host = world.host(name) {
      return c.sortedMembers.first { m in m.peerURLs.contains { host.addresses.contains(URLList.host($0)) } }
    }
    return nil
  }
}

extension CheckItem {
  public func holds(in ctx: CheckContext) -> Bool {
    switch check {
    case .member(let name, let url, let id, let state):
      let m = ctx.member(name: name, peerURL: url, id: id)
      guard let m else { return state == .absent }
      let running = ctx.cluster.flatMap { c in ctx.world.server(member: m.id, cluster: c.id) } != nil
      switch state {
      case .present: return true
      case .absent: return false
      case .started: return m.isStarted
      case .unstarted: return !m.isStarted
      case .running: return running
      case .stopped: return !running
      case .learner: return m.isLearner
      case .voter: return !m.isLearner
      }
    case .cluster(let voters, let learners, let members, let healthy, let leader):
      guard let c = ctx.cluster else { return false }
      if let v = voters, c.voters.count != v { return false }
      if let l = learners, c.learners.count != l { return false }
      if let n = members, c.members.count != n { return false }
      if let h = healthy {
        let ok = ctx.world.canCommit(c.id) && c.members.values.allSatisfy { ctx.world.server(member: $0.id, cluster: c.id) != nil }
        if ok != h { return false }
      }
      if let l = leader, (c.leader != nil && ctx.world.canCommit(c.id)) != l { return false }
      return true
    case .key(let key, let value, let absent):
      guard let c = ctx.cluster else { return absent }
      let entry = c.kv.range(key).first
      if absent { return entry == nil }
      guard let entry else { return false }
      return value.map { $0 == entry.value } ?? true
    case .file(let host, let path, let exists):
      return (ctx.world.host(host)?.fs.exists(path) ?? false) == exists
    case .snapshot(let host, let path, let keys, let revision):
      guard case .snapshot(let snap)? = ctx.world.host(host)?.fs.content(path), snap.hashMatches, snap.opens else { return false }
      return snap.kv.entries.count >= (keys ?? 0) && snap.kv.revision >= (revision ?? 0)
    case .tls(let host):
      return ctx.events.contains { $0.authenticatedTLS && (host == nil || $0.host == host) }
    case .version(let host, let binary, let cluster):
      if let binary {
        let running = ctx.world.processes.filter { $0.isRunning && $0.etcd != nil && (host == nil || $0.host == host) }
        guard !running.isEmpty, running.allSatisfy({ v in
          let have = v.etcd!.version
          return have == binary || have.hasPrefix(binary + ".")
        }) else { return false }
      }
      if let cluster {
        guard let c = ctx.cluster, c.version == World.majorMinor(cluster) else { return false }
      }
      return true
    case .process(let host, let running, let flags):
      let found = ctx.world.processes.contains { p in
        p.isRunning && p.host == host && p.etcd != nil && flags.allSatisfy { Self.commandLine(p.commandLine, has: $0) }
      }
      return found == running
    case .service(let host, let unit, let active):
      let pid = ctx.world.host(host)?.services[unit]?.mainPID
      let running = pid.flatMap { ctx.world.process(pid: $0) }?.isRunning == true
      return running == active
    case .event(let command, let succeeded, let error, let host):
      return ctx.events.contains { e in
        guard e.command == command || e.command.hasPrefix(command + " ") else { return false }
        if let host, e.host != host { return false }
        if succeeded { return e.succeeded }
        if e.succeeded { return false }
        return error.map { $0 == e.error?.id } ?? true
      }
    case .all(let items): return items.allSatisfy { $0.holds(in: ctx) }
    case .any(let items): return items.contains { $0.holds(in: ctx) }
    case .not(let item): return !item.holds(in: ctx)
    }
  }

  /// Whether a command line carries a flag (`--name infra3` matches `--name=infra3` too).
  static func commandLine(_ line: String, has flag: String) -> Bool {
    let normalized = line.replacingOccurrences("=", " ")
    return normalized.contains(flag.replacingOccurrences("=", " "))
  }

  /// The message shown while the check does not hold: the lab's own, or one made from the check.
  public func message(_ lang: Language) -> String {
    if let m = message { return m[lang] }
    return Self.describe(check, lang)
  }

  static func describe(_ check: Check, _ lang: Language) -> String {
    let zh = lang == .zh
    switch check {
    case .member(let name, let url, let id, let state):
      let who = name ?? url ?? id ?? "?"
      if state == .absent { return zh ? "成员 \(who) 应不在集群中" : "member \(who) should not be in the cluster" }
      if state == .present { return zh ? "成员 \(who) 应在集群中" : "member \(who) should be in the cluster" }
      return zh ? "成员 \(who) 应为 \(state.rawValue)" : "member \(who) should be \(state.rawValue)"
    case .cluster(let voters, let learners, let members, let healthy, let leader):
      var parts: [String] = []
      if let v = voters { parts.append(zh ? "\(v) 个投票成员" : "\(v) voting members") }
      if let l = learners { parts.append(zh ? "\(l) 个 learner" : "\(l) learners") }
      if let n = members { parts.append(zh ? "共 \(n) 个成员" : "\(n) members in all") }
      if let h = healthy { parts.append(h ? (zh ? "所有成员健康" : "every member healthy") : (zh ? "不健康" : "unhealthy")) }
      if let l = leader { parts.append(l ? (zh ? "有 Leader" : "a leader") : (zh ? "没有 Leader" : "no leader")) }
      return (zh ? "集群应有：" : "the cluster should have ") + parts.joined(separator: zh ? "，" : ", ")
    case .key(let key, let value, let absent):
      if absent { return zh ? "键 \(key) 应不存在" : "key \(key) should not exist" }
      return value.map { zh ? "键 \(key) 的值应为 \($0)" : "key \(key) should hold \($0)" } ?? (zh ? "键 \(key) 应存在" : "key \(key) should exist")
    case .file(let host, let path, let exists):
      return zh ? "\(host) 上的 \(path) 应\(exists ? "存在" : "不存在")" : "\(path) on \(host) should \(exists ? "exist" : "not exist")"
    case .snapshot(let host, let path, let keys, let revision):
      var more: [String] = []
      if let k = keys { more.append(zh ? "至少 \(k) 个键" : "at least \(k) keys") }
      if let r = revision { more.append(zh ? "修订版本至少 \(r)" : "revision \(r) or later") }
      let tail = more.isEmpty ? "" : (zh ? "，" : ", ") + more.joined(separator: zh ? "，" : ", ")
      return zh ? "\(host) 上的 \(path) 应是一个完好的快照\(tail)" : "\(path) on \(host) should be an intact snapshot\(tail)"
    case .version(let host, let binary, let cluster):
      var parts: [String] = []
      if let b = binary {
        let on = host.map { zh ? "\($0) 上" : " on \($0)" } ?? ""
        parts.append(zh ? "\(on)运行的 etcd 应是 \(b) 版本" : "the etcd running\(on) should be release \(b)")
      }
      if let c = cluster { parts.append(zh ? "集群版本应为 \(c)" : "the cluster version should be \(c)") }
      return parts.joined(separator: zh ? "，" : ", ")
    case .tls(let host):
      let on = host.map { zh ? "在 \($0) 上" : " on \($0)" } ?? ""
      return zh ? "应\(on)用正确的 --cacert、--cert 和 --key 成功执行一条 etcdctl 命令" : "an etcdctl command should succeed over TLS\(on) with the right --cacert, --cert and --key"
    case .process(let host, let running, let flags):
      let with = flags.isEmpty ? "" : (zh ? "（带 \(flags.joined(separator: " "))）" : " with \(flags.joined(separator: " "))")
      return zh ? "\(host) 上应\(running ? "有" : "没有")运行中的 etcd\(with)" : "etcd should \(running ? "" : "not ")be running on \(host)\(with)"
    case .service(let host, let unit, let active):
      return zh ? "\(host) 上的 \(unit).service 应\(active ? "处于运行状态" : "已停止")" : "\(unit).service on \(host) should be \(active ? "active" : "inactive")"
    case .event(let command, let succeeded, let error, _):
      if succeeded { return zh ? "应成功运行一次 \(command)" : "run \(command) successfully" }
      return zh ? "应运行 \(command) 并看到它失败\(error.map { "（\($0)）" } ?? "")" : "run \(command) and see it fail\(error.map { " (\($0))" } ?? "")"
    case .all(let items): return items.map { $0.message(lang) }.joined(separator: zh ? "；" : "; ")
    case .any(let items): return items.map { $0.message(lang) }.joined(separator: zh ? "；或 " : "; or ")
    case .not(let item): return (zh ? "不应：" : "not: ") + item.message(lang)
    }
  }
}
