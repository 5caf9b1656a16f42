import EtcdCommands
import EtcdSim
import Testing

/// etcdctl's argument handling and output, against real etcdctl 3.4.23's text.
@Suite struct EtcdctlTests {
  @Test func tablesPadWideCharactersByTheirWidthOnScreen() {
    let table = TableWriter.render(header: ["name", "x"], rows: [["学习者", "1"], ["ab", "22"]])
    #expect(table == """
      +--------+----+
      |  NAME  | X  |
      +--------+----+
      | 学习者 |  1 |
      |     ab | 22 |
      +--------+----+

      """)
  }

  @Test func theIssueExample() {
    var s = Sandbox.course()
    let (table, st1) = s.text("etcdctl member list -w table")
    #expect(st1 == 0 && table.contains("| IS LEARNER |") && table.contains("infra2"))
    let (added, st2) = s.text("etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner")
    #expect(st2 == 0 && added.contains("added to cluster") && added.contains("ETCD_INITIAL_CLUSTER_STATE=\"existing\""))
    let (refused, st3) = s.text("etcdctl member add infra4 --peer-urls=http://10.0.1.14:2380 --learner")
    #expect(st3 == 1 && refused.hasSuffix("Error: etcdserver: too many learner members in cluster\n"))
  }

  @Test(arguments: [
    ("etcdctl member add", "Error: member name not provided\n", Int32(128)),
    ("etcdctl member add x", "Error: member peer urls not provided\n", 128),
    ("etcdctl member add x http://a:1", "Error: too many arguments, did you mean --peer-urls=http://a:1\n", 128),
    ("etcdctl member add x --peer-urls=10.0.0.1:2380", "Error: parse \"10.0.0.1:2380\": first path segment in URL cannot contain colon\n", 1),
    ("etcdctl member remove", "Error: member ID is not provided\n", 128),
    ("etcdctl member promote zzz", "Error: bad member ID arg (strconv.ParseUint: parsing \"zzz\": invalid syntax), expecting ID in Hex\n", 128),
    ("etcdctl member update 1", "Error: member peer urls not provided\n", 128),
    ("etcdctl put", "Error: put command needs 1 argument and input from stdin or 2 arguments\n", 128),
    ("etcdctl get", "Error: get command needs one argument as key and an optional argument as range_end\n", 128),
    ("etcdctl del", "Error: del command needs one argument as key and an optional argument as range_end\n", 128),
    ("etcdctl move-leader", "Error: move-leader command needs 1 argument\n", 128),
    ("etcdctl member list -w yaml", "Error: unsupported output format\n", 4),
    ("etcdctl version", "etcdctl version: 3.4.23\nAPI version: 3.4\n", 0),
    ("etcdctl --cert=a.crt member list", "Error: KeyFile and CertFile must both be present[key: , cert: a.crt]\n", 128),
    ("etcdctl --cert=a.crt --key=a.key member list", "Error: open a.crt: no such file or directory\n", 128),
    ("ETCDCTL_API=4 etcdctl version", "unsupported API version 4\n", 1),
    ("etcdctl --dial-timeout=abc version", "", 1),
  ])
  func argumentErrors(_ line: String, _ expected: String, _ status: Int32) {
    var s = Sandbox.course()
    let (out, st) = s.text(line)
    if expected.isEmpty {
      #expect(out.hasPrefix("Error: invalid argument \"abc\" for \"--dial-timeout\" flag: time: invalid duration \"abc\"\nNAME:\n\tversion") && st == status, "\(out)")
    } else {
      #expect(out == expected && st == status, "\(out)")
    }
  }

  @Test func unknownCommandsAsCobraReportsThem() {
    var s = Sandbox.course()
    let (out, st) = s.text("etcdctl m list")
    let msg = "Error: unknown command \"m\" for \"etcdctl\"\n\nDid you mean this?\n\tmove-leader\n\tmember\n\tmake-mirror\n\tmigrate\n\n"
    #expect(out == msg + "Run 'etcdctl --help' for usage.\n" + msg && st == 1)
  }

  @Test func unknownFlagsPrintTheUsageBetweenTwoErrors() {
    var s = Sandbox.course()
    let (out, st) = s.text("etcdctl member list --foo")
    let help = Help.text("etcdctl-member_list") ?? "missing"
    #expect(out == "Error: unknown flag: --foo\n" + help + "\nError: unknown flag: --foo\n" && st == 1)
  }

  @Test func helpIsRealEtcdctlsHelp() {
    var s = Sandbox.course()
    let (out, st) = s.text("etcdctl member add --help")
    #expect(st == 0 && out.hasPrefix("NAME:\n\tmember add - Adds a member into the cluster"))
    #expect(s.text("etcdctl mem li").0.contains("infra1"))
  }

  @Test func environmentAndFlagConflict() {
    var s = Sandbox.course()
    _ = s.run("export ETCDCTL_ENDPOINTS=http://10.0.1.10:2379")
    let (out, st) = s.text("etcdctl --endpoints=http://10.0.1.11:2379 member list")
    #expect(st == 1 && out.contains("C | pkg/flags: conflicting environment variable \"ETCDCTL_ENDPOINTS\" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)"))
    #expect(s.text("etcdctl member list").1 == 0)
  }

  @Test func aDeadEndpointTimesOutAfterTheCommandTimeout() {
    var s = Sandbox.course()
    let before = s.world.now
    let (out, st) = s.text("etcdctl --endpoints=http://10.0.1.13:2379 member list")
    #expect(st == 1 && out.hasSuffix("Error: context deadline exceeded\n") && out.contains("all SubConns are in TransientFailure"))
    #expect(s.world.now - before >= 5000)
  }

  @Test func endpointStatusOfAnUnreachableEndpoint() {
    var s = Sandbox.course()
    let (out, st) = s.text("etcdctl --endpoints=http://10.0.1.10:2379,http://10.0.1.13:2379 endpoint status")
    #expect(st == 1 && out.contains("Failed to get the status of endpoint http://10.0.1.13:2379 (context deadline exceeded)") && !out.contains("Error:"))
  }

  @Test func keyValueRoundTrip() {
    var s = Sandbox.course()
    #expect(s.text("etcdctl put /app/config v1") == ("OK\n", 0))
    #expect(s.text("etcdctl get /app/config") == ("/app/config\nv1\n", 0))
    #expect(s.text("etcdctl get /app --prefix --keys-only") == ("/app/config\n\n", 0))
    #expect(s.text("etcdctl get /app/config --hex") == ("\\x2f\\x61\\x70\\x70\\x2f\\x63\\x6f\\x6e\\x66\\x69\\x67\n\\x76\\x31\n", 0))
    #expect(s.text("etcdctl get /app --prefix --count-only").1 == 1)
    #expect(s.text("etcdctl del /app/config") == ("1\n", 0))
    #expect(s.text("etcdctl get /app/config") == ("", 0))
  }

  @Test func promoteWithATableCrashesAsEtcdctl34Does() {
    var s = Sandbox.loopbackCluster()
    let (add, _) = s.text("etcdctl --endpoints=http://127.0.0.10:2379 member add infra3 --peer-urls=http://127.0.0.13:2380 --learner")
    let id = String(add.split(separator: " ")[1])
    _ = s.run("etcd --name infra3 --data-dir infra3.etcd --initial-advertise-peer-urls http://127.0.0.13:2380 --listen-peer-urls http://127.0.0.13:2380 --listen-client-urls http://127.0.0.13:2379 --advertise-client-urls http://127.0.0.13:2379 --initial-cluster infra0=http://127.0.0.10:2380,infra1=http://127.0.0.11:2380,infra2=http://127.0.0.12:2380,infra3=http://127.0.0.13:2380 --initial-cluster-state existing > infra3.log 2>&1 &")
    _ = s.run("sleep 2")
    let (out, st) = s.text("etcdctl --endpoints=http://127.0.0.10:2379 member promote \(id) -w table")
    #expect(st == 2 && out.hasPrefix("panic: runtime error: invalid memory address or nil pointer dereference"))
    #expect(s.text("etcdctl --endpoints=http://127.0.0.10:2379 member list").0.contains("infra3, http://127.0.0.13:2380, http://127.0.0.13:2379, false"))
  }

  @Test func protobufThroughOd() {
    var s = Sandbox.loopbackCluster()
    let (out, st) = s.text("etcdctl --endpoints=http://127.0.0.10:2379 member list -w protobuf | od -An -tx1")
    #expect(st == 0 && out.hasPrefix(" 0a 17 08 e1 ed be c2 da 9f ad c7 f2 01 10 dc 9b\n"))
  }
}
