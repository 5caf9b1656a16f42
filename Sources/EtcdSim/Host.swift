/// A machine of the simulated world.
public struct Host: Equatable, Sendable {
  public var name: String
  public var addresses: [String]
  public var fs = FileSystem()
  /// The version of `/usr/local/bin/etcd` (nil: etcd is not installed).
  public var etcdVersion: String?
  /// systemd services by unit name (`etcd`).
  public var services: [String: Service] = [:]
  /// The systemd journal.
  public var journal: [JournalLine] = []

  public init(name: String, addresses: [String], etcdVersion: String? = Release.defaultVersion) {
    self.name = name
    self.addresses = addresses
    self.etcdVersion = etcdVersion
    fs.makeDirectories("/root")
    fs.makeDirectories("/tmp")
    fs.makeDirectories("/opt")
    fs.makeDirectories("/var/lib")
    fs.makeDirectories("/etc")
    if let etcdVersion {
      fs.write("/usr/local/bin/etcd", .executable(name: "etcd", version: etcdVersion))
      fs.write("/usr/local/bin/etcdctl", .executable(name: "etcdctl", version: etcdVersion))
    }
  }

  /// Whether `address` (an IP or `localhost`) is one this host can bind.
  public func owns(_ address: String) -> Bool {
    address == "127.0.0.1" || address == "localhost" || address == "0.0.0.0" || address.hasPrefix("127.")
      || addresses.contains(address)
  }
}
