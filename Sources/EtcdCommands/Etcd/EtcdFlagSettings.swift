import EtcdSim

/// Flags a running etcd must have, written as on a command line (`--data-dir /var/lib/etcd-restored`,
/// `--initial-cluster-state=existing`, `-name infra3`) and compared with the configuration etcd
/// parsed — wherever each value came from: `--flag=value`, `--flag value`, `-flag value`, an
/// `ETCD_*` variable, a unit's `Environment=` or `EnvironmentFile=`.
public struct EtcdFlagSettings: Sendable, Equatable {
  public struct Setting: Sendable, Equatable {
    public var flag: String
    public var value: String
  }

  public var settings: [Setting]

  /// Parses the written flags as etcd `version` would; the failure is etcd's own message
  /// (`flag provided but not defined: -data-dirr`), or that a word is not a flag.
  public static func parse(_ written: [String], version: String = "3.4.23") -> Result<EtcdFlagSettings, EtcdLauncher.ScanFailure> {
    let words = written.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
    switch EtcdLauncher.scan(words, version: version) {
    case .failure(let f): return .failure(f)
    case .success(let scan):
      if let stray = scan.positionals.first {
        return .failure(EtcdLauncher.ScanFailure(message: "'\(stray)' is not a valid flag"))
      }
      return .success(EtcdFlagSettings(settings: scan.given.reduce(into: [Setting]()) { out, name in
        if !out.contains(where: { $0.flag == name }), let v = scan.values[name] { out.append(Setting(flag: name, value: v)) }
      }))
    }
  }

  /// Whether a running etcd took every setting.
  public func hold(for taken: EtcdTakenFlags) -> Bool {
    settings.allSatisfy { s in taken.value(s.flag).map { Self.same(s.flag, $0, s.value) } ?? false }
  }

  /// Equal as etcd reads them: a path whatever its trailing slash, a list of URLs or of
  /// `name=url` pairs in any order, a boolean in any of Go's spellings.
  static func same(_ flag: String, _ have: String, _ want: String) -> Bool {
    if have == want { return true }
    if EtcdLauncher.boolFlags.contains(flag) || flag == "enable-v2" { return truth(have) == truth(want) && truth(have) != nil }
    if flag.hasSuffix("-dir") || flag.hasSuffix("-file") {
      return FileSystem.resolve(have, cwd: "/") == FileSystem.resolve(want, cwd: "/")
    }
    if flag.hasSuffix("-urls") || flag == "initial-cluster" {
      let list = { (s: String) in s.split(separator: ",").map { String($0).trimmingSpaces() }.sorted() }
      return list(have) == list(want)
    }
    return false
  }

  static func truth(_ s: String) -> Bool? {
    switch s {
    case "true", "1", "t", "TRUE", "True": return true
    case "false", "0", "f", "FALSE", "False": return false
    default: return nil
    }
  }
}

/// What a running etcd took for each flag: given on its command line or by an `ETCD_*` variable,
/// else etcd's default for the flags the simulation models.
public struct EtcdTakenFlags: Sendable, Equatable {
  public var version: String
  public var values: [String: String]

  public init(version: String, values: [String: String]) {
    self.version = version
    self.values = values
  }

  /// A simulated server: its parsed configuration, its data dir as an absolute path.
  public init(server: EtcdServer) {
    version = server.version
    values = server.config.flags
    values["data-dir"] = server.dataDirPath
    values["initial-cluster"] = server.config.effectiveInitialCluster
  }

  /// A real process seen only by its command line.
  public init(commandLine: String, version: String) {
    self.version = version
    let words = commandLine.split(separator: " ").map(String.init).dropFirst()
    values = (try? EtcdLauncher.scan(Array(words), version: version).get().values) ?? [:]
  }

  /// The value etcd took for `flag`.
  public func value(_ flag: String) -> String? {
    if let v = values[flag] { return v }
    let c = EtcdConfig()
    switch flag {
    case "name": return c.name
    case "initial-cluster-state": return c.initialClusterState
    case "initial-cluster-token": return c.initialClusterToken
    case "initial-cluster": return "\(value("name") ?? c.name)=\(value("initial-advertise-peer-urls") ?? c.initialAdvertisePeerURLs)"
    case "initial-advertise-peer-urls": return c.initialAdvertisePeerURLs
    case "listen-peer-urls": return c.listenPeerURLs
    case "listen-client-urls": return c.listenClientURLs
    case "advertise-client-urls": return c.advertiseClientURLs
    case "data-dir": return "\(value("name") ?? c.name).etcd"
    case "strict-reconfig-check": return "true"
    default: return EtcdLauncher.boolFlags(version).contains(flag) ? "false" : nil
    }
  }
}
