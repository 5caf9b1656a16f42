import EtcdCommands
import EtcdSim
import Testing

/// `etcd` start-up: flags, variables, and every bootstrap and join check (reference §3).
@Suite struct EtcdStartupTests {
  static let cluster4 = "infra0=http://127.0.0.10:2380,infra1=http://127.0.0.11:2380,infra2=http://127.0.0.12:2380,infra3=http://127.0.0.13:2380"

  static func infra3(_ extra: String = "", cluster: String = cluster4, state: String = "existing") -> String {
    "etcd --name infra3 --data-dir infra3.etcd --initial-advertise-peer-urls http://127.0.0.13:2380 --listen-peer-urls http://127.0.0.13:2380 --listen-client-urls http://127.0.0.13:2379 --advertise-client-urls http://127.0.0.13:2379 --initial-cluster \(cluster) --initial-cluster-state \(state) \(extra)"
  }

  @Test func versionBlock() {
    var s = Sandbox.loopback()
    #expect(s.text("etcd --version") == ("etcd Version: 3.4.23\nGit SHA: Not provided (use ./build instead of go build)\nGo Version: go1.19.8\nGo OS/Arch: linux/amd64\n", 0))
  }

  @Test func unknownFlagAndBadValues() {
    var s = Sandbox.loopback()
    let (out, st) = s.text("etcd --bogus-flag")
    #expect(st == 2 && out.hasPrefix("flag provided but not defined: -bogus-flag\nUsage:\n"))
    let (bad, st2) = s.text("etcd --initial-cluster-state foo")
    #expect(st2 == 2 && bad.hasPrefix("invalid value \"foo\" for flag -initial-cluster-state: invalid value\n"))
    let (pos, st3) = s.text("etcd --name a x")
    #expect(st3 == 1 && pos.hasSuffix("E | etcdmain: error verifying flags, 'x' is not a valid flag. See 'etcd --help'.\n"))
  }

  @Test func memberCountUnequalWithoutMemberAdd() {
    var s = Sandbox.loopbackCluster()
    let (out, st) = s.text(Self.infra3())
    #expect(st == 1 && out.contains("C | etcdmain: error validating peerURLs {ClusterID:f28eb4fda84fb6e1 Members:[") && out.hasSuffix("RemovedMemberIDs:[]}: member count is unequal\n"))
    #expect(s.text("ls infra3.etcd infra3.etcd/member") == ("infra3.etcd:\nmember\n\ninfra3.etcd/member:\nsnap\n", 0))
  }

  @Test func localNameMissingFromInitialCluster() {
    var s = Sandbox.loopbackCluster()
    _ = s.run("etcdctl --endpoints=http://127.0.0.10:2379 member add infra3 --peer-urls=http://127.0.0.13:2380")
    let (out, st) = s.text(Self.infra3(cluster: "infra0=http://127.0.0.10:2380,infra1=http://127.0.0.11:2380,infra2=http://127.0.0.12:2380"))
    #expect(st == 1 && out.hasSuffix("C | etcdmain: couldn't find local name \"infra3\" in the initial cluster configuration\n"))
  }

  @Test func peerURLsWithNoMatch() {
    var s = Sandbox.loopbackCluster()
    _ = s.run("etcdctl --endpoints=http://127.0.0.10:2379 member add infra3 --peer-urls=http://127.0.0.13:2380")
    let (out, st) = s.text(Self.infra3(cluster: "infra0=http://127.0.0.10:2380,infra1=http://127.0.0.11:2380,infra2=http://127.0.0.12:2380,infra3=http://127.0.0.23:2380"))
    #expect(st == 1 && out.contains("PeerURLs: no match found for existing member (") && out.hasSuffix("last resolver error (resolved urls: \"http://127.0.0.13:2380\" != \"http://127.0.0.23:2380\")\n"))
  }

  @Test func zapLoggerFailure() {
    var s = Sandbox.loopbackCluster()
    let (out, st) = s.text(Self.infra3("--logger=zap"))
    #expect(st == 1 && out.contains("\"msg\":\"failed to start etcd\"") && out.contains("\"msg\":\"discovery failed\""))
  }

  @Test func conflictingEnvironmentVariable() {
    var s = Sandbox.loopbackCluster()
    _ = s.run("export ETCD_NAME=infra3")
    let (out, st) = s.text(Self.infra3())
    #expect(st == 1 && out.hasSuffix("C | pkg/flags: conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)\n"))
  }

  @Test func listenAddressInUse() {
    var s = Sandbox.loopbackCluster()
    let line = "etcd --name infra0 --data-dir other.etcd --initial-advertise-peer-urls http://127.0.0.10:2380 --listen-peer-urls http://127.0.0.10:2380 --listen-client-urls http://127.0.0.10:2379 --advertise-client-urls http://127.0.0.10:2379 --initial-cluster infra0=http://127.0.0.10:2380"
    let (out, st) = s.text(line)
    #expect(st == 1 && out.hasSuffix("C | etcdmain: listen tcp 127.0.0.10:2380: bind: address already in use\n"))
  }

  @Test func aWipedMemberRestartedAsNewIsAlreadyBootstrapped() {
    var s = Sandbox.loopbackCluster()
    _ = s.run("pkill -f 'name infra2'")
    _ = s.run("rm -rf infra2.etcd")
    let (out, st) = s.text("etcd --name infra2 --data-dir infra2.etcd --initial-advertise-peer-urls http://127.0.0.12:2380 --listen-peer-urls http://127.0.0.12:2380 --listen-client-urls http://127.0.0.12:2379 --advertise-client-urls http://127.0.0.12:2379 --initial-cluster-token etcd-cluster-1 --initial-cluster infra0=http://127.0.0.10:2380,infra1=http://127.0.0.11:2380,infra2=http://127.0.0.12:2380 --initial-cluster-state new")
    #expect(st == 1 && out.hasSuffix("C | etcdmain: member 9ba8dd709d019ef4 has already been bootstrapped\n"))
  }

  @Test func forgettingExistingMakesAClusterOfItsOwn() {
    var s = Sandbox.loopbackCluster()
    _ = s.run("etcdctl --endpoints=http://127.0.0.10:2379 member add infra3 --peer-urls=http://127.0.0.13:2380")
    let (out, st) = s.text(Self.infra3(state: "new"))
    #expect(st == 143 && out.contains("starting member ddc94412dde9164d in cluster 91d39ab74d9a8e5b") && out.contains("E | rafthttp: request cluster ID mismatch"))
    // The data dir now belongs to that other cluster: the --initial-cluster* flags are ignored.
    let (again, _) = s.text(Self.infra3())
    #expect(again.contains("the server is already initialized as member before") && again.contains("restarting member ddc94412dde9164d in cluster 91d39ab74d9a8e5b"))
  }

  @Test func joiningWithThePrintedVariables() {
    var s = Sandbox.loopbackCluster()
    let (add, _) = s.text("etcdctl --endpoints=http://127.0.0.10:2379 member add infra3 --peer-urls=http://127.0.0.13:2380")
    for line in add.split(separator: "\n") where line.hasPrefix("ETCD_") { _ = s.run("export \(line)") }
    #expect(s.text("etcd --data-dir infra3.etcd --listen-client-urls http://127.0.0.13:2379 --advertise-client-urls http://127.0.0.13:2379 --listen-peer-urls http://127.0.0.13:2380 > infra3.log 2>&1 &").1 == 0)
    _ = s.run("sleep 1")
    #expect(s.text("etcdctl --endpoints=http://127.0.0.13:2379 member list").0.contains("started, infra3, http://127.0.0.13:2380"))
    #expect(s.text("cat infra3.log").0.contains("I | pkg/flags: recognized and used environment variable ETCD_NAME=infra3"))
  }

  @Test func aForegroundEtcdInTranscriptModeEndsWithSIGTERM() {
    var s = Sandbox.loopback()
    let (out, st) = s.text("etcd --name solo --data-dir solo.etcd --listen-client-urls http://127.0.0.10:2379 --advertise-client-urls http://127.0.0.10:2379 --listen-peer-urls http://127.0.0.10:2380 --initial-advertise-peer-urls http://127.0.0.10:2380 --initial-cluster solo=http://127.0.0.10:2380")
    #expect(st == 143 && out.contains("ready to serve client requests"))
  }
}
