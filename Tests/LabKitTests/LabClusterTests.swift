import EtcdCommands
import EtcdSim
import Testing
@testable import LabKit

/// The lab's cluster (`World.labCluster`): what checks, explanations and the cluster picture speak of.
@Suite struct LabClusterTests {
  static func course() -> Session {
    Session(world: World(setup: .course, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
  }

  static func cluster(_ s: Session) -> UInt64? { s.world.labCluster?.id }

  @Test func theLabsClusterIsTheSetupsEvenWhenAStrayOneHasMoreMembers() {
    var s = Self.course()
    let setup = s.world.labClusterID
    #expect(setup != nil && Self.cluster(s) == setup)
    // The lab's cluster shrinks to one member; a stray two-member cluster starts on infra3 and infra4.
    for name in ["infra2", "infra1"] { _ = s.run("etcdctl member remove $(etcdctl member list | grep \(name) | cut -d, -f1)") }
    let stray = "infra3=http://10.0.1.13:2380,infra4=http://10.0.1.14:2380"
    for n in 3...4 {
      _ = s.run("ssh infra\(n) 'etcd --name infra\(n) --data-dir /var/lib/etcd --initial-advertise-peer-urls http://10.0.1.1\(n):2380 --listen-peer-urls http://10.0.1.1\(n):2380 --listen-client-urls http://10.0.1.1\(n):2379 --advertise-client-urls http://10.0.1.1\(n):2379 --initial-cluster \(stray) --initial-cluster-state new > /var/log/etcd.log 2>&1 &'")
    }
    _ = s.run("sleep 3")
    #expect(s.world.clusters.count == 2)
    #expect(s.world.clusters.values.contains { $0.id != setup && $0.members.count == 2 })
    #expect(Self.cluster(s) == setup && s.world.labCluster?.members.count == 1)
  }

  @Test func aRestoreWithANewTokenMovesTheLabsCluster() {
    var s = Self.course()
    let setup = s.world.labClusterID
    _ = s.run("etcdctl snapshot save /root/s.db")
    _ = s.run("systemctl stop etcd; mv /var/lib/etcd /var/lib/etcd.old")
    _ = s.run("etcdctl snapshot restore /root/s.db --name infra0 --initial-cluster infra0=http://10.0.1.10:2380 --initial-advertise-peer-urls http://10.0.1.10:2380 --initial-cluster-token restored --data-dir /var/lib/etcd")
    _ = s.run("systemctl start etcd")
    #expect(s.world.labClusterID != nil && s.world.labClusterID != setup)
    #expect(s.world.labCluster?.members.count == 1)
  }

  @Test func withoutASetupClusterTheFirstBootstrapIsTheLabsCluster() {
    var setup = WorldSetup()
    setup.hosts = (0...1).map { WorldSetup.HostSetup(name: "infra\($0)", address: "10.0.1.1\($0)") }
    var s = Session(world: World(setup: setup, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
    #expect(s.world.labClusterID == nil)
    _ = s.run("etcd --name infra0 --initial-advertise-peer-urls http://10.0.1.10:2380 --listen-peer-urls http://10.0.1.10:2380 --initial-cluster infra0=http://10.0.1.10:2380 > /tmp/a.log 2>&1 &")
    let first = s.world.labClusterID
    #expect(first != nil)
    _ = s.run("ssh infra1 'etcd --name infra1 --initial-advertise-peer-urls http://10.0.1.11:2380 --listen-peer-urls http://10.0.1.11:2380 --initial-cluster infra1=http://10.0.1.11:2380 > /tmp/b.log 2>&1 &'")
    #expect(s.world.clusters.count == 2 && s.world.labClusterID == first)
  }
}
