/// The client API of an etcd cluster, as etcdctl uses it (the v3 gRPC services).
public enum ClientRequest: Equatable, Sendable {
  case memberList
  /// `member list` of etcdctl 3.5+: a linearizable read, so it needs a leader.
  case memberListLinearizable
  case memberAdd(peerURLs: [String], isLearner: Bool)
  case memberRemove(UInt64)
  case memberUpdate(UInt64, peerURLs: [String])
  case memberPromote(UInt64)
  case put(key: String, value: String, options: PutOptions = PutOptions())
  /// A read of `[key, end)` as of `revision` (0: the current one).
  case range(key: String, end: String?, prefix: Bool, serializable: Bool, revision: Int64 = 0)
  case deleteRange(key: String, end: String?, prefix: Bool)
  /// `compaction REV` (with `--physical`, the call returns once the old revisions are gone).
  case compact(revision: Int64, physical: Bool)
  /// `endpoint hashkv`: the member's key history hash up to `revision` (0: all).
  case hashKV(revision: Int64)
  /// `defrag`: the member rewrites its backend file without the freed pages.
  case defragment
  case alarmList
  case alarmDisarm
  case status
  case moveLeader(UInt64)
  /// `endpoint health`: a linearizable get of the key `health`.
  case health
  /// `snapshot save`: the member's backend database, streamed (no raft, no quorum needed).
  case snapshot

  /// Whether etcdctl's client retries this call on an Unavailable error.
  public var isRead: Bool {
    switch self {
    case .memberList, .memberListLinearizable, .range, .status, .health, .hashKV: true
    default: false
    }
  }

  /// Whether a learner serves it (`isRPCSupportedForLearner`).
  public var learnerServes: Bool {
    switch self {
    case .status, .hashKV, .defragment: true
    case .range(_, _, _, let serializable, _): serializable
    default: false
    }
  }
}

/// `put`'s options (`--lease`, `--ignore-value`, `--ignore-lease`).
public struct PutOptions: Equatable, Sendable {
  public var lease: Int64 = 0
  public var ignoreValue = false
  public var ignoreLease = false
  public init(lease: Int64 = 0, ignoreValue: Bool = false, ignoreLease: Bool = false) {
    self.lease = lease
    self.ignoreValue = ignoreValue
    self.ignoreLease = ignoreLease
  }
}

/// The header of every response.
public struct ResponseHeader: Equatable, Sendable {
  public var clusterID: UInt64
  public var memberID: UInt64
  public var revision: Int64
  public var raftTerm: UInt64
}

/// What `endpoint status` reports for one member.
public struct StatusInfo: Equatable, Sendable {
  public var header: ResponseHeader
  public var version: String
  public var dbSize: Int
  /// Bytes of the file not in use: 4 kB of a fresh backend, 8 kB right after a defrag.
  public var freeBytes = 4096
  /// Bytes of the backend in use (a fresh one: 16 kB of its 20 kB).
  public var dbSizeInUse: Int { max(0, dbSize - freeBytes) }
  public var leader: UInt64
  public var raftIndex: UInt64
  public var raftTerm: UInt64
  public var raftAppliedIndex: UInt64
  public var errors: [String]
  public var isLearner: Bool
  /// 3.6 servers only (`maintenance.go` v3.6.5): the storage version, and a `downgradeInfo` always sent.
  public var storageVersion = ""
  public var sendsDowngradeInfo = false
}

public enum ClientResponse: Equatable, Sendable {
  case members(ResponseHeader, [Member])
  case memberAdded(ResponseHeader, added: Member, members: [Member])
  case membersChanged(ResponseHeader, [Member])
  /// The pair the put replaced (etcdctl shows it with `--prev-kv`).
  case put(ResponseHeader, prev: KeyValueStore.Entry?)
  case range(ResponseHeader, [KeyValueStore.Entry])
  /// The pairs deleted (etcdctl counts them, and shows them with `--prev-kv`).
  case deleted(ResponseHeader, [KeyValueStore.Entry])
  case compacted(ResponseHeader)
  case hashKV(ResponseHeader, hash: UInt32, compactRevision: Int64)
  case defragmented(ResponseHeader)
  /// The alarms raised (for `alarm list`) or disarmed (for `alarm disarm`).
  case alarms(ResponseHeader, [Alarm])
  case status(StatusInfo)
  case leaderMoved(ResponseHeader, from: UInt64, to: UInt64)
  case healthy
  case snapshot(Snapshot)
}

/// One failed attempt, as etcdctl's retry interceptor logs it.
public struct FailedAttempt: Equatable, Sendable {
  /// The gRPC status text: `rpc error: code = X desc = Y`.
  public var status: String
  public var at: Millis
}

/// The outcome of one client call against a list of endpoints.
public struct CallResult: Equatable, Sendable {
  public var response: ClientResponse?
  public var error: EtcdError?
  public var attempts: [FailedAttempt] = []
  /// Why the connection failed, as a one-endpoint (`passthrough`) client's balancer names it.
  public var cause: String?
  /// The TLS refusal behind a failed call, if that was it.
  public var handshake: HandshakeFailure?
  /// How long the call took, in nanoseconds.
  public var tookNanos: Int64 = 0
}

/// A raised alarm: the member that raised it and which (etcd 3.4 has NOSPACE and CORRUPT).
public struct Alarm: Equatable, Sendable {
  public var memberID: UInt64
  public var kind: Kind
  public enum Kind: Int, Equatable, Sendable {
    case noSpace = 1
    case corrupt = 2
    public var name: String { self == .noSpace ? "NOSPACE" : "CORRUPT" }
  }
  public init(memberID: UInt64, kind: Kind) {
    self.memberID = memberID
    self.kind = kind
  }
}
