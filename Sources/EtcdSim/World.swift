/// Tunable facts of a world that a setup may change.
public struct WorldSettings: Equatable, Sendable {
  /// Election timeout in ms (etcd's default 1000).
  public var electionTimeout: Millis = 1000
  /// How fast a learner or new member receives the leader's data, in bytes per second.
  public var syncBytesPerSecond: Int = 10_000_000
  public init() {}
}

/// The whole simulated world: hosts, processes, clusters and the clock.
/// Pure and deterministic: no I/O, no wall clock; randomness only from the seeded generator.
public struct World: Equatable, Sendable {
  public internal(set) var now: Millis
  public var rng: SeededRandom
  public var settings = WorldSettings()
  public internal(set) var hosts: [Host] = []
  public internal(set) var processes: [SimProcess] = []
  /// Pids of the processes still running, in the order they started. Ended processes are kept
  /// (their exit status is asked for later) and pile up in a long session: what runs is found
  /// without looking at each of them.
  var runningPIDs: [Int32] = []
  public internal(set) var clusters: [UInt64: Cluster] = [:]
  /// The first cluster bootstrapped in this world (the setup's, or the student's first).
  var firstClusterID: UInt64?
  /// The clusters brought into being from a snapshot, oldest first.
  var restoredClusterIDs: [UInt64] = []
  var nextPID: Int32 = 1000
  /// A counter that keeps log timestamps strictly increasing within a millisecond.
  var microTick = 0
  /// Whether any server has served TLS: until then plain connections need no handshake checks.
  var tlsServersStarted = false

  /// A world starting at `start` (Unix ms) with a generator seeded by `seed`.
  public init(seed: UInt64, start: Millis? = nil) {
    rng = SeededRandom(seed: seed)
    // 2026-11-25 09:00 UTC plus up to an hour, decided by the seed.
    now = start ?? (1_795_597_200_000 + Millis(seed % 3_600_000))
  }

  /// The lab's cluster, the one checks, explanations and the cluster picture speak of: the first
  /// cluster bootstrapped in this world, which is the cluster the setup made when it makes one,
  /// else the cluster formed by the student's first bootstrap (`--initial-cluster-state new`).
  /// A restore moves it: a cluster brought into being from a snapshot (`snapshot restore`, then
  /// its first member's start) becomes the lab's cluster, as restoring is how a lab's cluster is
  /// rebuilt. When restores made several (a member restored with another token or member list),
  /// the lab's is the one most of whose servers run (the latest one on a tie): a member restored
  /// otherwise and started first does not take the lab's place. Another bootstrap (a stray
  /// one-member `etcd`, a second cluster) never does.
  public var labCluster: Cluster? { labClusterID.flatMap { clusters[$0] } }

  /// The id of the lab's cluster (see `labCluster`).
  public var labClusterID: UInt64? {
    let restored = restoredClusterIDs.filter { clusters[$0] != nil }
    guard restored.count > 1 else { return restored.first ?? firstClusterID }
    let running = { (id: UInt64) in self.processes.reduce(0) { $0 + ($1.isRunning && $1.etcd?.clusterID == id ? 1 : 0) } }
    // The latest first, so that on a tie the latest restore wins.
    return restored.reversed().max { running($0) < running($1) }
  }

  /// Whether a cluster was brought into being from a snapshot (not bootstrapped by etcd itself).
  public func wasRestored(cluster id: UInt64) -> Bool { restoredClusterIDs.contains(id) }

  /// Running etcd servers that serve another cluster than the lab's (started with
  /// `--initial-cluster-state new` beside it, or restored with other flags): strays.
  public var strayServers: [SimProcess] {
    guard let lab = labClusterID else { return [] }
    return processes.filter { p in p.isRunning && p.etcd.map { $0.clusterID != lab } ?? false }
  }

  /// Whether `other` is this world but for the clock and the random draws: a command that
  /// only read (and took time) changed nothing `undo` could take back.
  public func differsOnlyInTime(from other: World) -> Bool {
    var same = other
    same.now = now
    same.microTick = microTick
    same.rng = rng
    return same == self
  }

  // MARK: Hosts

  public func hostIndex(_ name: String) -> Int? { hosts.firstIndex { $0.name == name } }
  public func host(_ name: String) -> Host? { hostIndex(name).map { hosts[$0] } }

  /// Adds a host; what its image ships dates from a month before the world starts.
  public mutating func addHost(_ host: Host) {
    var h = host
    let installed = now - 30 * 86_400_000
    for path in h.fs.nodes.keys where h.fs.mtimes[path] ?? 0 == 0 { h.fs.touch(path, at: installed) }
    hosts.append(h)
  }

  /// The host that owns `address` (not loopback), if any.
  public func hostOwning(_ address: String) -> Host? { hosts.first { $0.addresses.contains(address) } }

  /// Mutates one host's file system.
  /// Mutates one host's file system; the body gets the current time for modification stamps.
  public mutating func withFileSystem<T>(of host: String, _ body: (inout FileSystem, Millis) -> T) -> T? {
    guard let i = hostIndex(host) else { return nil }
    let t = now
    return body(&hosts[i].fs, t)
  }

  // MARK: Processes

  public func process(pid: Int32) -> SimProcess? { processIndex(pid: pid).map { processes[$0] } }

  /// Where a pid's process is: a binary search, as processes are kept in the order they started
  /// and pids only grow (a long session keeps many ended processes; a linear search made every
  /// log line cost their number).
  func processIndex(pid: Int32) -> Int? {
    var low = 0, high = processes.count
    while low < high {
      let mid = (low + high) / 2
      if processes[mid].pid < pid { low = mid + 1 } else { high = mid }
    }
    return low < processes.count && processes[low].pid == pid ? low : nil
  }

  public var runningEtcd: [SimProcess] { running.filter { $0.etcd != nil } }

  /// The processes still running, in the order they started.
  var running: [SimProcess] { runningPIDs.compactMap { process(pid: $0) } }

  /// Ends the process at `i` with `status` (the one place a process ends).
  mutating func setExitStatus(at i: Int, _ status: Int32) {
    processes[i].exitStatus = status
    let pid = processes[i].pid
    runningPIDs.removeAll { $0 == pid }
  }

  mutating func allocatePID() -> Int32 {
    nextPID += Int32(1 + rng.int(in: 0...6))
    return nextPID
  }

  /// Sets a host's systemd service.
  public mutating func setService(host i: Int, name: String, _ service: Service) { hosts[i].services[name] = service }

  /// Appends a line to a host's journal.
  public mutating func setJournal(host i: Int, line: JournalLine) { hosts[i].journal.append(line) }

  public mutating func appendJournal(host: String, _ line: JournalLine) {
    if let i = hostIndex(host) { hosts[i].journal.append(line) }
  }

  /// A pid for a process that ends before it runs (a failed exec).
  public mutating func nextFreePID() -> Int32 { allocatePID() }

  /// Takes the output a process meant for the terminal.
  public mutating func drainTerminal(pid: Int32) -> [String] {
    guard let i = processIndex(pid: pid) else { return [] }
    defer { processes[i].terminalOutput = [] }
    return processes[i].terminalOutput
  }

  /// Forgets processes that have ended.
  public mutating func reap(pid: Int32) { processes.removeAll { $0.pid == pid && !$0.isRunning } }

  /// Sends a signal: SIGTERM (15), SIGKILL (9) or SIGINT (2) end an etcd process.
  public mutating func signal(pid: Int32, _ sig: Int32) {
    guard let i = processIndex(pid: pid), processes[i].isRunning else { return }
    if processes[i].etcd != nil, sig != 9 {
      log(pid: pid, .notice, "osutil", "received \(sig == 2 ? "interrupt" : "terminated") signal, shutting down...", zap: [("signal", JSON.quote(sig == 2 ? "interrupt" : "terminated"))], site: .receivedSignal)
    }
    stopProcess(at: i, status: 128 + sig)
  }

  mutating func stopProcess(at i: Int, status: Int32) {
    // A service's main process ending is noted by systemd.
    if case .journal(let unit) = processes[i].sink, let h = hostIndex(processes[i].host),
      hosts[h].services[unit]?.mainPID == processes[i].pid
    {
      hosts[h].services[unit]?.mainPID = nil
      hosts[h].services[unit]?.lastExit = (processes[i].pid, status)
      hosts[h].services[unit]?.since = now
      let pid = processes[i].pid
      let text: String
      switch status {
      case 0 where hosts[h].services[unit]?.awaitingReady == true: text = ""
      case 0: text = "\(unit).service: Deactivated successfully."
      case 143: text = "\(unit).service: Deactivated successfully."
      default: text = "\(unit).service: Main process exited, code=exited, status=\(ExitStatus.journalText(status))"
      }
      if !text.isEmpty { hosts[h].journal.append(JournalLine(time: now, unit: unit, source: "systemd[1]", text: text)) }
      if status != 0 && status != 143 {
        hosts[h].journal.append(JournalLine(time: now, unit: unit, source: "systemd[1]", text: "\(unit).service: Failed with result 'exit-code'."))
      }
      _ = pid
    }
    if let server = processes[i].etcd, var cluster = clusters[server.clusterID] {
      cluster.savedMatch[server.memberID] = matchIndex(of: server.memberID, in: cluster)
      clusters[server.clusterID] = cluster
    }
    setExitStatus(at: i, status)
    reconcile()
  }

  /// The running process whose listener serves `hostPort` as seen from `fromHost`.
  public func listener(_ hostPort: String, from fromHost: String, peer: Bool) -> SimProcess? {
    listenerIndex(hostPort, from: fromHost, peer: peer).map { processes[$0] }
  }

  /// Where in `processes` the listener of `listener(_:from:peer:)` is (no copy of the process).
  public func listenerIndex(_ hostPort: String, from fromHost: String, peer: Bool) -> Int? {
    guard let colon = hostPort.lastIndex(of: ":") else { return nil }
    let address = hostPort[..<colon]
    let port = hostPort[hostPort.index(after: colon)...]
    let loopback = address == "localhost" || address.hasPrefix("127.")
    let target: String
    if loopback {
      target = fromHost
    } else if let h = hosts.firstIndex(where: { $0.addresses.contains { $0 == address } }) {
      target = hosts[h].name
    } else {
      return nil
    }
    // A listener on the address itself, on 0.0.0.0, or on the other name of the loopback address.
    let alias: Substring = address == "127.0.0.1" ? "localhost" : address == "localhost" ? "127.0.0.1" : ""
    func matches(_ listener: String) -> Bool {
      if listener == hostPort { return true }
      guard let c = listener.lastIndex(of: ":"), listener[listener.index(after: c)...] == port else { return false }
      let a = listener[..<c]
      return a == "0.0.0.0" || (!alias.isEmpty && a == alias)
    }
    for i in processes.indices where processes[i].isRunning && processes[i].host == target {
      guard let listeners = peer ? processes[i].etcd?.peerListeners : processes[i].etcd?.clientListeners else { continue }
      if listeners.contains(where: matches) { return i }
    }
    return nil
  }

  /// The running etcd that serves a member of a cluster, if any.
  public func server(member id: UInt64, cluster: UInt64) -> SimProcess? {
    running.first { $0.etcd?.memberID == id && $0.etcd?.clusterID == cluster }
  }

  // MARK: Logging

  public enum Level: String, Sendable {
    case debug = "D", info = "I", notice = "N", warning = "W", error = "E", critical = "C"
    var zap: String {
      switch self {
      case .debug: "debug"
      case .info, .notice: "info"
      case .warning: "warn"
      case .error: "error"
      case .critical: "fatal"
      }
    }
  }

  mutating func timestamp() -> String { SimTime.capnslog(now, micros: nextMicroTick()) }

  /// The sub-millisecond part of the next log line's time stamp: lines within a millisecond still
  /// move forward.
  mutating func nextMicroTick() -> Int {
    microTick = (microTick + 1 + Int(rng.int(in: 0...40))) % 1000
    return microTick
  }

  /// One capnslog line (`2026-11-25 09:46:47.629123 I | etcdserver: ...`).
  mutating func capnslogLine(_ level: Level, _ pkg: String, _ msg: String) -> String {
    "\(timestamp()) \(level.rawValue) | \(pkg): \(msg)"
  }

  /// Appends lines to a process's output.
  mutating func emit(pid: Int32, _ lines: [String]) {
    guard let i = processIndex(pid: pid), !lines.isEmpty else { return }
    switch processes[i].sink {
    case .file(let path):
      let host = processes[i].host
      let text = lines.map { $0 + "\n" }.joined()
      _ = withFileSystem(of: host) { fs, t in fs.append(path, text, at: t) }
    case .terminal:
      processes[i].terminalOutput.append(contentsOf: lines)
    case .journal(let unit):
      guard let h = hostIndex(processes[i].host) else { return }
      let source = "etcd[\(pid)]"
      hosts[h].journal.append(contentsOf: lines.map { JournalLine(time: now, unit: unit, source: source, text: $0) })
    case .discard:
      break
    }
  }

  /// Logs one line in the process's logger format.
  /// With a `site`, a zap logger writes that call's message and caller for the server's release
  /// (`pkg` and `msg` are then capnslog's); without one, `pkg` is the caller and `msg` the message.
  mutating func log(pid: Int32, _ level: Level, _ pkg: String, _ msg: String, site: ZapSite, zap: [(String, String)] = []) {
    log(pid: pid, level, pkg, msg, zap: zap, site: site)
  }

  mutating func log(pid: Int32, _ level: Level, _ pkg: String, _ msg: String, zap: [(String, String)] = [], site: ZapSite? = nil) {
    guard let i = processIndex(pid: pid), let logger = processes[i].etcd?.config.logger else { return }
    // The server in the other cluster (its peers log the same line about it).
    if site == .clusterIDMismatch, processes[i].etcd?.foreignPeers == true { noteLoggedError(.clusterIDMismatch, at: i) }
    if logger == .zap {
      let version = processes[i].etcd?.version ?? ""
      let caller = site?.caller(version) ?? pkg, message = site?.message(version) ?? msg
      let level = site?.level(version) ?? level
      var fields = "{\"level\":\"\(level.zap)\",\"ts\":\"\(zapTime(version: version))\",\"caller\":\"\(caller)\",\"msg\":\"\(message)\""
      for (k, v) in zap { fields += ",\"\(k)\":\(v)" }
      emit(pid: pid, [fields + "}"])
    } else {
      emit(pid: pid, [capnslogLine(level, pkg, msg)])
    }
  }

  /// Keeps the first line of each error kind a server logs in the background.
  mutating func noteLoggedError(_ error: EtcdError, at i: Int) {
    if !processes[i].loggedErrors.contains(error) { processes[i].loggedErrors.append(error) }
  }

  /// Logs a raft line: capnslog's `raft2026/11/25 09:46:47 INFO: ...`; from 3.5 raft's own text
  /// through the "raft" zap logger (`server/etcdserver/zap_raft.go`: line 77 in v3.5.17, 78 in
  /// v3.6.5). 3.4's `--logger=zap` raft lines are not simulated.
  mutating func raftLog(pid: Int32, _ msg: String) {
    guard let i = processIndex(pid: pid), let e = processes[i].etcd else { return }
    if e.config.logger == .capnslog {
      emit(pid: pid, ["raft\(SimTime.raft(now)) INFO: \(msg)"])
    } else if Release.isAtLeast(e.version, "3.5") {
      let caller = Release.isAtLeast(e.version, "3.6") ? "etcdserver/zap_raft.go:78" : "etcdserver/zap_raft.go:77"
      emit(pid: pid, ["{\"level\":\"info\",\"ts\":\"\(zapTime(version: e.version))\",\"logger\":\"raft\",\"caller\":\"\(caller)\",\"msg\":\"\(msg)\"}"])
    }
  }

  /// A server's zap time stamp: 3.4's ISO8601 encoder (milliseconds); 3.5 and 3.6's
  /// `2006-01-02T15:04:05.000000Z0700` (`client/pkg/logutil/zap.go`).
  mutating func zapTime(version: String) -> String {
    let iso = SimTime.iso(now)
    guard Release.isAtLeast(version, "3.5") else { return iso }
    return iso.dropLast() + SimTime.pad(nextMicroTick(), 3) + "Z"
  }
}
