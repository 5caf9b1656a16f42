import EtcdCommands
import EtcdSim
import Foundation
import Testing
@testable import LabKit

/// Checks look at what the student did, not at how it was typed: etcd's parsed configuration,
/// what a restore made, the command a mistake runs.
@Suite struct StudentWorkCheckTests {
  static let peer = "--listen-peer-urls http://10.0.1.13:2380 --initial-advertise-peer-urls http://10.0.1.13:2380 --listen-client-urls http://10.0.1.13:2379 --advertise-client-urls http://10.0.1.13:2379 --initial-cluster infra3=http://10.0.1.13:2380"

  static func session() -> Session {
    Session(world: World(setup: .course, seed: 1), host: "infra3", transcriptMode: true, suggestions: false)
  }

  static func holds(_ flags: [String], _ s: Session) -> Bool {
    CheckItem(.process(host: "infra3", running: true, flags: flags)).holds(in: CheckContext(world: s.world, events: s.events))
  }

  @Test func aProcessCheckComparesWholeValuesInEveryForm() {
    var s = Self.session()
    _ = s.run("etcd --name infra3 -data-dir /var/lib/etcd-restored2 \(Self.peer) > /var/log/etcd.log 2>&1 &")
    #expect(!Self.holds(["--data-dir /var/lib/etcd-restored"], s), "a prefix of the value is not the value")
    #expect(Self.holds(["--data-dir /var/lib/etcd-restored2"], s))
    #expect(Self.holds(["--data-dir=/var/lib/etcd-restored2/", "-name=infra3"], s))
    #expect(Self.holds(["--initial-cluster-state new", "--initial-cluster-token etcd-cluster"], s), "defaults count when not given")
    #expect(!Self.holds(["--initial-cluster-state existing"], s))
    _ = s.run("kill %1")
    _ = s.run("ETCD_DATA_DIR=/var/lib/etcd-restored ETCD_INITIAL_CLUSTER_STATE=new etcd --name infra3 \(Self.peer) > /var/log/etcd.log 2>&1 &")
    #expect(Self.holds(["--data-dir /var/lib/etcd-restored", "--initial-cluster-state=new"], s), "ETCD_* variables are flags too")
    #expect(!Self.holds(["--data-dir /var/lib/etcd-restored2"], s))
  }

  @Test func aUnitsEnvironmentFileSetsFlags() {
    var s = Self.session()
    _ = s.run("printf '[Service]\\nType=simple\\nEnvironment=ETCD_NAME=infra3\\nEnvironmentFile=/etc/default/etcd\\nExecStart=/usr/local/bin/etcd \(Self.peer)\\n' > /etc/systemd/system/etcd3.service")
    _ = s.run("systemctl daemon-reload")
    let missing = s.run("systemctl start etcd3")
    #expect(missing.status == 1)
    #expect(missing.io.text.hasPrefix("Job for etcd3.service failed because of unavailable resources or another system error."))
    _ = s.run("printf '# written by hand\\nETCD_DATA_DIR=\"/var/lib/etcd-env\"\\n' > /etc/default/etcd")
    #expect(s.run("systemctl start etcd3").status == 0)
    #expect(Self.holds(["--data-dir /var/lib/etcd-env", "--name infra3"], s))
    #expect(!Self.holds(["--data-dir /var/lib/etcd"], s))
  }

  @Test func lintRefusesAFlagEtcdDoesNotHaveAndAHostTheSetupDoesNot() throws {
    let restore = try String(contentsOf: LabFixtures.labsDirectory.appendingPathComponent("restore-cluster.yaml"), encoding: .utf8)
      .replacingOccurrences(of: "flags: [--data-dir /var/lib/etcd-restored]}", with: "flags: [--data-dirr /var/lib/etcd-restored]}")
    let replace = try String(contentsOf: LabFixtures.labsDirectory.appendingPathComponent("replace-failed-member.yaml"), encoding: .utf8)
      .replacingOccurrences(of: "host: infra0\n", with: "host: infra9\n")
    let problems = Linter.lint(files: [("restore-cluster.yaml", restore), ("replace-failed-member.yaml", replace)]) { _, _ in nil }
    #expect(problems.contains { $0.file == "restore-cluster.yaml" && $0.message.contains("flags: flag provided but not defined: -data-dirr") })
    #expect(problems.contains { $0.file == "replace-failed-member.yaml" && $0.message.contains("host 'infra9' is not defined by the setup") })
  }

  // MARK: restore

  static let initial = "infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380"

  static func restore(_ host: String, name: String, url: String, token: String?) -> String {
    "ssh \(host) etcdctl snapshot restore /root/snap.db --name \(name) --initial-cluster \(initial)"
      + (token.map { " --initial-cluster-token \($0)" } ?? "") + " --initial-advertise-peer-urls \(url) --data-dir /var/lib/etcd-restored"
  }

  @Test func aRestoreCheckComparesNameTokenAndMemberList() {
    var run = LabRun(lab: LabRunTests.lab("restore-cluster"), seed: 1)
    for line in run.lab.steps[0].solution { _ = run.submit(line) }
    #expect(run.stepIndex == 1)
    _ = run.submit(Self.restore("infra0", name: "infra0", url: "http://10.0.1.10:2380", token: nil))
    _ = run.submit(Self.restore("infra1", name: "infra0", url: "http://10.0.1.10:2380", token: "etcd-cluster-restored"))
    _ = run.submit(Self.restore("infra2", name: "infra2", url: "http://10.0.1.12:2380", token: "etcd-cluster-restored"))
    #expect(run.stepIndex == 1, "a restore without the token or under another member's name does not pass")
    let messages = run.failingChecks().map { $0.message(.en) }
    #expect(messages.count == 2)
    #expect(messages.contains { $0.contains("infra0's /var/lib/etcd-restored was restored with another --initial-cluster-token") })
    #expect(messages.contains { $0.contains("infra1's /var/lib/etcd-restored was restored as infra0") })
    #expect(run.failingChecks().map { $0.message(.zh) }.contains { $0.contains("infra1 上的 /var/lib/etcd-restored 被恢复成了 infra0") })
    // Fixed by hand: removed and restored again, as the step says.
    _ = run.submit("ssh infra0 rm -rf /var/lib/etcd-restored")
    _ = run.submit(Self.restore("infra0", name: "infra0", url: "http://10.0.1.10:2380", token: "etcd-cluster-restored"))
    _ = run.submit("ssh infra1 rm -rf /var/lib/etcd-restored")
    let passed = run.submit(Self.restore("infra1", name: "infra1", url: "http://10.0.1.11:2380", token: "etcd-cluster-restored"))
    #expect(passed?.passed == [1])
  }

  @Test func aRestoreWithNoSnapshotLeftSaysHowToGoBack() {
    var run = LabRun(lab: LabRunTests.lab("restore-cluster"), seed: 1)
    for line in run.lab.steps[0].solution { _ = run.submit(line) }
    _ = run.submit("for h in infra0 infra1 infra2; do ssh $h rm /root/snap.db; done")
    let message = run.failingChecks().first?.message(.en) ?? ""
    #expect(message.contains("no intact snapshot file is left on any machine to restore from"))
    #expect(message.contains("Type undo to take back “for h in infra0 infra1 infra2; do ssh $h rm /root/snap.db; done”, or reset"))
    #expect(run.failingChecks().first?.message(.zh).contains("输入 undo 撤销") == true)
    #expect(run.failingChecks().dropFirst().allSatisfy { !$0.message(.en).contains("Type undo") }, "said once, not per check")
  }

  // MARK: mistakes

  @Test func aMistakeMatchesWhatRunsOnItsHostNotTheTypedText() {
    let lab = LabRunTests.lab("replace-failed-member")
    // On infra2 the same words are the step's answer: infra0's explanation must not show.
    var there = LabRun(lab: lab, seed: 1)
    _ = there.submit("ssh infra2")
    let right = there.submit("systemctl start etcd")
    #expect(right?.explanations.contains { $0.contains("infra0's own unit") } == false)
    // On infra0 it is the mistake, typed with other spaces and quotes too.
    var here = LabRun(lab: lab, seed: 1)
    let wrong = here.submit("systemctl  'start' etcd")
    #expect(wrong?.explanations.contains { $0.contains("infra0's own unit") } == true)
  }

  @Test func aMistakeWithAnExpansionMatchesItsExpandedForm() {
    let lab = LabRunTests.lab("restore-cluster")
    var run = LabRun(lab: lab, seed: 1)
    // Step 1's mistake `systemctl stop etcd`, typed through a variable.
    let f = run.submit("U=etcd; systemctl stop $U")
    #expect(f?.explanations.contains { $0.hasPrefix("Only infra0 stopped.") } == true)
  }

  @Test func aMistakeMatchesWhateverFormItsFlagsTake() {
    var run = LabRun(lab: LabRunTests.lab("restore-cluster"), seed: 1)
    for line in run.lab.steps[0].solution { _ = run.submit(line) }
    // The step's mistake restores without the token with `--flag value`; typed here with `=`.
    let f = run.submit("ssh infra0 etcdctl snapshot restore /root/snap.db --name=infra0 --initial-cluster=\(Self.initial) --initial-advertise-peer-urls=http://10.0.1.10:2380 --data-dir=/var/lib/etcd-restored")
    #expect(f?.explanations.contains { $0.hasPrefix("That restore has no --initial-cluster-token") } == true)
  }

  @Test func lintWarnsOnAMistakeThatCanNeverMatch() {
    #expect(Lab.Mistake(commands: ["ssh infra2 systemctl start etcd"], error: nil, explanation: nil, host: "infra0").neverMatches
      == "its last command runs on infra2 (ssh), never on infra0")
    #expect(Lab.Mistake(commands: ["hint"], error: nil, explanation: nil, host: nil).neverMatches != nil)
    #expect(Lab.Mistake(commands: ["# nothing"], error: nil, explanation: nil, host: nil).neverMatches != nil)
    #expect(Lab.Mistake(commands: ["ssh infra0 systemctl start etcd"], error: nil, explanation: nil, host: "infra0").neverMatches == nil)
  }
}
