import EtcdSim

/// What a lab's checks read of the hosts, whichever backend runs them: the lab's cluster (its
/// members, which of them serve, quorum and leader, keys, version), files and snapshots on a host,
/// the etcd processes running there and the state of its units. `WorldFacts` reads the simulated
/// world; the real backend reads the same facts from real etcdctl answers, files and processes.
/// Checks ask only for what they need, so a backend may read lazily.
public protocol HostFacts: Sendable {
  /// The lab cluster's members, by id (nil: there is no cluster).
  var members: [MemberFacts]? { get }
  /// Whether a member of the lab cluster runs and serves as that member.
  func isRunning(_ member: MemberFacts) -> Bool
  /// Whether the lab cluster can commit (a leader and a quorum of voters).
  var canCommit: Bool { get }
  /// Whether the lab cluster has a leader.
  var hasLeader: Bool { get }
  /// A key's value in the lab cluster: nil without a cluster, `.some(nil)` when the key is absent.
  func value(of key: String) -> String??
  /// The lab cluster's version (major.minor, as `/version`'s etcdcluster).
  var clusterVersion: String? { get }
  func fileExists(host: String, path: String) -> Bool
  /// An intact snapshot file (its hash matches and it opens): how many keys it holds and its revision.
  func snapshot(host: String, path: String) -> (keys: Int, revision: Int64)?
  /// The etcd processes running on a host (every host: nil): their command lines and releases.
  func etcdProcesses(host: String?) -> [(commandLine: String, version: String)]
  /// What each etcd running on a host took for its flags (command line, `ETCD_*` variables, defaults).
  func etcdFlags(host: String) -> [EtcdTakenFlags]
  /// Whether a systemd unit's main process is running on a host.
  func serviceActive(host: String, unit: String) -> Bool
  /// A host's addresses (nil: no such host).
  func addresses(of host: String) -> [String]?
}

/// A member of the lab cluster as checks see it.
public struct MemberFacts: Sendable, Equatable {
  public var id: UInt64
  public var name: String
  public var peerURLs: [String]
  public var isLearner: Bool
  public var isStarted: Bool { !name.isEmpty }

  public init(id: UInt64, name: String, peerURLs: [String], isLearner: Bool) {
    self.id = id
    self.name = name
    self.peerURLs = peerURLs
    self.isLearner = isLearner
  }
}

/// The facts of the simulated world.
public struct WorldFacts: HostFacts {
  public var world: World

  public init(_ world: World) { self.world = world }

  public var members: [MemberFacts]? {
    world.labCluster?.sortedMembers.map { MemberFacts(id: $0.id, name: $0.name, peerURLs: $0.peerURLs, isLearner: $0.isLearner) }
  }

  public func isRunning(_ member: MemberFacts) -> Bool {
    world.labCluster.flatMap { c in world.server(member: member.id, cluster: c.id) } != nil
  }

  public var canCommit: Bool { world.labCluster.map { world.canCommit($0.id) } ?? false }
  public var hasLeader: Bool { world.labCluster?.leader != nil }

  public func value(of key: String) -> String?? {
    guard let c = world.labCluster else { return nil }
    return .some(c.kv.range(key).first?.value)
  }

  public var clusterVersion: String? { world.labCluster?.version }

  public func fileExists(host: String, path: String) -> Bool { world.host(host)?.fs.exists(path) ?? false }

  public func snapshot(host: String, path: String) -> (keys: Int, revision: Int64)? {
    guard case .snapshot(let snap)? = world.host(host)?.fs.content(path), snap.hashMatches, snap.opens else { return nil }
    return (snap.kv.entries.count, snap.kv.revision)
  }

  public func etcdProcesses(host: String?) -> [(commandLine: String, version: String)] {
    world.processes.compactMap { p in
      guard p.isRunning, let e = p.etcd, host == nil || p.host == host else { return nil }
      return (commandLine: p.commandLine, version: e.version)
    }
  }

  public func etcdFlags(host: String) -> [EtcdTakenFlags] {
    world.processes.compactMap { p in p.isRunning && p.host == host ? p.etcd.map(EtcdTakenFlags.init(server:)) : nil }
  }

  public func serviceActive(host: String, unit: String) -> Bool {
    let pid = world.host(host)?.services[unit]?.mainPID
    return pid.flatMap { world.process(pid: $0) }?.isRunning == true
  }

  public func addresses(of host: String) -> [String]? { world.host(host)?.addresses }
}

extension HostFacts {
  /// From the command lines alone (a backend that cannot see a process's environment).
  public func etcdFlags(host: String) -> [EtcdTakenFlags] {
    etcdProcesses(host: host).map { EtcdTakenFlags(commandLine: $0.commandLine, version: $0.version) }
  }
}
