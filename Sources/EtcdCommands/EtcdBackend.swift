import EtcdSim

/// What the command layer needs from an etcd cluster: client calls, starting servers,
/// the clock. The simulator implements it; a real-etcd backend can implement it too.
public protocol EtcdBackend {
  /// The current time (Unix ms).
  var now: Millis { get }
  /// Lets time pass (for `sleep`, or a command's own duration).
  mutating func advance(by ms: Millis)
  /// One etcdctl call from `host` against `endpoints`, within `timeout` ms, with the client's TLS.
  mutating func call(_ request: ClientRequest, endpoints: [String], from host: String, timeout: Millis, tls: ClientTLS) -> CallResult
  /// Starts an etcd server; returns its pid.
  mutating func startEtcd(_ request: World.StartRequest) -> Int32
  /// A random value, for ids that etcd draws at random (client UUIDs, durations).
  mutating func random(in range: ClosedRange<Int64>) -> Int64
  mutating func uuid() -> String
  /// Whether a file exists on a host (TLS files named by `--cacert`, `--cert`, `--key`).
  func fileExists(host: String, path: String) -> Bool
  /// Whether something listens at a client endpoint, as seen from `host`.
  func reachable(_ endpoint: String, from host: String) -> Bool
  /// A data dir's database file (`.../member/snap/db`) read as a snapshot without a hash.
  func databaseImage(host: String, path: String) -> Snapshot?
  /// A host's files as they are now (snapshot files, data dirs).
  func fileSystem(of host: String) -> FileSystem?
  /// Changes a host's files; the body gets the current time for modification stamps.
  mutating func withFileSystem<T>(of host: String, _ body: (inout FileSystem, Millis) -> T) -> T?
}

extension World: EtcdBackend {
  public mutating func random(in range: ClosedRange<Int64>) -> Int64 { rng.int(in: range) }
  public mutating func uuid() -> String { rng.uuid() }
  public func fileExists(host: String, path: String) -> Bool { self.host(host)?.fs.exists(path) ?? false }
  public func fileSystem(of host: String) -> FileSystem? { self.host(host)?.fs }
  public func reachable(_ endpoint: String, from host: String) -> Bool {
    listenerIndex(URLList.hostPort(endpoint), from: host, peer: false) != nil
  }
}
