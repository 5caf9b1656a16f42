import EtcdSim

/// What a `restored` check finds in its data dir: what it wants, or the one thing that differs.
enum RestoreFinding: Equatable {
  case holds
  /// No WAL: nothing was restored there (yet).
  case missing
  /// Restored as another member of the same list (`--name` and peer URLs of another member).
  case otherName(String)
  /// The same member list with another `--initial-cluster-token` (or none).
  case otherToken
  /// Another member list (`--initial-cluster`): the peer URLs it holds.
  case otherMembers([String])
  /// The data of a member whose cluster no longer exists anywhere: what it was made with is lost.
  case unknown
  /// Made by etcd starting on an empty data dir, not by `snapshot restore`.
  case notRestored
  /// The check itself cannot be met: its `--initial-cluster` does not name `name`.
  case invalid

  init(_ check: Check, in world: World) {
    guard case .restored(let host, let dataDir, let name, let token, let initial) = check else { self = .invalid; return }
    var cfg = EtcdConfig()
    cfg.initialCluster = initial
    cfg.initialClusterGiven = true
    guard case .success(let pairs) = cfg.initialClusterPairs(),
      case .success(let wanted) = World.verifyBootstrap(name: name, initialCluster: initial,
                                                        advertisePeerURLs: pairs.filter { $0.name == name }.map { $0.url }.joined(separator: ","), token: token),
      let me = wanted.first(where: { $0.name == name })
    else { self = .invalid; return }
    guard let wal = world.host(host)?.fs.wal(dataDir: FileSystem.resolve(dataDir, cwd: "/")) else { self = .missing; return }
    let wantedCluster = IDs.cluster(memberIDs: wanted.map(\.id))
    if wal.restored == nil, !world.wasRestored(cluster: wal.clusterID) { self = .notRestored; return }
    if wal.memberID == me.id && wal.clusterID == wantedCluster { self = .holds; return }
    // The member list it was made with: still in the WAL until its first start, then its cluster's.
    guard let list = wal.restored?.members ?? world.clusters[wal.clusterID]?.sortedMembers else { self = .unknown; return }
    let urls = { (ms: [Member]) in Set(ms.map { $0.peerURLs.sorted().joined(separator: ",") }) }
    guard urls(list) == urls(wanted) else {
      self = .otherMembers(list.flatMap(\.peerURLs).sorted())
      return
    }
    if Set(list.map(\.id)) != Set(wanted.map(\.id)) { self = .otherToken; return }
    let mine = list.first { $0.id == wal.memberID }
    self = wanted.first { m in m.peerURLs.sorted() == mine?.peerURLs.sorted() }.map { .otherName($0.name) } ?? .unknown
  }

  /// What the check's message adds: what differs.
  func detail(_ lang: Language, host: String, dataDir: String) -> String? {
    switch self {
    case .holds, .missing, .invalid: return nil
    case .otherName(let n): return Messages.t("check.restored.name", lang, host, dataDir, n)
    case .otherToken: return Messages.t("check.restored.token", lang, host, dataDir)
    case .otherMembers(let urls): return Messages.t("check.restored.members", lang, host, dataDir, urls.joined(separator: ","))
    case .unknown: return Messages.t("check.restored.other", lang, host, dataDir)
    case .notRestored: return Messages.t("check.restored.bootstrapped", lang, host, dataDir)
    }
  }
}
