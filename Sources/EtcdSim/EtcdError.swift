/// Every error etcd itself reports, with the exact text real etcd prints and a stable id
/// that labs and explanations refer to.
public enum EtcdError: Error, Equatable, Hashable, Sendable {
  // Server errors seen by etcdctl (reference §8).
  case memberNotFound
  case memberIDExists
  case peerURLsExist
  case memberNotLearner
  case tooManyLearners
  case notEnoughStartedMembers
  case learnerNotReady
  case unhealthyCluster
  case invalidPeerURLs
  case rpcNotSupportedForLearner
  case noLeader
  case requestTimedOut
  case badLeaderTransferee
  // Client-side outcomes.
  case deadlineExceeded
  case endpointsUnhealthy
  case unsupportedOutputFormat
  case outputFormatNotSupported(String)
  case usage(String)
  case badURL(String)
  case noLeaderEndpoint([String])
  // etcd start-up (reference §3).
  case memberCountUnequal(cluster: String)
  case peerURLsNoMatch(cluster: String, detail: String)
  case localNameNotFound(String)
  case alreadyBootstrapped(String)
  case cannotFetchClusterInfo
  case conflictingEnvironment(String)
  case addressInUse(String)
  case cannotAssignAddress(String)
  case advertiseURLsMismatch(String)
  case duplicateURL(String)
  case clusterIDMismatch
  case memberRemoved
  case dataDirPermission(String)
  case flagUndefined(String)
  case invalidFlagValue(String)
  // Snapshots (reference §4).
  case snapshotMultipleEndpoints([String])
  case noSuchFile(operation: String, path: String)
  case dataDirExists(String)
  case dataDirNotEmpty(String)
  case walDirExists(String)
  case snapshotMissingHash
  case snapshotHashMismatch(expected: [UInt8], got: [UInt8])
  case invalidDatabase
  // TLS.
  case tlsCertRequired(String)
  case tlsPEMSwitched
  case tlsKeyMismatch
  case tlsBadPEM(String)
  // Versions (reference §5.3).
  case clusterCannotBeDowngraded(binary: String, cluster: String)
  case incompatibleCluster
  // systemd.
  /// `systemctl start` of a `Type=notify` unit whose etcd never said READY=1 within 90 s.
  case startTimeout(unit: String)

  /// Every error's stable kebab-case id, the one list labs, lint and the explanation catalog
  /// read (`EtcdError.Kind.allCases`).
  public enum Kind: String, CaseIterable, Sendable {
    case memberNotFound = "member-not-found"
    case memberIDExists = "member-id-exists"
    case peerURLsExist = "peer-urls-exist"
    case memberNotLearner = "member-not-learner"
    case tooManyLearners = "too-many-learners"
    case notEnoughStartedMembers = "not-enough-started-members"
    case learnerNotReady = "learner-not-ready"
    case unhealthyCluster = "unhealthy-cluster"
    case invalidPeerURLs = "invalid-peer-urls"
    case rpcNotSupportedForLearner = "rpc-not-supported-for-learner"
    case noLeader = "no-leader"
    case requestTimedOut = "request-timed-out"
    case badLeaderTransferee = "bad-leader-transferee"
    case deadlineExceeded = "deadline-exceeded"
    case endpointsUnhealthy = "endpoints-unhealthy"
    case unsupportedOutputFormat = "unsupported-output-format"
    case outputFormatNotSupported = "output-format-not-supported"
    case usage = "usage"
    case badURL = "bad-url"
    case noLeaderEndpoint = "no-leader-endpoint"
    case memberCountUnequal = "member-count-unequal"
    case peerURLsNoMatch = "peer-urls-no-match"
    case localNameNotFound = "local-name-not-found"
    case alreadyBootstrapped = "already-bootstrapped"
    case cannotFetchClusterInfo = "cannot-fetch-cluster-info"
    case conflictingEnvironment = "conflicting-environment"
    case addressInUse = "address-in-use"
    case cannotAssignAddress = "cannot-assign-address"
    case advertiseURLsMismatch = "advertise-urls-mismatch"
    case duplicateURL = "duplicate-url"
    case clusterIDMismatch = "cluster-id-mismatch"
    case memberRemoved = "member-removed"
    case dataDirPermission = "data-dir-permission"
    case flagUndefined = "flag-undefined"
    case invalidFlagValue = "invalid-flag-value"
    case snapshotMultipleEndpoints = "snapshot-multiple-endpoints"
    case noSuchFile = "no-such-file"
    case dataDirExists = "data-dir-exists"
    case dataDirNotEmpty = "data-dir-not-empty"
    case walDirExists = "wal-dir-exists"
    case snapshotMissingHash = "snapshot-missing-hash"
    case snapshotHashMismatch = "snapshot-hash-mismatch"
    case invalidDatabase = "invalid-database"
    case tlsCertRequired = "tls-cert-required"
    case tlsPEMSwitched = "tls-pem-switched"
    case tlsKeyMismatch = "tls-key-mismatch"
    case tlsBadPEM = "tls-bad-pem"
    case clusterCannotBeDowngraded = "cluster-cannot-be-downgraded"
    case incompatibleCluster = "incompatible-cluster"
    case startTimeout = "start-timeout"
  }

  /// Which error this is, without its details.
  public var kind: Kind {
    switch self {
    case .memberNotFound: .memberNotFound
    case .memberIDExists: .memberIDExists
    case .peerURLsExist: .peerURLsExist
    case .memberNotLearner: .memberNotLearner
    case .tooManyLearners: .tooManyLearners
    case .notEnoughStartedMembers: .notEnoughStartedMembers
    case .learnerNotReady: .learnerNotReady
    case .unhealthyCluster: .unhealthyCluster
    case .invalidPeerURLs: .invalidPeerURLs
    case .rpcNotSupportedForLearner: .rpcNotSupportedForLearner
    case .noLeader: .noLeader
    case .requestTimedOut: .requestTimedOut
    case .badLeaderTransferee: .badLeaderTransferee
    case .deadlineExceeded: .deadlineExceeded
    case .endpointsUnhealthy: .endpointsUnhealthy
    case .unsupportedOutputFormat: .unsupportedOutputFormat
    case .outputFormatNotSupported: .outputFormatNotSupported
    case .usage: .usage
    case .badURL: .badURL
    case .noLeaderEndpoint: .noLeaderEndpoint
    case .memberCountUnequal: .memberCountUnequal
    case .peerURLsNoMatch: .peerURLsNoMatch
    case .localNameNotFound: .localNameNotFound
    case .alreadyBootstrapped: .alreadyBootstrapped
    case .cannotFetchClusterInfo: .cannotFetchClusterInfo
    case .conflictingEnvironment: .conflictingEnvironment
    case .addressInUse: .addressInUse
    case .cannotAssignAddress: .cannotAssignAddress
    case .advertiseURLsMismatch: .advertiseURLsMismatch
    case .duplicateURL: .duplicateURL
    case .clusterIDMismatch: .clusterIDMismatch
    case .memberRemoved: .memberRemoved
    case .dataDirPermission: .dataDirPermission
    case .flagUndefined: .flagUndefined
    case .invalidFlagValue: .invalidFlagValue
    case .snapshotMultipleEndpoints: .snapshotMultipleEndpoints
    case .noSuchFile: .noSuchFile
    case .dataDirExists: .dataDirExists
    case .dataDirNotEmpty: .dataDirNotEmpty
    case .walDirExists: .walDirExists
    case .snapshotMissingHash: .snapshotMissingHash
    case .snapshotHashMismatch: .snapshotHashMismatch
    case .invalidDatabase: .invalidDatabase
    case .tlsCertRequired: .tlsCertRequired
    case .tlsPEMSwitched: .tlsPEMSwitched
    case .tlsKeyMismatch: .tlsKeyMismatch
    case .tlsBadPEM: .tlsBadPEM
    case .clusterCannotBeDowngraded: .clusterCannotBeDowngraded
    case .incompatibleCluster: .incompatibleCluster
    case .startTimeout: .startTimeout
    }
  }

  /// The kebab-case id that labs and the explanation catalog use.
  public var id: String { kind.rawValue }

  /// Every error id.
  public static let allIDs: Set<String> = Set(Kind.allCases.map(\.rawValue))

  /// The message exactly as etcd or etcdctl prints it (after `Error: ` or a log prefix).
  public var message: String {
    switch self {
    case .memberNotFound: "etcdserver: member not found"
    case .memberIDExists: "etcdserver: member ID already exist"
    case .peerURLsExist: "etcdserver: Peer URLs already exists"
    case .memberNotLearner: "etcdserver: can only promote a learner member"
    case .tooManyLearners: "etcdserver: too many learner members in cluster"
    case .notEnoughStartedMembers: "etcdserver: re-configuration failed due to not enough started members"
    case .learnerNotReady: "etcdserver: can only promote a learner member which is in sync with leader"
    case .unhealthyCluster: "etcdserver: unhealthy cluster"
    case .invalidPeerURLs: "etcdserver: given member URLs are invalid"
    case .rpcNotSupportedForLearner: "etcdserver: rpc not supported for learner"
    case .noLeader: "etcdserver: no leader"
    case .requestTimedOut: "etcdserver: request timed out"
    case .badLeaderTransferee: "etcdserver: bad leader transferee"
    case .deadlineExceeded: "context deadline exceeded"
    case .endpointsUnhealthy: "unhealthy cluster"
    case .unsupportedOutputFormat: "unsupported output format"
    case .outputFormatNotSupported(let f): "\(f) not supported as output format"
    case .usage(let m): m
    case .badURL(let m): m
    case .noLeaderEndpoint(let eps): "no leader endpoint given at [\(eps.joined(separator: " "))]"
    case .memberCountUnequal(let c): "error validating peerURLs \(c): member count is unequal"
    case .peerURLsNoMatch(let c, let d): "error validating peerURLs \(c): PeerURLs: no match found for existing member \(d)"
    case .localNameNotFound(let n): "couldn't find local name \"\(n)\" in the initial cluster configuration"
    case .alreadyBootstrapped(let id): "member \(id) has already been bootstrapped"
    case .cannotFetchClusterInfo: "cannot fetch cluster info from peer urls: could not retrieve cluster information from the given URLs"
    case .conflictingEnvironment(let v):
      "conflicting environment variable \"\(v)\" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)"
    case .addressInUse(let a): "listen tcp \(a): bind: address already in use"
    case .cannotAssignAddress(let a): "listen tcp \(a): bind: cannot assign requested address"
    case .advertiseURLsMismatch(let m): m
    case .duplicateURL(let m): m
    case .clusterIDMismatch: "request cluster ID mismatch"
    case .memberRemoved: "the member has been permanently removed from the cluster"
    case .dataDirPermission(let m): m
    case .flagUndefined(let f): "flag provided but not defined: -\(f)"
    case .invalidFlagValue(let m): m
    case .snapshotMultipleEndpoints(let eps): "snapshot must be requested to one selected node, not multiple [\(eps.joined(separator: " "))]"
    case .noSuchFile(let op, let path): "\(op) \(path): no such file or directory"
    case .dataDirExists(let d): "data-dir \"\(d)\" exists"
    case .dataDirNotEmpty(let d): "data-dir \"\(d)\" not empty or could not be read"
    case .walDirExists(let d): "wal-dir \"\(d)\" exists"
    case .snapshotMissingHash: "snapshot missing hash but --skip-hash-check=false"
    case .snapshotHashMismatch(let want, let got):
      "expected sha256 [\(want.map(String.init).joined(separator: " "))], got [\(got.map(String.init).joined(separator: " "))]"
    case .invalidDatabase: "invalid database"
    case .tlsCertRequired(let u): "TLS key/cert (--cert-file, --key-file) must be provided for client url \(u) with HTTPS scheme"
    case .tlsPEMSwitched: "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched"
    case .tlsKeyMismatch: "tls: private key does not match public key"
    case .tlsBadPEM(let m): m
    case .clusterCannotBeDowngraded(let b, let c): "cluster cannot be downgraded (current version: \(b) is lower than determined cluster version: \(c))."
    case .incompatibleCluster: "incompatible with current running cluster"
    case .startTimeout(let u): "Job for \(u).service failed because a timeout was exceeded."
    }
  }

  /// The package whose fatal log line reports a start-up failure (capnslog: `C | PKG: message`).
  public var fatalPackage: String {
    switch self {
    case .clusterCannotBeDowngraded: "etcdserver/membership"
    default: "etcdmain"
    }
  }

  /// The gRPC status code etcdctl's retry warnings name for a server error.
  public var grpcCode: String {
    switch self {
    case .memberNotFound: "NotFound"
    case .invalidPeerURLs: "InvalidArgument"
    case .unhealthyCluster, .noLeader, .requestTimedOut, .rpcNotSupportedForLearner: "Unavailable"
    case .deadlineExceeded: "DeadlineExceeded"
    default: "FailedPrecondition"
    }
  }

  /// Whether etcdctl's client retries a read that failed with this error.
  public var isRetriable: Bool { grpcCode == "Unavailable" }
}
