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
  /// An etcd process on a host, optionally with flags in its parsed configuration (given in any
  /// form, or by `ETCD_*` variables).
  case process(host: String, running: Bool, flags: [String])
  /// A data dir restored from a snapshot (`snapshot restore`, started since or not) for the member
  /// `name` of `initialCluster` with `token`: the member's name, its peer URLs, the token and the
  /// member list as given — they decide the member's and the cluster's ids, which are compared.
  case restored(host: String, dataDir: String, name: String, token: String, initialCluster: String)
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
  public static let kinds = ["member", "cluster", "key", "file", "snapshot", "tls", "version", "process", "restored", "service", "event", "all", "any", "not"]
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

/// What checks look at: the hosts' facts now (the simulated world's, or the real backend's), and
/// the events of the step so far.
public struct CheckContext: Sendable {
  public var facts: any HostFacts
  /// A view of the session's log (never a copy of it: a check costs nothing that grows with the session).
  public var events: ArraySlice<Event>

  public init(facts: any HostFacts, events: ArraySlice<Event>) {
    self.facts = facts
    self.events = events
  }

  public init(world: World, events: ArraySlice<Event>) { self.init(facts: WorldFacts(world), events: events) }

  public init(world: World, events: [Event]) { self.init(world: world, events: events[...]) }

  /// A member by name, by the name of the host whose address its peer URL uses, by peer URL or id.
  public func member(name: String?, peerURL: String?, id: String?) -> MemberFacts? {
    guard let members = facts.members else { return nil }
    if let id, let v = UInt64(id, radix: 16) { return members.first { $0.id == v } }
    if let url = peerURL { return members.first { $0.peerURLs.contains(url) } }
    guard let name else { return nil }
    if let m = members.first(where: { $0.name == name }) { return m }
    if let addresses = facts.addresses(of: name) {
      return members.first { m in m.peerURLs.contains { addresses.contains(URLList.host($0)) } }
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
      switch state {
      case .present: return true
      case .absent: return false
      case .started: return m.isStarted
      case .unstarted: return !m.isStarted
      case .running: return ctx.facts.isRunning(m)
      case .stopped: return !ctx.facts.isRunning(m)
      case .learner: return m.isLearner
      case .voter: return !m.isLearner
      }
    case .cluster(let voters, let learners, let members, let healthy, let leader):
      guard let all = ctx.facts.members else { return false }
      if let v = voters, all.filter({ !$0.isLearner }).count != v { return false }
      if let l = learners, all.filter(\.isLearner).count != l { return false }
      if let n = members, all.count != n { return false }
      if let h = healthy {
        let ok = ctx.facts.canCommit && all.allSatisfy { ctx.facts.isRunning($0) }
        if ok != h { return false }
      }
      if let l = leader, (ctx.facts.hasLeader && ctx.facts.canCommit) != l { return false }
      return true
    case .key(let key, let value, let absent):
      guard let found = ctx.facts.value(of: key) else { return absent }
      if absent { return found == nil }
      guard let found else { return false }
      return value.map { $0 == found } ?? true
    case .file(let host, let path, let exists):
      return ctx.facts.fileExists(host: host, path: path) == exists
    case .snapshot(let host, let path, let keys, let revision):
      guard let snap = ctx.facts.snapshot(host: host, path: path) else { return false }
      return snap.keys >= (keys ?? 0) && snap.revision >= (revision ?? 0)
    case .tls(let host):
      return ctx.events.contains { $0.authenticatedTLS && (host == nil || $0.host == host) }
    case .version(let host, let binary, let cluster):
      if let binary {
        let running = ctx.facts.etcdProcesses(host: host)
        guard !running.isEmpty, running.allSatisfy({ $0.version == binary || $0.version.hasPrefix(binary + ".") }) else { return false }
      }
      if let cluster {
        guard let have = ctx.facts.clusterVersion, have == World.majorMinor(cluster) else { return false }
      }
      return true
    case .process(let host, let running, let flags):
      let found = ctx.facts.etcdFlags(host: host).contains { taken in
        guard case .success(let wanted) = EtcdFlagSettings.parse(flags, version: taken.version) else { return false }
        return wanted.hold(for: taken)
      }
      return found == running
    case .restored(let host, let dataDir, _, _, _):
      // The real backend has no record of how a data dir was made: there, a WAL is enough.
      guard let world = ctx.world else { return ctx.facts.fileExists(host: host, path: FileSystem.resolve(dataDir, cwd: "/") + "/member/wal") }
      return RestoreFinding(check, in: world) == .holds
    case .service(let host, let unit, let active):
      return ctx.facts.serviceActive(host: host, unit: unit) == active
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

  /// The message shown while the check does not hold: the lab's own, or one made from the check.
  public func message(_ lang: Language) -> String {
    if let m = message { return m[lang] }
    return Self.describe(check, lang)
  }

  static func describe(_ check: Check, _ lang: Language) -> String {
    func t(_ key: String, _ args: CustomStringConvertible...) -> String { Messages.catalog.t(key, lang, args) }
    let separator = t("list.separator")
    switch check {
    case .member(let name, let url, let id, let state):
      let who = name ?? url ?? id ?? "?"
      if state == .absent { return t("check.member.absent", who) }
      if state == .present { return t("check.member.present", who) }
      return t("check.member.state", who, state.rawValue)
    case .cluster(let voters, let learners, let members, let healthy, let leader):
      var parts: [String] = []
      if let v = voters { parts.append(t("check.cluster.voters", v)) }
      if let l = learners { parts.append(t("check.cluster.learners", l)) }
      if let n = members { parts.append(t("check.cluster.members", n)) }
      if let h = healthy { parts.append(t(h ? "check.cluster.healthy" : "check.cluster.unhealthy")) }
      if let l = leader { parts.append(t(l ? "check.cluster.leader" : "check.cluster.no-leader")) }
      return t("check.cluster", parts.joined(separator: separator))
    case .key(let key, let value, let absent):
      if absent { return t("check.key.absent", key) }
      return value.map { t("check.key.value", key, $0) } ?? t("check.key.present", key)
    case .file(let host, let path, let exists):
      return t(exists ? "check.file.present" : "check.file.absent", host, path)
    case .snapshot(let host, let path, let keys, let revision):
      var more: [String] = []
      if let k = keys { more.append(t("check.snapshot.keys", k)) }
      if let r = revision { more.append(t("check.snapshot.revision", r)) }
      let tail = more.isEmpty ? "" : separator + more.joined(separator: separator)
      return t("check.snapshot", host, path, tail)
    case .version(let host, let binary, let cluster):
      var parts: [String] = []
      if let b = binary { parts.append(t("check.version.binary", host.map { t("check.version.on", $0) } ?? "", b)) }
      if let c = cluster { parts.append(t("check.version.cluster", c)) }
      return parts.joined(separator: separator)
    case .tls(let host):
      return t("check.tls", host.map { t("check.tls.on", $0) } ?? "")
    case .process(let host, let running, let flags):
      let with = flags.isEmpty ? "" : t("check.process.flags", flags.joined(separator: " "))
      return t(running ? "check.process.running" : "check.process.stopped", host, with)
    case .restored(let host, let dataDir, let name, let token, _):
      return t("check.restored", host, dataDir, name, token)
    case .service(let host, let unit, let active):
      return t(active ? "check.service.active" : "check.service.inactive", host, unit)
    case .event(let command, let succeeded, let error, _):
      if succeeded { return t("check.event.succeeded", command) }
      return t("check.event.failed", command, error.map { t("check.event.error", $0) } ?? "")
    case .all(let items): return items.map { $0.message(lang) }.joined(separator: t("check.all.separator"))
    case .any(let items): return items.map { $0.message(lang) }.joined(separator: t("check.any.separator"))
    case .not(let item): return t("check.not", item.message(lang))
    }
  }
}
