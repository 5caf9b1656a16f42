@testable import EtcdSim

/// Worlds and helpers shared by the simulator's tests.
enum Fixture {
  /// The course world: infra0–infra2 running at 10.0.1.10–12, infra3 and infra4 spare.
  static func course(seed: UInt64 = 1, _ tweak: (inout WorldSetup) -> Void = { _ in }) -> World {
    var s = WorldSetup.course
    tweak(&s)
    return World(setup: s, seed: seed)
  }

  static let endpoint = ["http://10.0.1.10:2379"]

  static func mainCluster(_ w: World) -> Cluster { w.labCluster! }

  static func call(_ w: inout World, _ r: ClientRequest, endpoints: [String] = endpoint, from host: String = "infra0") -> CallResult {
    w.call(r, endpoints: endpoints, from: host, timeout: 5000)
  }

  static func id(_ w: World, name: String) -> UInt64 { mainCluster(w).sortedMembers.first { $0.name == name }!.id }

  /// Starts etcd on a spare host as the member added for it (`--initial-cluster-state existing`).
  static func startJoining(_ w: inout World, host: String, address: String, learner: Bool = false) -> Int32 {
    let c = mainCluster(w)
    var cfg = EtcdConfig()
    cfg.name = host
    cfg.dataDir = "/var/lib/etcd"
    cfg.initialClusterState = "existing"
    cfg.initialClusterGiven = true
    let named = c.sortedMembers.map { m in "\(m.name.isEmpty ? host : m.name)=\(m.peerURLs[0])" }
    cfg.initialCluster = named.joined(separator: ",")
    cfg.initialAdvertisePeerURLs = "http://\(address):2380"
    cfg.listenPeerURLs = "http://\(address):2380"
    cfg.listenClientURLs = "http://\(address):2379"
    cfg.advertiseClientURLs = "http://\(address):2379"
    return w.startEtcd(World.StartRequest(host: host, cwd: "/root", config: cfg, commandLine: "etcd --name \(host)", sink: .discard, background: true, version: "3.4.23"))
  }

  static func stop(_ w: inout World, host: String) {
    for p in w.processes where p.host == host && p.isRunning { w.signal(pid: p.pid, 15) }
  }
}
