import EtcdCommands
import EtcdSim
import Testing

/// What changes with a 3.6 release (reference §4, §5; etcd v3.6.5's source for each string):
/// etcdctl keeps only `snapshot save`, etcd drops `--enable-v2`, and several outputs gain columns.
@Suite struct Release36Tests {
  static let bin = "/root/etcd-v3.6.5-linux-amd64/"

  /// One host with the 3.6.5 tarball unpacked, and a one-member 3.6 cluster running on it.
  static func world() -> Session {
    var setup = WorldSetup()
    var host = WorldSetup.HostSetup(name: "lab", address: "127.0.0.10")
    host.address = nil
    host.addresses = ["127.0.0.10", "127.0.0.11"]
    setup.hosts = [host]
    setup.releases = ["3.6.5"]
    var s = Session(world: World(setup: setup, seed: 1), host: "lab", transcriptMode: true, suggestions: false)
    #expect(s.run("tar xzf /root/etcd-v3.6.5-linux-amd64.tar.gz -C /root").status == 0)
    return s
  }

  static func start(_ s: inout Session) {
    let u = "http://127.0.0.10"
    #expect(s.run(bin + "etcd --name a --data-dir /tmp/a --listen-client-urls \(u):2379 --advertise-client-urls \(u):2379 --listen-peer-urls \(u):2380 --initial-advertise-peer-urls \(u):2380 --initial-cluster a=\(u):2380 > /tmp/a.log 2>&1 &").status == 0)
    _ = s.run("sleep 6")
  }

  @Test func etcd36NoLongerKnowsEnableV2WhichIsABooleanBefore() {
    var s = Self.world()
    let v36 = s.text(Self.bin + "etcd --enable-v2 --name a")
    #expect(v36.1 == 2 && v36.0.hasPrefix("flag provided but not defined: -enable-v2\nUsage:\n"))
    // 3.4: a boolean flag, so it takes no value and the next word is read as the next flag.
    let v34 = s.text("etcd --enable-v2 --version")
    #expect(v34.1 == 0 && v34.0.hasPrefix("etcd Version: 3.4.23\n"))
    #expect(s.text("etcd --v2-deprecation write-only --version").1 == 2)
    #expect(s.text(Self.bin + "etcd --max-learners 2 --version").1 == 0)
  }

  @Test func etcdctl36HasNoSnapshotStatusOrRestore() {
    var s = Self.world()
    let status = s.text(Self.bin + "etcdctl snapshot status /tmp/x.db")
    #expect(status.1 == 0)
    #expect(status.0.hasPrefix("NAME:\n  snapshot - Manages etcd node snapshots\n\nUSAGE:\n  etcdctl snapshot <subcommand> [flags]\n\nAPI VERSION:\n  3.6\n\nExamples:\n  # Save snapshot to a given file\n"))
    #expect(status.0.contains("\nCOMMANDS:\n  save\tStores an etcd node backend snapshot to a given file\n\nOPTIONS:\n  -h, --help[=false]\thelp for snapshot\n"))
    #expect(status.0.contains("      --key=\"\"\t\t\t\t\tidentify secure client using this TLS key file\n      --max-recv-bytes=0\t\t\tclient-side response receive limit"))
    // The flags of the missing restore are unknown to the snapshot command: one error, then the help.
    let restore = s.text(Self.bin + "etcdctl snapshot restore /tmp/x.db --data-dir /tmp/new 2>&1")
    #expect(restore.1 == 1)
    #expect(restore.0.hasPrefix("Error: unknown flag: --data-dir\nNAME:\n  snapshot - Manages"))
    #expect(restore.0.components(separatedBy: "Error:").count == 2)
    // 3.4's etcdctl prints a flag error twice.
    #expect(s.text("etcdctl snapshot save --bogus 2>&1").0.components(separatedBy: "Error: unknown flag: --bogus").count == 3)
  }

  @Test func aSaveFrom36NamesTheServerVersionAndEtcdutl36CountsLiveKeys() {
    var s = Self.world()
    Self.start(&s)
    let ctl = Self.bin + "etcdctl --endpoints 127.0.0.10:2379 "
    _ = s.run(ctl + "put a 1; " + ctl + "put b 2; " + ctl + "put a 3; " + ctl + "del b")
    #expect(s.text(ctl + "snapshot save /tmp/s.db 2>/dev/null") == ("Snapshot saved at /tmp/s.db\nServer version 3.6.0\n", 0))
    let log = s.text(ctl + "snapshot save /tmp/s.db 2>&1 >/dev/null").0
    #expect(log.contains("\"logger\":\"client\",\"caller\":\"v3/maintenance.go:236\",\"msg\":\"opened snapshot stream; downloading\"}"))
    #expect(log.contains("\"etcd-version\":\"3.6.0\"}"))
    let status = s.text(Self.bin + "etcdutl snapshot status /tmp/s.db -w json").0
    #expect(status.hasSuffix(",\"totalKey\":1,\"totalSize\":20480,\"version\":\"3.6.0\"}\n"))
    // 3.4's etcdctl against the same 3.6 server: no version line, every bucket's pairs counted.
    #expect(s.text("etcdctl --endpoints 127.0.0.10:2379 snapshot save /tmp/t.db 2>/dev/null").0 == "Snapshot saved at /tmp/t.db\n")
    #expect(s.text("etcdctl snapshot status /tmp/t.db -w json").0.contains("\"totalKey\":9,"))
  }

  @Test func endpointStatusAndMemberAddAsEtcdctl36PrintsThem() {
    var s = Self.world()
    Self.start(&s)
    let ctl = Self.bin + "etcdctl --endpoints 127.0.0.10:2379 "
    let table = s.text(ctl + "endpoint status -w table").0
    let header = table.split(separator: "\n")[1].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(header == ["ENDPOINT", "ID", "VERSION", "STORAGE VERSION", "DB SIZE", "IN USE", "PERCENTAGE NOT IN USE", "QUOTA", "IS LEADER", "IS LEARNER", "RAFT TERM", "RAFT INDEX", "RAFT APPLIED INDEX", "ERRORS", "DOWNGRADE TARGET VERSION", "DOWNGRADE ENABLED"])
    #expect(s.text(ctl + "endpoint status").0.hasSuffix(", 3.6.5, 3.6.0, 20 kB, 16 kB, 20%, 0 B, true, false, 2, 4, 4, , , false\n"))
    // 3.4's etcdctl shows 3.4's columns whatever the server.
    #expect(s.text("etcdctl --endpoints 127.0.0.10:2379 endpoint status").0.split(separator: ",").count == 10)
    let add = s.text(ctl + "member add b --peer-urls http://127.0.0.11:2380 --learner").0
    #expect(add.hasPrefix("Member ") && add.split(separator: "\n")[0].contains(" added as learner to cluster "))
  }

  /// infra0–infra2 running 3.4.23 under systemd, with the 3.5.17 and 3.6.5 tarballs in /root.
  static func cluster() -> Session {
    var setup = WorldSetup()
    setup.hosts = (0...2).map { WorldSetup.HostSetup(name: "infra\($0)", address: "10.0.1.1\($0)", member: true) }
    setup.releases = ["3.5.17", "3.6.5"]
    return Session(world: World(setup: setup, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
  }

  static func install(_ s: inout Session, _ version: String, on hosts: [String]) {
    for h in hosts {
      let step = "tar xzf /root/etcd-v\(version)-linux-amd64.tar.gz -C /root && systemctl stop etcd && cp /root/etcd-v\(version)-linux-amd64/etcd /usr/local/bin/etcd && systemctl start etcd"
      #expect(s.run("ssh \(h) '\(step)'").status == 0, "\(h) \(version)")
      _ = s.run("sleep 5")
    }
  }

  @Test func serversFrom3_5LogTheirOwnZapMessagesCallersAndTimeStamps() {
    var s = Self.cluster()
    Self.install(&s, "3.5.17", on: ["infra0"])
    let journal = s.text("journalctl -u etcd").0
    // v3.5.17 `server/etcdserver/raft.go:540`, `server/etcdserver/zap_raft.go:77`, `server/embed/serve.go:187`.
    #expect(journal.contains(#""caller":"etcdserver/raft.go:540","msg":"restarting local member","cluster-id":""#))
    #expect(journal.contains(#""logger":"raft","caller":"etcdserver/zap_raft.go:77","msg":"794aea3ba77a1d64 became follower at term"#))
    #expect(journal.contains(#""caller":"embed/serve.go:187","msg":"serving client traffic insecurely; this is strongly discouraged!","traffic":"grpc+http","address":"127.0.0.1:2379"}"#))
    #expect(journal.contains(#""git-sha":"507c0de","go-version":"go1.22.9""#))
    // 2006-01-02T15:04:05.000000Z: six digits of seconds' fraction.
    let stamp = journal.split(separator: "\n").last { $0.contains("restarting local member") }.flatMap { $0.range(of: #""ts":""#).map { $0.upperBound } }
    let ts = stamp.map { String(journal[$0...].prefix(28)) } ?? ""
    #expect(ts.count == 28 && ts.hasSuffix("Z\"") && ts.dropFirst(20).prefix(6).allSatisfy(\.isNumber), "\(ts)")
    #expect(!journal.contains(#""caller":"etcdserver","#) && !journal.contains(#""caller":"rafthttp","#))
  }

  @Test func a3_5BinaryOnDataOfA3_6ClusterStopsWithTheDowngradeFatal() {
    var s = Self.cluster()
    Self.install(&s, "3.5.17", on: ["infra0", "infra1", "infra2"])
    Self.install(&s, "3.6.5", on: ["infra0", "infra1", "infra2"])
    #expect(s.text("curl -s http://10.0.1.10:2379/version").0 == #"{"etcdserver":"3.6.5","etcdcluster":"3.6.0"}"#)
    #expect(s.run("systemctl stop etcd && cp /root/etcd-v3.5.17-linux-amd64/etcd /usr/local/bin/etcd").status == 0)
    #expect(s.run("systemctl start etcd").status == 1)
    let last = s.text("journalctl -u etcd | grep '\"level\":\"fatal\"' | tail -n 1").0
    #expect(last.contains(#""caller":"membership/downgrade.go:69","msg":"invalid downgrade; server version is lower than determined cluster version","current-server-version":"3.5.17","determined-cluster-version":"3.6"}"#), "\(last)")
  }

  @Test func a3_5ServerLogsARejectedTLSConnectionInItsOwnWords() {
    var setup = WorldSetup.kubeadmTLS()
    setup.releases = ["3.5.17"]
    var s = Session(world: World(setup: setup, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
    Self.install(&s, "3.5.17", on: ["infra0"])
    _ = s.run("etcdctl --endpoints https://127.0.0.1:2379 --command-timeout=2s endpoint health")
    let line = s.text("journalctl -u etcd | grep rejected | tail -n 1").0
    // v3.5.17 `server/embed/config_logging.go:170`: no client certificate was presented.
    #expect(line.contains(#""level":"warn","ts":"#) && line.contains(#""caller":"embed/config_logging.go:170","msg":"rejected connection on client endpoint","remote-addr":"127.0.0.1:"#))
    #expect(line.hasSuffix(#","server-name":"","error":"remote error: tls: bad certificate"}"# + "\n"), "\(line)")
  }

  @Test func a3_6BinaryOn3_4DataWarnsItFindsNoStorageSchemaButStarts() {
    var s = Self.cluster()
    Self.install(&s, "3.6.5", on: ["infra0"])
    let journal = s.text("journalctl -u etcd").0
    // v3.6.5 `server/storage/schema/schema.go:39`, after `bootstrap.go`'s backend lines.
    #expect(journal.contains(#""caller":"etcdserver/bootstrap.go:220","msg":"restore consistentIndex","index":"#))
    #expect(journal.contains(#""level":"warn","ts":"#) && journal.contains(#""caller":"schema/schema.go:39","msg":"Failed to detect storage schema version. Please wait till wal snapshot before upgrading cluster."}"#))
    #expect(s.text("etcdctl endpoint health --cluster").1 == 0)
  }

  @Test func etcdctl3_5HelpNamesItsOwnRelease() {
    var s = Self.cluster()
    _ = s.run("tar xzf /root/etcd-v3.5.17-linux-amd64.tar.gz -C /root")
    let help = s.text("/root/etcd-v3.5.17-linux-amd64/etcdctl --help").0
    #expect(help.contains("VERSION:\n\t3.5.17\n") && help.contains("API VERSION:\n\t3.5\n"))
    #expect(s.text("/root/etcd-v3.5.17-linux-amd64/etcdctl member --help").0.contains("API VERSION:\n\t3.5\n"))
    #expect(s.text("etcdctl --help").0.contains("VERSION:\n\t3.4.23\n"))
  }

  @Test func globalFlagsWithSpaceSeparatedValuesGoBeforeTheCommand() {
    var s = Self.world()
    Self.start(&s)
    let out = s.text("etcdctl --endpoints 127.0.0.10:2379 --write-out table endpoint status")
    #expect(out.1 == 0 && out.0.contains("| 127.0.0.10:2379 |"))
  }
}
