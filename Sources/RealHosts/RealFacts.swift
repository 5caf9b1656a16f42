import EtcdCommands
import EtcdSim
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The facts a lab's checks read, from the real hosts: the cluster's members from
/// `etcdctl member list`, which serve and who leads from `etcdctl endpoint status`, keys from
/// `etcdctl get -w json`, files with `test -e` and snapshots with `etcdctl snapshot status -w json`
/// in the host, etcd processes from /proc (those in the host's pid namespace), units from
/// `RealUnits`. Each fact is read once, when a check first asks for it.
///
/// A snapshot's key count is etcdctl's `totalKey`, which counts every entry of the snapshot's
/// database (members and meta data included), so it is a lower bound of what the simulator counts.
final class RealFacts: HostFacts, @unchecked Sendable {
  private let hosts: RealHosts
  private let world: World
  /// Where etcdctl runs to read the cluster.
  private let from: String
  private let lock = NSLock()
  private var memberCache: [MemberFacts]??
  private var clientURLs: [UInt64: [String]] = [:]
  private var statusCache: (serving: Set<UInt64>, leader: Bool)?

  init(hosts: RealHosts, session: Session) {
    self.hosts = hosts
    world = session.world
    from = hosts.clusterHost ?? session.host
  }

  /// etcdctl's output and status in the host etcdctl runs from, with the cluster's endpoints.
  private func etcdctl(_ args: [String], endpoints: [String]) -> (text: String, status: Int32)? {
    let argv = ["etcdctl", "--endpoints=" + endpoints.joined(separator: ","), "--dial-timeout=1s", "--command-timeout=3s"] + args
    guard let r = hosts.run(argv, host: from, cwd: "/root", env: [:], limit: 10) else { return nil }
    return (String(decoding: r.bytes(of: .stdout), as: UTF8.self), r.status)
  }

  private func cached<T>(_ read: () -> T, get: () -> T?, set: (T) -> Void) -> T {
    lock.lock()
    if let v = get() {
      lock.unlock()
      return v
    }
    lock.unlock()
    let v = read()
    lock.lock()
    set(v)
    lock.unlock()
    return v
  }

  var members: [MemberFacts]? {
    cached({ () -> [MemberFacts]? in
      // `ID, started|unstarted, NAME, PEER_URLS, CLIENT_URLS, IS_LEARNER` (URLs joined by commas).
      guard let r = etcdctl(["member", "list"], endpoints: hosts.clusterEndpoints), r.status == 0 else { return nil }
      var out: [MemberFacts] = []
      for line in r.text.split(separator: "\n") {
        let f = line.components(separatedBy: ", ")
        guard f.count == 6, let id = UInt64(f[0], radix: 16) else { continue }
        out.append(MemberFacts(id: id, name: f[2], peerURLs: f[3].split(separator: ",").map(String.init), isLearner: f[5] == "true"))
        lock.lock()
        clientURLs[id] = f[4].split(separator: ",").map(String.init)
        lock.unlock()
      }
      return out.sorted { $0.id < $1.id }
    }, get: { memberCache }, set: { memberCache = .some($0) })
  }

  /// The members that answer `endpoint status` on their client URLs, and whether one of them leads.
  private var status: (serving: Set<UInt64>, leader: Bool) {
    let all = members ?? []
    return cached({ () -> (serving: Set<UInt64>, leader: Bool) in
      lock.lock()
      let urls = all.flatMap { clientURLs[$0.id] ?? [] }
      lock.unlock()
      guard !urls.isEmpty, let r = etcdctl(["endpoint", "status"], endpoints: urls) else { return ([], false) }
      // `ENDPOINT, ID, VERSION, DB SIZE, IS LEADER, IS LEARNER, RAFT TERM, RAFT INDEX, APPLIED INDEX, ERRORS`
      var serving: Set<UInt64> = []
      var leader = false
      for line in r.text.split(separator: "\n") {
        let f = line.components(separatedBy: ", ")
        guard f.count >= 6, let id = UInt64(f[1], radix: 16) else { continue }
        serving.insert(id)
        if f[4] == "true" { leader = true }
      }
      return (serving, leader)
    }, get: { statusCache }, set: { statusCache = $0 })
  }

  func isRunning(_ member: MemberFacts) -> Bool { status.serving.contains(member.id) }

  var hasLeader: Bool { status.leader }

  var canCommit: Bool {
    let voters = (members ?? []).filter { !$0.isLearner }
    let up = voters.filter { status.serving.contains($0.id) }.count
    return status.leader && !voters.isEmpty && up >= voters.count / 2 + 1
  }

  func value(of key: String) -> String?? {
    guard members != nil, let r = etcdctl(["get", "-w", "json", "--", key], endpoints: hosts.clusterEndpoints), r.status == 0,
      let json = try? JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any]
    else { return nil }
    guard let kvs = json["kvs"] as? [[String: Any]], let first = kvs.first, let value = first["value"] as? String,
      let data = Data(base64Encoded: value)
    else { return .some(nil) }
    return .some(String(decoding: data, as: UTF8.self))
  }

  var clusterVersion: String? {
    guard let curl = Spawn.which("curl") else { return nil }
    for url in hosts.clusterEndpoints {
      guard let r = hosts.run([curl, "-s", "-m", "3", url + "/version"], host: from, cwd: "/", env: [:], limit: 10), r.status == 0,
        let json = try? JSONSerialization.jsonObject(with: Data(r.bytes(of: .stdout))) as? [String: Any],
        let v = json["etcdcluster"] as? String
      else { continue }
      return World.majorMinor(v)
    }
    return nil
  }

  func fileExists(host: String, path: String) -> Bool {
    hosts.run(["test", "-e", path], host: host, cwd: "/root", env: [:], limit: 10)?.status == 0
  }

  func snapshot(host: String, path: String) -> (keys: Int, revision: Int64)? {
    guard let r = hosts.run(["etcdctl", "snapshot", "status", "-w", "json", "--", path], host: host, cwd: "/root", env: [:], limit: 30), r.status == 0,
      let json = try? JSONSerialization.jsonObject(with: Data(r.bytes(of: .stdout))) as? [String: Any],
      let keys = (json["totalKey"] as? NSNumber)?.intValue, let revision = (json["revision"] as? NSNumber)?.int64Value
    else { return nil }
    return (keys, revision)
  }

  func etcdProcesses(host: String?) -> [(commandLine: String, version: String)] {
    let names = host.map { [$0] } ?? world.hosts.map(\.name)
    return names.flatMap { h in hosts.topology.processes(in: h).filter { $0.first.map { $0 == "etcd" || $0.hasSuffix("/etcd") } ?? false } }
      .map { (commandLine: $0.joined(separator: " "), version: hosts.etcdVersion) }
  }

  func serviceActive(host: String, unit: String) -> Bool { hosts.units.isActive(host, unit) }

  func addresses(of host: String) -> [String]? { world.host(host)?.addresses }
}
