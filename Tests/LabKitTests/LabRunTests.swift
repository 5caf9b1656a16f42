import EtcdCommands
import EtcdSim
import Foundation
import Testing
@testable import LabKit

@Suite struct LabRunTests {
  static func lab(_ name: String) -> Lab {
    LabFixtures.load(LabFixtures.labsDirectory.appendingPathComponent(name + ".yaml")).0!
  }

  @Test func aLiteralIDAndASubstitutionSatisfyTheSameCheck() {
    let lab = Self.lab("learner-failures")
    var literal = LabRun(lab: lab, seed: 1)
    var substituted = LabRun(lab: lab, seed: 1)
    for l in lab.steps[0].solution { _ = literal.submit(l); _ = substituted.submit(l) }
    #expect(literal.stepIndex == 1 && substituted.stepIndex == 1)
    let id = literal.session.world.labCluster?.learners.first.map { String($0.id, radix: 16) } ?? "?"
    let a = literal.submit("etcdctl member promote \(id)")
    let b = substituted.submit("etcdctl member promote $(etcdctl member list | grep unstarted | cut -d, -f1)")
    #expect(a?.passed == [1] && b?.passed == [1], "literal \(String(describing: a?.passed)), substituted \(String(describing: b?.passed))")
  }

  @Test func theSnapshotCheckWantsAnIntactSnapshotWithEnoughKeys() {
    var s = Session(world: World(setup: .course, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
    _ = s.run("etcdctl put a 1; etcdctl put b 2")
    let check = CheckItem(.snapshot(host: "infra0", path: "/root/backup.db", keys: 2, revision: 3))
    func holds() -> Bool { check.holds(in: CheckContext(world: s.world, events: s.events)) }
    #expect(!holds())
    _ = s.run("echo not a snapshot > /root/backup.db")
    #expect(!holds())
    _ = s.run("etcdctl snapshot save /root/backup.db")
    #expect(holds())
    #expect(!CheckItem(.snapshot(host: "infra0", path: "/root/backup.db", keys: 3, revision: nil)).holds(in: CheckContext(world: s.world, events: s.events)))
    _ = s.run("echo x >> /root/backup.db")
    #expect(!holds())
    #expect(check.message(.en) == "/root/backup.db on infra0 should be an intact snapshot, at least 2 keys, revision 3 or later")
    #expect(check.message(.zh) == "infra0 上的 /root/backup.db 应是一个完好的快照，至少 2 个键，修订版本至少 3")
  }

  @Test func theTLSCheckWantsAnAnswerOverTLSWithAClientCertificate() {
    let dir = "/etc/kubernetes/pki/etcd"
    var s = Session(world: World(setup: .kubeadmTLS(), seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
    let check = CheckItem(.tls(host: "infra0"))
    func holds() -> Bool { check.holds(in: CheckContext(world: s.world, events: s.events)) }
    _ = s.run("etcdctl --endpoints=https://127.0.0.1:2379 member list")
    _ = s.run("etcdctl --endpoints=https://127.0.0.1:2379 --cacert=\(dir)/ca.crt member list")
    #expect(!holds())
    _ = s.run("etcdctl --endpoints=https://127.0.0.1:2379 --cacert=\(dir)/ca.crt --cert=\(dir)/server.crt --key=\(dir)/server.key endpoint health")
    #expect(holds())
    #expect(!CheckItem(.tls(host: "infra1")).holds(in: CheckContext(world: s.world, events: s.events)))
    #expect(check.message(.en) == "an etcdctl command should succeed over TLS on infra0 with the right --cacert, --cert and --key")
  }

  @Test func theVersionCheckFollowsBinariesAndTheClusterVersion() {
    var setup = WorldSetup()
    setup.hosts = (0...2).map { WorldSetup.HostSetup(name: "infra\($0)", address: "10.0.1.1\($0)", member: true) }
    setup.releases = ["3.5.17"]
    var s = Session(world: World(setup: setup, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
    func holds(_ c: Check) -> Bool { CheckItem(c).holds(in: CheckContext(world: s.world, events: s.events)) }
    #expect(holds(.version(host: nil, binary: "3.4", cluster: "3.4")))
    for h in ["infra0", "infra1", "infra2"] {
      let on = h == "infra0" ? "" : "ssh \(h) "
      _ = s.run(on + "tar xzf /root/etcd-v3.5.17-linux-amd64.tar.gz -C /root")
      _ = s.run(on + "systemctl stop etcd")
      _ = s.run(on + "cp /root/etcd-v3.5.17-linux-amd64/etcd /usr/local/bin/etcd")
      _ = s.run(on + "systemctl start etcd")
      #expect(holds(.version(host: h, binary: "3.5.17", cluster: nil)))
      #expect(holds(.version(host: nil, binary: nil, cluster: "3.5")) == (h == "infra2"))
    }
    #expect(holds(.version(host: nil, binary: "3.5", cluster: "3.5")))
    #expect(!holds(.version(host: "infra1", binary: "3.4", cluster: nil)))
    #expect(CheckItem(.version(host: "infra1", binary: "3.5", cluster: "3.5")).message(.en) == "the etcd running on infra1 should be release 3.5, the cluster version should be 3.5")
  }

  @Test func anUpgradeThatSkipsAMinorVersionIsWarnedAboutOnce() {
    var setup = WorldSetup()
    setup.hosts = (0...2).map { WorldSetup.HostSetup(name: "infra\($0)", address: "10.0.1.1\($0)", member: true) }
    setup.releases = ["3.5.17", "3.6.5"]
    let lab = Lab(id: "t", objective: "upgrade", title: Localized(en: "t", zh: "t"), difficulty: "beginner", minutes: 1, lesson: nil, intro: nil,
                  setup: setup, startHost: "infra0", steps: [Lab.Step(text: Localized(en: "", zh: ""), checks: [CheckItem(.version(host: nil, binary: "9", cluster: nil))], hints: [], solution: [], alternatives: [], mistakes: [])])
    var run = LabRun(lab: lab, seed: 1)
    _ = run.submit("tar xzf etcd-v3.6.5-linux-amd64.tar.gz && tar xzf etcd-v3.5.17-linux-amd64.tar.gz")
    _ = run.submit("systemctl stop etcd")
    _ = run.submit("cp etcd-v3.5.17-linux-amd64/etcd /usr/local/bin/etcd")
    #expect(run.submit("systemctl start etcd")?.notices.isEmpty == true)
    _ = run.submit("ssh infra1 systemctl stop etcd")
    _ = run.submit("ssh infra1 cp /root/etcd-v3.6.5-linux-amd64/etcd /usr/local/bin/etcd")
    _ = run.submit("ssh infra1 tar xzf /root/etcd-v3.6.5-linux-amd64.tar.gz -C /root")
    _ = run.submit("ssh infra1 cp /root/etcd-v3.6.5-linux-amd64/etcd /usr/local/bin/etcd")
    let notices = run.submit("ssh infra1 systemctl start etcd")?.notices ?? []
    #expect(notices.contains { $0.hasPrefix("etcdlab: infra1 runs etcd 3.6.5 in a cluster at version 3.4: upgrades go one minor version at a time (to 3.5 first).") }, "\(notices)")
    #expect(run.submit("etcdctl member list")?.notices.isEmpty == true)
  }

  @Test func checksSayWhatIsMissingInBothLanguages() {
    var run = LabRun(lab: Self.lab("add-voting-member"), seed: 1)
    #expect(run.failingChecks().map { $0.message(.en) } == ["infra3 is not a member yet: add it with etcdctl member add"])
    run.lang = .zh
    #expect(run.failingChecks().map { $0.message(.zh) } == ["infra3 还不是成员：用 etcdctl member add 添加它"])
  }

  @Test func hintsClimbTheLadderAndFollowTheWorld() {
    var run = LabRun(lab: Self.lab("learner-flow"), seed: 1)
    let h1 = run.nextHint(), h2 = run.nextHint(), h3 = run.nextHint()
    #expect(h1 == "member add has a flag for learners.")
    #expect(h2 == "etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner")
    #expect(h3 == h2)
    // Step 3's middle hint appears only after a promotion met learner-not-ready.
    for k in 0..<2 { for l in run.lab.steps[k].solution { _ = run.submit(l) } }
    #expect(run.stepIndex == 2)
    _ = run.nextHint()
    let last = run.nextHint()
    #expect(last?.hasPrefix("etcdctl member promote") == true)
    _ = run.submit("etcdctl member promote $(etcdctl member list | grep infra3 | cut -d, -f1)")
    var again = run
    again.hintsShown = 1
    let fitting = again.nextHint()
    #expect(fitting?.contains("still catching up") == true)
  }

  @Test func undoRevertsTheLastChange() {
    var run = LabRun(lab: Self.lab("add-voting-member"), seed: 1)
    _ = run.submit("etcdctl put /a 1")
    let logged = run.session.events
    _ = run.submit("etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380")
    #expect(run.session.world.labCluster!.members.count == 4)
    let undone = run.undo()
    // The member add completed step 1: undo names the command and opens the step again.
    #expect(undone == LabRun.Undone(command: "etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380", reopenedStep: 0))
    #expect(run.stepIndex == 0)
    #expect(run.session.world.labCluster!.members.count == 3)
    // The log is cut back to where it stood, the earlier commands' events intact.
    #expect(run.session.events == logged)
    #expect(run.undo()?.command == "etcdctl put /a 1" && run.session.events.isEmpty)
    #expect(run.session.world.labCluster!.kv.entries["/a"] == nil)
  }

  /// learner-flow, as a student got stuck: started with `new`, stopped, data dir cleared, started
  /// again with `existing`. The stray one-member cluster must not take the lab's place.
  @Test func aStartWithStateNewFixedByHandStillPassesTheStep() {
    var run = LabRun(lab: Self.lab("learner-flow"), seed: 1)
    for line in [
      "etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner",
      "ssh infra3",
      "etcd --name infra3 --data-dir /var/lib/etcd --initial-advertise-peer-urls http://10.0.1.13:2380 --listen-peer-urls http://10.0.1.13:2380 --listen-client-urls http://10.0.1.13:2379,http://127.0.0.1:2379 --advertise-client-urls http://10.0.1.13:2379 --initial-cluster infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380,infra3=http://10.0.1.13:2380 --initial-cluster-state new > /var/log/etcd.log 2>&1 &",
      "sleep 2",
      "kill %1",
      "rm -rf /var/lib/etcd",
      "etcd --name infra3 --data-dir /var/lib/etcd --initial-advertise-peer-urls http://10.0.1.13:2380 --listen-peer-urls http://10.0.1.13:2380 --listen-client-urls http://10.0.1.13:2379,http://127.0.0.1:2379 --advertise-client-urls http://10.0.1.13:2379 --initial-cluster infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380,infra3=http://10.0.1.13:2380 --initial-cluster-state existing > /var/log/etcd.log 2>&1 &",
      "sleep 5"
    ] { _ = run.submit(line) }
    #expect(run.stepIndex == 2)
    _ = run.submit("sleep 60")
    _ = run.submit("etcdctl --endpoints=http://10.0.1.10:2379 member promote $(etcdctl --endpoints=http://10.0.1.10:2379 member list | grep infra3 | cut -d, -f1)")
    #expect(run.isComplete)
  }

  @Test func aCommandThatOnlyReadsIsNotUndone() {
    var run = LabRun(lab: Self.lab("add-voting-member"), seed: 1)
    _ = run.submit("etcdctl put /a 1")
    _ = run.submit("etcdctl member list")
    _ = run.submit("etcdctl get /a")
    #expect(run.undo()?.command == "etcdctl put /a 1")
    #expect(run.undo() == nil)
  }

  @Test func aStepWhoseChecksCameToHoldIsPassedWithoutACommand() {
    var run = LabRun(lab: Self.lab("add-voting-member"), seed: 1)
    // The world changes without a command the lab saw (as a learner catches up while one reads).
    _ = run.session.run("etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380")
    #expect(run.stepIndex == 0)
    #expect(run.checkSteps() == [0] && run.stepIndex == 1)
    #expect(run.checkSteps().isEmpty)
  }

  @Test func undoAfterACommandOfSeveralLinesGoesBackToAPrompt() {
    var run = LabRun(lab: Self.lab("add-voting-member"), seed: 1)
    let open = run.submit("for n in infra3; do")
    let done = run.submit("etcdctl member add $n --peer-urls=http://10.0.1.13:2380; done")
    let undone = run.undo()
    #expect(open == nil && done != nil)
    #expect(undone?.command == "for n in infra3; do\netcdctl member add $n --peer-urls=http://10.0.1.13:2380; done")
    #expect(run.session.pendingLines.isEmpty && run.session.world.labCluster!.members.count == 3)
  }

  @Test func theEndOfInputEndsAnOpenCommand() {
    var run = LabRun(lab: Self.lab("add-voting-member"), seed: 1)
    let nothing = run.endOfInput()
    let open = run.submit("for n in infra3; do")
    #expect(nothing == nil && open == nil)
    let f = run.endOfInput()
    #expect(f?.io.text == "bash: syntax error: unexpected end of file\n" && f?.status == 2 && run.session.pendingLines.isEmpty)
  }

  @Test func aLabCompletesAndResetStartsAgain() {
    let lab = Self.lab("add-voting-member")
    var run = LabRun(lab: lab, seed: 2)
    for step in lab.steps { for l in step.solution { _ = run.submit(l) } }
    #expect(run.isComplete)
    run.reset(wholeLab: true, seed: 2)
    #expect(run.stepIndex == 0 && !run.isComplete)
  }

  @Test func progressRoundTripsAndACorruptFileIsRecognised() {
    var p = StudentProgress()
    let lab = Self.lab("add-voting-member")
    var run = LabRun(lab: lab, seed: 1)
    for l in lab.steps[0].solution { _ = run.submit(l) }
    p.record(run, seconds: 42, commands: 3, solutionShown: [0], hintsUsed: [0: 2])
    #expect(StudentProgress.decode(p.encoded()) == .success(p))
    #expect(p.labs["add-voting-member"]?.steps[0] == StudentProgress.StepProgress(done: true, hintsUsed: 2, solutionRevealed: true))
    if case .failure(.corrupt) = StudentProgress.decode(Data("{not json".utf8)) {} else { Issue.record("corrupt file not recognised") }
    if case .failure(.newerSchema(9)) = StudentProgress.decode(Data(#"{"schema": 9, "labs": {}}"#.utf8)) {} else { Issue.record("newer schema not recognised") }
  }

  @Test func resumingOrResettingCountsOnlyTheStudentsCommands() {
    var run = LabRun(lab: Self.lab("add-voting-member"), seed: 1)
    _ = run.submit("hostname")
    run.reset(wholeLab: false, seed: 1, upTo: 2)
    #expect(run.attempts == 1 && run.stepIndex == 2)
    _ = run.submit("hostname")
    run.reset(wholeLab: true, seed: 1)
    #expect(run.attempts == 2)
  }

  @Test func aBackgroundFailureIsNoticedWithItsFatalLine() {
    var run = LabRun(lab: Self.lab("add-voting-member"), seed: 1)
    _ = run.submit("etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380")
    _ = run.submit("ssh infra3")
    _ = run.submit("etcd --name infra3 --initial-cluster infra0=http://10.0.1.10:2380 --initial-cluster-state existing > /var/log/etcd.log 2>&1 &")
    let (notices, explanations) = run.poll()
    #expect(notices.first?.contains("couldn't find local name \"infra3\"") == true)
    #expect(explanations.first?.contains("\"infra3\"") == true)
  }
}
