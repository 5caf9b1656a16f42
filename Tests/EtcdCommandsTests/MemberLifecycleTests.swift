import EtcdCommands
import EtcdSim
import Testing

/// Off-path member lifecycles as etcd 3.4.23 runs them (captured in `Tests/Captures/13-15`): a
/// removed member's exit, its restart on the old data dir (also under systemd), a stray cluster
/// next to a running one, and restores that disagree.
@Suite struct MemberLifecycleTests {
  static let cluster = "infra0=http://127.0.0.10:2380,infra1=http://127.0.0.11:2380,infra2=http://127.0.0.12:2380"
  static func etcd(_ n: Int, state: String = "new", cluster: String = cluster) -> String {
    "etcd --name infra\(n) --data-dir infra\(n).etcd --initial-advertise-peer-urls http://127.0.0.1\(n):2380 --listen-peer-urls http://127.0.0.1\(n):2380 --listen-client-urls http://127.0.0.1\(n):2379 --advertise-client-urls http://127.0.0.1\(n):2379 --initial-cluster-token etcd-cluster-1 --initial-cluster \(cluster) --initial-cluster-state \(state) > infra\(n).log 2>&1 &"
  }

  /// Whether infra2's etcd still runs on the loopback machine.
  static func infra2Runs(_ s: Session) -> Bool { s.world.runningEtcd.contains { $0.etcd?.config.name == "infra2" } }

  @Test func aRemovedMemberLogsWhyAndExitsZeroWithinMilliseconds() {
    var s = Sandbox.loopbackCluster()
    #expect(s.run("etcdctl --endpoints=http://127.0.0.10:2379 member remove 9ba8dd709d019ef4").status == 0)
    let pid = s.world.processes.first { $0.etcd?.config.name == "infra2" }?.pid ?? 0
    s.world.advance(by: 100)
    #expect(!Self.infra2Runs(s))
    #expect(s.world.process(pid: pid)?.exitStatus == 0)
    #expect(s.text("grep -E 'etcdserver: (the member has been|the data-dir)' infra2.log | cut -c28-").0
      == "E | etcdserver: the member has been permanently removed from the cluster\nI | etcdserver: the data-dir used by this member must be removed.\n")
    #expect(s.text("grep -c 'rejected the stream from peer 9ba8dd709d019ef4 since it was removed' infra1.log").0 == "2\n")
    // Restarted on its old data dir, it learns the same, never serves, and exits again.
    _ = s.run(Self.etcd(2))
    s.world.advance(by: 100)
    #expect(!Self.infra2Runs(s))
    #expect(s.text("grep -c 'ready to serve' infra2.log").0 == "0\n")
    #expect(s.text("grep -c 'rejected the stream from peer' infra1.log").0 == "6\n")
  }

  @Test func aStrayClusterAndTheRunningOneRejectEachOther20TimesASecondUntilItStops() {
    var s = Sandbox.loopbackCluster()
    _ = s.run(Self.etcd(3, cluster: Self.cluster + ",infra3=http://127.0.0.13:2380"))
    _ = s.run("grep -c 'request cluster ID mismatch' infra0.log > a; sleep 5; grep -c 'request cluster ID mismatch' infra0.log > b")
    let counts = s.text("cat a b").0.split(separator: "\n").compactMap { Int($0) }
    #expect(counts.count == 2 && (95...105).contains(counts[1] - counts[0]))
    // The stray dials the three, they never dial it: it only logs its own requests ignored.
    #expect(s.text("grep -c 'request cluster ID mismatch' infra3.log").0 == "0\n")
    #expect(s.text("grep -m1 'request sent was ignored' infra3.log | cut -c28-").0.hasPrefix("E | rafthttp: request sent was ignored (cluster ID mismatch: peer["))
    // The running cluster keeps its leader and stays the lab's cluster.
    #expect(s.world.labClusterID == 0xf28e_b4fd_a84f_b6e1)
    #expect(s.text("etcdctl --endpoints=http://127.0.0.10:2379 put k v").0 == "OK\n")
    _ = s.run("pkill -f 'name infra3'")
    _ = s.run("grep -c mismatch infra0.log > a; sleep 3; grep -c mismatch infra0.log > b")
    #expect(s.text("cat a b | uniq | wc -l").0 == "1\n")
  }

  @Test func membersRestoredApartFormTwoClustersAndTheQuorateOneElects() {
    var s = Sandbox.loopbackCluster()
    _ = s.run("etcdctl --endpoints=http://127.0.0.10:2379 put k v; etcdctl --endpoints=http://127.0.0.10:2379 snapshot save snap.db")
    _ = s.run("pkill etcd")
    for (n, token) in [(0, "a"), (1, "b"), (2, "b")] {
      _ = s.run("etcdctl snapshot restore snap.db --name infra\(n) --initial-cluster \(Self.cluster) --initial-cluster-token etcd-cluster-\(token) --initial-advertise-peer-urls http://127.0.0.1\(n):2380 --data-dir infra\(n).restored")
    }
    for n in 0...2 {
      _ = s.run("etcd --name infra\(n) --data-dir infra\(n).restored --initial-advertise-peer-urls http://127.0.0.1\(n):2380 --listen-peer-urls http://127.0.0.1\(n):2380 --listen-client-urls http://127.0.0.1\(n):2379 --advertise-client-urls http://127.0.0.1\(n):2379 > infra\(n).log 2>&1 &")
    }
    _ = s.run("sleep 5")
    #expect(s.text("etcdctl --endpoints=http://127.0.0.11:2379 get k --print-value-only").0 == "v\n")
    #expect(s.run("etcdctl --endpoints=http://127.0.0.10:2379 get k").status == 1)
    #expect(s.text("grep -c 'request cluster ID mismatch' infra0.log").0 != "0\n")
  }

  /// The course's machines: etcd under systemd (`Type=notify`, `Restart=on-failure`).
  @Test func underSystemdARemovedMemberDeactivatesAndItsRestartFailsWithProtocol() {
    var s = Sandbox.course()
    _ = s.run("sleep 6")
    let id = s.world.labCluster?.sortedMembers.first { $0.name == "infra2" }.map { Hex.string($0.id) } ?? ""
    #expect(s.run("etcdctl member remove \(id)").status == 0)
    _ = s.run("sleep 1")
    #expect(s.text("ssh infra2 systemctl is-active etcd") == ("inactive\n", 3))
    #expect(s.text("ssh infra2 journalctl -u etcd -n 1 | cut -d' ' -f6-").0 == "etcd.service: Deactivated successfully.\n")
    #expect(s.text("ssh infra2 systemctl status etcd | grep 'Main PID'").0.hasSuffix("(code=exited, status=0/SUCCESS)\n"))
    let start = s.text("ssh infra2 systemctl start etcd")
    #expect(start.1 == 1)
    #expect(start.0.hasPrefix("Job for etcd.service failed because the service did not take the steps required by its unit configuration.\n"))
    #expect(s.text("ssh infra2 systemctl status etcd | grep Active:").0.contains("failed (Result: protocol)"))
    #expect(s.text("ssh infra2 journalctl -u etcd -n 2 | cut -d' ' -f6-").0
      == "etcd.service: Failed with result 'protocol'.\nFailed to start etcd.service - etcd key-value store.\n")
  }
}
