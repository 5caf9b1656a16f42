import EtcdCommands
import EtcdSim
import Foundation

/// `etcdlab sandbox --backend real`: the world a setup describes, on real processes. The hosts
/// are real namespaces (`HostTopology`); the setup's members run as real etcd 3.4 with the flags
/// their unit holds in the simulator (so the same member and cluster ids), their output in
/// /var/log/etcd.log; the shell is etcdlab's own, on a simulated world that holds the hosts and
/// their programs but runs no etcd.
public enum RealSandbox {
  public struct Refusal: Error, CustomStringConvertible {
    public var description: String
  }

  /// Why a setup cannot run on real etcd here, if it cannot.
  public static func refusal(_ setup: WorldSetup, etcdVersion: String = "3.4") -> String? {
    let versions = [setup.version].compactMap { $0 } + (setup.hosts ?? []).compactMap(\.version)
    if let v = versions.first(where: { !$0.hasPrefix(etcdVersion + ".") }) {
      return "etcd \(v) is not installed here (only etcd \(etcdVersion) is)"
    }
    let simulatedOnly = [("data-size", setup.dataSize != nil), ("sync-rate", setup.syncRate != nil), ("uptime", setup.uptime != nil),
                         ("releases", setup.releases != nil), ("pki", setup.pki != nil)]
    if let key = simulatedOnly.first(where: \.1)?.0 { return "the setup's `\(key)` exists only in the simulator" }
    return nil
  }

  /// The session, its shell's commands running on the real hosts, with the setup's members
  /// started and ready. `seconds`: how long a member may take to be ready.
  public static func start(setup: WorldSetup, seed: UInt64, transcriptMode: Bool, suggestions: Bool, seconds: Double = 30) throws -> (session: Session, hosts: RealHosts) {
    if let why = refusal(setup) { throw Refusal(description: "the real backend cannot run this setup: \(why)") }
    let simulated = World(setup: setup, seed: seed)
    var bare = setup
    bare.hosts = (setup.hosts ?? WorldSetup.course.hosts)?.map { h in
      var h = h
      h.member = false
      return h
    }
    bare.keys = nil
    let world = World(setup: bare, seed: seed)
    let topology = try HostTopology(hosts: world.hosts.map { ($0.name, $0.addresses) })
    let hosts = RealHosts(topology)
    var session = Session(world: world, host: setup.startHost(in: simulated), transcriptMode: transcriptMode, suggestions: suggestions)
    session.hosts = hosts
    do {
      try startMembers(of: simulated, on: hosts, seconds: seconds)
      for (k, v) in (setup.keys ?? [:]).sorted(by: { $0.key < $1.key }) {
        _ = hosts.run(["etcdctl", "put", "--", k, v], host: session.host, cwd: "/root", env: session.environment)
      }
    } catch {
      hosts.close()
      throw error
    }
    return (session, hosts)
  }

  /// Starts every etcd service of the simulated world as a real etcd on its host, with the unit
  /// file in place, and waits until each says it is ready to serve client requests.
  static func startMembers(of simulated: World, on hosts: RealHosts, seconds: Double) throws {
    var members: [String] = []
    for h in simulated.hosts {
      guard let service = h.services["etcd"], !service.execStart.isEmpty else { continue }
      if case .bytes(let unit)? = h.fs.content(UnitFile.path) {
        _ = hosts.run(["cat"], host: h.name, cwd: "/", out: ">" + UnitFile.path, env: [:], input: unit)
      }
      var argv = service.execStart.split(separator: " ").map(String.init)
      argv[0] = "etcd"
      try hosts.start(argv, host: h.name, cwd: "/", out: ">>/var/log/etcd.log", err: "&1", env: Session.loginEnvironment(host: h.name))
      members.append(h.name)
    }
    let deadline = Date().addingTimeInterval(seconds)
    for name in members {
      let log = hosts.topology.directory + "/hosts/\(name)/var/log/etcd.log"
      while !((try? String(contentsOfFile: log, encoding: .utf8))?.contains("ready to serve client requests") ?? false) {
        guard Date() < deadline else { throw Refusal(description: "\(name)'s etcd was not ready after \(Int(seconds)) s (its log: \(log))") }
        Thread.sleep(forTimeInterval: 0.05)
      }
    }
  }
}
