import EtcdCommands
import EtcdSim
import LabKit
import Testing
@testable import LabShell

@Suite struct ClusterPictureTests {
  static func picture(_ lines: [String], lang: Language = .en, terminal: Terminal = Terminal(colour: false, width: 80)) -> [String] {
    var session = Session(world: World(setup: .course, seed: 1), host: "infra0")
    for l in lines { _ = session.run(l) }
    return ClusterPicture.render(session.world, lang: lang, terminal: terminal)
  }

  @Test func theCourseClusterAsBoxes() {
    let p = Self.picture([])
    let text = p.joined(separator: "\n")
    #expect(text.contains("infra0 10.0.1.10"))
    #expect(text.components(separatedBy: "leader · running").count == 2)
    #expect(text.components(separatedBy: "follower · running").count == 3)
    #expect(text.contains("not a member"))
    #expect(p.last?.hasPrefix("quorum up: 3 of 3 voters running · cluster version 3.4") == true)
    // Two boxes side by side in 80 columns, never wider.
    #expect(p.allSatisfy { Terminal.displayWidth($0) <= 80 })
    #expect(p.first?.components(separatedBy: "┌").count == 3)
  }

  @Test func anUnstartedLearnerAndAStoppedVoter() {
    let p = Self.picture(["etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner", "ssh infra2 systemctl stop etcd"])
    let text = p.joined(separator: "\n")
    #expect(text.contains("learner · unstarted"))
    #expect(text.contains("voter · stopped"))
    #expect(text.contains("0/"))
    #expect(p.last?.hasPrefix("quorum up: 2 of 3 voters running") == true)
  }

  /// A learner started with `new` forms a cluster of its own: its host says so, in both
  /// languages, and the other cluster is listed under the lab's; every line still fits.
  @Test func aStrayMemberIsShownInItsOwnCluster() {
    let start = "ssh infra3 'etcd --name infra3 --data-dir /var/lib/etcd --initial-advertise-peer-urls http://10.0.1.13:2380 --listen-peer-urls http://10.0.1.13:2380 --listen-client-urls http://10.0.1.13:2379 --advertise-client-urls http://10.0.1.13:2379 --initial-cluster infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380,infra3=http://10.0.1.13:2380 --initial-cluster-state new > /var/log/etcd.log 2>&1 &'"
    for lang in Language.allCases {
      let p = Self.picture(["etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner", start, "sleep 2"], lang: lang)
      let text = p.joined(separator: "\n")
      #expect(text.contains(lang == .en ? "learner · unstarted" : "Learner · 未启动"))
      #expect(text.contains(lang == .en ? "stray: in " : "游离：属于 "))
      #expect(text.contains(lang == .en ? "another cluster, " : "另一个集群 "))
      #expect(text.contains("infra0, infra1, infra2, infra3"))
      #expect(p.allSatisfy { Terminal.displayWidth($0) <= 80 }, "\(p)")
    }
  }

  @Test func quorumLostIsSaid() {
    let p = Self.picture(["ssh infra1 systemctl stop etcd", "ssh infra2 systemctl stop etcd"], lang: .zh)
    #expect(p.last?.hasPrefix("法定人数丢失：3 个投票成员中仅 1 个在运行") == true)
  }

  @Test func asciiAndNarrowTerminals() {
    let p = Self.picture([], terminal: Terminal(colour: false, width: 40, unicode: false))
    #expect(p.allSatisfy { $0.unicodeScalars.allSatisfy { $0.isASCII } || $0.contains("·") })
    #expect(!p.joined().contains("┌"))
    // One box per host (the course has five), one per row at 40 columns.
    #expect(p.filter { $0.hasPrefix("+- ") }.count == 5)
    #expect(p.allSatisfy { Terminal.displayWidth($0) <= 40 })
  }
}
