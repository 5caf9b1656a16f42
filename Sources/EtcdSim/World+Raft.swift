/// Time and raft: elections, publishing, learner catch-up, and the event loop.
extension World {
  /// How long after starting a process's peer links come up.
  static let linkDelay: Millis = 10
  /// How long a joining or restarting member takes to publish once a leader exists.
  static let publishDelay: Millis = 30
  /// etcd's `HealthInterval`: peers must be connected this long for reconfiguration.
  public static let healthInterval: Millis = 5000
  /// How long a removed member runs once its peers have told it (3.4.23 on loopback: 40-110 ms).
  static let removedExitDelay: Millis = 50

  /// Moves the clock forward by `ms`, running everything that happens meanwhile.
  public mutating func advance(by ms: Millis) { advance(to: World.instant(now, plus: ms)) }

  /// `t` moved on by `ms` (none if negative), held at the end of the simulated clock.
  public static func instant(_ t: Millis, plus ms: Millis) -> Millis {
    min(t.saturatingAdding(max(0, ms)), SimLimits.clockEnd)
  }

  /// Moves the clock to `target` (at most the clock's end), firing internal events in time order.
  public mutating func advance(to end: Millis) {
    let target = min(end, SimLimits.clockEnd)
    var guardCount = 0
    while let t = nextEventTime(), t <= target, guardCount < 100_000 {
      now = max(now, t)
      fireDueEvents()
      guardCount += 1
    }
    now = max(now, target)
  }

  /// Advances until `condition` holds or `deadline` passes; returns whether it held.
  public mutating func wait(until deadline: Millis, for condition: (World) -> Bool) -> Bool {
    if condition(self) { return true }
    var guardCount = 0
    while let t = nextEventTime(), t <= deadline, guardCount < 100_000 {
      now = max(now, t)
      fireDueEvents()
      if condition(self) { return true }
      guardCount += 1
    }
    now = max(now, deadline)
    return condition(self)
  }

  // MARK: Events

  func nextEventTime() -> Millis? {
    var best: Millis?
    func consider(_ t: Millis?) { if let t, best == nil || t < best! { best = t } }
    for c in clusters.values { consider(c.electionDue); consider(c.campaignDue); consider(c.stepDownDue) }
    for p in running {
      guard let e = p.etcd else { continue }
      consider(e.stopAt)
      if e.readyAt == nil { consider(publishTime(of: p)) }
      if e.foreignPeers { consider(e.lastMismatchLog + 500) }
    }
    return best
  }

  /// When a not-yet-ready member will publish, given the current leader.
  func publishTime(of p: SimProcess) -> Millis? {
    guard let e = p.etcd, let c = clusters[e.clusterID], c.leader != nil,
      c.members[e.memberID] != nil
    else { return nil }
    return max(now, p.startedAt + World.publishDelay)
  }

  mutating func fireDueEvents() {
    for id in clusters.keys.sorted() where clusters[id]?.electionDue.map({ $0 <= now }) == true {
      completeElection(cluster: id)
    }
    for id in clusters.keys.sorted() where clusters[id]?.campaignDue.map({ $0 <= now }) == true {
      campaign(cluster: id)
    }
    for id in clusters.keys.sorted() where clusters[id]?.stepDownDue.map({ $0 <= now }) == true {
      stepDown(cluster: id)
    }
    for p in running {
      guard let e = p.etcd else { continue }
      if let stop = e.stopAt, stop <= now, let i = processIndex(pid: p.pid) {
        stopProcess(at: i, status: 0)
        continue
      }
      if e.readyAt == nil, let t = publishTime(of: p), t <= now { publish(pid: p.pid) }
      if e.foreignPeers, e.lastMismatchLog + 500 <= now { logMismatch(pid: p.pid) }
    }
    reconcile()
  }

  /// Re-evaluates leaders and elections after anything changed.
  public mutating func reconcile() {
    for id in clusters.keys.sorted() {
      guard var c = clusters[id] else { continue }
      if let l = c.leader, server(member: l, cluster: id) == nil || c.members[l] == nil {
        c.leader = nil
        for p in running where p.etcd?.clusterID == id {
          raftLog(pid: p.pid, "raft.node: \(Hex.string(p.etcd!.memberID)) lost leader \(Hex.string(l)) at term \(c.term)")
        }
      }
      // A leader that cannot reach a quorum steps down after an election timeout.
      if c.leader != nil, runningVoterCount(of: c) < Cluster.quorum(c.voterCount) {
        if c.stepDownDue == nil { c.stepDownDue = now + settings.electionTimeout }
      } else {
        c.stepDownDue = nil
      }
      if c.leader == nil {
        let running = runningVoterCount(of: c)
        if running >= Cluster.quorum(c.voterCount) && running > 0 {
          if c.electionDue == nil {
            // A fresh cluster fast-forwards its election ticks; a lost leader waits a full timeout.
            let delay = c.term <= 1 ? rng.int(in: 150...300) : settings.electionTimeout + rng.int(in: 0...settings.electionTimeout - 1)
            c.electionDue = now + delay
          }
        } else {
          c.electionDue = nil
        }
      }
      // Voters that run without a quorum campaign in vain, every randomized election timeout.
      let lonely = c.leader == nil && c.electionDue == nil && !runningVotersAnyPeers(of: c).isEmpty
      if !lonely { c.campaignDue = nil } else if c.campaignDue == nil {
        c.campaignDue = now + settings.electionTimeout + rng.int(in: 0...settings.electionTimeout - 1)
      }
      clusters[id] = c
    }
  }

  mutating func stepDown(cluster id: UInt64) {
    guard var c = clusters[id], let l = c.leader else { return }
    c.stepDownDue = nil
    guard runningVoterCount(of: c) < Cluster.quorum(c.voterCount) else { clusters[id] = c; return }
    c.leader = nil
    clusters[id] = c
    if let p = server(member: l, cluster: id) {
      raftLog(pid: p.pid, "\(Hex.string(l)) stepped down to follower since quorum is not active")
      raftLog(pid: p.pid, "\(Hex.string(l)) became follower at term \(c.term)")
      raftLog(pid: p.pid, "raft.node: \(Hex.string(l)) lost leader \(Hex.string(l)) at term \(c.term)")
    }
    reconcile()
  }

  /// Whether the cluster can commit: a leader and a quorum of its voters running.
  public func canCommit(_ id: UInt64) -> Bool {
    guard let c = clusters[id], c.leader != nil else { return false }
    return runningVoterCount(of: c) >= Cluster.quorum(c.voterCount)
  }

  /// Running servers of a cluster's voters, whatever their peers answer.
  func runningVotersAnyPeers(of c: Cluster) -> [SimProcess] {
    c.voters.compactMap { server(member: $0.id, cluster: c.id) }
  }

  /// A vain election: the term grows, the votes never come.
  mutating func campaign(cluster id: UInt64) {
    guard var c = clusters[id] else { return }
    c.campaignDue = nil
    let candidates = runningVotersAnyPeers(of: c)
    guard let p = candidates.first, let e = p.etcd else { clusters[id] = c; return }
    let me = Hex.string(e.memberID)
    raftLog(pid: p.pid, "\(me) is starting a new election at term \(c.term)")
    c.term += 1
    raftLog(pid: p.pid, "\(me) became candidate at term \(c.term)")
    raftLog(pid: p.pid, "\(me) received MsgVoteResp from \(me) at term \(c.term)")
    let last = c.savedMatch[e.memberID] ?? c.index
    for m in c.voters where m.id != e.memberID {
      raftLog(pid: p.pid, "\(me) [logterm: 1, index: \(last)] sent MsgVote request to \(Hex.string(m.id)) at term \(c.term)")
    }
    clusters[id] = c
    reconcile()
  }

  /// How many of `runningVoters(of:)` there are, without copying them: the first running server
  /// of each voter counts. (A member whose peer URL another cluster's server answers has no server
  /// of this cluster: it does not count, and the rest elect a leader when they are a quorum.)
  public func runningVoterCount(of c: Cluster) -> Int {
    var seen: [UInt64] = []
    var n = 0
    for p in processes.indices where processes[p].isRunning {
      guard let e = processes[p].etcd, e.clusterID == c.id, c.members[e.memberID]?.isLearner == false, !seen.contains(e.memberID) else { continue }
      seen.append(e.memberID)
      n += 1
    }
    return n
  }

  /// Running servers of a cluster's voters.
  public func runningVoters(of c: Cluster) -> [SimProcess] {
    c.voters.compactMap { server(member: $0.id, cluster: c.id) }
  }

  mutating func completeElection(cluster id: UInt64) {
    guard var c = clusters[id] else { return }
    c.electionDue = nil
    let candidates = runningVoters(of: c)
    guard candidates.count >= Cluster.quorum(c.voterCount), !candidates.isEmpty else {
      clusters[id] = c
      return
    }
    let winner = candidates[Int(rng.int(in: 0...Int64(candidates.count - 1)))]
    let leaderID = winner.etcd!.memberID
    let oldTerm = c.term
    c.term += 1
    c.leader = leaderID
    c.index += 1  // the new leader's empty entry
    clusters[id] = c
    let hex = Hex.string(leaderID)
    raftLog(pid: winner.pid, "\(hex) is starting a new election at term \(oldTerm)")
    raftLog(pid: winner.pid, "\(hex) became candidate at term \(c.term)")
    raftLog(pid: winner.pid, "\(hex) received MsgVoteResp from \(hex) at term \(c.term)")
    raftLog(pid: winner.pid, "\(hex) has received \(Cluster.quorum(c.voterCount)) MsgVoteResp votes and 0 vote rejections")
    raftLog(pid: winner.pid, "\(hex) became leader at term \(c.term)")
    let candidatePIDs = Set(candidates.map(\.pid))
    for p in candidates + running.filter({ $0.etcd?.clusterID == id && !candidatePIDs.contains($0.pid) }) {
      let me = Hex.string(p.etcd!.memberID)
      if p.pid != winner.pid { raftLog(pid: p.pid, "\(me) became follower at term \(c.term)") }
      raftLog(pid: p.pid, "raft.node: \(me) elected leader \(hex) at term \(c.term)")
    }
    // Members that were waiting for a leader publish now, in start order.
    for p in running where p.etcd?.clusterID == id && p.etcd?.readyAt == nil {
      publish(pid: p.pid)
    }
    decideClusterVersion(cluster: id)
    updateClusterVersion(cluster: id)
  }

  /// A member publishes its name and client URLs (one raft entry) and starts serving.
  mutating func publish(pid: Int32) {
    guard let i = processIndex(pid: pid), var e = processes[i].etcd, var c = clusters[e.clusterID],
      var m = c.members[e.memberID]
    else { return }
    m.name = e.config.name
    m.clientURLs = URLList.parse(e.config.advertiseClientURLs).successValue ?? []
    c.members[m.id] = m
    c.index += 1
    clusters[c.id] = c
    e.readyAt = now
    processes[i].etcd = e
    let urls = m.clientURLs.joined(separator: " ")
    let attributes = "{Name:\(m.name) ClientURLs:[\(urls)]}"
    log(pid: pid, .info, "etcdserver", "published \(attributes) to cluster \(Hex.string(c.id))", zap: [
      ("local-member-id", q(Hex.string(m.id))), ("local-member-attributes", q(attributes)), ("cluster-id", q(Hex.string(c.id))), ("publish-timeout", q("7s")),
    ], site: .publishedLocalMember)
    log(pid: pid, .info, "embed", "ready to serve client requests", site: .readyToServe)
    for u in URLList.parse(e.config.listenClientURLs).successValue ?? [] {
      if u.hasPrefix("https://") {
        log(pid: pid, .info, "embed", "serving client requests on \(URLList.hostPort(u))", zap: [("traffic", q("grpc+http")), ("address", q(URLList.hostPort(u)))], site: .servingSecurely)
      } else {
        log(pid: pid, .notice, "embed", "serving insecure client requests on \(URLList.hostPort(u)), this is strongly discouraged!",
            zap: [("traffic", q("grpc+http")), ("address", q(URLList.hostPort(u)))], site: .servingInsecurely)
      }
    }
    updateClusterVersion(cluster: c.id)
  }

  /// The leader sets the cluster version once every member's version is known.
  mutating func decideClusterVersion(cluster id: UInt64) {
    guard var c = clusters[id], let leader = c.leader, c.version == nil,
      let lp = server(member: leader, cluster: id)
    else { return }
    let versions = c.sortedMembers.map { m in server(member: m.id, cluster: id)?.etcd?.version }
    let decided: String
    if versions.contains(where: { $0 == nil }) {
      decided = "3.0"
    } else {
      decided = versions.compactMap { $0.map(World.majorMinor) }.min(by: World.versionLess) ?? "3.0"
    }
    c.version = decided
    c.index += 1
    clusters[id] = c
    log(pid: lp.pid, .info, "etcdserver", "setting up the initial cluster version to \(decided)", zap: [("cluster-version", q(decided))], site: .settingUpInitialClusterVersion)
    for p in running where p.etcd?.clusterID == id && p.etcd?.readyAt != nil {
      let me = Hex.string(p.etcd?.memberID ?? 0)
      log(pid: p.pid, .notice, "etcdserver/membership", "set the initial cluster version to \(decided)",
          zap: [("cluster-id", q(Hex.string(id))), ("local-member-id", q(me)), ("cluster-version", q(decided))], site: .setInitialClusterVersion)
      log(pid: p.pid, .info, "etcdserver/api", "enabled capabilities for version \(decided)", zap: [("cluster-version", q(decided))], site: .enabledCapabilities)
    }
  }

  /// `monitorVersions` (every 4 s on the leader): once every member answers, the cluster version
  /// moves up to the lowest member's major.minor — never down. Each member applies it and logs it
  /// in its own logger's words (3.4 capnslog `membership/cluster.go`, 3.5 zap `membership/cluster.go:576`).
  mutating func updateClusterVersion(cluster id: UInt64) {
    guard var c = clusters[id], let leader = c.leader, let current = c.version,
      let lp = server(member: leader, cluster: id)
    else { return }
    let versions = c.sortedMembers.map { m in server(member: m.id, cluster: id).flatMap { $0.etcd?.readyAt != nil ? $0.etcd?.version : nil } }
    guard !versions.contains(where: { $0 == nil }),
      let lowest = versions.compactMap({ $0.map(World.majorMinor) }).min(by: World.versionLess),
      World.versionLess(current, lowest)
    else { return }
    c.version = lowest
    c.index += 1
    clusters[id] = c
    log(pid: lp.pid, .info, "etcdserver", "updating the cluster version from \(current) to \(lowest)",
        zap: [("from", q(current)), ("to", q(lowest))], site: .updatingClusterVersion)
    for p in running where p.etcd?.clusterID == id && p.etcd?.readyAt != nil {
      let me = Hex.string(p.etcd?.memberID ?? 0)
      log(pid: p.pid, .notice, "etcdserver/membership", "updated the cluster version from \(current) to \(lowest)",
          zap: [("cluster-id", q(Hex.string(id))), ("local-member-id", q(me)), ("from", q(current)), ("to", q(lowest))], site: .updatedClusterVersion)
      log(pid: p.pid, .info, "etcdserver/api", "enabled capabilities for version \(lowest)", zap: [("cluster-version", q(lowest))], site: .enabledCapabilities)
    }
  }

  public static func majorMinor(_ v: String) -> String { v.split(separator: ".").prefix(2).joined(separator: ".") }

  public static func versionLess(_ a: String, _ b: String) -> Bool {
    let x = a.split(separator: ".").compactMap { Int($0) }
    let y = b.split(separator: ".").compactMap { Int($0) }
    return x.lexicographicallyPrecedes(y)
  }

  /// Half a second of the peer transport between a server and the servers of other clusters that
  /// answer its peers' URLs, as 3.4.23 logs it: each of a peer's two stream readers dials every
  /// 100 ms, so per pair and direction the dialer logs `request sent was ignored` and the dialed
  /// server `request cluster ID mismatch` 20 times a second (10 per tick). Each server logs its own
  /// dials; the dials of a server that does not tick (it started before the other) come with these.
  mutating func logMismatch(pid: Int32) {
    guard let i = processIndex(pid: pid), var e = processes[i].etcd else { return }
    e.lastMismatchLog = now
    processes[i].etcd = e
    let host = processes[i].host
    for other in processes where other.isRunning && other.pid != pid {
      guard let oe = other.etcd, oe.clusterID != e.clusterID, oe.memberID != 0 else { continue }
      if let m = dialedMember(from: e, on: host, servedBy: other.pid) {
        logRejectedDials(dialer: pid, member: m, dialed: other.pid, times: World.mismatchLinesPerTick)
      }
      if !oe.foreignPeers, let m = dialedMember(from: oe, on: other.host, servedBy: pid) {
        logRejectedDials(dialer: other.pid, member: m, dialed: pid, times: World.mismatchLinesPerTick)
      }
    }
  }

  static let mismatchLinesPerTick = 10

  /// The member of `e`'s cluster (not itself) whose peer URL the process `pid` serves, if any.
  func dialedMember(from e: EtcdServer, on host: String, servedBy pid: Int32) -> UInt64? {
    guard let c = clusters[e.clusterID] else { return nil }
    return c.sortedMembers.first { m in
      m.id != e.memberID && m.peerURLs.contains { listenerIndex(URLList.hostPort($0), from: host, peer: true).map { processes[$0].pid == pid } ?? false }
    }?.id
  }

  /// `times` dials of `dialer` to `member`'s URL, answered by `dialed`, a server of another cluster.
  mutating func logRejectedDials(dialer: Int32, member: UInt64, dialed: Int32, times: Int) {
    guard let d = process(pid: dialer)?.etcd, let o = process(pid: dialed)?.etcd else { return }
    let mine = Hex.string(d.clusterID), theirs = Hex.string(o.clusterID)
    for _ in 0..<times {
      log(pid: dialer, .error, "rafthttp", "request sent was ignored (cluster ID mismatch: peer[\(Hex.string(member))]=\(theirs), local=\(mine))", zap: [
        ("remote-peer-id", q(Hex.string(member))), ("remote-peer-cluster-id", q(theirs)), ("local-member-id", q(Hex.string(d.memberID))),
        ("local-member-cluster-id", q(mine)), ("error", q("cluster ID mismatch")),
      ], site: .ignoredClusterIDMismatch)
      log(pid: dialed, .error, "rafthttp", "request cluster ID mismatch (got \(mine) want \(theirs))",
          zap: mismatchFields(local: o, localCluster: theirs, remote: d, remoteCluster: mine), site: .clusterIDMismatch)
    }
  }

  /// A removed member's stream dials, as each running member of the cluster answers them
  /// (`streamHandler`: 410 Gone): `times` lines each, 3.4's two when the member learns of its
  /// removal, four when it restarts on its old data dir.
  mutating func logRejectedRemoved(_ removed: UInt64, cluster id: UInt64, times: Int) {
    for p in running where p.etcd?.clusterID == id && p.etcd?.memberID != removed {
      let me = q(Hex.string(p.etcd?.memberID ?? 0))
      for _ in 0..<times {
        log(pid: p.pid, .warning, "rafthttp", "rejected the stream from peer \(Hex.string(removed)) since it was removed",
            zap: [("local-member-id", me), ("remote-peer-id-stream-handler", me), ("remote-peer-id-from", q(Hex.string(removed)))], site: .rejectedRemovedPeer)
      }
    }
  }

  /// The fields of rafthttp's `request cluster ID mismatch` (`checkClusterCompatibilityFromHeader`).
  func mismatchFields(local: EtcdServer, localCluster: String, remote: EtcdServer, remoteCluster: String) -> [(String, String)] {
    [("local-member-id", q(Hex.string(local.memberID))), ("local-member-cluster-id", q(localCluster)),
     ("local-member-server-version", q(local.version)), ("local-member-server-minimum-cluster-version", q("3.0.0")),
     ("remote-peer-server-name", q(Hex.string(remote.memberID))), ("remote-peer-server-version", q(remote.version)),
     ("remote-peer-server-minimum-cluster-version", q("3.0.0")), ("remote-peer-cluster-id", q(remoteCluster))]
  }

  // MARK: Progress

  /// A member's match index as the leader sees it.
  public func matchIndex(of id: UInt64, in c: Cluster) -> UInt64 {
    guard let p = server(member: id, cluster: c.id) else {
      return c.savedMatch[id] ?? 0
    }
    let base = min(c.savedMatch[id] ?? 0, c.index)
    let needed = syncDuration(for: c)
    let elapsed = now - p.startedAt - World.linkDelay
    if elapsed <= 0 { return base }
    if elapsed >= needed { return c.index }
    return base + UInt64(Double(c.index - base) * Double(elapsed) / Double(needed))
  }

  /// How long a member that starts from nothing takes to receive the cluster's data.
  public func syncDuration(for c: Cluster) -> Millis {
    let bytes = Int64(c.kv.databaseSize)
    return 50 + bytes * 1000 / Int64(max(1, settings.syncBytesPerSecond))
  }

  /// Whether the peer link between two members' servers has been up since `since`.
  public func connected(_ a: UInt64, _ b: UInt64, cluster id: UInt64, since: Millis) -> Bool {
    if a == b { return server(member: a, cluster: id) != nil }
    guard let pa = server(member: a, cluster: id), let pb = server(member: b, cluster: id) else { return false }
    return max(pa.startedAt, pb.startedAt) + World.linkDelay <= since
  }
}

extension Result {
  /// The success value, or nil.
  public var successValue: Success? { if case .success(let v) = self { return v }; return nil }
}
