/// Where etcd's zap logger writes each message a simulated server logs: the message and its
/// short caller (`dir/file.go:line`) in v3.4.23 (with `--logger=zap`), v3.5.17 and v3.6.5. The
/// line numbers are those of the logging call in each tag's source (etcd-io/etcd), the capnslog
/// wording of the same event is at the call site.
public enum ZapSite: Sendable {
  case running, alreadyInitialized, configuringPeerListeners, configuringClientListeners, startingAnEtcdServer, openedBackend
  case startingLocalMember, restartingLocalMember, startingEtcdServer, simpleToken, startedToPurge, recognizedEnvironment
  case addedMember, recoveredMember, removedMember, promoteMember, updatedMember
  case startingRemotePeer, startedPipelining, startedStreamWriter, startedRemotePeer, addedRemotePeer, startedStreamReader
  case stoppingRemotePeer, stoppedPipelining, stoppedStreamWriter, stoppedStreamReader, stoppedRemotePeer, removedRemotePeer
  case servingPeerTraffic, publishedLocalMember, stoppedPublish, readyToServe, servingInsecurely, servingSecurely, clusterVersionTooHigh
  case setInitialClusterVersion, enabledCapabilities, settingUpInitialClusterVersion, updatingClusterVersion, updatedClusterVersion
  case higherVersionedMember, serverError, dataDirMustBeRemoved, clusterIDMismatch, ignoredClusterIDMismatch, receivedSignal
  case closingEtcdServer, closedEtcdServer, failedToStart, discoveryFailed, recoveredV2Store, recoveredV3Backend
  case rejectedRemovedPeer, rejectedConnection, restoreConsistentIndex, recoveredV3BackendOnStart, noStorageSchema, nowServing

  /// The message, and the caller in 3.4, 3.5 and 3.6 (3.5's where a release has no such call).
  var entry: (msg: String, callers: [String]) {
    switch self {
    case .running: ("Running: ", ["etcdmain/etcd.go:73", "etcdmain/etcd.go:73", "etcdmain/etcd.go:64"])
    case .alreadyInitialized: ("server has been already initialized", ["etcdmain/etcd.go:134", "etcdmain/etcd.go:116", "etcdmain/etcd.go:116"])
    case .configuringPeerListeners: ("configuring peer listeners", ["embed/etcd.go:117", "embed/etcd.go:128", "embed/etcd.go:138"])
    case .configuringClientListeners: ("configuring client listeners", ["embed/etcd.go:127", "embed/etcd.go:136", "embed/etcd.go:146"])
    case .startingAnEtcdServer: ("starting an etcd server", ["embed/etcd.go:305", "embed/etcd.go:311", "embed/etcd.go:323"])
    case .openedBackend: ("opened backend db", ["etcdserver/backend.go:80", "etcdserver/backend.go:81", "storage/backend.go:80"])
    case .startingLocalMember: ("starting local member", ["etcdserver/raft.go:536", "etcdserver/raft.go:505", "etcdserver/bootstrap.go:499"])
    case .restartingLocalMember: ("restarting local member", ["etcdserver/raft.go:586", "etcdserver/raft.go:540", "etcdserver/bootstrap.go:599"])
    case .startingEtcdServer: ("starting etcd server", ["etcdserver/server.go:803", "etcdserver/server.go:864", "etcdserver/server.go:589"])
    case .simpleToken: ("simple token is not cryptographically signed", ["auth/store.go:1380", "auth/store.go:1241", "auth/store.go:1135"])
    case .startedToPurge: ("started to purge file", ["fileutil/purge.go:42", "fileutil/purge.go:50", "fileutil/purge.go:49"])
    case .recognizedEnvironment: ("recognized and used environment variable", ["flags/flag.go:141", "flags/flag.go:113", "flags/flag.go:114"])
    case .addedMember: ("added member", ["membership/cluster.go:392", "membership/cluster.go:421", "membership/cluster.go:424"])
    case .removedMember: ("removed member", ["membership/cluster.go:422", "membership/cluster.go:472", "membership/cluster.go:460"])
    case .recoveredMember: ("recovered/added member from store", ["membership/cluster.go:256", "membership/cluster.go:278", "membership/cluster.go:297"])
    case .promoteMember: ("promote member", ["membership/cluster.go:497", "membership/cluster.go:534", "membership/cluster.go:550"])
    case .updatedMember: ("updated member", ["membership/cluster.go:520", "membership/cluster.go:553", "membership/cluster.go:641"])
    case .startingRemotePeer: ("starting remote peer", ["rafthttp/peer.go:128", "rafthttp/peer.go:133", "rafthttp/peer.go:133"])
    case .startedPipelining: ("started HTTP pipelining with remote peer", ["rafthttp/pipeline.go:71", "rafthttp/pipeline.go:72", "rafthttp/pipeline.go:72"])
    case .startedStreamWriter: ("started stream writer with remote peer", ["rafthttp/stream.go:166", "rafthttp/stream.go:169", "rafthttp/stream.go:168"])
    case .startedRemotePeer: ("started remote peer", ["rafthttp/peer.go:134", "rafthttp/peer.go:137", "rafthttp/peer.go:137"])
    case .addedRemotePeer: ("added remote peer", ["rafthttp/transport.go:327", "rafthttp/transport.go:317", "rafthttp/transport.go:317"])
    case .startedStreamReader: ("started stream reader with remote peer", ["rafthttp/stream.go:406", "rafthttp/stream.go:395", "rafthttp/stream.go:394"])
    case .stoppingRemotePeer: ("stopping remote peer", ["rafthttp/peer.go:333", "rafthttp/peer.go:330", "rafthttp/peer.go:316"])
    case .stoppedPipelining: ("stopped HTTP pipelining with remote peer", ["rafthttp/pipeline.go:86", "rafthttp/pipeline.go:85", "rafthttp/pipeline.go:85"])
    case .stoppedStreamWriter: ("stopped TCP streaming connection with remote peer", ["rafthttp/stream.go:301", "rafthttp/stream.go:294", "rafthttp/stream.go:293"])
    case .stoppedStreamReader: ("stopped stream reader with remote peer", ["rafthttp/stream.go:459", "rafthttp/stream.go:442", "rafthttp/stream.go:441"])
    case .stoppedRemotePeer: ("stopped remote peer", ["rafthttp/peer.go:340", "rafthttp/peer.go:335", "rafthttp/peer.go:321"])
    case .removedRemotePeer: ("removed remote peer", ["rafthttp/transport.go:369", "rafthttp/transport.go:355", "rafthttp/transport.go:354"])
    case .servingPeerTraffic: ("serving peer traffic", ["embed/etcd.go:587", "embed/etcd.go:600", "embed/etcd.go:640"])
    case .publishedLocalMember: ("published local member to cluster through raft", ["etcdserver/server.go:2069", "etcdserver/server.go:2088", "etcdserver/server.go:1820"])
    case .stoppedPublish: ("stopped publish because server is stopped", ["etcdserver/server.go:2084", "etcdserver/server.go:2151", "etcdserver/server.go:2151"])
    case .readyToServe: ("ready to serve client requests", ["embed/serve.go:97", "embed/serve.go:103", "embed/serve.go:138"])
    case .servingInsecurely: ("serving client traffic insecurely; this is strongly discouraged!", ["embed/serve.go:145", "embed/serve.go:187", "embed/serve.go:220"])
    case .servingSecurely: ("serving client traffic securely", ["embed/serve.go:201", "embed/serve.go:250", "embed/serve.go:283"])
    case .clusterVersionTooHigh: ("cluster version of remote member is not compatible; too high", ["etcdserver/cluster_util.go:283", "etcdserver/cluster_util.go:263", "etcdserver/cluster_util.go:227"])
    case .setInitialClusterVersion: ("set initial cluster version", ["membership/cluster.go:558", "membership/cluster.go:584", "membership/cluster.go:682"])
    case .enabledCapabilities: ("enabled capabilities for version", ["api/capability.go:76", "api/capability.go:75", "api/capability.go:76"])
    case .settingUpInitialClusterVersion: ("setting up initial cluster version using v2 API", ["etcdserver/server.go:2651", "etcdserver/server.go:2651", "etcdserver/server.go:2651"])
    case .updatingClusterVersion: ("updating cluster version using v2 API", ["etcdserver/server.go:2656", "etcdserver/server.go:2656", "etcdserver/server.go:2656"])
    case .updatedClusterVersion: ("updated cluster version", ["membership/cluster.go:546", "membership/cluster.go:576", "membership/cluster.go:674"])
    case .higherVersionedMember: ("leader found higher-versioned member", ["etcdserver/cluster_util.go:207", "etcdserver/cluster_util.go:189", "version/monitor.go:175"])
    case .serverError: ("server error", ["etcdserver/server.go:1078", "etcdserver/server.go:1154", "etcdserver/server.go:860"])
    case .dataDirMustBeRemoved: ("data-dir used by this member must be removed", ["etcdserver/server.go:1079", "etcdserver/server.go:1155", "etcdserver/server.go:861"])
    case .clusterIDMismatch: ("request cluster ID mismatch", ["rafthttp/http.go:547", "rafthttp/http.go:500", "rafthttp/http.go:502"])
    case .ignoredClusterIDMismatch: ("request sent was ignored by remote peer due to cluster ID mismatch", ["rafthttp/stream.go:682", "rafthttp/stream.go:653", "rafthttp/stream.go:652"])
    case .receivedSignal: ("received signal; shutting down", ["osutil/interrupt_unix.go:64", "osutil/interrupt_unix.go:64", "osutil/interrupt_unix.go:65"])
    case .recoveredV2Store: ("recovered v2 store from snapshot", ["etcdserver/server.go:462", "etcdserver/server.go:511", "etcdserver/bootstrap.go:413"])
    case .recoveredV3Backend: ("recovered v3 backend from snapshot", ["etcdserver/server.go:480", "etcdserver/server.go:524", "etcdserver/server.go:524"])
    case .rejectedRemovedPeer: ("rejected stream from remote peer because it was removed", ["rafthttp/http.go:425", "rafthttp/http.go:394", "rafthttp/http.go:396"])
    case .rejectedConnection: ("rejected connection on client endpoint", ["embed/config_logging.go:287", "embed/config_logging.go:170", "embed/config_logging.go:188"])
    case .restoreConsistentIndex: ("restore consistentIndex", ["etcdserver/bootstrap.go:220", "etcdserver/bootstrap.go:220", "etcdserver/bootstrap.go:220"])
    case .recoveredV3BackendOnStart: ("recovered v3 backend", ["etcdserver/bootstrap.go:232", "etcdserver/bootstrap.go:232", "etcdserver/bootstrap.go:232"])
    case .noStorageSchema: ("Failed to detect storage schema version. Please wait till wal snapshot before upgrading cluster.", ["schema/schema.go:39", "schema/schema.go:39", "schema/schema.go:39"])
    case .nowServing: ("now serving peer/client/metrics", ["embed/etcd.go:247", "embed/etcd.go:280", "embed/etcd.go:292"])
    case .closingEtcdServer: ("closing etcd server", ["embed/etcd.go:371", "embed/etcd.go:378", "embed/etcd.go:426"])
    case .closedEtcdServer: ("closed etcd server", ["embed/etcd.go:375", "embed/etcd.go:380", "embed/etcd.go:428"])
    case .failedToStart: ("failed to start etcd", ["etcdmain/etcd.go:176", "etcdmain/etcd.go:146", "etcdmain/etcd.go:146"])
    case .discoveryFailed: ("discovery failed", ["etcdmain/etcd.go:271", "etcdmain/etcd.go:204", "etcdmain/etcd.go:183"])
    }
  }

  /// The message a release's binary logs (3.4 words a rejected TLS connection more briefly).
  public func message(_ version: String) -> String {
    self == .rejectedConnection && !Release.isAtLeast(version, "3.5") ? "rejected connection" : entry.msg
  }

  /// Where zap's level differs from capnslog's for the same event.
  func level(_ version: String) -> World.Level? {
    switch self {
    case .rejectedConnection: .warning
    case .stoppedStreamWriter where !Release.isAtLeast(version, "3.5"): .warning
    default: nil
    }
  }

  /// The caller a release's binary logs.
  public func caller(_ version: String) -> String {
    let callers = entry.callers
    return Release.isAtLeast(version, "3.6") ? callers[2] : Release.isAtLeast(version, "3.5") ? callers[1] : callers[0]
  }
}
