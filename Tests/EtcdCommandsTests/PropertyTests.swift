import EtcdCommands
import EtcdSim
import Foundation
import Testing

/// Random command sequences against the course world; the world's invariants must hold after
/// every command. A failure names the seed that reproduces it.
@Suite struct PropertyTests {
  static let hosts = ["infra0", "infra1", "infra2", "infra3", "infra4"]

  /// One random command line: every etcdctl command, etcd starts right and wrong, stops,
  /// wiped data dirs, sleeps, and malformed lines.
  static func randomLine(_ rng: inout SeededRandom, session: Session) -> String {
    let ids = session.world.clusters.values.flatMap { $0.members.keys }.sorted().map { String($0, radix: 16) }
    let id = ids.isEmpty || rng.int(in: 0...5) == 0 ? ["1234abcd", "zzz", "0"][Int(rng.int(in: 0...2))] : ids[Int(rng.int(in: 0...Int64(ids.count - 1)))]
    let n = Int(rng.int(in: 0...4))
    let addr = "10.0.1.1\(n)"
    let ep = "--endpoints=http://10.0.1.1\(rng.int(in: 0...4)):2379"
    let learner = rng.int(in: 0...1) == 0 ? " --learner" : ""
    let cluster = (0...4).filter { _ in rng.int(in: 0...3) > 0 }.map { "infra\($0)=http://10.0.1.1\($0):2380" }.joined(separator: ",")
    let state = rng.int(in: 0...2) == 0 ? "new" : "existing"
    let templates: [String] = [
      "etcdctl member list",
      "etcdctl \(ep) member list -w table",
      "etcdctl member add infra\(n) --peer-urls=http://\(addr):2380\(learner)",
      "etcdctl \(ep) member add infra\(n) --peer-urls=\(addr):2380",
      "etcdctl member remove \(id)",
      "etcdctl \(ep) member promote \(id)",
      "etcdctl member update \(id) --peer-urls=http://\(addr):2380",
      "etcdctl \(ep) put k\(n) v\(rng.int(in: 0...99))",
      "etcdctl \(ep) get k\(n)",
      "etcdctl \(ep) del k\(n)",
      "etcdctl \(ep) get k --prefix --consistency=s",
      "etcdctl \(ep) endpoint status --cluster -w table",
      "etcdctl \(ep) endpoint health",
      "etcdctl move-leader \(id)",
      "etcd --name infra\(n) --data-dir /var/lib/etcd --initial-advertise-peer-urls http://\(addr):2380 --listen-peer-urls http://\(addr):2380 --listen-client-urls http://\(addr):2379 --advertise-client-urls http://\(addr):2379 --initial-cluster \(cluster) --initial-cluster-state \(state) > /var/log/etcd.log 2>&1 &",
      "pkill etcd",
      "rm -rf /var/lib/etcd",
      "sleep \(rng.int(in: 1...8))",
      "etcdctl memeber list",
      "etcdctl member add",
      "etcdctl --bogus member list",
      "echo \"unterminated",
      "etcd --bogus-flag",
      "etcdctl member list | grep infra",
      "etcdctl \(ep) snapshot save /tmp/s\(n).db",
      "etcdctl snapshot status /tmp/s\(n).db -w json",
      "etcdctl snapshot restore /tmp/s\(n).db --name infra\(n) --initial-cluster \(cluster) --initial-advertise-peer-urls http://\(addr):2380 --data-dir /tmp/r\(rng.int(in: 0...3))",
      "truncate -s \(rng.int(in: 0...30000)) /tmp/s\(n).db",
      "curl -sS http://\(addr):2379/health",
      "curl -s --cacert /tmp/s\(n).db https://\(addr):2379/version",
      "etcdctl \(ep) --cacert=/tmp/s\(n).db --cert=/tmp/x --key=/tmp/x member list",
      "systemctl start --no-block etcd",
      "ls /tmp/*.db",
    ]
    return templates[Int(rng.int(in: 0...Int64(templates.count - 1)))]
  }

  /// What a command may change: raft membership (a member publishing its name meanwhile is not the command's doing), removals, keys.
  struct Snapshot: Equatable {
    var members: [UInt64: [UInt64: [String]]]
    var removed: [UInt64: Set<UInt64>]
    var keys: [UInt64: [String: KeyValueStore.Entry]]
    init(_ w: World) {
      members = w.clusters.mapValues { $0.members.mapValues { $0.peerURLs + [$0.isLearner ? "learner" : "voter"] } }
      removed = w.clusters.mapValues(\.removed)
      keys = w.clusters.mapValues(\.kv.entries)
    }
  }

  /// Checks every invariant; returns what broke.
  static func violations(_ w: World, mainCluster: UInt64, model: [String: String]) -> [String] {
    var out: [String] = []
    for c in w.clusters.values {
      let urls = c.members.values.flatMap(\.peerURLs)
      if Set(urls).count != urls.count { out.append("two members share a peer URL in \(Hex.string(c.id))") }
      if c.learners.count > 1 { out.append("more than one learner in \(Hex.string(c.id))") }
    }
    // After an election timeout, a leader exists exactly when a majority of voters runs.
    var later = w
    later.advance(by: 2500)
    if let c = later.clusters[mainCluster], !c.voters.isEmpty {
      let running = later.runningVoters(of: c).count
      if later.runningVoterCount(of: c) != running || c.voterCount != c.voters.count { out.append("voter counts disagree: \(later.runningVoterCount(of: c)) vs \(running) running, \(c.voterCount) vs \(c.voters.count) voters") }
      let majority = running >= Cluster.quorum(c.voters.count)
      if majority != (c.leader != nil) { out.append("leader \(c.leader.map { Hex.string($0) } ?? "none") with \(running)/\(c.voters.count) voters running") }
    }
    // No committed key is lost.
    if let kv = w.clusters[mainCluster]?.kv {
      let live = Dictionary(uniqueKeysWithValues: kv.entries.map { ($0.key, $0.value.value) })
      if live != model { out.append("keys \(live) but committed \(model)") }
    }
    return out
  }

  static func run(seed: UInt64, commands: Int) -> [String] {
    var rng = SeededRandom(seed: seed)
    var session = Session(world: World(setup: .course, seed: seed), host: "infra0", transcriptMode: true, suggestions: false)
    let main = session.world.labClusterID!
    var model: [String: String] = [:]
    var log: [String] = []
    for _ in 0..<commands {
      session.host = hosts[Int(rng.int(in: 0...4))]
      session.cwd = "/root"
      let line = randomLine(&rng, session: session)
      log.append("[\(session.host)] \(line)")
      let before = Snapshot(session.world)
      let (io, status) = session.run(line)
      let membership = line.hasPrefix("etcdctl") && line.contains(" member ") && !line.contains("list")
      if status != 0, membership, Snapshot(session.world).members != before.members || Snapshot(session.world).removed != before.removed {
        return ["seed \(seed): a rejected command changed the membership: \(line)"] + log.suffix(10)
      }
      if status == 0, line.contains(" put ") {
        let parts = line.split(separator: " ")
        model[String(parts[parts.count - 2])] = String(parts[parts.count - 1])
      }
      if status == 0, line.contains(" del "), io.text == "1\n" { model[String(line.split(separator: " ").last!)] = nil }
      let v = violations(session.world, mainCluster: main, model: model)
      if !v.isEmpty { return ["seed \(seed): \(v.joined(separator: "; "))"] + log.suffix(10) }
    }
    return []
  }

  /// How many random sequences to play: 100 by default, more with `ETCDLAB_PROPERTY_RUNS`
  /// (`.ci/run` plays 1,000).
  static let runs: UInt64 = {
    let asked = ProcessInfo.processInfo.environment["ETCDLAB_PROPERTY_RUNS"].flatMap { UInt64($0) } ?? 100
    return min(max(asked, 1), 100_000)
  }()

  @Test func invariantsHoldOverRandomCommandSequences() {
    for seed in UInt64(1)...Self.runs {
      let failure = Self.run(seed: seed, commands: 50)
      #expect(failure.isEmpty, "\(failure.joined(separator: "\n"))")
      if !failure.isEmpty { return }
    }
  }
}
