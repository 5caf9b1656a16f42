import EtcdCommands
import EtcdSim
import Testing
@testable import LabKit

/// The journeys that got students stuck for good: each plays the mistake, the fix by hand (no
/// `undo`, no `reset`), and reaches the end of the lab.
@Suite struct StuckJourneyTests {
  static let initial = "infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380"

  static func restore(_ n: Int, file: String, dir: String, token: String?) -> String {
    "ssh infra\(n) etcdctl snapshot restore \(file) --name infra\(n) --initial-cluster \(initial)"
      + (token.map { " --initial-cluster-token \($0)" } ?? "") + " --initial-advertise-peer-urls http://10.0.1.1\(n):2380 --data-dir \(dir)"
  }

  static func play(_ run: inout LabRun, _ lines: [String]) {
    for line in lines { _ = run.submit(line) }
  }

  /// disaster-recovery: infra1 restored without the token, all three started; then infra1 is
  /// stopped, restored again with the token and started. It must serve at once (not stay
  /// `activating` until systemd's 90 s), and the lab completes.
  @Test func disasterRecoveryWithAWrongRestoreCorrectedByHand() {
    var run = LabRun(lab: LabRunTests.lab("disaster-recovery"), seed: 1)
    for k in 0..<2 { Self.play(&run, run.lab.steps[k].solution) }
    #expect(run.stepIndex == 2)
    Self.play(&run, [
      Self.restore(0, file: "/var/backups/etcd-latest.db", dir: "/var/lib/etcd", token: "etcd-cluster-dr"),
      Self.restore(1, file: "/root/etcd-latest.db", dir: "/var/lib/etcd", token: nil),
      Self.restore(2, file: "/root/etcd-latest.db", dir: "/var/lib/etcd", token: "etcd-cluster-dr"),
      "for h in infra0 infra1 infra2; do ssh $h systemctl start --no-block etcd; done",
      "sleep 3",
      "etcdctl get /app/config",
    ])
    #expect(run.stepIndex == 2)
    // The lab's cluster is the one infra0 and infra2 form; infra1 is named as serving another.
    #expect(run.session.world.labCluster?.members.values.contains { $0.name == "infra0" } == true)
    let messages = run.failingChecks().map { $0.message(.en) }
    #expect(messages.contains { $0.contains("infra1's etcd serves another cluster") }, "\(messages)")
    Self.play(&run, [
      "ssh infra1 systemctl stop etcd",
      "ssh infra1 rm -rf /var/lib/etcd",
      Self.restore(1, file: "/root/etcd-latest.db", dir: "/var/lib/etcd", token: "etcd-cluster-dr"),
      "ssh infra1 systemctl start --no-block etcd",
      "sleep 3",
    ])
    #expect(run.session.run("ssh infra1 systemctl is-active etcd").io.text == "active\n")
    _ = run.submit("etcdctl get /app/config")
    #expect(run.isComplete, "\(run.failingChecks().map { $0.message(.en) })")
  }

  /// restore-cluster: infra0 restored without the token, the step's check ignored, all three
  /// started; then infra0 is stopped, restored again and started: both steps pass.
  @Test func restoreClusterWithAWrongRestoreCorrectedByHand() {
    var run = LabRun(lab: LabRunTests.lab("restore-cluster"), seed: 1)
    Self.play(&run, run.lab.steps[0].solution)
    let dir = "/var/lib/etcd-restored"
    Self.play(&run, [
      Self.restore(0, file: "/root/snap.db", dir: dir, token: nil),
      Self.restore(1, file: "/root/snap.db", dir: dir, token: "etcd-cluster-restored"),
      Self.restore(2, file: "/root/snap.db", dir: dir, token: "etcd-cluster-restored"),
    ])
    #expect(run.stepIndex == 1)
    Self.play(&run, run.lab.steps[2].solution)
    #expect(run.stepIndex == 1)
    // infra0 started first in a cluster of its own: it does not become the lab's cluster.
    #expect(run.session.world.labCluster?.members.values.contains { $0.name == "infra1" } == true)
    Self.play(&run, [
      "ssh infra0 systemctl stop etcd",
      "ssh infra0 rm -rf \(dir)",
      Self.restore(0, file: "/root/snap.db", dir: dir, token: "etcd-cluster-restored"),
      "ssh infra0 systemctl start --no-block etcd",
      "sleep 3",
      "etcdctl get /app/config",
    ])
    #expect(run.isComplete, "step \(run.stepIndex + 1): \(run.failingChecks().map { $0.message(.en) })")
  }
}
