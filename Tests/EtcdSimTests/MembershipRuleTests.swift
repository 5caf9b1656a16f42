import Testing
@testable import EtcdSim

/// One test per membership rule and per error (reference §2).
@Suite struct MembershipRuleTests {
  @Test func theCourseWorldIsUpAndLed() {
    let w = Fixture.course()
    let c = Fixture.mainCluster(w)
    #expect(c.voters.count == 3 && c.leader != nil && c.members.values.allSatisfy(\.isStarted))
  }

  @Test func addingAVoterPrintsTheNewMemberUnstarted() {
    var w = Fixture.course()
    let r = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: false))
    guard case .memberAdded(_, let m, let all)? = r.response else { Issue.record("\(r)"); return }
    #expect(!m.isStarted && all.count == 4 && m.id == IDs.addedMember(peerURLs: ["http://10.0.1.13:2380"], unixSeconds: w.now / 1000))
  }

  @Test func aDuplicatePeerURLIsRefused() {
    var w = Fixture.course()
    let r = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.11:2380"], isLearner: true))
    #expect(r.error == .peerURLsExist)
  }

  @Test func reAddingTheSameURLsInTheSameSecondGivesTheSameID() {
    var w = Fixture.course()
    _ = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true))
    let again = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true))
    #expect(again.error == .memberIDExists)
  }

  @Test func aRemovedIDCannotComeBackInTheSameSecond() {
    var w = Fixture.course()
    let add = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true))
    guard case .memberAdded(_, let m, _)? = add.response else { Issue.record("add failed"); return }
    #expect(Fixture.call(&w, .memberRemove(m.id)).error == nil)
    #expect(Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true)).error == .memberNotFound)
  }

  @Test func aSecondLearnerIsRefused() {
    var w = Fixture.course()
    _ = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true))
    #expect(Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.14:2380"], isLearner: true)).error == .tooManyLearners)
  }

  @Test func addingWhileAVoterIsDownIsUnhealthy() {
    var w = Fixture.course()
    Fixture.stop(&w, host: "infra2")
    #expect(Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: false)).error == .unhealthyCluster)
  }

  @Test func thePeerMustBeConnectedForFiveSeconds() {
    var w = Fixture.course()
    Fixture.stop(&w, host: "infra2")
    w.advance(by: 3000)
    var cfg = EtcdConfig()
    let old = w.processes.first { $0.host == "infra2" }!.etcd!.config
    cfg = old
    w.startEtcd(World.StartRequest(host: "infra2", cwd: "/root", config: cfg, commandLine: "etcd", sink: .discard, background: true, version: "3.4.23"))
    w.advance(by: 1000)
    #expect(Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true)).error == .unhealthyCluster)
    w.advance(by: 5000)
    #expect(Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true)).error == nil)
  }

  @Test func growingAOneMemberClusterByAnUnstartedVoterBlocksTheNext() {
    var w = Fixture.course { $0.hosts = [.init(name: "solo", address: "10.0.1.10", member: true)] }
    #expect(Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: false), from: "solo").error == nil)
    #expect(Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.14:2380"], isLearner: false), from: "solo").error == .notEnoughStartedMembers)
  }

  @Test func promotingAnUnstartedLearnerIsNotInSync() {
    var w = Fixture.course()
    let add = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true))
    guard case .memberAdded(_, let m, _)? = add.response else { Issue.record("add failed"); return }
    #expect(Fixture.call(&w, .memberPromote(m.id)).error == .learnerNotReady)
  }

  @Test func promotingAVoterOrAnUnknownID() {
    var w = Fixture.course()
    #expect(Fixture.call(&w, .memberPromote(Fixture.id(w, name: "infra1"))).error == .memberNotLearner)
    #expect(Fixture.call(&w, .memberPromote(0x1234abcd)).error == .memberNotFound)
  }

  @Test func aStartedLearnerCatchesUpAndIsPromoted() {
    var w = Fixture.course()
    let add = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true))
    guard case .memberAdded(_, let m, _)? = add.response else { Issue.record("add failed"); return }
    _ = Fixture.startJoining(&w, host: "infra3", address: "10.0.1.13", learner: true)
    #expect(Fixture.call(&w, .memberPromote(m.id)).error == .learnerNotReady)
    w.advance(by: 2000)
    #expect(Fixture.call(&w, .memberPromote(m.id)).error == nil)
    #expect(Fixture.mainCluster(w).members[m.id]?.isLearner == false)
  }

  /// How long a learner takes to become promotable with `dataSize` of data.
  static func catchUpTime(dataSize: String) -> Millis {
    var w = Fixture.course { $0.dataSize = dataSize; $0.syncRate = "10MB" }
    let add = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true))
    guard case .memberAdded(_, let m, _)? = add.response else { return -1 }
    _ = Fixture.startJoining(&w, host: "infra3", address: "10.0.1.13", learner: true)
    let start = w.now
    var ready = false
    while !ready && w.now - start < 10_000_000 {
      w.advance(by: 500)
      let c = Fixture.mainCluster(w)
      ready = Double(w.matchIndex(of: m.id, in: c)) >= 0.9 * Double(c.index)
    }
    return w.now - start
  }

  @Test func tenTimesTheDataTakesAboutTenTimesLonger() {
    let small = Self.catchUpTime(dataSize: "100MB")
    let large = Self.catchUpTime(dataSize: "1GB")
    let ratio = Double(large) / Double(small)
    #expect(small > 5000 && ratio > 8.5 && ratio < 11.5, "100MB: \(small) ms, 1GB: \(large) ms")
  }

  @Test func removingARunningMemberWhileAnotherIsDownIsUnhealthy() {
    var w = Fixture.course()
    Fixture.stop(&w, host: "infra2")
    w.advance(by: 3000)
    #expect(Fixture.call(&w, .memberRemove(Fixture.id(w, name: "infra1"))).error == .unhealthyCluster)
    #expect(Fixture.call(&w, .memberRemove(Fixture.id(w, name: "infra2"))).error == nil)
  }

  @Test func removingTheStoppedMemberOfTwoCannotCommit() {
    var w = Fixture.course { $0.hosts = [.init(name: "a", address: "10.0.1.10", member: true), .init(name: "b", address: "10.0.1.11", member: true)] }
    let b = Fixture.id(w, name: "b")
    Fixture.stop(&w, host: "b")
    w.advance(by: 3000)
    #expect(Fixture.call(&w, .memberRemove(b), from: "a").error == .deadlineExceeded)
  }

  @Test func removingAnUnknownIDIsNotFound() {
    var w = Fixture.course()
    #expect(Fixture.call(&w, .memberRemove(0xdeadbeef)).error == .memberNotFound)
    #expect(Fixture.call(&w, .memberUpdate(0xdeadbeef, peerURLs: ["http://10.0.1.20:2380"])).error == .memberNotFound)
  }

  @Test func aRemovedMemberStopsAndCannotRestart() {
    var w = Fixture.course()
    let victim = Fixture.id(w, name: "infra2")
    #expect(Fixture.call(&w, .memberRemove(victim)).error == nil)
    w.advance(by: 1500)
    let proc = w.processes.first { $0.host == "infra2" }!
    #expect(proc.exitStatus == 0)
    w.startEtcd(World.StartRequest(host: "infra2", cwd: "/root", config: proc.etcd!.config, commandLine: "etcd", sink: .file("/root/etcd.log"), background: true, version: "3.4.23"))
    w.advance(by: 1500)
    let log = w.host("infra2")!.fs.text("/root/etcd.log") ?? ""
    #expect(log.contains("the member has been permanently removed from the cluster"))
    #expect(w.processes.filter { $0.host == "infra2" && $0.isRunning }.isEmpty)
  }

  @Test func aStoppedLeaderIsReplacedAfterAnElectionTimeout() {
    var w = Fixture.course()
    let c = Fixture.mainCluster(w)
    let leaderHost = w.processes.first { $0.etcd?.memberID == c.leader }!.host
    Fixture.stop(&w, host: leaderHost)
    #expect(Fixture.mainCluster(w).leader == nil)
    w.advance(by: 2100)
    let after = Fixture.mainCluster(w)
    #expect(after.leader != nil && after.leader != c.leader && after.term > c.term)
  }

  @Test func withoutQuorumWritesTimeOut() {
    var w = Fixture.course()
    Fixture.stop(&w, host: "infra1")
    Fixture.stop(&w, host: "infra2")
    let before = w.now
    let r = Fixture.call(&w, .put(key: "k", value: "v"))
    #expect(r.error == .deadlineExceeded && w.now - before >= 5000)
    #expect(Fixture.call(&w, .memberList).error == nil)
  }

  @Test func aLearnerRefusesClientRequestsButServesSerializableReads() {
    var w = Fixture.course()
    _ = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true))
    _ = Fixture.startJoining(&w, host: "infra3", address: "10.0.1.13", learner: true)
    let get = Fixture.call(&w, .range(key: "k", end: nil, prefix: false, serializable: false), endpoints: ["http://10.0.1.13:2379"])
    #expect(get.error == .rpcNotSupportedForLearner && get.attempts.count == 100)
    let put = Fixture.call(&w, .put(key: "k", value: "v"), endpoints: ["http://10.0.1.13:2379"])
    #expect(put.error == .rpcNotSupportedForLearner && put.attempts.count == 1)
    #expect(Fixture.call(&w, .range(key: "k", end: nil, prefix: false, serializable: true), endpoints: ["http://10.0.1.13:2379"]).error == nil)
  }

  @Test func aRejectedCommandChangesNothing() {
    var w = Fixture.course()
    _ = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: true))
    let before = Fixture.mainCluster(w)
    _ = Fixture.call(&w, .memberAdd(peerURLs: ["http://10.0.1.14:2380"], isLearner: true))
    let after = Fixture.mainCluster(w)
    #expect(before.members == after.members && before.removed == after.removed && before.kv == after.kv)
  }

  @Test func theSameSeedGivesTheSameWorld() {
    var a = Fixture.course(seed: 7)
    var b = Fixture.course(seed: 7)
    _ = Fixture.call(&a, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: false))
    _ = Fixture.call(&b, .memberAdd(peerURLs: ["http://10.0.1.13:2380"], isLearner: false))
    #expect(a == b)
    #expect(Fixture.course(seed: 8) != Fixture.course(seed: 7))
  }
}
