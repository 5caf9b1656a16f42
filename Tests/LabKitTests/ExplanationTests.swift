import EtcdCommands
import EtcdSim
import Testing
import Yams
@testable import LabKit

/// Every error id, met in the course world, explained with that moment's facts.
@Suite struct ExplanationTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var id: String
    var before: [String] = []
    var line: String
    /// Facts the rendered explanation must contain.
    var facts: [String]
    /// A one-member cluster instead of the course's three.
    var solo = false
    var testDescription: String { id }
  }

  static let join3 = "etcd --name infra3 --data-dir /var/lib/etcd --listen-peer-urls http://10.0.1.13:2380 --initial-advertise-peer-urls http://10.0.1.13:2380 --listen-client-urls http://10.0.1.13:2379 --advertise-client-urls http://10.0.1.13:2379 --initial-cluster-state existing --initial-cluster "
  static let four = "infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380,infra3=http://10.0.1.13:2380"

  static let cases: [Case] = [
    Case(id: "member-not-found", line: "etcdctl member remove 1234abcd", facts: ["1234abcd"]),
    Case(id: "member-not-found", line: "etcdctl member promote 1234", facts: ["id 1234 "]),
    Case(id: "peer-urls-exist", line: "etcdctl member add x --peer-urls=http://10.0.1.11:2380", facts: ["infra1 (e25938377bdd2340) already uses the peer URL http://10.0.1.11:2380"]),
    Case(id: "member-not-learner", line: "etcdctl member promote $(etcdctl member list | grep infra1 | cut -d, -f1)", facts: ["e25938377bdd2340"]),
    Case(id: "too-many-learners", before: ["etcdctl member add a --peer-urls=http://10.0.1.13:2380 --learner"], line: "etcdctl member add b --peer-urls=http://10.0.1.14:2380 --learner", facts: ["one at a time"]),
    Case(id: "learner-not-ready", before: ["etcdctl member add a --peer-urls=http://10.0.1.13:2380 --learner"], line: "etcdctl member promote $(etcdctl member list | grep unstarted | cut -d, -f1)", facts: ["index 0", "the leader is at 9", "at least 9"]),
    Case(id: "unhealthy-cluster", before: ["ssh infra2 systemctl stop etcd"], line: "etcdctl member add x --peer-urls=http://10.0.1.13:2380", facts: ["2 of 3 voters running"]),
    Case(id: "not-enough-started-members", before: ["etcdctl member add a --peer-urls=http://10.0.1.13:2380"], line: "etcdctl member add b --peer-urls=http://10.0.1.14:2380", facts: ["1 of 3 voters", "needs 2"], solo: true),
    Case(id: "rpc-not-supported-for-learner", before: ["etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner", "ssh infra3 '" + join3 + four + " > /tmp/l 2>&1 &'", "sleep 1"], line: "etcdctl --endpoints=http://10.0.1.13:2379 put k v", facts: ["http://10.0.1.13:2379"]),
    Case(id: "deadline-exceeded", before: ["ssh infra1 systemctl stop etcd", "ssh infra2 systemctl stop etcd"], line: "etcdctl put k v", facts: ["1 of 3 voters running", "a quorum is 2"]),
    // The same error on a host whose etcd listens on its own address only: the cluster is fine.
    Case(id: "deadline-exceeded", before: ["etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner", "ssh infra3 '" + join3 + four + " > /tmp/l 2>&1 &'", "sleep 1", "ssh infra3"], line: "etcdctl member list", facts: ["the etcd on infra3 does not listen there: its --listen-client-urls is http://10.0.1.13:2379", "The cluster may be fine"]),
    Case(id: "snapshot-multiple-endpoints", line: "etcdctl --endpoints=http://10.0.1.10:2379,http://10.0.1.11:2379 snapshot save /tmp/s.db", facts: ["one of http://10.0.1.10:2379,http://10.0.1.11:2379"]),
    Case(id: "no-such-file", line: "etcdctl snapshot status /tmp/none.db", facts: ["ls -l"]),
    Case(id: "data-dir-exists", before: ["etcdctl snapshot save /tmp/s.db"], line: "etcdctl snapshot restore /tmp/s.db --data-dir /var/lib/etcd", facts: ["/var/lib/etcd"]),
    Case(id: "wal-dir-exists", before: ["etcdctl snapshot save /tmp/s.db"], line: "etcdctl snapshot restore /tmp/s.db --data-dir /tmp/new --wal-dir /var/lib/etcd/member/wal", facts: ["--wal-dir"]),
    Case(id: "snapshot-missing-hash", before: ["etcdctl snapshot save /tmp/s.db", "echo x >> /tmp/s.db"], line: "etcdctl snapshot restore /tmp/s.db --data-dir /tmp/r", facts: ["--skip-hash-check"]),
    Case(id: "invalid-database", before: ["echo hi > /tmp/t.txt"], line: "etcdctl snapshot status /tmp/t.txt", facts: ["Snapshot saved at"]),
    Case(id: "endpoints-unhealthy", line: "etcdctl --endpoints=http://10.0.1.14:2379 endpoint health", facts: ["Nothing answers at http://10.0.1.14:2379 as seen from infra0"]),
    Case(id: "unsupported-output-format", line: "etcdctl member list -w yaml", facts: ["-w table"]),
    Case(id: "usage", line: "etcdctl member add", facts: ["needs the new member's name"]),
    Case(id: "bad-url", line: "etcdctl member add x --peer-urls=10.0.1.13:2380", facts: ["Write http://10.0.1.13:2380."]),
    Case(id: "member-count-unequal", before: ["etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380", "ssh infra3"], line: join3 + four + ",infra4=http://10.0.1.14:2380", facts: ["lists 5 members", "has 4"]),
    Case(id: "local-name-not-found", before: ["etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380", "ssh infra3"], line: join3 + "infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380", facts: ["\"infra3\""]),
    Case(id: "peer-urls-no-match", before: ["etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380", "ssh infra3"], line: join3 + four.replacingOccurrences("10.0.1.13:2380", "10.0.1.13:2381"), facts: ["unmatched member while checking PeerURLs"]),
    Case(id: "already-bootstrapped", before: ["ssh infra2", "systemctl stop etcd", "rm -rf /var/lib/etcd"], line: "etcd --name infra2 --data-dir /var/lib/etcd --initial-advertise-peer-urls http://10.0.1.12:2380 --listen-peer-urls http://10.0.1.12:2380 --listen-client-urls http://10.0.1.12:2379 --advertise-client-urls http://10.0.1.12:2379 --initial-cluster infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380", facts: ["9d480e1db4ddec45"]),
    Case(id: "cannot-fetch-cluster-info", before: ["ssh infra3"], line: join3 + "infra3=http://10.0.1.13:2380,infra9=http://10.0.1.99:2380", facts: ["peer URL"]),
    Case(id: "conflicting-environment", before: ["ssh infra3", "export ETCD_NAME=infra3"], line: join3 + four, facts: ["ETCD_NAME"]),
    Case(id: "address-in-use", line: "etcd --name x --data-dir /tmp/x --listen-peer-urls http://10.0.1.10:2380 --initial-advertise-peer-urls http://10.0.1.10:2380 --initial-cluster x=http://10.0.1.10:2380", facts: ["10.0.1.10:2380"]),
    Case(id: "cannot-assign-address", line: join3 + four, facts: ["10.0.1.13:2380"]),
    Case(id: "advertise-urls-mismatch", before: ["ssh infra3"], line: "etcd --name infra3 --data-dir /tmp/d --listen-peer-urls http://10.0.1.13:2380 --initial-advertise-peer-urls http://10.0.1.13:2380 --initial-cluster infra3=http://10.0.1.13:2390", facts: ["--initial-advertise-peer-urls"]),
    Case(id: "duplicate-url", before: ["ssh infra3"], line: "etcd --name infra3 --data-dir /tmp/d --listen-peer-urls http://10.0.1.13:2380 --initial-advertise-peer-urls http://10.0.1.13:2380 --initial-cluster infra3=http://10.0.1.13:2380,infra4=http://10.0.1.13:2380", facts: ["own peer URL"]),
    Case(id: "flag-undefined", line: "etcd --bogus-flag", facts: ["-bogus-flag", "A typo"]),
    Case(id: "flag-undefined", before: ["tar xzf /root/etcd-v3.6.5-linux-amd64.tar.gz -C /root"], line: "/root/etcd-v3.6.5-linux-amd64/etcd --enable-v2",
         facts: ["-enable-v2", "etcd 3.6 removed --enable-v2", "systemctl daemon-reload"]),
    Case(id: "invalid-flag-value", line: "etcd --initial-cluster-state maybe", facts: ["new or existing"]),
    Case(id: "data-dir-permission", before: ["systemctl stop etcd", "sed -i 's/^Type=notify/User=etcd\\nType=notify/' /etc/systemd/system/etcd.service", "chmod 700 /var/lib/etcd", "systemctl daemon-reload", "systemctl start etcd"], line: "true", facts: ["chown -R etcd:etcd"]),
  ]

  @Test(arguments: cases)
  func explanationCarriesTheFacts(_ c: Case) throws {
    var setup = WorldSetup.course
    setup.hosts?.append(.init(name: "infra5", address: "10.0.1.15"))
    setup.releases = ["3.6.5"]
    if c.solo { for i in 1..<3 { setup.hosts?[i].member = false } }
    let lab = Lab(id: "t", objective: "add-member", title: Localized(en: "t", zh: "t"), difficulty: "beginner", minutes: 1, lesson: nil, intro: nil,
                  setup: setup, startHost: "infra0", steps: [Lab.Step(text: Localized(en: "", zh: ""), checks: [CheckItem(.cluster(voters: 99, learners: nil, members: nil, healthy: nil, leader: nil))], hints: [], solution: [], alternatives: [], mistakes: [])])
    var run = LabRun(lab: lab, seed: 1)
    var explanations: [String] = []
    for b in c.before { explanations += run.submit(b)?.explanations ?? [] }
    let f = run.submit(c.line)
    explanations += f?.explanations ?? []
    let events = run.session.events
    #expect(events.contains { $0.error?.id == c.id }, "\(c.id) was not met: \(events.compactMap(\.error?.id))")
    let text = explanations.last { _ in true } ?? ""
    for fact in c.facts { #expect(explanations.contains { $0.contains(fact) }, "\(c.id): '\(fact)' not in \(text)") }
    // The same in Chinese.
    run.lang = .zh
    if let e = events.last(where: { $0.error?.id == c.id }), let zh = run.explain(e) { #expect(!zh.contains("?") || c.id == "cannot-fetch-cluster-info", "zh: \(zh)") }
  }

  @Test func aTLSRefusalIsExplainedByWhatWasMissingOrWrong() {
    var s = Session(world: World(setup: .kubeadmTLS(sans: ["localhost", "127.0.0.1", "10.0.1.10", "10.0.1.11"]), seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
    _ = s.run("mkdir -p /root/other && cp /etc/kubernetes/pki/etcd/ca.crt /root/other/ca.crt")
    let pki = "/etc/kubernetes/pki/etcd"
    let cases: [(String, String, String)] = [
      ("etcdctl --endpoints=https://127.0.0.1:2379 member list", "without --cacert it trusts only the system's CAs", "Give the three files"),
      ("etcdctl --endpoints=https://127.0.0.1:2379 --cacert=\(pki)/ca.crt member list", "presented none", "Add --cert and --key"),
      ("etcdctl --endpoints=http://127.0.0.1:2379 --cacert=\(pki)/ca.crt --cert=\(pki)/server.crt --key=\(pki)/server.key member list", "The endpoint says http://", "Write the endpoint with https://"),
      ("etcdctl --endpoints=https://10.0.1.12:2379 --cacert=\(pki)/ca.crt --cert=\(pki)/server.crt --key=\(pki)/server.key member list", "x509: certificate is valid for 127.0.0.1, 10.0.1.10, 10.0.1.11, not 10.0.1.12", "SANs"),
    ]
    for (line, why, fix) in cases {
      let before = s.events.count
      _ = s.run(line)
      let text = Catalogs.explain(s.events[before...], world: s.world, lang: .en).joined(separator: "\n")
      #expect(text.contains(why), "\(line): \(text)")
      #expect(text.contains(fix), "\(line): \(text)")
      #expect(!text.contains("quorum"), "\(line): \(text)")
    }
  }

  @Test func everyErrorIDHasACaseOrIsNotReachable() {
    // Errors the course world cannot produce on its own (they need TLS, raft timing or a
    // server-side URL check): their rendering is checked with given facts instead.
    let unreachable: Set<String> = ["member-id-exists", "invalid-peer-urls", "no-leader", "request-timed-out", "bad-leader-transferee",
                                    "output-format-not-supported", "no-leader-endpoint", "cluster-id-mismatch", "member-removed",
                                    "snapshot-hash-mismatch", "tls-cert-required", "tls-pem-switched", "tls-key-mismatch", "tls-bad-pem",
                                    "cluster-cannot-be-downgraded", "incompatible-cluster", "data-dir-not-empty", "start-timeout"]
    let covered = Set(Self.cases.map(\.id)).union(unreachable)
    #expect(covered == Catalogs.errorIDs, "missing: \(Catalogs.errorIDs.subtracting(covered).sorted())")
    for id in unreachable {
      let text = Catalogs.explanations[id]?.render(.en, facts: ["member": "abc123", "votersUp": "1", "voters": "3", "quorum": "2"]) ?? ""
      #expect(!text.isEmpty && !text.contains("{"), "\(id): \(text)")
    }
  }

  @Test func olderWordingsAreRecognised() {
    #expect(Catalogs.errorID(forText: "etcdserver: assign ids error: the member count is unequal") == "member-count-unequal")
    #expect(Catalogs.errorID(forText: "unmatched member while checking PeerURLs") == "peer-urls-no-match")
  }

  @Test func causesSplitByCaseFollowTheFactsAndNeedADefault() throws {
    let text = """
      meaning: {en: m, zh: 意}
      causes:
        a: {en: case a, zh: 情况 a}
        default: {en: usual, zh: 通常}
      """
    var loader = LabLoader(file: "x.yaml")
    let node = try #require(try Yams.compose(yaml: text))
    let parsed = loader.explanation(node)
    let x = try #require(parsed)
    #expect(x.render(.en, facts: ["case": "a"]).contains("Why: case a"))
    #expect(x.render(.zh, facts: [:]).contains("常见原因：通常"))
    var strict = LabLoader(file: "y.yaml")
    let bad = try #require(try Yams.compose(yaml: "meaning: {en: m, zh: 意}\ncauses:\n  a: {en: x, zh: y}\n"))
    _ = strict.explanation(bad)
    #expect(strict.problems.contains { $0.message == "causes by case needs a default" && $0.line == 3 })
  }
}
