/// The world's setup (DESIGN.md "The world's setup"): shared by `etcdlab sandbox --setup`
/// and every lab. Every key is optional; the defaults give the course's world.
public struct WorldSetup: Decodable, Equatable, Sendable {
  public struct HostSetup: Decodable, Equatable, Sendable {
    public var name: String
    public var address: String?
    public var addresses: [String]?
    public var member: Bool?
    public var version: String?
    public var peerURL: String?
    public var clientURL: String?
    public var dataDir: String?

    enum CodingKeys: String, CodingKey {
      case name, address, addresses, member, version
      case peerURL = "peer-url", clientURL = "client-url", dataDir = "data-dir"
    }

    public init(name: String, address: String, member: Bool = false) {
      self.name = name
      self.address = address
      self.member = member
    }

    var allAddresses: [String] { addresses ?? address.map { [$0] } ?? [] }
  }

  /// A dotted IPv4 address: four decimal numbers, each 0 to 255 (`10.0.1.300` is not one).
  public static func isIPv4(_ s: String) -> Bool {
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts.allSatisfy { p in
      !p.isEmpty && p.count <= 3 && p.allSatisfy { $0.isASCII && $0.isNumber } && Int(p).map { $0 <= 255 } == true
    }
  }

  public var version: String?
  public var token: String?
  public var hosts: [HostSetup]?
  public var keys: [String: String]?
  /// Extra data the cluster holds, e.g. `200MB` (how long a learner takes to catch up).
  public var dataSize: String?
  /// How fast a new member or learner receives data, e.g. `10MB` (per second).
  public var syncRate: String?
  /// How long the cluster has been up at start, in seconds (default 60).
  public var uptime: Int?
  /// Certificate sets placed on hosts; members whose client URL is `https` serve it with the
  /// first set's `server` certificate and require client certificates, as kubeadm sets etcd up.
  public var pki: [PKISetup]?
  /// Release tarballs (`3.5.17` → `/root/etcd-v3.5.17-linux-amd64.tar.gz`) placed on every host,
  /// for upgrades.
  public var releases: [String]?

  enum CodingKeys: String, CodingKey {
    case version, token, hosts, keys, uptime, pki, releases
    case dataSize = "data-size", syncRate = "sync-rate"
  }

  public init() {}

  /// The keys a setup file may use, at the top, in a host, and in a `pki` entry (for the
  /// loaders' did-you-mean errors).
  public static let keys = ["version", "token", "hosts", "keys", "data-size", "sync-rate", "uptime", "pki", "releases"]
  public static let hostKeys = ["name", "address", "addresses", "member", "version", "peer-url", "client-url", "data-dir"]
  public static let pkiKeys = ["dir", "ca", "certs", "sans", "hosts"]

  /// The course's default world: infra0–infra2 running, infra3 and infra4 spare.
  public static let course: WorldSetup = {
    var s = WorldSetup()
    s.hosts = (0...4).map { HostSetup(name: "infra\($0)", address: "10.0.1.1\($0)", member: $0 < 3) }
    return s
  }()

  /// The course's world with TLS as kubeadm sets etcd up: infra0–infra2 serve https with
  /// client-certificate auth, the files under `/etc/kubernetes/pki/etcd` on every host.
  public static func kubeadmTLS(sans: [String]? = nil) -> WorldSetup {
    var s = WorldSetup()
    s.hosts = (0...4).map { n in
      var h = HostSetup(name: "infra\(n)", address: "10.0.1.1\(n)", member: n < 3)
      if n < 3 { h.clientURL = "https://10.0.1.1\(n):2379" }
      return h
    }
    s.pki = [PKISetup(dir: "/etc/kubernetes/pki/etcd", ca: "etcd-ca", sans: sans)]
    return s
  }

  /// Parses sizes like `200MB`, `1.5GB`, `512kB`, `1048576`.
  public static func bytes(_ s: String) -> Int? {
    let t = s.trimmingSpaces()
    let digits = t.prefix { $0.isNumber || $0 == "." }
    guard let v = Double(digits) else { return nil }
    let unit = t.dropFirst(digits.count).trimmingSpaces().lowercased()
    let factor: Double
    switch unit {
    case "", "b": factor = 1
    case "kb", "k", "kib": factor = 1000
    case "mb", "m", "mib": factor = 1_000_000
    case "gb", "g", "gib": factor = 1_000_000_000
    default: return nil
    }
    return Int(checked: v * factor)
  }
}

extension WorldSetup {
  /// Where a shell in this world starts: the first member host, else the first host.
  public func startHost(in world: World) -> String {
    hosts?.first(where: { $0.member == true })?.name ?? world.hosts.first?.name ?? "localhost"
  }
}

extension World {
  /// Builds the world a setup describes: hosts, binaries, and a running cluster of the member hosts.
  public init(setup: WorldSetup, seed: UInt64) {
    self.init(seed: seed)
    if let r = setup.syncRate.flatMap(WorldSetup.bytes) { settings.syncBytesPerSecond = max(1, r) }
    let version = setup.version ?? Release.defaultVersion
    let hostSetups = setup.hosts ?? WorldSetup.course.hosts!
    for h in hostSetups {
      var host = Host(name: h.name, addresses: h.allAddresses, etcdVersion: h.version ?? version)
      host.fs.makeDirectories("/var/lib/etcd")
      host.fs.remove("/var/lib/etcd")
      addHost(host)
    }
    // Every host knows the others by name, as a lab's machines do (Debian's /etc/hosts, plus them).
    let known = hostSetups.compactMap { h in h.allAddresses.first.map { "\($0)\t\(h.name)\n" } }.joined()
    for h in hostSetups {
      let text = "127.0.0.1\tlocalhost\n" + known
        + "\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n"
      _ = withFileSystem(of: h.name) { fs, t in fs.write("/etc/hosts", .bytes(Array(text.utf8)), at: t) }
    }
    let allAddresses = ["localhost", "127.0.0.1"] + hostSetups.flatMap(\.allAddresses).filter { $0 != "127.0.0.1" }
    for set in setup.pki ?? [] {
      for (path, content) in set.files(defaultSANs: allAddresses) {
        for h in set.hosts ?? hostSetups.map(\.name) {
          _ = withFileSystem(of: h) { fs, t in fs.write(path, content, at: t) }
        }
      }
    }
    for r in setup.releases ?? [] {
      for h in hostSetups {
        _ = withFileSystem(of: h.name) { fs, t in fs.write("/root/etcd-v\(r)-linux-amd64.tar.gz", .archive(Release.tarball(r)), at: t) }
      }
    }
    let members = hostSetups.filter { $0.member == true }
    guard !members.isEmpty else { return }
    let token = setup.token ?? "etcd-cluster"
    let peer = { (h: WorldSetup.HostSetup) in h.peerURL ?? "http://\(h.allAddresses.first ?? "127.0.0.1"):2380" }
    let client = { (h: WorldSetup.HostSetup) in h.clientURL ?? "http://\(h.allAddresses.first ?? "127.0.0.1"):2379" }
    let initialCluster = members.map { "\($0.name)=\(peer($0))" }.joined(separator: ",")
    // The cluster was bootstrapped `uptime` seconds ago, with the flags a unit file would hold.
    let uptime = Millis(setup.uptime ?? 60) * 1000
    let start = now
    now -= uptime
    for h in members {
      var cfg = EtcdConfig()
      cfg.name = h.name
      cfg.dataDir = h.dataDir ?? "/var/lib/etcd"
      cfg.initialCluster = initialCluster
      cfg.initialClusterGiven = true
      cfg.initialClusterToken = token
      cfg.initialAdvertisePeerURLs = peer(h)
      cfg.listenPeerURLs = peer(h)
      let secure = client(h).hasPrefix("https://")
      cfg.listenClientURLs = client(h) + (secure ? ",https://127.0.0.1:2379" : ",http://127.0.0.1:2379")
      cfg.advertiseClientURLs = client(h)
      var flags: [(String, String)] = [
        ("name", h.name), ("data-dir", cfg.dataDir), ("initial-advertise-peer-urls", peer(h)),
        ("listen-peer-urls", peer(h)), ("listen-client-urls", cfg.listenClientURLs), ("advertise-client-urls", client(h)),
        ("initial-cluster-token", token), ("initial-cluster", initialCluster), ("initial-cluster-state", "new"),
      ]
      if secure, let dir = setup.pki?.first?.dir {
        cfg.clientTLS.certFile = dir + "/server.crt"
        cfg.clientTLS.keyFile = dir + "/server.key"
        cfg.clientTLS.trustedCAFile = dir + "/ca.crt"
        cfg.clientTLS.clientCertAuth = true
        flags += [("cert-file", cfg.clientTLS.certFile), ("key-file", cfg.clientTLS.keyFile),
                  ("trusted-ca-file", cfg.clientTLS.trustedCAFile), ("client-cert-auth", "true")]
      }
      let unit = UnitFile.etcd(flags: flags)
      let line = "/usr/local/bin/etcd " + flags.map { $0.1 == "true" ? "--\($0.0)=true" : "--\($0.0) \($0.1)" }.joined(separator: " ")
      // The member runs as the host's systemd service `etcd`, enabled and started at boot.
      let t = now
      _ = withFileSystem(of: h.name) { fs, _ in fs.write(UnitFile.path, .bytes(Array(unit.utf8)), at: t) }
      let pid = startEtcd(StartRequest(host: h.name, cwd: "/", config: cfg, commandLine: line, sink: .journal("etcd"), background: true, version: h.version ?? version))
      if let i = hostIndex(h.name) {
        var svc = Service()
        svc.enabled = true
        svc.loadedUnit = unit
        svc.mainPID = pid
        svc.since = t
        svc.execStart = line
        hosts[i].services["etcd"] = svc
      }
    }
    advance(to: start)
    // Keys the cluster holds at start.
    if let cid = labClusterID, var c = clusters[cid] {
      for (k, v) in (setup.keys ?? [:]).sorted(by: { $0.key < $1.key }) {
        c.kv.put(k, v)
        c.index += 1
      }
      c.kv.bulkBytes = setup.dataSize.flatMap(WorldSetup.bytes) ?? 0
      clusters[cid] = c
    }
  }
}
