import EtcdCommands
import EtcdSim
import Testing

/// Release tarballs, binaries by version, the cluster version, and a rolling upgrade 3.4 → 3.5
/// with its refusals (reference §5).
@Suite struct UpgradeTests {
  static func world() -> Session {
    var setup = WorldSetup()
    setup.hosts = (0...2).map { WorldSetup.HostSetup(name: "infra\($0)", address: "10.0.1.1\($0)", member: true) }
    setup.releases = ["3.5.17"]
    return Session(world: World(setup: setup, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
  }

  static func upgrade(_ s: inout Session, _ host: String) {
    let on = host == "infra0" ? "" : "ssh \(host) "
    for step in ["tar xzf /root/etcd-v3.5.17-linux-amd64.tar.gz -C /root", "systemctl stop etcd", "cp /root/etcd-v3.5.17-linux-amd64/etcd /usr/local/bin/etcd", "systemctl start etcd"] {
      #expect(s.run(on + step).status == 0, "\(host): \(step)")
    }
  }

  static func versions(_ s: inout Session) -> [String] {
    s.text("etcdctl endpoint status --cluster | cut -d, -f3").0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.sorted()
  }

  @Test func aTarballHoldsTheReleaseAndEachBinarySaysItsVersion() {
    var s = Self.world()
    #expect(s.run("tar xzf etcd-v3.5.17-linux-amd64.tar.gz").status == 0)
    #expect(s.text("ls etcd-v3.5.17-linux-amd64").0 == "Documentation\nREADME-etcdctl.md\nREADME-etcdutl.md\nREADME.md\nREADMEv2-etcdctl.md\netcd\netcdctl\netcdutl\n")
    #expect(s.text("./etcd-v3.5.17-linux-amd64/etcd --version").0 == "etcd Version: 3.5.17\nGit SHA: 507c0de\nGo Version: go1.22.9\nGo OS/Arch: linux/amd64\n")
    #expect(s.text("etcd --version").0.hasPrefix("etcd Version: 3.4.23\n"))
    #expect(s.text("etcd-v3.5.17-linux-amd64/etcdctl version").0 == "etcdctl version: 3.5.17\nAPI version: 3.5\n")
    #expect(s.text("etcd-v3.5.17-linux-amd64/etcdutl version").0 == "etcdutl version: 3.5.17\nAPI version: 3.5\n")
    #expect(s.text("etcdutl version").1 == 127)
  }

  @Test func aRollingUpgradeMovesTheClusterVersionOnlyWhenEveryMemberRunsTheNewRelease() {
    var s = Self.world()
    #expect(s.text("curl -s http://127.0.0.1:2379/version").0 == "{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}")
    Self.upgrade(&s, "infra0")
    #expect(Self.versions(&s) == ["3.4.23", "3.4.23", "3.5.17"])
    #expect(s.text("curl -s http://127.0.0.1:2379/version").0 == "{\"etcdserver\":\"3.5.17\",\"etcdcluster\":\"3.4.0\"}")
    Self.upgrade(&s, "infra1")
    Self.upgrade(&s, "infra2")
    #expect(Self.versions(&s) == ["3.5.17", "3.5.17", "3.5.17"])
    #expect(s.text("curl -s http://127.0.0.1:2379/version").0 == "{\"etcdserver\":\"3.5.17\",\"etcdcluster\":\"3.5.0\"}")
    #expect(s.text("etcdctl endpoint health --cluster").1 == 0)
    // A 3.5 server logs zap JSON.
    #expect(s.text("journalctl -u etcd | grep -c '\"msg\":\"updated cluster version\"'").0 == "1\n")
  }

  @Test func aRunningBinaryCannotBeOverwrittenButCpDashFReplacesIt() {
    var s = Self.world()
    _ = s.run("tar xzf etcd-v3.5.17-linux-amd64.tar.gz")
    #expect(s.text("cp etcd-v3.5.17-linux-amd64/etcd /usr/local/bin/") == ("cp: cannot create regular file '/usr/local/bin/etcd': Text file busy\n", 1))
    #expect(s.text("etcd --version").0.hasPrefix("etcd Version: 3.4.23\n"))
    // -f unlinks the busy file and writes a new one; the running server keeps its old binary.
    #expect(s.text("cp -f etcd-v3.5.17-linux-amd64/etcd /usr/local/bin/etcd") == ("", 0))
    #expect(s.text("etcd --version").0.hasPrefix("etcd Version: 3.5.17\n"))
    #expect(Self.versions(&s) == ["3.4.23", "3.4.23", "3.4.23"])
    // A stopped server's binary, and mv, are not busy.
    #expect(s.text("ssh infra1 'systemctl stop etcd; tar xzf etcd-v3.5.17-linux-amd64.tar.gz; cp etcd-v3.5.17-linux-amd64/etcd /usr/local/bin/etcd'").1 == 0)
    #expect(s.text("ssh infra2 'tar xzf etcd-v3.5.17-linux-amd64.tar.gz; mv etcd-v3.5.17-linux-amd64/etcd /usr/local/bin/etcd'").1 == 0)
  }

  @Test func endpointHealthGoesToStdoutFrom3_5() {
    var s = Self.world()
    _ = s.run("tar xzf etcd-v3.5.17-linux-amd64.tar.gz")
    #expect(s.text("etcdctl endpoint health 2>/dev/null | wc -l").0 == "0\n")
    #expect(s.text("etcd-v3.5.17-linux-amd64/etcdctl endpoint health 2>/dev/null | wc -l").0 == "1\n")
  }

  @Test func memberListNeedsALeaderFrom3_5() {
    var s = Self.world()
    _ = s.run("tar xzf etcd-v3.5.17-linux-amd64.tar.gz")
    _ = s.run("ssh infra1 systemctl stop etcd; ssh infra2 systemctl stop etcd; sleep 3")
    #expect(s.text("etcdctl member list").1 == 0)
    let v35 = s.text("etcd-v3.5.17-linux-amd64/etcdctl member list")
    #expect(v35.1 == 1 && v35.0.hasSuffix("Error: context deadline exceeded\n"))
  }

  @Test func etcdutlAndEtcdctl35HandleSnapshotsAs3_5Does() {
    var s = Self.world()
    _ = s.run("tar xzf etcd-v3.5.17-linux-amd64.tar.gz && cp etcd-v3.5.17-linux-amd64/etcdutl /usr/local/bin/")
    _ = s.run("etcdctl put a 1")
    _ = s.run("etcdctl snapshot save /root/s.db")
    let status34 = s.text("etcdctl snapshot status /root/s.db").0
    #expect(s.text("etcdutl snapshot status /root/s.db").0 == status34)
    #expect(s.text("etcd-v3.5.17-linux-amd64/etcdctl snapshot status /root/s.db") == ("Deprecated: Use `etcdutl snapshot status` instead.\n\n" + status34, 0))
    // --data-dir is required; an empty directory is accepted, a non-empty one refused.
    let missing = s.text("etcdutl snapshot restore /root/s.db")
    #expect(missing.1 == 1 && missing.0.hasPrefix("Error: required flag(s) \"data-dir\" not set\nUsage:\n  etcdutl snapshot restore <filename> --data-dir {output dir} [options] [flags]\n"))
    _ = s.run("mkdir /root/empty")
    let (out, status) = s.text("etcdutl snapshot restore /root/s.db --data-dir /root/empty")
    #expect(status == 0)
    #expect(out.hasPrefix("2026-11-25T09:00:00Z\tinfo\tsnapshot/v3_snapshot.go:265\trestoring snapshot\t{\"path\": \"/root/s.db\", \"wal-dir\": \"/root/empty/member/wal\", \"data-dir\": \"/root/empty\", \"snap-dir\": \"/root/empty/member/snap\", \"initial-memory-map-size\": 10737418240}\n"))
    #expect(out.contains("\tinfo\tmembership/cluster.go:421\tadded member\t{\"cluster-id\": \"cdf818194e3a8c32\", \"local-member-id\": \"0\", \"added-peer-id\": \"8e9e05c52164694d\", \"added-peer-peer-urls\": [\"http://localhost:2380\"]}"))
    #expect(s.text("etcdutl snapshot restore /root/s.db --data-dir /root/empty") == ("Error: data-dir \"/root/empty\" not empty or could not be read\n", 1))
    let old = s.text("etcd-v3.5.17-linux-amd64/etcdctl snapshot restore /root/s.db --data-dir /root/other")
    #expect(old.1 == 0 && old.0.hasPrefix("Deprecated: Use `etcdutl snapshot restore` instead.\n\n2026-11-25T"))
  }

  @Test func anOldBinaryCannotRestartOnUpgradedDataNorJoinAnUpgradedCluster() {
    var s = Self.world()
    _ = s.run("cp /usr/local/bin/etcd /root/etcd-3.4.23")
    for h in ["infra0", "infra1", "infra2"] { Self.upgrade(&s, h) }
    _ = s.run("systemctl stop etcd")
    _ = s.run("cp /root/etcd-3.4.23 /usr/local/bin/etcd")
    #expect(s.run("systemctl start etcd").status == 1)
    #expect(s.text("journalctl -u etcd | grep -c 'C | etcdserver/membership: cluster cannot be downgraded (current version: 3.4.23 is lower than determined cluster version: 3.5).'").0 == "1\n")
    // Back to the new binary; then a new member with the old one.
    _ = s.run("cp /root/etcd-v3.5.17-linux-amd64/etcd /usr/local/bin/etcd && systemctl start etcd && sleep 6")
    #expect(s.run("etcdctl member add infra9 --peer-urls=http://10.0.1.10:2390").status == 0)
    let (out, status) = s.text("/root/etcd-3.4.23 --name infra9 --data-dir /tmp/infra9 --listen-peer-urls http://10.0.1.10:2390 --initial-advertise-peer-urls http://10.0.1.10:2390 --listen-client-urls http://10.0.1.10:2391 --advertise-client-urls http://10.0.1.10:2391 --initial-cluster infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380,infra9=http://10.0.1.10:2390 --initial-cluster-state existing")
    #expect(status == 1)
    #expect(out.contains("W | etcdserver: the running cluster version(3.5.0) is higher than the maximum cluster version(3.4.0) supported"))
    #expect(out.contains("C | etcdmain: incompatible with current running cluster"))
  }
}
