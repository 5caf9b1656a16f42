import EtcdSim

/// `etcd` 3.4.23's command line: Go `flag` parsing, `ETCD_*` variables, the checks made
/// before a server starts (reference §3.1).
public enum EtcdLauncher {
  public enum Parsed: Equatable, Sendable {
    /// Start a server with this configuration.
    case start(EtcdConfig)
    /// Print this and exit with this status, no server.
    case exit(stdout: String, stderr: String, status: Int32, error: EtcdError? = nil)
  }

  static let stringFlags: Set<String> = [
    "name", "data-dir", "wal-dir", "initial-cluster", "initial-cluster-state", "initial-cluster-token",
    "initial-advertise-peer-urls", "listen-peer-urls", "listen-client-urls", "advertise-client-urls", "logger",
    "heartbeat-interval", "election-timeout", "snapshot-count", "quota-backend-bytes", "max-request-bytes",
    "log-level", "log-outputs", "auto-compaction-retention", "auto-compaction-mode", "trusted-ca-file", "cert-file",
    "key-file", "peer-trusted-ca-file", "peer-cert-file", "peer-key-file", "listen-metrics-urls", "discovery",
    "discovery-srv", "max-snapshots", "max-wals", "cipher-suites", "config-file",
  ]
  /// Flags that one series added or removed (`etcdmain/config.go` v3.4.23, `server/etcdmain/config.go`
  /// v3.5.17, `server/embed/config.go` v3.6.5): `--v2-deprecation` came in 3.5, `--max-learners` in 3.6,
  /// and 3.6 dropped the boolean `--enable-v2` (`flag provided but not defined: -enable-v2`).
  static func stringFlags(_ version: String) -> Set<String> {
    var set = stringFlags
    if Release.isAtLeast(version, "3.5") { set.insert("v2-deprecation") }
    if Release.isAtLeast(version, "3.6") { set.insert("max-learners") }
    return set
  }
  static func boolFlags(_ version: String) -> Set<String> {
    Release.isAtLeast(version, "3.6") ? boolFlags : boolFlags.union(["enable-v2"])
  }
  static let boolFlags: Set<String> = [
    "strict-reconfig-check", "debug", "force-new-cluster", "client-cert-auth", "peer-client-cert-auth",
    "enable-pprof", "version", "help", "h", "auto-tls", "peer-auto-tls", "enable-grpc-gateway",
  ]

  /// The etcd flag closest to a mistyped one (`inital-cluster-state` → `initial-cluster-state`).
  public static func closestFlag(to typed: String, version: String) -> String? {
    Etcdctl.closest(typed, among: (stringFlags(version).union(boolFlags(version))).subtracting(["h"]).sorted())
  }

  /// Parses `etcd ARGS` with the shell's environment; `capnslog` stamps log lines.
  public static func parse(_ args: [String], env: [String: String], version: String, stamp: () -> String) -> Parsed {
    var values: [String: String] = [:]
    var given: [String] = []
    var positionals: [String] = []
    var i = 0
    let usage = Help.text("etcd-usage") ?? ""
    let stringFlags = stringFlags(version), boolFlags = boolFlags(version)
    while i < args.count {
      let a = args[i]
      i += 1
      guard a.hasPrefix("-"), a != "-", a != "--" else {
        if a == "--" { positionals.append(contentsOf: args[i...]); break }
        positionals.append(a)
        continue
      }
      let body = a.hasPrefix("--") ? a.dropFirst(2) : a.dropFirst()
      let name = String(body.prefix { $0 != "=" })
      let inline: String? = body.contains("=") ? String(body[body.index(after: body.firstIndex(of: "=")!)...]) : nil
      if boolFlags.contains(name) {
        let v = inline ?? "true"
        guard ["true", "false", "1", "0", "t", "f", "TRUE", "FALSE", "True", "False"].contains(v) else {
          return .exit(stdout: "", stderr: "invalid boolean value \(Go.quote(v)) for -\(name): parse error\n" + usage, status: 2, error: .invalidFlagValue("invalid boolean value \(Go.quote(v)) for -\(name): parse error"))
        }
        values[name] = v
        given.append(name)
        continue
      }
      guard stringFlags.contains(name) else {
        return .exit(stdout: "", stderr: "flag provided but not defined: -\(name)\n" + usage, status: 2, error: .flagUndefined(name))
      }
      var value: String
      if let inline { value = inline } else {
        guard i < args.count else { return .exit(stdout: "", stderr: "flag needs an argument: -\(name)\n" + usage, status: 2) }
        value = args[i]
        i += 1
      }
      if name == "initial-cluster-state", value != "new", value != "existing" {
        return .exit(stdout: "", stderr: "invalid value \(Go.quote(value)) for flag -initial-cluster-state: invalid value\n" + usage, status: 2, error: .invalidFlagValue("invalid value \(Go.quote(value)) for flag -initial-cluster-state: invalid value"))
      }
      if name == "logger", value != "capnslog", value != "zap" { value = "capnslog" }
      values[name] = value
      given.append(name)
    }
    if values["version"] == "true" {
      return .exit(stdout: Release.etcdVersionText(version), stderr: "", status: 0)
    }
    if values["help"] == "true" || values["h"] == "true" {
      return .exit(stdout: Help.text("etcd") ?? usage, stderr: "", status: 0)
    }
    if let p = positionals.first {
      return .exit(stdout: "", stderr: "\(stamp()) E | etcdmain: error verifying flags, '\(p)' is not a valid flag. See 'etcd --help'.\n", status: 1, error: .invalidFlagValue("error verifying flags, '\(p)' is not a valid flag. See 'etcd --help'."))
    }
    // ETCD_* variables fill the flags that were not given (pkg/flags).
    var used: [(String, String)] = []
    var warnings = ""
    for key in env.keys.sorted() where key.hasPrefix("ETCD_") {
      let name = key.dropFirst(5).lowercased().split(separator: "_").joined(separator: "-")
      guard stringFlags.contains(name) || boolFlags.contains(name) else {
        warnings += "\(stamp()) W | pkg/flags: unrecognized environment variable \(key)=\(env[key]!)\n"
        continue
      }
      if given.contains(name) {
        return .exit(stdout: "", stderr: warnings + "\(stamp()) C | pkg/flags: conflicting environment variable \(Go.quote(key)) is shadowed by corresponding command-line flag (either unset environment variable or disable flag)\n", status: 1, error: .conflictingEnvironment(key))
      }
      values[name] = env[key]!
      used.append((key, env[key]!))
    }
    if given.contains("listen-client-urls") && values["advertise-client-urls"] == nil {
      let message = "error verifying flags, --advertise-client-urls is required when --listen-client-urls is set explicitly. See 'etcd --help'."
      return .exit(stdout: "", stderr: warnings + "\(stamp()) E | etcdmain: \(message)\n", status: 1, error: .invalidFlagValue(message))
    }
    var cfg = EtcdConfig()
    if let v = values["name"] { cfg.name = v }
    if let v = values["data-dir"] { cfg.dataDir = v }
    if let v = values["initial-cluster"] { cfg.initialCluster = v; cfg.initialClusterGiven = true }
    if let v = values["initial-cluster-state"] { cfg.initialClusterState = v }
    if let v = values["initial-cluster-token"] { cfg.initialClusterToken = v }
    if let v = values["initial-advertise-peer-urls"] { cfg.initialAdvertisePeerURLs = v }
    if let v = values["listen-peer-urls"] { cfg.listenPeerURLs = v }
    if let v = values["listen-client-urls"] { cfg.listenClientURLs = v }
    if let v = values["advertise-client-urls"] { cfg.advertiseClientURLs = v }
    // 3.5 removed capnslog: its servers log zap JSON (with 3.4's wording in this simulation).
    if values["logger"] == "zap" || (values["logger"] == nil && Release.isAtLeast(version, "3.5")) { cfg.logger = .zap }
    if values["strict-reconfig-check"] == "false" { cfg.strictReconfigCheck = false }
    func isTrue(_ k: String) -> Bool { ["true", "1", "t", "TRUE", "True"].contains(values[k] ?? "") }
    cfg.clientTLS.certFile = values["cert-file"] ?? ""
    cfg.clientTLS.keyFile = values["key-file"] ?? ""
    cfg.clientTLS.trustedCAFile = values["trusted-ca-file"] ?? ""
    cfg.clientTLS.clientCertAuth = isTrue("client-cert-auth")
    cfg.peerTLS.certFile = values["peer-cert-file"] ?? ""
    cfg.peerTLS.keyFile = values["peer-key-file"] ?? ""
    cfg.peerTLS.trustedCAFile = values["peer-trusted-ca-file"] ?? ""
    cfg.peerTLS.clientCertAuth = isTrue("peer-client-cert-auth")
    cfg.environmentUsed = used
    // Every URL flag must parse.
    for key in ["initial-advertise-peer-urls", "listen-peer-urls", "listen-client-urls", "advertise-client-urls"] {
      if let v = values[key], case .failure(let f) = URLList.parse(v) {
        let message = "error verifying flags, \(f.text). See 'etcd --help'."
        return .exit(stdout: "", stderr: warnings + "\(stamp()) E | etcdmain: \(message)\n", status: 1, error: .badURL(message))
      }
    }
    if !warnings.isEmpty { cfg.environmentWarnings = warnings }
    return .start(cfg)
  }
}
