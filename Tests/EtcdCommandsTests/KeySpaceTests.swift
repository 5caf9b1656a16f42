import EtcdCommands
import EtcdSim
import Testing

/// The key space's history and maintenance as etcd 3.4.23 runs them (captured in
/// `Tests/Captures/16-keys-and-maintenance.txt` and `17-nospace-alarm.txt`).
@Suite struct KeySpaceTests {
  static let ep = "etcdctl --endpoints=http://127.0.0.10:2379"

  /// The writes of capture 16 up to its first `endpoint hashkv`.
  static func capture16Writes() -> Session {
    var s = Sandbox.loopbackCluster()
    for line in ["put foo bar", "put foo baz", "put foo qux", "put foo quux", "put new v", "put new v", "put a 1", "put b 22",
                 "put c 3", "put b 2", "put a --ignore-value", "put a y --ignore-lease", "del new", "del a c"] {
      _ = s.run("\(ep) \(line)")
    }
    return s
  }

  @Test func hashKVIsTheValueRealEtcdComputes() {
    var s = Self.capture16Writes()
    #expect(s.text("\(Self.ep) endpoint hashkv").0 == "http://127.0.0.10:2379, 2011796678\n")
    #expect(s.text("\(Self.ep) endpoint hashkv --rev=4").0 == "http://127.0.0.10:2379, 3359909088\n")
    let cluster = s.text("\(Self.ep) endpoint hashkv --cluster").0
    #expect(cluster.split(separator: "\n").allSatisfy { $0.hasSuffix(", 2011796678") })
    _ = s.run("\(Self.ep) compaction 7 --physical")
    #expect(s.text("\(Self.ep) endpoint hashkv").0 == "http://127.0.0.10:2379, 3073584189\n")
    #expect(s.text("\(Self.ep) endpoint hashkv --rev=9").0 == "http://127.0.0.10:2379, 2744632895\n")
  }

  @Test func aCompactedRevisionIsRefusedAndTheCompactionItselfIsReadable() {
    var s = Self.capture16Writes()
    #expect(s.text("\(Self.ep) compaction 5").0 == "compacted revision 5\n")
    let (again, status) = s.text("\(Self.ep) compaction 5")
    #expect(status == 1 && again.hasSuffix("Error: etcdserver: mvcc: required revision has been compacted\n"))
    #expect(s.text("\(Self.ep) get foo --rev=4").1 == 1)
    #expect(s.text("\(Self.ep) get foo --rev=5").0 == "foo\nquux\n")
    #expect(s.text("\(Self.ep) get foo --rev=100").0.hasSuffix("Error: etcdserver: mvcc: required revision is a future revision\n"))
    #expect(s.text("\(Self.ep) compaction abc") == ("Error: strconv.ParseInt: parsing \"abc\": invalid syntax\n", 1))
  }

  @Test func prevKVShowsThePairAPutReplaced() {
    var s = Sandbox.loopbackCluster()
    _ = s.run("\(Self.ep) put foo bar")
    #expect(s.text("\(Self.ep) put foo baz --prev-kv").0 == "OK\nfoo\nbar\n")
    #expect(s.text("\(Self.ep) del foo --prev-kv").0 == "1\nfoo\nbaz\n")
    #expect(s.text("\(Self.ep) put a x --ignore-value") == ("Error: put command needs only 1 argument when 'ignore-value' is set\n", 128))
    #expect(s.text("\(Self.ep) put missing --ignore-value").0.hasSuffix("Error: etcdserver: key not found\n"))
  }

  @Test func sortAndLimitCountEveryKeyInTheRange() {
    var s = Sandbox.loopbackCluster()
    for (k, v) in [("a", "3"), ("b", "1"), ("c", "2")] { _ = s.run("\(Self.ep) put \(k) \(v)") }
    #expect(s.text("\(Self.ep) get a z --sort-by=VALUE --order=DESCEND --keys-only").0 == "a\n\nc\n\nb\n\n")
    let json = s.text("\(Self.ep) get a z --limit=1 -w json").0
    #expect(json.contains("\"more\":true,\"count\":3}"))
    #expect(s.text("\(Self.ep) get a z --sort-by=foo") == ("Error: bad sort target foo\n", 4))
  }

  @Test func defragShrinksTheMembersFile() {
    var s = Self.capture16Writes()
    _ = s.run("\(Self.ep) compaction 7 --physical")
    #expect(s.text("\(Self.ep) defrag --cluster").0 == (0...2).map { "Finished defragmenting etcd member[http://127.0.0.1\($0):2379]\n" }.joined())
    #expect(s.text("\(Self.ep) endpoint status -w json").0.contains("\"dbSize\":20480,"))
    #expect(s.text("\(Self.ep) endpoint status -w json").0.contains("\"dbSizeInUse\":12288}"))
  }

  @Test func aQuotaBelowTheDatabaseRaisesNospaceUntilDisarmed() {
    var s = Sandbox.loopback()
    let cluster = "infra0=http://127.0.0.10:2380,infra1=http://127.0.0.11:2380,infra2=http://127.0.0.12:2380"
    for n in 0...2 {
      _ = s.run("etcd --name infra\(n) --data-dir infra\(n).etcd --initial-advertise-peer-urls http://127.0.0.1\(n):2380 --listen-peer-urls http://127.0.0.1\(n):2380 --listen-client-urls http://127.0.0.1\(n):2379 --advertise-client-urls http://127.0.0.1\(n):2379 --initial-cluster-token etcd-cluster-1 --initial-cluster \(cluster) --initial-cluster-state new --quota-backend-bytes=16384 > infra\(n).log 2>&1 &")
    }
    _ = s.run("sleep 6")
    #expect(s.text("\(Self.ep) put k v").0.hasSuffix("Error: etcdserver: mvcc: database space exceeded\n"))
    #expect(s.text("\(Self.ep) alarm list").0 == "memberID:139303845698915804 alarm:NOSPACE \n")
    #expect(s.text("\(Self.ep) alarm list -w json").0 == "{\"alarms\":[{\"memberID\":139303845698915804,\"alarm\":1}]}\n")
    #expect(s.text("\(Self.ep) alarm disarm").0 == "memberID:139303845698915804 alarm:NOSPACE \n")
    #expect(s.text("\(Self.ep) alarm list") == ("", 0))
  }
}
