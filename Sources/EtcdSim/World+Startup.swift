/// Starting an etcd server: the decision tree of `NewServer` (reference §3.2) and its logs.
extension World {
  public struct StartRequest: Sendable {
    public var host: String
    public var cwd: String
    public var config: EtcdConfig
    public var commandLine: String
    public var sink: LogSink
    public var background: Bool
    public var version: String
    /// The user it runs as (a unit's `User=`).
    public var user: String
    /// The file it executes: while it runs, the file cannot be opened for writing.
    public var executable: String

    public init(host: String, cwd: String, config: EtcdConfig, commandLine: String, sink: LogSink, background: Bool, version: String, user: String = "root", executable: String = "/usr/local/bin/etcd") {
      self.user = user
      self.executable = executable
      self.host = host
      self.cwd = cwd
      self.config = config
      self.commandLine = commandLine
      self.sink = sink
      self.background = background
      self.version = version
    }
  }

  /// Starts etcd; returns the new process's pid. It may have exited already (see `exitStatus`).
  @discardableResult
  public mutating func startEtcd(_ r: StartRequest) -> Int32 {
    let pid = allocatePID()
    let cfg = r.config
    let dataDir = FileSystem.resolve(cfg.effectiveDataDir, cwd: r.cwd)
    let server = EtcdServer(config: cfg, version: r.version, memberID: 0, clusterID: 0, dataDirPath: dataDir)
    var process = SimProcess(pid: pid, host: r.host, commandLine: r.commandLine, startedAt: now, etcd: server, sink: r.sink, background: r.background)
    process.executable = r.executable
    processes.append(process)
    runningPIDs.append(pid)
    now += 3
    let memberDirExisted = host(r.host)?.fs.exists(dataDir + "/member") ?? false
    let outcome = bootstrap(pid: pid, request: r, dataDir: dataDir)
    if case .failure(let error) = outcome {
      fatal(pid: pid, error, memberDirExisted: memberDirExisted)
    }
    reconcile()
    return pid
  }

  private mutating func fatal(pid: Int32, _ error: EtcdError, memberDirExisted: Bool) {
    guard let i = processIndex(pid: pid), let e = processes[i].etcd else { return }
    if e.config.logger == .zap, case .clusterCannotBeDowngraded(let binary, let cluster) = error, Release.isAtLeast(e.version, "3.5") {
      // mustDetectDowngrade (`server/etcdserver/api/membership/downgrade.go:69` v3.5.17): fatal at
      // once, while the cluster is being recovered. Its stack trace (release build paths) is left out.
      log(pid: pid, .critical, "membership/downgrade.go:69", "invalid downgrade; server version is lower than determined cluster version",
          zap: [("current-server-version", q(binary)), ("determined-cluster-version", q(cluster))])
    } else if e.config.logger == .zap {
      let cfg = e.config
      let client = jsonList(cfg.advertiseClientURLs)
      log(pid: pid, .info, "embed/etcd.go:371", "closing etcd server", site: .closingEtcdServer, zap: [("name", q(cfg.name)), ("data-dir", q(cfg.effectiveDataDir)), ("advertise-peer-urls", jsonList(cfg.initialAdvertisePeerURLs)), ("advertise-client-urls", client)])
      log(pid: pid, .info, "embed/etcd.go:375", "closed etcd server", site: .closedEtcdServer, zap: [("name", q(cfg.name)), ("data-dir", q(cfg.effectiveDataDir)), ("advertise-peer-urls", jsonList(cfg.initialAdvertisePeerURLs)), ("advertise-client-urls", client)])
      // 3.4 and 3.5 warn before the fatal line when the data dir was new; 3.6 does not
      // (`startEtcdOrProxyV2` in each tag's `etcdmain/etcd.go`).
      if !memberDirExisted, !Release.isAtLeast(e.version, "3.6") {
        log(pid: pid, .warning, "etcdmain/etcd.go:176", "failed to start etcd", site: .failedToStart, zap: [("error", q(error.message))])
      }
      var fields = [("error", q(error.message))]
      // Debian's 3.4.23 build: its stack as the reference captured it. The release builds of 3.5 and
      // 3.6 print their build machine's paths, which are not known here: left out.
      if !Release.isAtLeast(e.version, "3.5") {
        fields.append(("stacktrace", q("go.etcd.io/etcd/etcdmain.startEtcdOrProxyV2\n\tgo.etcd.io/etcd/etcdmain/etcd.go:271\ngo.etcd.io/etcd/etcdmain.Main\n\tgo.etcd.io/etcd/etcdmain/main.go:46\nmain.main\n\tgo.etcd.io/etcd/main.go:28\nruntime.main\n\truntime/proc.go:250")))
      }
      log(pid: pid, .critical, "etcdmain/etcd.go:271", "discovery failed", site: .discoveryFailed, zap: fields)
    } else {
      log(pid: pid, .critical, error.fatalPackage, error.message)
    }
    processes[i].etcd?.memberID = 0
    setExitStatus(at: i, 1)
    processes[i].failure = error
    if e.config.logger == .zap, case .clusterCannotBeDowngraded = error, Release.isAtLeast(e.version, "3.5") {
      processes[i].fatalLine = "invalid downgrade; server version is lower than determined cluster version"
    } else {
      processes[i].fatalLine = e.config.logger == .zap ? error.message : "C | \(error.fatalPackage): \(error.message)"
    }
  }

  /// The start-up failures etcd reports, and the error each becomes.
  private mutating func bootstrap(pid: Int32, request r: StartRequest, dataDir: String) -> Result<Void, EtcdError> {
    let cfg = r.config
    let zap = cfg.logger == .zap
    let walPath = FileSystem.walPath(dataDir: dataDir)
    let fs = host(r.host)?.fs ?? FileSystem()
    let wal = fs.wal(dataDir: dataDir)
    let memberDirExisted = fs.exists(dataDir + "/member")

    // etcdmain: version banner (capnslog) and the variables it read.
    if !cfg.environmentWarnings.isEmpty {
      emit(pid: pid, cfg.environmentWarnings.split(separator: "\n").map(String.init))
    }
    if !zap {
      for (k, v) in cfg.environmentUsed { log(pid: pid, .info, "pkg/flags", "recognized and used environment variable \(k)=\(v)") }
      emit(pid: pid, ["[WARNING] Deprecated '--logger=capnslog' flag is set; use '--logger=zap' flag instead"])
      log(pid: pid, .info, "etcdmain", "etcd Version: \(r.version)")
      log(pid: pid, .info, "etcdmain", "Git SHA: \(Release.build(r.version).sha)")
      log(pid: pid, .info, "etcdmain", "Go Version: \(Release.build(r.version).go)")
      log(pid: pid, .info, "etcdmain", "Go OS/Arch: linux/amd64")
      log(pid: pid, .info, "etcdmain", "setting maximum number of CPUs to 2, total number of available CPUs is 2")
      if fs.isDirectory(dataDir) && !fs.canWrite(dataDir, user: r.user) {
        return .failure(.dataDirPermission("error listing data dir: \(cfg.effectiveDataDir)"))
      }
      if memberDirExisted {
        log(pid: pid, .notice, "etcdmain", "the server is already initialized as member before, starting as etcd member...")
      }
      emit(pid: pid, ["[WARNING] Deprecated '--logger=capnslog' flag is set; use '--logger=zap' flag instead"])
    } else {
      if Release.isAtLeast(r.version, "3.5") {
        log(pid: pid, .info, "etcdmain", "Running: ", zap: [("args", JSON.list(r.commandLine.split(separator: " ").map(String.init)))], site: .running)
      }
      if memberDirExisted {
        log(pid: pid, .info, "etcdmain", "server has been already initialized", zap: [("data-dir", q(cfg.effectiveDataDir)), ("dir-type", q("member"))], site: .alreadyInitialized)
      }
      for (k, v) in cfg.environmentUsed {
        log(pid: pid, .info, "flags/flag.go:141", "recognized and used environment variable", site: .recognizedEnvironment, zap: [("variable-name", q(k)), ("variable-value", q(v))])
      }
      log(pid: pid, .info, "embed/etcd.go:117", "configuring peer listeners", site: .configuringPeerListeners, zap: [("listen-peer-urls", jsonList(cfg.listenPeerURLs))])
    }

    // Client TLS: an https client URL needs a certificate and key; the files must exist.
    if let u = cfg.listenClientURLs.split(separator: ",").first(where: { $0.hasPrefix("https://") }), cfg.clientTLS.isEmpty {
      return .failure(.tlsCertRequired(String(u)))
    }
    if !cfg.clientTLS.isEmpty {
      switch serverTLS(cfg.clientTLS, fs: fs, cwd: r.cwd) {
      case .success(let tls):
        tlsServersStarted = true
        if let i = processIndex(pid: pid) {
          processes[i].etcd?.clientTLS = tls
          processes[i].etcd?.secureClientListeners = cfg.listenClientURLs.split(separator: ",").filter { $0.hasPrefix("https://") }.map { URLList.hostPort(String($0)) }
        }
      case .failure(let e): return .failure(e)
      }
    }

    // Listeners: the address must be this host's and free.
    for (urls, isPeer) in [(cfg.listenPeerURLs, true), (cfg.listenClientURLs, false)] {
      if zap && !isPeer {
        log(pid: pid, .info, "embed/etcd.go:127", "configuring client listeners", site: .configuringClientListeners, zap: [("listen-client-urls", jsonList(cfg.listenClientURLs))])
      }
      for u in urls.split(separator: ",") {
        let hp = URLList.hostPort(String(u))
        let addr = URLList.host(String(u))
        if let h = host(r.host), !h.owns(addr) {
          return .failure(.cannotAssignAddress(hp))
        }
        let inUse = running.contains { p in
          guard p.pid != pid, p.host == r.host, let e = p.etcd else { return false }
          return (e.peerListeners + e.clientListeners).contains { World.sameListener($0, hp) }
        }
        // Go reports the resolved address: localhost is 127.0.0.1.
        if inUse { return .failure(.addressInUse(addr == "localhost" ? "127.0.0.1:" + (hp.split(separator: ":").last ?? "") : hp)) }
      }
    }

    // embed: the configuration block.
    if zap {
      log(pid: pid, .info, "embed/etcd.go:305", "starting an etcd server", site: .startingAnEtcdServer, zap: startingFields(cfg, version: r.version, initialized: wal != nil))
      log(pid: pid, .info, "etcdserver/backend.go:80", "opened backend db", site: .openedBackend, zap: [("path", q(cfg.effectiveDataDir + "/member/snap/db")), ("took", q("\(rng.int(in: 300...900)).\(rng.int(in: 100...999))µs"))])
      // 3.6's bootstrapBackend (`server/etcdserver/bootstrap.go` v3.6.5): the consistent index, the
      // backend's size, and the storage schema, which data last served by 3.4 does not have yet
      // (`server/storage/schema/schema.go:39`).
      if Release.isAtLeast(r.version, "3.6"), let w = wal, let c = clusters[w.clusterID] {
        let index = c.savedMatch[w.memberID] ?? c.index
        log(pid: pid, .info, "etcdserver", "restore consistentIndex", zap: [("index", String(index))], site: .restoreConsistentIndex)
        let size = c.kv.databaseSize, inUse = max(0, size - 4096)
        log(pid: pid, .info, "etcdserver", "recovered v3 backend", zap: [
          ("backend-size-bytes", String(size)), ("backend-size", q(Humanize.bytes(size))),
          ("backend-size-in-use-bytes", String(inUse)), ("backend-size-in-use", q(Humanize.bytes(inUse))),
        ], site: .recoveredV3BackendOnStart)
        if let v = c.version, !Release.isAtLeast(v, "3.5") {
          log(pid: pid, .warning, "schema", "Failed to detect storage schema version. Please wait till wal snapshot before upgrading cluster.", site: .noStorageSchema)
        }
      }
    } else {
      log(pid: pid, .info, "embed", "name = \(cfg.name)")
      log(pid: pid, .info, "embed", "data dir = \(cfg.effectiveDataDir)")
      log(pid: pid, .info, "embed", "member dir = \(cfg.effectiveDataDir)/member")
      log(pid: pid, .info, "embed", "heartbeat = 100ms")
      log(pid: pid, .info, "embed", "election = \(settings.electionTimeout)ms")
      log(pid: pid, .info, "embed", "snapshot count = 100000")
      log(pid: pid, .info, "embed", "advertise client URLs = \(cfg.advertiseClientURLs.split(separator: ",").joined(separator: ","))")
      if wal != nil {
        log(pid: pid, .info, "embed", "initial advertise peer URLs = \(cfg.initialAdvertisePeerURLs)")
        log(pid: pid, .info, "embed", "initial cluster = ")
      }
    }

    // The data dir and its backend exist before any decision.
    _ = withFileSystem(of: r.host) { fs, t in
      fs.makeDirectories(dataDir + "/member/snap", at: t)
      if !fs.exists(dataDir + "/member/snap/db") { fs.write(dataDir + "/member/snap/db", .database, at: t) }
    }

    if let wal, let restored = wal.restored { return startRestored(pid: pid, request: r, wal: wal, restored: restored, walPath: walPath) }
    if let wal { return restart(pid: pid, request: r, wal: wal) }
    let pairs: [(name: String, url: String)]
    switch cfg.initialClusterPairs() {
    case .success(let p): pairs = p
    case .failure(let f): return .failure(.badURL(f.text))
    }
    let localURLs = pairs.filter { $0.name == cfg.name }.map(\.url).sorted()
    if localURLs.isEmpty { return .failure(.localNameNotFound(cfg.name)) }
    if cfg.initialClusterState == "new" {
      return bootstrapNew(pid: pid, request: r, pairs: pairs, localURLs: localURLs, dataDir: dataDir, walPath: walPath)
    }
    return joinExisting(pid: pid, request: r, pairs: pairs, localURLs: localURLs, walPath: walPath)
  }

  /// The certificate, key and CA files of `--cert-file`, `--key-file`, `--trusted-ca-file`.
  private func serverTLS(_ flags: EtcdConfig.TLSFlags, fs: FileSystem, cwd: String) -> Result<ServerTLS, EtcdError> {
    func file(_ name: String) -> FileSystem.Content? { name.isEmpty ? nil : fs.content(FileSystem.resolve(name, cwd: cwd)) }
    for name in [flags.certFile, flags.keyFile, flags.trustedCAFile] where !name.isEmpty && file(name) == nil {
      return .failure(.noSuchFile(operation: "open", path: name))
    }
    guard case .certificate(let cert)? = file(flags.certFile), case .privateKey(let key)? = file(flags.keyFile) else {
      return .failure(.tlsPEMSwitched)
    }
    if cert.keyID != key { return .failure(.tlsKeyMismatch) }
    var ca: Certificate?
    if case .certificate(let c)? = file(flags.trustedCAFile) { ca = c }
    return .success(ServerTLS(cert: cert, trustedCA: ca, clientCertAuth: flags.clientCertAuth))
  }

  /// Whether two `host:port` listeners collide (`localhost` is 127.0.0.1, 0.0.0.0 is every address).
  static func sameListener(_ a: String, _ b: String) -> Bool {
    func split(_ s: String) -> (String, Substring) {
      let c = s.lastIndex(of: ":") ?? s.endIndex
      let host = String(s[..<c])
      return (host == "localhost" ? "127.0.0.1" : host, c < s.endIndex ? s[s.index(after: c)...] : "")
    }
    let (ha, pa) = split(a), (hb, pb) = split(b)
    return pa == pb && (ha == hb || ha == "0.0.0.0" || hb == "0.0.0.0")
  }

  /// Members of `--initial-cluster` grouped by name, with ids from `token`.
  /// `advertiseMatchesCluster`: the local member's URLs in `--initial-cluster` against the advertised ones.
  static func advertiseMismatch(name: String, advertised raw: String, localURLs: [String]) -> EtcdError? {
    let advertised = (URLList.parse(raw).successValue ?? []).sorted()
    if World.sameURLs(advertised, localURLs) { return nil }
    let why = advertised.count != localURLs.count
      ? "len([\(advertised.map { "\"\($0)\"" }.joined(separator: " "))]) != len([\(localURLs.map { "\"\($0)\"" }.joined(separator: " "))])"
      : zip(advertised, localURLs).first { $0 != $1 }.map { "resolved urls: \"\($0.0)\" != \"\($0.1)\"" } ?? ""
    let missing = localURLs.filter { !advertised.contains($0) }
    if !missing.isEmpty {
      return .advertiseURLsMismatch("--initial-cluster has \(missing.map { name + "=" + $0 }.joined(separator: ",")) but missing from --initial-advertise-peer-urls=\(advertised.joined(separator: ",")) (\(why))")
    }
    let extra = advertised.filter { !localURLs.contains($0) }
    return .advertiseURLsMismatch("--initial-advertise-peer-urls has \(extra.joined(separator: ",")) but missing from --initial-cluster=\(localURLs.map { name + "=" + $0 }.joined(separator: ","))")
  }

  /// `VerifyBootstrap` of a new cluster (etcd's start with `new`, and `snapshot restore`): the
  /// local name is in `--initial-cluster`, its URLs are the advertised ones, no URL twice; then the
  /// members with the ids the token gives them.
  public static func verifyBootstrap(name: String, initialCluster: String, advertisePeerURLs: String, token: String) -> Result<[Member], EtcdError> {
    var cfg = EtcdConfig()
    cfg.initialCluster = initialCluster
    cfg.initialClusterGiven = true
    let pairs: [(name: String, url: String)]
    switch cfg.initialClusterPairs() {
    case .success(let p): pairs = p
    case .failure(let f): return .failure(.badURL(f.text))
    }
    let localURLs = pairs.filter { $0.name == name }.map(\.url).sorted()
    if localURLs.isEmpty { return .failure(.localNameNotFound(name)) }
    if let error = advertiseMismatch(name: name, advertised: advertisePeerURLs, localURLs: localURLs) { return .failure(error) }
    if let dup = duplicateURL(pairs) { return .failure(dup) }
    return .success(localMembers(pairs, token: token))
  }

  static func localMembers(_ pairs: [(name: String, url: String)], token: String) -> [Member] {
    var urlsByName: [String: [String]] = [:]
    var order: [String] = []
    for (n, u) in pairs {
      if urlsByName[n] == nil { order.append(n) }
      urlsByName[n, default: []].append(u)
    }
    return order.map { n in
      let urls = urlsByName[n]!.sorted()
      return Member(id: IDs.member(peerURLs: urls, clusterName: token), name: n, peerURLs: urls)
    }
  }

  /// `checkDuplicateURL`: a URL listed twice in `--initial-cluster`.
  private static func duplicateURL(_ pairs: [(name: String, url: String)]) -> EtcdError? {
    let all = pairs.map(\.url)
    guard Set(all).count != all.count else { return nil }
    let map = pairs.sorted { $0.name + $0.url < $1.name + $1.url }.map { "\($0.name)=\($0.url)" }.joined(separator: ",")
    return .duplicateURL("initial cluster \(map) has duplicate url")
  }

  private static func sameURLs(_ a: [String], _ b: [String]) -> Bool {
    func canon(_ u: String) -> String { URLList.host(u) == "localhost" ? "http://127.0.0.1:" + (u.split(separator: ":").last ?? "") : u }
    return a.map(canon).sorted() == b.map(canon).sorted()
  }

  private mutating func bootstrapNew(pid: Int32, request r: StartRequest, pairs: [(name: String, url: String)], localURLs: [String], dataDir: String, walPath: String) -> Result<Void, EtcdError> {
    let cfg = r.config
    if let error = World.advertiseMismatch(name: cfg.name, advertised: cfg.initialAdvertisePeerURLs, localURLs: localURLs) { return .failure(error) }
    if let dup = World.duplicateURL(pairs) { return .failure(dup) }
    let members = World.localMembers(pairs, token: cfg.initialClusterToken)
    guard let me = members.first(where: { $0.name == cfg.name }) else { return .failure(.localNameNotFound(cfg.name)) }
    // isMemberBootstrapped: a peer that answers already lists this id with client URLs.
    for m in members where m.id != me.id {
      for u in m.peerURLs {
        if let p = listener(URLList.hostPort(u), from: r.host, peer: true), let pe = p.etcd,
          let remote = clusters[pe.clusterID]?.members[me.id], !remote.clientURLs.isEmpty
        {
          return .failure(.alreadyBootstrapped(Hex.string(me.id)))
        }
      }
    }
    let cid = IDs.cluster(memberIDs: members.map(\.id))
    // A cluster of the same id lives on while a server runs it or a data dir remembers it.
    let inUse = running.contains { $0.pid != pid && $0.etcd?.clusterID == cid }
      || walReferences(cluster: cid)
    if clusters[cid] == nil || !inUse {
      clusters[cid] = Cluster(id: cid, members: members.map { Member(id: $0.id, peerURLs: $0.peerURLs) })
    }
    if firstClusterID == nil { firstClusterID = cid }
    // Its own log holds the bootstrap's configuration entries.
    let known = clusters[cid]?.savedMatch[me.id] ?? 0
    clusters[cid]?.savedMatch[me.id] = max(known, UInt64(members.count))
    _ = withFileSystem(of: r.host) { fs, t in fs.write(walPath, .wal(WALRecord(memberID: me.id, clusterID: cid)), at: t) }
    setIdentity(pid: pid, member: me.id, cluster: cid)
    let c = clusters[cid]!
    let id = Hex.string(me.id)
    log(pid: pid, .info, "etcdserver", "starting member \(id) in cluster \(Hex.string(cid))", zap: [("local-member-id", q(id)), ("cluster-id", q(Hex.string(cid)))], site: .startingLocalMember)
    raftLog(pid: pid, "\(id) switched to configuration voters=()")
    raftLog(pid: pid, "\(id) became follower at term 0")
    raftLog(pid: pid, "newRaft \(id) [peers: [], term: 0, commit: 0, applied: 0, lastindex: 0, lastterm: 0]")
    raftLog(pid: pid, "\(id) became follower at term 1")
    var voters: [String] = []
    for m in c.sortedMembers {
      voters.append(String(m.id))
      raftLog(pid: pid, "\(id) switched to configuration voters=(\(voters.joined(separator: " ")))")
    }
    logServing(pid: pid, cluster: c, dataDir: r.config.effectiveDataDir, replay: true)
    markForeignPeers(pid: pid)
    return .success(())
  }

  private func walReferences(cluster cid: UInt64) -> Bool {
    hosts.contains { h in
      h.fs.nodes.values.contains { node in
        if case .file(.wal(let w)) = node { return w.clusterID == cid }
        return false
      }
    }
  }

  private mutating func joinExisting(pid: Int32, request r: StartRequest, pairs: [(name: String, url: String)], localURLs: [String], walPath: String) -> Result<Void, EtcdError> {
    let cfg = r.config
    if let dup = World.duplicateURL(pairs) { return .failure(dup) }
    // Fetch the membership from the other members' peer URLs.
    var existing: Cluster?
    for (n, u) in pairs where n != cfg.name {
      if let p = listener(URLList.hostPort(u), from: r.host, peer: true), let pe = p.etcd, let c = clusters[pe.clusterID] {
        existing = c
        break
      }
    }
    guard let cluster = existing else { return .failure(.cannotFetchClusterInfo) }
    let lms = World.localMembers(pairs, token: cfg.initialClusterToken).sorted { $0.id < $1.id }
    let ems = cluster.sortedMembers
    if ems.count != lms.count { return .failure(.memberCountUnequal(cluster: cluster.goDescription)) }
    var assigned: [String: UInt64] = [:]
    for em in ems {
      var matched = false
      var lastError = ""
      for lm in lms {
        if World.sameURLs(em.peerURLs, lm.peerURLs) {
          assigned[lm.name] = em.id
          matched = true
          break
        }
        lastError = em.peerURLs.count != lm.peerURLs.count
          ? "len([\(em.peerURLs.map { "\"\($0)\"" }.joined(separator: " "))]) != len([\(lm.peerURLs.map { "\"\($0)\"" }.joined(separator: " "))])"
          : zip(em.peerURLs.sorted(), lm.peerURLs.sorted()).first { $0 != $1 }.map { "resolved urls: \"\($0.0)\" != \"\($0.1)\"" } ?? ""
      }
      if !matched {
        return .failure(.peerURLsNoMatch(cluster: cluster.goDescription, detail: "(\(Hex.string(em.id)), [\(em.peerURLs.joined(separator: " "))]), last resolver error (\(lastError))"))
      }
    }
    guard let myID = assigned[cfg.name] else { return .failure(.localNameNotFound(cfg.name)) }
    // isCompatibleWithCluster: the running cluster's version must not be above this binary's.
    if let cv = cluster.version, !Release.isAtLeast(r.version, cv) {
      let remote = cluster.sortedMembers.first { server(member: $0.id, cluster: cluster.id) != nil }.map { Hex.string($0.id) } ?? ""
      log(pid: pid, .warning, "etcdserver", "the running cluster version(\(cv).0) is higher than the maximum cluster version(\(World.majorMinor(r.version)).0) supported",
          zap: [("remote-member-id", q(remote)), ("remote-member-cluster-version", q(cv + ".0")), ("minimum-cluster-version-supported", q("3.0.0"))],
          site: .clusterVersionTooHigh)
      return .failure(.incompatibleCluster)
    }
    _ = withFileSystem(of: r.host) { fs, t in fs.write(walPath, .wal(WALRecord(memberID: myID, clusterID: cluster.id)), at: t) }
    setIdentity(pid: pid, member: myID, cluster: cluster.id)
    let id = Hex.string(myID)
    log(pid: pid, .info, "etcdserver", "starting member \(id) in cluster \(Hex.string(cluster.id))", zap: [("local-member-id", q(id)), ("cluster-id", q(Hex.string(cluster.id)))], site: .startingLocalMember)
    raftLog(pid: pid, "\(id) switched to configuration voters=()")
    raftLog(pid: pid, "\(id) became follower at term 0")
    raftLog(pid: pid, "newRaft \(id) [peers: [], term: 0, commit: 0, applied: 0, lastindex: 0, lastterm: 0]")
    logServing(pid: pid, cluster: cluster, dataDir: cfg.effectiveDataDir, replay: false)
    return .success(())
  }

  /// The first start on a data dir made by `snapshot restore`: the first member of the restored
  /// cluster to start brings it into being from the snapshot (replacing any stopped cluster of the
  /// same id, whose data dirs are other files); the others join it. From then on the WAL is an
  /// ordinary one.
  private mutating func startRestored(pid: Int32, request r: StartRequest, wal: WALRecord, restored: RestoredCluster, walPath: String) -> Result<Void, EtcdError> {
    let running = running.contains { $0.pid != pid && $0.etcd?.clusterID == wal.clusterID }
    if !running {
      var c = Cluster(id: wal.clusterID, members: restored.members)
      c.kv = restored.kv
      clusters[wal.clusterID] = c
      restoredClusterIDs.removeAll { $0 == wal.clusterID }
      restoredClusterIDs.append(wal.clusterID)
    }
    _ = withFileSystem(of: r.host) { fs, t in fs.write(walPath, .wal(WALRecord(memberID: wal.memberID, clusterID: wal.clusterID)), at: t) }
    guard let cluster = clusters[wal.clusterID] else { return .failure(.cannotFetchClusterInfo) }
    setIdentity(pid: pid, member: wal.memberID, cluster: wal.clusterID)
    let id = Hex.string(wal.memberID)
    let n = restored.members.count
    // The raft snapshot a restore writes holds the v2 store (the membership as JSON): its size is
    // modelled here, about 360 bytes and 180 more per member.
    log(pid: pid, .info, "etcdserver", "recovered store from snapshot at index \(n)",
        zap: [("snapshot-index", String(n)), ("snapshot-size", q(Humanize.bytes(360 + 180 * n)))], site: .recoveredV2Store)
    if let e = process(pid: pid)?.etcd, e.config.logger == .zap, !Release.isAtLeast(e.version, "3.6") {
      let size = cluster.kv.databaseSize, inUse = max(0, size - 4096)
      log(pid: pid, .info, "etcdserver", "recovered v3 backend from snapshot", zap: [
        ("backend-size-bytes", String(size)), ("backend-size", q(Humanize.bytes(size))),
        ("backend-size-in-use-bytes", String(inUse)), ("backend-size-in-use", q(Humanize.bytes(inUse))),
      ], site: .recoveredV3Backend)
    }
    logRestarting(pid: pid, member: wal.memberID, cluster: cluster.id, commit: UInt64(n))
    let voters = restored.members.map(\.id).sorted()
    raftLog(pid: pid, "\(id) switched to configuration voters=(\(voters.map { String($0) }.joined(separator: " ")))")
    raftLog(pid: pid, "\(id) became follower at term 1")
    raftLog(pid: pid, "newRaft \(id) [peers: [\(voters.map(Hex.string).joined(separator: ","))], term: 1, commit: \(n), applied: \(n), lastindex: \(n), lastterm: 1]")
    for m in cluster.sortedMembers.sorted(by: { ($0.id == wal.memberID ? 0 : 1, $0.id) < ($1.id == wal.memberID ? 0 : 1, $1.id) }) {
      log(pid: pid, .info, "etcdserver/membership", "added member \(Hex.string(m.id)) [\(m.peerURLs.joined(separator: " "))] to cluster \(Hex.string(cluster.id)) from store",
          zap: [("cluster-id", q(Hex.string(cluster.id))), ("local-member-id", q(id)), ("recovered-remote-peer-id", q(Hex.string(m.id))), ("recovered-remote-peer-urls", JSON.list(m.peerURLs))],
          site: .recoveredMember)
    }
    logServing(pid: pid, cluster: cluster, dataDir: r.config.effectiveDataDir, replay: false)
    markForeignPeers(pid: pid)
    return .success(())
  }

  private mutating func restart(pid: Int32, request r: StartRequest, wal: WALRecord) -> Result<Void, EtcdError> {
    guard let cluster = clusters[wal.clusterID] else { return .failure(.cannotFetchClusterInfo) }
    // mustDetectDowngrade: the data remembers a cluster version this binary is older than.
    if let cv = cluster.version, !Release.isAtLeast(r.version, cv) {
      setIdentity(pid: pid, member: wal.memberID, cluster: wal.clusterID)
      logRestarting(pid: pid, member: wal.memberID, cluster: cluster.id, commit: cluster.savedMatch[wal.memberID] ?? cluster.index)
      return .failure(.clusterCannotBeDowngraded(binary: r.version, cluster: cv))
    }
    setIdentity(pid: pid, member: wal.memberID, cluster: wal.clusterID)
    let id = Hex.string(wal.memberID)
    let commit = cluster.savedMatch[wal.memberID] ?? cluster.index
    let bootstrapEntries = UInt64(cluster.members.count + (cluster.removed.contains(wal.memberID) ? 1 : 0))
    logRestarting(pid: pid, member: wal.memberID, cluster: cluster.id, commit: commit)
    raftLog(pid: pid, "\(id) switched to configuration voters=()")
    raftLog(pid: pid, "\(id) became follower at term \(cluster.term)")
    raftLog(pid: pid, "newRaft \(id) [peers: [], term: \(cluster.term), commit: \(commit), applied: 0, lastindex: \(commit), lastterm: \(commit > bootstrapEntries ? cluster.term : 1)]")
    if cluster.removed.contains(wal.memberID) {
      logRemovedRestart(pid: pid, cluster: cluster, dataDir: r.config.effectiveDataDir)
      return .success(())
    }
    logServing(pid: pid, cluster: cluster, dataDir: r.config.effectiveDataDir, replay: true, restarted: true)
    markForeignPeers(pid: pid)
    return .success(())
  }

  /// A removed member restarted on its old data dir replays its log, learns from the cluster that
  /// it was removed, and stops (exit 0), as in the captured `10-remove-and-quorum.txt`.
  private mutating func logRemovedRestart(pid: Int32, cluster c: Cluster, dataDir: String) {
    guard let e = process(pid: pid)?.etcd, let i = processIndex(pid: pid) else { return }
    let me = e.memberID
    let cid = Hex.string(c.id)
    log(pid: pid, .warning, "auth", "simple token is not cryptographically signed", site: .simpleToken)
    logStartingServer(pid: pid, e, cluster: c.id, dataDir: dataDir)
    var voters: [String] = []
    for m in c.sortedMembers {
      voters.append(String(m.id))
      raftLog(pid: pid, "\(Hex.string(me)) switched to configuration voters=(\(voters.joined(separator: " ")))")
      logAddedMember(pid: pid, m, cluster: c.id)
      logPeer(pid: pid, m.id)
    }
    logPeerListeners(pid: pid, e.config)
    log(pid: pid, .error, "etcdserver", "the member has been permanently removed from the cluster",
        zap: [("error", q("the member has been permanently removed from the cluster"))], site: .serverError)
    noteLoggedError(.memberRemoved, at: i)
    log(pid: pid, .info, "etcdserver", "the data-dir used by this member must be removed.", site: .dataDirMustBeRemoved)
    log(pid: pid, .info, "etcdserver", "aborting publish because server is stopped", zap: [
      ("local-member-id", q(Hex.string(me))), ("local-member-attributes", q("{Name:\(e.config.name) ClientURLs:[\(e.config.advertiseClientURLs.split(separator: ",").joined(separator: " "))]}")),
      ("publish-timeout", q("7s")), ("error", q("etcdserver: server stopped")),
    ], site: .stoppedPublish)
    let current = voters.joined(separator: " ")
    raftLog(pid: pid, "\(Hex.string(me)) switched to configuration voters=(\((voters + [String(me)]).joined(separator: " ")))")
    let urls = e.config.initialAdvertisePeerURLs.split(separator: ",").map(String.init)
    logAddedMember(pid: pid, Member(id: me, peerURLs: urls), cluster: c.id)
    let local = [("cluster-id", q(cid)), ("local-member-id", q(Hex.string(me)))]
    if let v = c.version {
      log(pid: pid, .notice, "etcdserver/membership", "set the initial cluster version to \(v)", zap: local + [("cluster-version", q(v))], site: .setInitialClusterVersion)
      log(pid: pid, .info, "etcdserver/api", "enabled capabilities for version \(v)", zap: [("cluster-version", q(v))], site: .enabledCapabilities)
    }
    raftLog(pid: pid, "\(Hex.string(me)) switched to configuration voters=(\(current))")
    log(pid: pid, .info, "etcdserver/membership", "removed member \(Hex.string(me)) from cluster \(cid)",
        zap: local + [("removed-remote-peer-id", q(Hex.string(me))), ("removed-remote-peer-urls", JSON.list(urls))], site: .removedMember)
    for m in c.sortedMembers { logPeerStop(pid: pid, m.id) }
    // It never publishes, so it never serves clients (nor tells systemd it is ready).
    logRejectedRemoved(me, cluster: c.id, times: 4)
    processes[i].etcd?.stopAt = now + World.removedExitDelay
  }

  mutating func logPeerStop(pid: Int32, _ id: UInt64) {
    let p = Hex.string(id)
    let local = q(Hex.string(process(pid: pid)?.etcd?.memberID ?? 0)), remote = q(p)
    log(pid: pid, .info, "rafthttp", "stopping peer \(p)...", zap: [("remote-peer-id", remote)], site: .stoppingRemotePeer)
    for type in ["stream MsgApp v2", "stream Message"] {
      log(pid: pid, .info, "rafthttp", "stopped streaming with peer \(p) (writer)", zap: [("stream-writer-type", q(type)), ("remote-peer-id", remote)], site: .stoppedStreamWriter)
    }
    log(pid: pid, .info, "rafthttp", "stopped HTTP pipelining with peer \(p)", zap: [("local-member-id", local), ("remote-peer-id", remote)], site: .stoppedPipelining)
    for type in ["stream MsgApp v2", "stream Message"] {
      log(pid: pid, .info, "rafthttp", "stopped streaming with peer \(p) (\(type) reader)",
          zap: [("stream-reader-type", q(type)), ("local-member-id", local), ("remote-peer-id", remote)], site: .stoppedStreamReader)
    }
    log(pid: pid, .info, "rafthttp", "stopped peer \(p)", zap: [("remote-peer-id", remote)], site: .stoppedRemotePeer)
  }

  /// A line only the zap logger writes.
  mutating func emitZapOnly(pid: Int32, _ site: ZapSite, _ fields: [(String, String)]) {
    log(pid: pid, .info, "", site.message(process(pid: pid)?.etcd?.version ?? ""), zap: fields, site: site)
  }

  /// `restarting member ...` (capnslog) / `restarting local member` (zap).
  mutating func logRestarting(pid: Int32, member: UInt64, cluster cid: UInt64, commit: UInt64) {
    log(pid: pid, .info, "etcdserver", "restarting member \(Hex.string(member)) in cluster \(Hex.string(cid)) at commit index \(commit)",
        zap: [("cluster-id", q(Hex.string(cid))), ("local-member-id", q(Hex.string(member))), ("commit-index", String(commit))], site: .restartingLocalMember)
  }

  /// `starting server...` (capnslog) / `starting etcd server` (zap), then the purge of old files.
  mutating func logStartingServer(pid: Int32, _ e: EtcdServer, cluster cid: UInt64, dataDir: String) {
    log(pid: pid, .info, "etcdserver", "starting server... [version: \(e.version), cluster version: to_be_decided]", zap: [
      ("local-member-id", q(Hex.string(e.memberID))), ("local-server-version", q(e.version)), ("cluster-id", q(Hex.string(cid))), ("cluster-version", q("to_be_decided")),
    ], site: .startingEtcdServer)
    for (dir, suffix) in [("snap", "snap.db"), ("snap", "snap"), ("wal", "wal")] {
      log(pid: pid, .info, "pkg/fileutil", "started to purge file, dir: \(dataDir)/member/\(dir), suffix: \(suffix), max: 5, interval: 30s",
          zap: [("dir", q("\(dataDir)/member/\(dir)")), ("suffix", q(suffix)), ("max", "5"), ("interval", q("30s"))], site: .startedToPurge)
    }
  }

  /// `added member` as a server logs it while it builds its membership (from its WAL or its flags).
  mutating func logAddedMember(pid: Int32, _ m: Member, cluster cid: UInt64) {
    let local = Hex.string(process(pid: pid)?.etcd?.memberID ?? 0)
    log(pid: pid, .info, "etcdserver/membership", "added member \(Hex.string(m.id)) [\(m.peerURLs.joined(separator: " "))] to cluster \(Hex.string(cid))",
        zap: [("cluster-id", q(Hex.string(cid))), ("local-member-id", q(local)), ("added-peer-id", q(Hex.string(m.id))), ("added-peer-peer-urls", JSON.list(m.peerURLs))],
        site: .addedMember)
  }

  /// `listening for peers on ...` (capnslog) / `serving peer traffic` (zap).
  mutating func logPeerListeners(pid: Int32, _ cfg: EtcdConfig) {
    for u in URLList.parse(cfg.listenPeerURLs).successValue ?? [] {
      log(pid: pid, .info, "embed", "listening for peers on \(URLList.hostPort(u))", zap: [("address", q(URLList.hostPort(u)))], site: .servingPeerTraffic)
    }
  }

  private mutating func setIdentity(pid: Int32, member: UInt64, cluster: UInt64) {
    guard let i = processIndex(pid: pid) else { return }
    processes[i].etcd?.memberID = member
    processes[i].etcd?.clusterID = cluster
  }

  /// A server whose peers answer for another cluster never gets a leader: cluster ID mismatch.
  private mutating func markForeignPeers(pid: Int32) {
    guard let i = processIndex(pid: pid), let e = processes[i].etcd, let c = clusters[e.clusterID] else { return }
    let foreign = c.sortedMembers.contains { m in
      m.id != e.memberID && m.peerURLs.contains { u in
        listener(URLList.hostPort(u), from: processes[i].host, peer: true).map { $0.etcd?.clusterID != e.clusterID } ?? false
      }
    }
    processes[i].etcd?.foreignPeers = foreign
    processes[i].etcd?.lastMismatchLog = now - 400
    if foreign { logMismatch(pid: pid) }
  }

  /// The log lines of a server that has started its raft node and peer transport.
  /// A new member adds its peers first; a restarted one replays them from its WAL after starting.
  private mutating func logServing(pid: Int32, cluster c: Cluster, dataDir: String, replay: Bool, restarted: Bool = false) {
    guard let e = process(pid: pid)?.etcd else { return }
    log(pid: pid, .warning, "auth", "simple token is not cryptographically signed", site: .simpleToken)
    if !restarted {
      for m in c.sortedMembers where m.id != e.memberID { logPeer(pid: pid, m.id) }
    }
    logStartingServer(pid: pid, e, cluster: c.id, dataDir: dataDir)
    if replay {
      var voters: [String] = []
      let all = c.sortedMembers.map { String($0.id) }.joined(separator: " ")
      for m in c.sortedMembers {
        voters.append(String(m.id))
        raftLog(pid: pid, "\(Hex.string(e.memberID)) switched to configuration voters=(\(restarted ? voters.joined(separator: " ") : all))")
        logAddedMember(pid: pid, m, cluster: c.id)
        if restarted && m.id != e.memberID { logPeer(pid: pid, m.id) }
      }
    }
    if e.config.logger == .zap {
      // zap only: embed.StartEtcd once the server runs; capnslog has no such line.
      let cfg = e.config
      emitZapOnly(pid: pid, .nowServing, [
        ("local-member-id", q(Hex.string(e.memberID))), ("initial-advertise-peer-urls", jsonList(cfg.initialAdvertisePeerURLs)),
        ("listen-peer-urls", jsonList(cfg.listenPeerURLs)), ("advertise-client-urls", jsonList(cfg.advertiseClientURLs)),
        ("listen-client-urls", jsonList(cfg.listenClientURLs)), ("listen-metrics-urls", "[]"),
      ])
    }
    logPeerListeners(pid: pid, e.config)
  }

  private mutating func logPeer(pid: Int32, _ id: UInt64) {
    let p = Hex.string(id)
    let local = q(Hex.string(process(pid: pid)?.etcd?.memberID ?? 0)), remote = q(p)
    let urls = clusters[process(pid: pid)?.etcd?.clusterID ?? 0]?.members[id]?.peerURLs ?? []
    log(pid: pid, .info, "rafthttp", "starting peer \(p)...", zap: [("remote-peer-id", remote)], site: .startingRemotePeer)
    log(pid: pid, .info, "rafthttp", "started HTTP pipelining with peer \(p)", zap: [("local-member-id", local), ("remote-peer-id", remote)], site: .startedPipelining)
    for _ in 0..<2 {
      log(pid: pid, .info, "rafthttp", "started streaming with peer \(p) (writer)", zap: [("local-member-id", local), ("remote-peer-id", remote)], site: .startedStreamWriter)
    }
    log(pid: pid, .info, "rafthttp", "started peer \(p)", zap: [("remote-peer-id", remote)], site: .startedRemotePeer)
    log(pid: pid, .info, "rafthttp", "added peer \(p)", zap: [("local-member-id", local), ("remote-peer-id", remote), ("remote-peer-urls", JSON.list(urls))], site: .addedRemotePeer)
    for type in ["stream MsgApp v2", "stream Message"] {
      log(pid: pid, .info, "rafthttp", "started streaming with peer \(p) (\(type) reader)",
          zap: [("stream-reader-type", q(type)), ("local-member-id", local), ("remote-peer-id", remote)], site: .startedStreamReader)
    }
  }

  func q(_ s: String) -> String { JSON.quote(s) }

  func jsonList(_ urls: String) -> String { JSON.list(urls.split(separator: ",").map(String.init)) }

  private func startingFields(_ cfg: EtcdConfig, version: String, initialized: Bool) -> [(String, String)] {
    [
      ("etcd-version", q(version)), ("git-sha", q(Release.build(version).sha)),
      ("go-version", q(Release.build(version).go)), ("go-os", q("linux")), ("go-arch", q("amd64")), ("max-cpu-set", "2"),
      ("max-cpu-available", "2"), ("member-initialized", initialized ? "true" : "false"), ("name", q(cfg.name)),
      ("data-dir", q(cfg.effectiveDataDir)), ("wal-dir", q("")), ("wal-dir-dedicated", q("")),
      ("member-dir", q(cfg.effectiveDataDir + "/member")), ("force-new-cluster", "false"),
      ("heartbeat-interval", q("100ms")), ("election-timeout", q("1s")), ("initial-election-tick-advance", "true"),
      ("snapshot-count", "100000"), ("max-wals", "5"), ("max-snapshots", "5"), ("snapshot-catchup-entries", "5000"),
      ("initial-advertise-peer-urls", jsonList(cfg.initialAdvertisePeerURLs)),
      ("listen-peer-urls", jsonList(cfg.listenPeerURLs)), ("advertise-client-urls", jsonList(cfg.advertiseClientURLs)),
      ("listen-client-urls", jsonList(cfg.listenClientURLs)), ("listen-metrics-urls", "[]"), ("cors", "[\"*\"]"),
      ("host-whitelist", "[\"*\"]"), ("initial-cluster", q(initialized ? "" : cfg.effectiveInitialCluster)),
      ("initial-cluster-state", q(cfg.initialClusterState)), ("initial-cluster-token", q(initialized ? "" : cfg.initialClusterToken)),
      ("quota-backend-bytes", "2147483648"), ("max-request-bytes", "1572864"), ("max-concurrent-streams", "4294967295"),
      ("pre-vote", "false"), ("initial-corrupt-check", "false"), ("corrupt-check-time-interval", q("0s")),
      ("auto-compaction-mode", q("periodic")), ("auto-compaction-retention", q("0s")),
      ("auto-compaction-interval", q("0s")), ("discovery-url", q("")), ("discovery-proxy", q("")),
    ]
  }
}
