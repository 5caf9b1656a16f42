/// One raft group: its committed membership, log position, leader and key space.
/// The committed state lives here; members' data dirs refer to it by cluster id.
public struct Cluster: Equatable, Sendable {
  public let id: UInt64
  public var members: [UInt64: Member]
  public var removed: Set<UInt64> = []
  public var term: UInt64 = 1
  public var leader: UInt64?
  /// The leader's last log index (every entry here commits at once when it commits).
  public var index: UInt64
  public var kv = KeyValueStore()
  /// The cluster version (`3.4`), nil until the leader decides it.
  public var version: String?
  /// When the running election completes, if one is under way.
  public var electionDue: Millis?
  /// When a leader that has lost its quorum steps down (raft's CheckQuorum, on in etcd).
  public var stepDownDue: Millis?
  /// When a voter that cannot win (no quorum) next starts a vain election.
  public var campaignDue: Millis?
  /// Each member's match index as of when its process stopped (learner progress survives).
  public var savedMatch: [UInt64: UInt64] = [:]
  /// Each defragmented member's backend file: its size after the defrag, and the store's grown
  /// size then (the file grows again from there).
  public var defragmented: [UInt64: Defragmented] = [:]
  /// The alarms raised and not yet disarmed, in the order they were raised.
  public var alarms: [Alarm] = []

  public struct Defragmented: Equatable, Sendable {
    public var size: Int
    public var grownSize: Int
  }

  /// A member's backend file size and the bytes of it not in use (`endpoint status`).
  public func databaseSize(of member: UInt64) -> (size: Int, free: Int) {
    guard let d = defragmented[member] else { return (kv.databaseSize, 4096) }
    let grown = kv.databaseSize - d.grownSize
    return grown > 0 ? (d.size + grown, 4096) : (d.size, 8192)
  }

  public init(id: UInt64, members: [Member]) {
    self.id = id
    self.members = Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0) })
    self.index = UInt64(members.count)
  }

  /// Members sorted by id, as every etcd listing is.
  public var sortedMembers: [Member] { members.values.sorted { $0.id < $1.id } }
  public var voters: [Member] { sortedMembers.filter { !$0.isLearner } }
  public var voterCount: Int { members.values.reduce(0) { $1.isLearner ? $0 : $0 + 1 } }
  public var learners: [Member] { sortedMembers.filter(\.isLearner) }

  public static func quorum(_ n: Int) -> Int { n / 2 + 1 }

  /// The `Members:[...]` dump of etcd's start-up errors.
  public var goDescription: String {
    "{ClusterID:\(Hex.string(id)) Members:[\(sortedMembers.map(\.goDescription).joined(separator: " "))] RemovedMemberIDs:[\(removed.sorted().map { Hex.string($0) }.joined(separator: " "))]}"
  }
}

/// The reconfiguration rules of etcd 3.4 (reference §2), as pure checks.
extension Cluster {
  /// `IsReadyToAddVotingMember`.
  public func isReadyToAddVotingMember() -> Bool {
    let n = voters.count + 1
    let s = voters.filter(\.isStarted).count
    return s >= Cluster.quorum(n) || (s == 1 && n == 2)
  }

  /// `IsReadyToRemoveVotingMember`.
  public func isReadyToRemoveVotingMember(_ id: UInt64) -> Bool {
    let rest = voters.filter { $0.id != id }
    return rest.filter(\.isStarted).count >= Cluster.quorum(rest.count)
  }

  /// `IsReadyToPromoteMember`.
  public func isReadyToPromoteMember() -> Bool {
    let n = voters.count + 1
    let s = voters.filter(\.isStarted).count + 1
    return s >= Cluster.quorum(n)
  }

  /// Apply-time validation of an add (`ValidateConfigurationChange`).
  public func validateAdd(_ m: Member) -> EtcdError? {
    if removed.contains(m.id) { return .memberNotFound }
    if members[m.id] != nil { return .memberIDExists }
    let used = Set(members.values.flatMap(\.peerURLs))
    if m.peerURLs.contains(where: used.contains) { return .peerURLsExist }
    if m.isLearner && learners.count + 1 > 1 { return .tooManyLearners }
    return nil
  }

  public func validateRemove(_ id: UInt64) -> EtcdError? {
    if removed.contains(id) || members[id] == nil { return .memberNotFound }
    return nil
  }

  public func validatePromote(_ id: UInt64) -> EtcdError? {
    if removed.contains(id) { return .memberNotFound }
    guard let m = members[id] else { return .memberNotFound }
    return m.isLearner ? nil : .memberNotLearner
  }

  public func validateUpdate(_ id: UInt64, peerURLs: [String]) -> EtcdError? {
    if removed.contains(id) || members[id] == nil { return .memberNotFound }
    let used = Set(members.values.filter { $0.id != id }.flatMap(\.peerURLs))
    return peerURLs.contains(where: used.contains) ? .peerURLsExist : nil
  }
}
