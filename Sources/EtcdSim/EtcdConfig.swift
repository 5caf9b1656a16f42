/// An etcd server's configuration after flag and environment parsing (reference §3.1).
public struct EtcdConfig: Equatable, Sendable {
  public enum Logger: String, Sendable { case capnslog, zap }

  public var name = "default"
  public var dataDir = ""
  public var initialCluster = ""
  public var initialClusterState = "new"
  public var initialClusterToken = "etcd-cluster"
  public var initialAdvertisePeerURLs = "http://localhost:2380"
  public var listenPeerURLs = "http://localhost:2380"
  public var listenClientURLs = "http://localhost:2379"
  public var advertiseClientURLs = "http://localhost:2379"
  public var logger = Logger.capnslog
  public var strictReconfigCheck = true
  /// `--quota-backend-bytes`: 0 means etcd's default (2 GiB), below 0 no quota.
  public var quotaBackendBytes: Int64 = 0
  /// `ETCD_*` variables that were read, in the order etcd logs them.
  public var environmentUsed: [(String, String)] = []
  /// Every flag's value as etcd took it, from the command line or an `ETCD_*` variable
  /// (`data-dir` → `/var/lib/etcd`): what a lab's `process` check compares.
  public var flags: [String: String] = [:]
  /// Warnings about unknown `ETCD_*` variables, printed before anything else.
  public var environmentWarnings = ""
  /// Whether `--initial-cluster` (or its variable) was set explicitly.
  public var initialClusterGiven = false
  /// `--cert-file`, `--key-file`, `--trusted-ca-file`, `--client-cert-auth`: TLS on client URLs.
  public var clientTLS = TLSFlags()
  /// The `--peer-*` equivalents.
  public var peerTLS = TLSFlags()

  public struct TLSFlags: Equatable, Sendable {
    public var certFile = ""
    public var keyFile = ""
    public var trustedCAFile = ""
    public var clientCertAuth = false
    public init() {}
    /// `TLSInfo.Empty`: no certificate and key given.
    public var isEmpty: Bool { certFile.isEmpty && keyFile.isEmpty }
  }

  public init() {}

  public static func == (a: EtcdConfig, b: EtcdConfig) -> Bool {
    a.name == b.name && a.dataDir == b.dataDir && a.initialCluster == b.initialCluster
      && a.initialClusterState == b.initialClusterState && a.initialClusterToken == b.initialClusterToken
      && a.initialAdvertisePeerURLs == b.initialAdvertisePeerURLs && a.listenPeerURLs == b.listenPeerURLs
      && a.listenClientURLs == b.listenClientURLs && a.advertiseClientURLs == b.advertiseClientURLs
      && a.logger == b.logger && a.strictReconfigCheck == b.strictReconfigCheck
      && a.environmentUsed.map { $0.0 + "=" + $0.1 } == b.environmentUsed.map { $0.0 + "=" + $0.1 }
  }

  /// The data dir etcd uses: `--data-dir`, or `<name>.etcd`.
  public var effectiveDataDir: String { dataDir.isEmpty ? "\(name).etcd" : dataDir }

  /// `--initial-cluster` with etcd's default rewrite (`<name>=http://localhost:2380`).
  public var effectiveInitialCluster: String {
    initialClusterGiven ? initialCluster : "\(name)=\(initialAdvertisePeerURLs)"
  }

  /// The `name=url` pairs of `--initial-cluster`, in order given.
  public func initialClusterPairs() -> Result<[(name: String, url: String)], URLList.Failure> {
    var pairs: [(String, String)] = []
    for item in effectiveInitialCluster.split(separator: ",") {
      let parts = item.split(separator: "=", maxSplits: 1)
      guard parts.count == 2 else {
        return .failure(.message("parse \(effectiveInitialCluster): expected name=url, got \(item)"))
      }
      switch URLList.validate(String(parts[1]).trimmingSpaces()) {
      case .success(let u): pairs.append((String(parts[0]), u))
      case .failure(let f): return .failure(f)
      }
    }
    return .success(pairs)
  }
}
