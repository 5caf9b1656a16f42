import EtcdCommands
import EtcdSim
import Testing
@testable import LabShell

@Suite struct CompleterTests {
  static func completer(_ setup: [String] = []) -> Completer {
    var session = Session(world: World(setup: .course, seed: 1), host: "infra0")
    for line in setup { _ = session.run(line) }
    return Completer(session: session, metaCommands: LabScreen.metaCommands, labIDs: ["add-voting-member", "learner-flow"])
  }

  @Test func commandsAndMetaCommandsAtTheStart() {
    let c = Self.completer()
    #expect(c.complete("etcd", before: "") == ["etcd", "etcdctl"])
    #expect(c.complete("hi", before: "").contains("hint"))
    #expect(c.complete("gr", before: "ls | ") == ["grep"])
  }

  @Test func etcdctlCommandsAndFlags() {
    let c = Self.completer()
    #expect(c.complete("mem", before: "etcdctl ") == ["member"])
    #expect(c.complete("", before: "etcdctl member ") == ["add", "list", "promote", "remove", "update"])
    #expect(c.complete("--lea", before: "etcdctl member add infra3 ") == ["--learner"])
    #expect(c.complete("--peer", before: "etcdctl member add infra3 ") == ["--peer-urls="])
  }

  @Test func memberIDsFromTheLiveWorld() {
    let before = Self.completer()
    #expect(before.complete("", before: "etcdctl member promote ") == ["794aea3ba77a1d64", "9d480e1db4ddec45", "e25938377bdd2340"])
    let after = Self.completer(["etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner"])
    #expect(after.complete("", before: "etcdctl member promote ").count == 4)
    #expect(after.complete("e2", before: "etcdctl member remove ") == ["e25938377bdd2340"])
    // A name completes to its member's id.
    #expect(after.complete("infra1", before: "etcdctl member remove ") == ["e25938377bdd2340"])
    #expect(after.complete("infra", before: "etcdctl member update ").count == 3)
  }

  @Test func etcdFlagsHostsUnitsEndpoints() {
    let c = Self.completer()
    #expect(c.complete("--initial-cluster", before: "etcd --name infra3 ").contains("--initial-cluster-state"))
    #expect(c.complete("inf", before: "ssh ") == ["infra0", "infra1", "infra2", "infra3", "infra4"])
    #expect(c.complete("", before: "systemctl stop ") == ["etcd"])
    #expect(c.complete("", before: "etcdctl --endpoints=").contains("http://10.0.1.11:2379"))
  }

  @Test func pathsInTheSimulatedFileSystem() {
    let c = Self.completer()
    #expect(c.complete("/var/lib/et", before: "ls ") == ["/var/lib/etcd/"])
    #expect(c.complete("/etc/systemd/system/etcd.", before: "cat ") == ["/etc/systemd/system/etcd.service"])
  }

  @Test func labIDsAndLanguages() {
    let c = Self.completer()
    #expect(c.complete("lea", before: "labs ") == ["learner-flow"])
    #expect(c.complete("z", before: "lang ") == ["zh"])
  }
}
