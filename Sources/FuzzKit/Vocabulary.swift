import EtcdCommands
import EtcdSim

/// The words a generated line draws on: what etcdlab's parsers understand (`CommandSurface`)
/// and what a fresh world holds (hosts, addresses, member ids, URLs, files, pids, units).
public struct Vocabulary: Sendable {
  public var commands: [String]
  public var etcdctlGlobalFlags: [CommandSurface.Flag]
  public var etcdctlCommands: [CommandSurface.Subcommand]
  public var etcdutlGlobalFlags: [CommandSurface.Flag]
  public var etcdutlCommands: [CommandSurface.Subcommand]
  public var etcdFlags: [CommandSurface.Flag]
  public var hosts: [String]
  public var addresses: [String]
  public var memberIDs: [String]
  public var memberNames: [String]
  public var paths: [String]
  public var pids: [String]
  public var units: [String]

  public init(world: World) {
    commands = CommandSurface.shellCommands
    etcdctlGlobalFlags = CommandSurface.etcdctlGlobalFlags
    etcdctlCommands = CommandSurface.etcdctlCommands
    etcdutlGlobalFlags = CommandSurface.etcdutlGlobalFlags
    etcdutlCommands = CommandSurface.etcdutlCommands
    etcdFlags = CommandSurface.etcdFlags() + CommandSurface.etcdFlags(version: "3.6.5").filter { !CommandSurface.etcdFlags().contains($0) }
    hosts = world.hosts.map(\.name)
    addresses = world.hosts.flatMap(\.addresses) + ["127.0.0.1", "localhost", "0.0.0.0", "10.0.1.99", "::1"]
    let members = world.clusters.sorted { $0.key < $1.key }.flatMap(\.value.sortedMembers)
    memberIDs = members.map { String($0.id, radix: 16) } + ["0", "ffffffffffffffff", "10000000000000000", "-1"]
    memberNames = members.map(\.name)
    // Files of the first host (sampled: a world holds many), then places a student writes to.
    let files = world.hosts.first.map { $0.fs.nodes.keys.sorted() } ?? []
    paths = stride(from: 0, to: files.count, by: max(1, files.count / 60)).map { files[$0] }
      + ["/tmp/x", "/tmp/s.db", "/tmp/backup.db", "/tmp/b.tgz", "/var/lib/etcd", "/var/lib/etcd/member", "/etc/systemd/system/etcd.service",
         "/root", "/", ".", "..", "~", "-", "/nonexistent/x", "/tmp/", "nohup.out", "/dev/null", "/proc/1/status"]
    pids = world.processes.map { String($0.pid) } + ["1", "0", "-1", "%1", "%2", "%+", "%-", "99999"]
    units = world.hosts.flatMap { $0.services.keys }.sorted() + ["etcd", "etcd.service", "ssh", "nosuch.service", "etcd@infra1"]
  }

  /// The course's five hosts, three of them members.
  public static let course = Vocabulary(world: World(setup: .course, seed: 1))

  func clientURL(_ d: inout Dice) -> String { "\(d.pick(["http", "https"]))://\(d.pick(addresses)):\(d.pick(["2379", "2380", "22379", "0", "65536", "-1", ""]))" }
  func peerURL(_ d: inout Dice) -> String { "http://\(d.pick(addresses)):\(d.pick(["2380", "2381", "12380", "99999"]))" }
}
