/// Serving client calls: endpoint selection, retries, and every request's rules.
extension World {
  /// Performs one etcdctl call from `host` against `endpoints` within `timeout` ms, over plain
  /// connections or TLS as `tls` says (an `https://` endpoint is always TLS).
  public mutating func call(_ request: ClientRequest, endpoints: [String], from host: String, timeout: Millis, tls: ClientTLS = .plain) -> CallResult {
    let start = now
    let deadline = World.instant(now, plus: timeout)
    var result = CallResult()
    let maxAttempts = request.isRead ? 100 : 1
    var rotation = 0
    defer { result.tookNanos = (now - start).saturatingMultiplied(by: 1_000_000).saturatingAdding(rng.int(in: 1000...999_999)) }

    for attempt in 0..<maxAttempts {
      // The balancer picks a reachable endpoint whose handshake succeeds, starting from the pinned one.
      var found: (endpoint: Int, process: Int)?
      var refused: HandshakeFailure?
      for k in endpoints.indices {
        let e = (rotation + k) % endpoints.count
        guard let i = listenerIndex(URLList.hostPort(endpoints[e]), from: host, peer: false) else { continue }
        if let failure = handshake(endpoints[e], tls: tls, process: i) {
          refused = refused ?? failure
          rejectConnection(process: i, failure)
          continue
        }
        found = (e, i)
        break
      }
      if found == nil, let refused {
        // gRPC keeps redialling until the deadline; every attempt is refused the same way.
        advance(to: deadline)
        result.attempts.append(FailedAttempt(status: "rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure", at: now))
        result.error = .deadlineExceeded
        result.handshake = refused
        result.cause = refused == .noClientCertificate
          ? "write tcp 127.0.0.1:\(rng.int(in: 32768...60999))->\(URLList.hostPort(endpoints[rotation % endpoints.count])): write: broken pipe"
          : refused.balancerCause
        return result
      }
      guard let (epIndex, firstIndex) = found else {
        advance(to: deadline)
        result.attempts.append(FailedAttempt(status: "rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure", at: now))
        result.error = .deadlineExceeded
        // A one-endpoint (passthrough) client names the refused dial (captures 16: hashkv, defrag).
        result.cause = "connection error: desc = \"transport: Error while dialing dial tcp \(endpoints.isEmpty ? "" : URLList.hostPort(endpoints[rotation % endpoints.count])): connect: connection refused\""
        return result
      }
      var index = firstIndex
      if processes[firstIndex].etcd?.readyAt == nil {
        // A server that has not published yet accepts the connection but does not answer.
        let hostPort = URLList.hostPort(endpoints[epIndex])
        let ready = wait(until: deadline) { w in
          guard let i = w.listenerIndex(hostPort, from: host, peer: false) else { return true }
          return w.processes[i].etcd?.readyAt != nil
        }
        guard ready, let i = listenerIndex(hostPort, from: host, peer: false), processes[i].etcd?.readyAt != nil else {
          result.attempts.append(FailedAttempt(status: "rpc error: code = DeadlineExceeded desc = context deadline exceeded", at: now))
          result.error = .deadlineExceeded
          return result
        }
        index = i
      }
      advance(by: rng.int(in: 1...3))
      switch serve(request, on: processes[index].pid, deadline: deadline) {
      case .success(let response):
        result.response = response
        return result
      case .failure(let error):
        let status = error == .deadlineExceeded
          ? "rpc error: code = DeadlineExceeded desc = context deadline exceeded"
          : "rpc error: code = \(error.grpcCode) desc = \(error.message)"
        result.attempts.append(FailedAttempt(status: status, at: now))
        result.error = error
        if !error.isRetriable || attempt == maxAttempts - 1 || now >= deadline { return result }
        rotation = epIndex + 1
        advance(by: 25)
      }
    }
    return result
  }

  /// How a connection to `endpoint` on the listener of process `index` fails, if it does.
  public func handshake(_ endpoint: String, tls: ClientTLS, process index: Int) -> HandshakeFailure? {
    var client = tls
    client.secure = endpoint.hasPrefix("https://") || (tls.secure && !endpoint.contains("://"))
    // Plain text to a plain server: nothing to check.
    guard client.secure || tlsServersStarted else { return nil }
    guard client.secure || processes[index].etcd?.clientTLS != nil else { return nil }
    let hostPort = URLList.hostPort(endpoint)
    let port = hostPort.split(separator: ":").last.map(String.init) ?? ""
    let secure = processes[index].etcd?.secureClientListeners.contains { $0 == hostPort || $0.hasSuffix(":" + port) } ?? false
    return TLSHandshake.failure(client: client, server: secure ? processes[index].etcd?.clientTLS : nil, serverName: URLList.host(endpoint))
  }

  /// The server's log line for a refused connection (`embed: rejected connection from ...`).
  public mutating func rejectConnection(process index: Int, _ failure: HandshakeFailure) {
    guard let text = failure.serverLog else { return }
    let pid = processes[index].pid
    // A failed handshake leaves the connection state without peer certificates, so etcd always
    // takes its short form, even for a client certificate it could not verify (transcript 09).
    for _ in 0..<2 {
      let addr = "127.0.0.1:\(rng.int(in: 32768...60999))"
      log(pid: pid, .info, "embed", "rejected connection from \"\(addr)\" (error \"\(text)\", ServerName \"\")",
          zap: [("remote-addr", JSON.quote(addr)), ("server-name", JSON.quote("")), ("error", JSON.quote(text))], site: .rejectedConnection)
    }
  }

  /// etcd's default `--quota-backend-bytes` (2 GiB).
  static let defaultQuotaBytes: Int64 = 2 * 1024 * 1024 * 1024

  /// The server side of one request on one process.
  mutating func serve(_ request: ClientRequest, on pid: Int32, deadline: Millis) -> Result<ClientResponse, EtcdError> {
    guard let p = process(pid: pid), let e = p.etcd, clusters[e.clusterID] != nil else { return .failure(.deadlineExceeded) }
    let me = e.memberID
    func header(_ c: Cluster) -> ResponseHeader {
      ResponseHeader(clusterID: c.id, memberID: me, revision: c.kv.revision, raftTerm: c.term)
    }
    if let answer = answerLocally(request, etcd: e, deadline: deadline, header: header) { return answer }
    // Everything else goes through raft: it needs a leader. The cluster is taken out of the
    // world while it changes, so that its stores change in place rather than being copied.
    let clusterID = e.clusterID
    guard awaitLeader(cluster: clusterID, deadline: deadline), var c = clusters.removeValue(forKey: clusterID) else {
      return .failure(.deadlineExceeded)
    }
    defer { if clusters[clusterID] == nil { clusters[clusterID] = c } }
    switch request {
    case .put(let k, let v, let options):
      // The quota (`quotaKVServer`): a put that would take the member's file to its quota raises
      // NOSPACE; while an alarm is raised the capped applier refuses every put.
      let quota = e.config.quotaBackendBytes == 0 ? World.defaultQuotaBytes : e.config.quotaBackendBytes
      if quota > 0, Int64(c.databaseSize(of: me).size + 256 + k.utf8.count + v.utf8.count + 4) >= quota {
        c.index += 1
        if !c.alarms.contains(Alarm(memberID: me, kind: .noSpace)) { c.alarms.append(Alarm(memberID: me, kind: .noSpace)) }
        clusters[c.id] = c
        return .failure(.noSpace)
      }
      c.index += 1
      if c.alarms.contains(where: { $0.kind == .noSpace }) { return .failure(.noSpace) }
      // The applier's checks: no leases are granted in the simulation, and --ignore-value and
      // --ignore-lease need the key to exist.
      let existing = c.kv.entries[k]
      if options.lease != 0 { return .failure(.leaseNotFound) }
      if options.ignoreValue || options.ignoreLease, existing == nil { return .failure(.keyNotFound) }
      let value = options.ignoreValue ? existing?.value ?? v : v
      let lease = options.ignoreLease ? existing?.lease ?? 0 : options.lease
      let prev = c.kv.put(k, value, lease: lease)
      clusters[c.id] = c
      return .success(.put(header(c), prev: prev))
    case .range(let key, let end, let prefix, _, let rev):
      if let refusal = c.kv.readable(at: rev) { return .failure(refusal) }
      return .success(.range(header(c), c.kv.range(key, end: end, prefix: prefix, revision: rev)))
    case .health:
      return .success(.healthy)
    case .deleteRange(let key, let end, let prefix):
      let gone = c.kv.delete(key, end: end, prefix: prefix)
      c.index += 1
      clusters[c.id] = c
      return .success(.deleted(header(c), gone))
    case .compact(let rev, _):
      c.index += 1
      if let refusal = c.kv.compact(rev) { clusters[c.id] = c; return .failure(refusal) }
      clusters[c.id] = c
      return .success(.compacted(header(c)))
    case .alarmList:
      c.index += 1
      clusters[c.id] = c
      return .success(.alarms(header(c), c.alarms))
    case .alarmDisarm:
      // etcdctl lists the alarms, then disarms each with a request of its own.
      let disarmed = c.alarms
      c.index += 1 + UInt64(disarmed.count)
      c.alarms = []
      clusters[c.id] = c
      return .success(.alarms(header(c), disarmed))
    case .memberAdd(let urls, let learner):
      let m = Member(id: IDs.addedMember(peerURLs: urls, unixSeconds: now / 1000), peerURLs: urls, isLearner: learner)
      c.index += 1
      if let err = c.validateAdd(m) { clusters[c.id] = c; return .failure(err) }
      c.members[m.id] = m
      clusters[c.id] = c
      logMembership(cluster: c.id, "added member \(Hex.string(m.id)) [\(urls.joined(separator: " "))] to cluster \(Hex.string(c.id))", site: .addedMember,
                    fields: [("added-peer-id", JSON.quote(Hex.string(m.id))), ("added-peer-peer-urls", JSON.list(urls))])
      reconcile()
      return .success(.memberAdded(header(c), added: m, members: c.sortedMembers))
    case .memberRemove(let id):
      c.index += 1
      if let err = c.validateRemove(id) { clusters[c.id] = c; return .failure(err) }
      let removedURLs = c.members[id]?.peerURLs ?? []
      c.members[id] = nil
      c.removed.insert(id)
      c.savedMatch[id] = nil
      clusters[c.id] = c
      logMembership(cluster: c.id, "removed member \(Hex.string(id)) from cluster \(Hex.string(c.id))", site: .removedMember,
                    fields: [("removed-remote-peer-id", JSON.quote(Hex.string(id))), ("removed-remote-peer-urls", JSON.list(removedURLs))])
      if let victim = server(member: id, cluster: c.id), let i = processIndex(pid: victim.pid) {
        // It learns of its removal from its peers' answers within milliseconds, and exits 0.
        processes[i].etcd?.stopAt = now + World.removedExitDelay
        logRejectedRemoved(id, cluster: c.id, times: 2)
        log(pid: victim.pid, .error, "etcdserver", "the member has been permanently removed from the cluster",
            zap: [("error", q("the member has been permanently removed from the cluster"))], site: .serverError)
        log(pid: victim.pid, .info, "etcdserver", "the data-dir used by this member must be removed.", site: .dataDirMustBeRemoved)
        for m in c.sortedMembers { logPeerStop(pid: victim.pid, m.id) }
      }
      let wasLeader = c.leader == id
      if wasLeader { clusters[c.id]?.leader = nil }
      reconcile()
      return .success(.membersChanged(header(clusters[c.id]!), clusters[c.id]!.sortedMembers))
    case .memberPromote(let id):
      c.index += 1
      if let err = c.validatePromote(id) { clusters[c.id] = c; return .failure(err) }
      c.members[id]?.isLearner = false
      clusters[c.id] = c
      logMembership(cluster: c.id, "promote member \(Hex.string(id)) in cluster \(Hex.string(c.id))", site: .promoteMember)
      reconcile()
      return .success(.membersChanged(header(c), c.sortedMembers))
    case .memberUpdate(let id, let urls):
      c.index += 1
      if let err = c.validateUpdate(id, peerURLs: urls) { clusters[c.id] = c; return .failure(err) }
      c.members[id]?.peerURLs = urls
      clusters[c.id] = c
      logMembership(cluster: c.id, "updated member \(Hex.string(id)) [\(urls.joined(separator: " "))] in cluster \(Hex.string(c.id))", site: .updatedMember,
                    fields: [("updated-remote-peer-id", JSON.quote(Hex.string(id))), ("updated-remote-peer-urls", JSON.list(urls))])
      return .success(.membersChanged(header(c), c.sortedMembers))
    case .moveLeader(let target):
      guard c.leader == me else { return .failure(.noLeader) }
      guard let t = c.members[target], !t.isLearner, server(member: target, cluster: c.id) != nil else {
        return .failure(.badLeaderTransferee)
      }
      c.leader = target
      c.term += 1
      c.index += 1
      clusters[c.id] = c
      return .success(.leaderMoved(header(c), from: me, to: target))
    case .memberList, .memberListLinearizable, .status, .snapshot, .hashKV, .defragment:
      return .failure(.deadlineExceeded)
    }
  }

  /// What a member answers without raft (reads, status), or a refusal before a change goes to raft;
  /// nil when the request goes on to raft.
  mutating func answerLocally(_ request: ClientRequest, etcd e: EtcdServer, deadline: Millis,
                              header: (Cluster) -> ResponseHeader) -> Result<ClientResponse, EtcdError>? {
    guard let c0 = clusters[e.clusterID] else { return .failure(.deadlineExceeded) }
    let me = e.memberID
    if c0.members[me]?.isLearner == true && !request.learnerServes { return .failure(.rpcNotSupportedForLearner) }
    switch request {
    case .memberList:
      return .success(.members(header(c0), c0.sortedMembers))
    case .memberListLinearizable:
      guard awaitLeader(cluster: c0.id, deadline: deadline), let c = clusters[c0.id] else {
        return .failure(.deadlineExceeded)
      }
      return .success(.members(header(c), c.sortedMembers))
    case .status:
      let leader = c0.leader ?? 0
      let index = max(matchIndex(of: me, in: c0), c0.leader == nil ? 0 : c0.index)
      let db = c0.databaseSize(of: me)
      var info = StatusInfo(
        header: header(c0), version: e.version, dbSize: db.size, leader: leader,
        raftIndex: index, raftTerm: c0.term, raftAppliedIndex: index,
        errors: (leader == 0 ? ["etcdserver: no leader"] : []) + c0.alarms.map { "memberID:\($0.memberID) alarm:\($0.kind.name) " },
        isLearner: c0.members[me]?.isLearner ?? false)
      info.freeBytes = db.free
      if Release.isAtLeast(e.version, "3.6") {
        info.sendsDowngradeInfo = true
        if let cv = c0.version, Release.isAtLeast(cv, "3.5") { info.storageVersion = cv + ".0" }
      }
      return .success(.status(info))
    case .range(let key, let end, let prefix, true, let rev):
      if let refusal = c0.kv.readable(at: rev) { return .failure(refusal) }
      return .success(.range(header(c0), c0.kv.range(key, end: end, prefix: prefix, revision: rev)))
    case .hashKV(let rev):
      switch c0.kv.hash(revision: rev) {
      case .success(let hash): return .success(.hashKV(header(c0), hash: hash, compactRevision: c0.kv.compactRevision))
      case .failure(let refusal): return .failure(refusal)
      }
    case .defragment:
      clusters[c0.id]?.defragmented[me] = Cluster.Defragmented(size: c0.kv.defragmentedSize, grownSize: c0.kv.databaseSize)
      return .success(.defragmented(header(c0)))
    case .snapshot:
      let applied = max(matchIndex(of: me, in: c0), c0.leader == nil ? 0 : c0.index)
      var snap = Snapshot(cluster: c0, consistentIndex: applied)
      if Release.isAtLeast(e.version, "3.6"), let cv = c0.version, Release.isAtLeast(cv, "3.5") { snap.storageVersion = cv + ".0" }
      return .success(.snapshot(snap))
    case .memberAdd(_, let learner):
      if let err = preAdd(learner: learner, receiver: me, cluster: c0) { return .failure(err) }
    case .memberRemove(let id):
      if let err = preRemove(id, receiver: me, cluster: c0) { return .failure(err) }
    case .memberPromote(let id):
      // Only the leader judges readiness; without one the forwarded request times out.
      guard awaitLeader(cluster: c0.id, deadline: deadline), let c = clusters[c0.id] else {
        return .failure(.deadlineExceeded)
      }
      // A voter (even one never started) is refused as no learner, before any readiness check
      // (real 3.4: `can only promote a learner member` for an unstarted voter, generated session 2-008).
      if c.members[id]?.isLearner == true, Double(matchIndex(of: id, in: c)) < 0.9 * Double(c.index) { return .failure(.learnerNotReady) }
      if !c.isReadyToPromoteMember() { return .failure(.notEnoughStartedMembers) }
    default:
      break
    }
    return nil
  }

  /// Waits until the cluster can commit (a leader with a quorum); false if the deadline passed first.
  mutating func awaitLeader(cluster id: UInt64, deadline: Millis) -> Bool {
    wait(until: deadline) { $0.canCommit(id) }
  }

  /// `mayAddMember`: the started-members check (voters only) and every voter connected for 5 s.
  func preAdd(learner: Bool, receiver: UInt64, cluster c: Cluster) -> EtcdError? {
    if !learner && !c.isReadyToAddVotingMember() { return .notEnoughStartedMembers }
    let since = now - World.healthInterval
    if c.voters.contains(where: { !connected(receiver, $0.id, cluster: c.id, since: since) }) { return .unhealthyCluster }
    return nil
  }

  /// `mayRemoveMember`.
  func preRemove(_ id: UInt64, receiver: UInt64, cluster c: Cluster) -> EtcdError? {
    if c.members[id]?.isLearner == true { return nil }
    if !c.isReadyToRemoveVotingMember(id) { return .notEnoughStartedMembers }
    if id != receiver && !connected(receiver, id, cluster: c.id, since: now) { return nil }
    let since = now - World.healthInterval
    let active = c.voters.filter { connected(receiver, $0.id, cluster: c.id, since: since) }.count
    if active - 1 < 1 + (c.voters.count - 1) / 2 { return .unhealthyCluster }
    return nil
  }

  /// A membership change as every ready member logs it; zap adds the cluster and local member ids
  /// before the change's own fields (`membership/cluster.go`).
  mutating func logMembership(cluster id: UInt64, _ msg: String, site: ZapSite, fields extra: [(String, String)] = []) {
    for p in running where p.etcd?.clusterID == id && p.etcd?.readyAt != nil {
      let zap = [("cluster-id", q(Hex.string(id))), ("local-member-id", q(Hex.string(p.etcd?.memberID ?? 0)))] + extra
      log(pid: p.pid, .info, "etcdserver/membership", msg, zap: zap, site: site)
    }
  }
}

