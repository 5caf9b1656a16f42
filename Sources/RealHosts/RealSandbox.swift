import EtcdCommands
import EtcdSim
import Foundation

/// `etcdlab sandbox --backend real`: the world a setup describes, on real processes. The hosts
/// are real namespaces (`HostTopology`); the setup's members run as real etcd 3.4 with the flags
/// their unit holds in the simulator (so the same member and cluster ids), as units of the
/// host's systemd (`RealUnits`: their output in its journal); the shell is etcdlab's own, on a simulated world that holds the hosts and
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
    // Checks read the cluster where the setup starts it (its members' client URLs; with none, every host's).
    let members = simulated.labCluster?.sortedMembers ?? []
    hosts.clusterEndpoints = members.flatMap(\.clientURLs).filter { !$0.contains("127.0.0.1") }
    if hosts.clusterEndpoints.isEmpty { hosts.clusterEndpoints = world.hosts.flatMap { $0.addresses.map { "http://\($0):2379" } } }
    hosts.clusterHost = world.hosts.first?.name
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

  /// Starts every etcd service of the simulated world as a real etcd unit on its host (the unit
  /// file in place, `systemctl --no-block start`), and waits until each says it is ready to serve
  /// client requests.
  static func startMembers(of simulated: World, on hosts: RealHosts, seconds: Double) throws {
    var members: [String] = []
    for h in simulated.hosts {
      guard let service = h.services["etcd"], !service.execStart.isEmpty, case .bytes(let unit)? = h.fs.content(UnitFile.path) else { continue }
      _ = hosts.run(["cat"], host: h.name, cwd: "/", out: ">" + UnitFile.path, env: [:], input: unit)
      var io = IO()
      guard hosts.units.systemctl(["--no-block", "start", "etcd"], host: h.name, io: &io) == 0 else {
        throw Refusal(description: "\(h.name)'s etcd did not start: \(io.text)")
      }
      members.append(h.name)
    }
    let deadline = Date().addingTimeInterval(seconds)
    for name in members {
      while !hosts.units.unit(name, "etcd").journal.contains(where: { $0.text.contains("ready to serve client requests") }) {
        guard Date() < deadline else { throw Refusal(description: "\(name)'s etcd was not ready after \(Int(seconds)) s") }
        Thread.sleep(forTimeInterval: 0.05)
      }
    }
    // The simulator's cluster has been up for a while: real etcd refuses membership changes until
    // every voter has been connected for 5 s (`etcdserver: unhealthy cluster`), so wait that out.
    if members.count > 1 { Thread.sleep(forTimeInterval: healthInterval) }
  }

  /// etcd's HealthInterval: how long peers must be connected before a membership change.
  static let healthInterval = 5.2
}
