import EtcdSim

/// etcdctl 3.4.23 (API v3): argument parsing as cobra/pflag does it, then the command.
public struct Etcdctl {
  public static let version = Release.defaultVersion

  static let globalFlags: [FlagSpec] = [
    FlagSpec(name: "cacert", kind: .string), FlagSpec(name: "cert", kind: .string),
    FlagSpec(name: "command-timeout", kind: .duration), FlagSpec(name: "debug", kind: .bool),
    FlagSpec(name: "dial-timeout", kind: .duration), FlagSpec(name: "discovery-srv", short: "d", kind: .string),
    FlagSpec(name: "discovery-srv-name", kind: .string), FlagSpec(name: "endpoints", kind: .stringSlice),
    FlagSpec(name: "hex", kind: .bool), FlagSpec(name: "insecure-discovery", kind: .bool),
    FlagSpec(name: "insecure-skip-tls-verify", kind: .bool), FlagSpec(name: "insecure-transport", kind: .bool),
    FlagSpec(name: "keepalive-time", kind: .duration), FlagSpec(name: "keepalive-timeout", kind: .duration),
    FlagSpec(name: "key", kind: .string), FlagSpec(name: "password", kind: .string),
    FlagSpec(name: "user", kind: .string), FlagSpec(name: "write-out", short: "w", kind: .string),
    FlagSpec(name: "help", short: "h", kind: .bool),
  ]

  /// A command of the tree: its path, local flags, and whether it runs (a parent only prints help).
  struct Command {
    var path: [String]
    var flags: [FlagSpec] = []
    var runs = true
    var simulated = true
    var helpName: String { path.isEmpty ? "etcdctl" : "etcdctl-" + path.joined(separator: "_") }
  }

  /// Top-level commands in the order etcdctl registers them (cobra's suggestions follow it).
  static let topLevel = [
    "get", "put", "del", "txn", "compaction", "alarm", "defrag", "endpoint", "move-leader", "watch", "version",
    "lease", "member", "snapshot", "make-mirror", "migrate", "lock", "elect", "auth", "user", "role", "check",
    "help", "completion",
  ]

  static let commands: [Command] = [
    Command(path: [], runs: false),
    Command(path: ["member"], runs: false),
    Command(path: ["member", "add"], flags: [FlagSpec(name: "peer-urls", kind: .string), FlagSpec(name: "learner", kind: .bool)]),
    Command(path: ["member", "list"]),
    Command(path: ["member", "remove"]),
    Command(path: ["member", "update"], flags: [FlagSpec(name: "peer-urls", kind: .string)]),
    Command(path: ["member", "promote"]),
    Command(path: ["put"], flags: [
      FlagSpec(name: "prev-kv", kind: .bool), FlagSpec(name: "lease", kind: .string),
      FlagSpec(name: "ignore-value", kind: .bool), FlagSpec(name: "ignore-lease", kind: .bool),
    ]),
    Command(path: ["get"], flags: [
      FlagSpec(name: "consistency", kind: .string), FlagSpec(name: "order", kind: .string),
      FlagSpec(name: "sort-by", kind: .string), FlagSpec(name: "limit", kind: .int),
      FlagSpec(name: "prefix", kind: .bool), FlagSpec(name: "from-key", kind: .bool), FlagSpec(name: "rev", kind: .int),
      FlagSpec(name: "keys-only", kind: .bool), FlagSpec(name: "print-value-only", kind: .bool),
    ]),
    Command(path: ["del"], flags: [
      FlagSpec(name: "prefix", kind: .bool), FlagSpec(name: "prev-kv", kind: .bool), FlagSpec(name: "from-key", kind: .bool),
    ]),
    Command(path: ["endpoint"], flags: [FlagSpec(name: "cluster", kind: .bool)], runs: false),
    Command(path: ["endpoint", "health"], flags: [FlagSpec(name: "cluster", kind: .bool)]),
    Command(path: ["endpoint", "status"], flags: [FlagSpec(name: "cluster", kind: .bool)]),
    Command(path: ["endpoint", "hashkv"], flags: [FlagSpec(name: "cluster", kind: .bool), FlagSpec(name: "rev", kind: .int)]),
    Command(path: ["compaction"], flags: [FlagSpec(name: "physical", kind: .bool)]),
    Command(path: ["defrag"], flags: [FlagSpec(name: "cluster", kind: .bool), FlagSpec(name: "data-dir", kind: .string)]),
    Command(path: ["alarm"], runs: false),
    Command(path: ["alarm", "disarm"]),
    Command(path: ["alarm", "list"]),
    Command(path: ["move-leader"]),
    Command(path: ["version"]),
    Command(path: ["snapshot"], runs: false),
    Command(path: ["snapshot", "save"]),
    Command(path: ["snapshot", "status"]),
    Command(path: ["snapshot", "restore"], flags: [
      FlagSpec(name: "data-dir", kind: .string), FlagSpec(name: "wal-dir", kind: .string),
      FlagSpec(name: "initial-cluster", kind: .string), FlagSpec(name: "initial-cluster-token", kind: .string),
      FlagSpec(name: "initial-advertise-peer-urls", kind: .string), FlagSpec(name: "name", kind: .string),
      FlagSpec(name: "skip-hash-check", kind: .bool),
    ]),
  ]

  /// Runs `etcdctl ARGS` on `host` with the shell's environment.
  /// With `suggest`, a mistyped flag or subcommand gets one `etcdlab:` line after etcdctl's own
  /// output, naming the likely intended one.
  public static func run<B: EtcdBackend>(_ args: [String], env: [String: String], host: String, cwd: String = "/root", suggest: Bool = false, binaryVersion: String = Etcdctl.version, io: inout IO, backend: inout B) -> Int32 {
    // ETCDCTL_API is read first (3.4 main.go).
    if let api = env["ETCDCTL_API"], !api.isEmpty, api != "3" {
      if api == "2" {
        io.err("etcdlab: etcdctl's v2 API (ETCDCTL_API=2) is not simulated; use ETCDCTL_API=3")
        return 1
      }
      io.out("unsupported API version \(api)")
      return 1
    }
    // Resolve the command path: words before/among flags that name subcommands (prefixes allowed).
    var path: [String] = []
    var i = 0
    var rest: [String] = []
    var positionals = 0  // words in `rest` that are neither flags nor flag values
    var unknownChild: String?
    while i < args.count {
      let a = args[i]
      if a == "--" { rest.append(contentsOf: args[i...]); break }
      if a.hasPrefix("-") {
        rest.append(a)
        let name = a.hasPrefix("--") ? String(a.dropFirst(2).prefix { $0 != "=" }) : (a == "-w" ? "write-out" : a == "-d" ? "discovery-srv" : "")
        if !a.utf8.contains(UInt8(ascii: "=")), allValueFlags.contains(name), i + 1 < args.count { rest.append(args[i + 1]); i += 1 }
        i += 1
        continue
      }
      let children = childNames(of: path, version: binaryVersion)
      if positionals == 0, !children.isEmpty, groupPaths.contains(path) || path.isEmpty {
        let matches = children.filter { $0 == a }.isEmpty ? children.filter { $0.hasPrefix(a) } : [a]
        if matches.count == 1, let m = matches.first {
          if byPath[path + [m]] != nil || path.isEmpty {
            path.append(m)
            i += 1
            continue
          }
        }
        if path.isEmpty {
          let status = unknownCommand(a, io: &io)
          if suggest, let best = closest(a, among: topLevel.filter { $0 != "help" && $0 != "completion" }) { io.err("etcdlab: did you mean 'etcdctl \(best)'?") }
          return status
        }
        // An unknown subcommand of a parent that does not run: cobra parses the parent's flags,
        // then prints its help (exit 0).
        unknownChild = a
      }
      rest.append(a)
      positionals += 1
      i += 1
    }
    if path.first == "help" {
      let target = Array(rest.filter { !$0.hasPrefix("-") })
      if let c = command(target) { io.write(Array(help(c.helpName, binaryVersion).utf8)); return 0 }
      io.out("Unknown help topic \(target).")
      io.write(Array(help("etcdctl", binaryVersion).utf8))
      return 0
    }
    io.command = (["etcdctl"] + path).joined(separator: " ")
    guard let cmd = command(path) else {
      io.err("etcdlab: 'etcdctl \(path.joined(separator: " "))' is not simulated")
      return 1
    }
    let parsed: ParsedFlags
    switch FlagParser.parse(rest, specs: globalFlags + cmd.flags) {
    case .success(let p): parsed = p
    case .failure(let e):
      io.err("Error: " + e.message)
      io.write(Array(help(cmd.helpName, binaryVersion).utf8))
      io.out("")
      // 3.4 and 3.5 exit through ExitWithError, which prints the error a second time; 3.6's
      // MustStart exits without printing (`etcdctl/ctlv3/ctl.go`).
      if !Release.isAtLeast(binaryVersion, "3.6") { io.err("Error: " + e.message) }
      io.error = .usage(e.message)
      if suggest, case .unknown(let flag) = e, let best = closest(String(flag.drop { $0 == "-" }), among: (globalFlags + cmd.flags).map(\.name)) {
        io.err("etcdlab: did you mean '--\(best)'?")
      }
      return 1
    }
    if parsed.bool("help") || !cmd.runs {
      io.write(Array(help(cmd.helpName, binaryVersion).utf8))
      if suggest, let a = unknownChild {
        if let best = closest(a, among: childNames(of: path, version: binaryVersion)) {
          io.err("etcdlab: did you mean '\((["etcdctl"] + path + [best]).joined(separator: " "))'?")
        } else if path == ["snapshot"], ["status", "restore"].contains(a) {
          io.err("etcdlab: etcdctl \(binaryVersion) has no 'snapshot \(a)'; use 'etcdutl snapshot \(a)'")
        }
      }
      return 0
    }
    if !cmd.simulated {
      io.err("etcdlab: 'etcdctl \(path.joined(separator: " "))' is not simulated yet")
      return 1
    }
    var ctl = Etcdctl(host: host, cwd: cwd, flags: parsed)
    ctl.binaryVersion = binaryVersion
    return ctl.execute(cmd.path, env: env, io: &io, backend: &backend)
  }

  static func command(_ path: [String]) -> Command? { byPath[path] }

  /// Each command by its path (the table's first when two share one): looked up per word typed.
  static let byPath: [[String]: Command] = Dictionary(commands.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })

  /// The paths of commands that only group others (`member`, `snapshot`).
  static let groupPaths = Set(commands.filter { !$0.runs }.map(\.path))

  /// The name nearest to a mistyped one, if it is near enough to be meant.
  static func closest(_ typed: String, among names: [String]) -> String? {
    Levenshtein.nearest(typed, among: names, atMost: max(2, typed.count / 3))
  }

  /// Every flag that takes a value, of any command: skipped when looking for the command path.
  static let allValueFlags = Set((globalFlags + commands.flatMap(\.flags)).filter { $0.kind != .bool }.map(\.name))

  /// The command an `etcdctl ARGS` line runs, as events name it (`etcdctl endpoint health`): its
  /// subcommand words (a unique prefix stands for the word) before and among the flags. For a
  /// real etcdctl, whose parsing etcdlab does not do.
  public static func commandName(_ args: [String]) -> String {
    var path: [String] = []
    var i = 0
    while i < args.count, args[i] != "--" {
      let a = args[i]
      i += 1
      if a.hasPrefix("-") {
        let name = a.hasPrefix("--") ? String(a.dropFirst(2).prefix { $0 != "=" }) : (a == "-w" ? "write-out" : a == "-d" ? "discovery-srv" : "")
        if !a.utf8.contains(UInt8(ascii: "=")), allValueFlags.contains(name) { i += 1 }
        continue
      }
      let children = childNames(of: path)
      let matches = children.contains(a) ? [a] : children.filter { $0.hasPrefix(a) }
      guard matches.count == 1, let m = matches.first, command(path + [m]) != nil || path.isEmpty else { break }
      path.append(m)
    }
    return (["etcdctl"] + path).joined(separator: " ")
  }

  static func childNames(of path: [String], version: String = Etcdctl.version) -> [String] {
    if path.isEmpty { return topLevel }
    // 3.6 removed `snapshot status` and `snapshot restore` (use etcdutl): its snapshot has only save.
    if path == ["snapshot"], Release.isAtLeast(version, "3.6") { return ["save"] }
    return children[path] ?? []
  }

  /// A command's help as this release of etcdctl prints it. 3.5 renders the same template and
  /// global flags as 3.4 (`pkg/cobrautl/help.go`, `etcdctl/ctlv3/ctl.go` v3.5.17): 3.4.23's texts
  /// with the release's VERSION and API VERSION. 3.6 indents with two spaces and adds flags and
  /// commands; only its snapshot help, which the course meets, is kept whole.
  static func help(_ name: String, _ version: String) -> String {
    if Release.isAtLeast(version, "3.6"), let t = Help.text(name.replacingOccurrences(of: "etcdctl-", with: "etcdctl-3.6-")) { return t }
    let text = Help.text(name) ?? ""
    guard version != Etcdctl.version else { return text }
    return text.replacingOccurrences("VERSION:\n\t\(Etcdctl.version)\n", "VERSION:\n\t\(version)\n")
      .replacingOccurrences("API VERSION:\n\t3.4\n", "API VERSION:\n\t\(Release.apiVersion(version))\n")
  }

  /// Each command's subcommands, by path.
  static let children: [[String]: [String]] = Dictionary(grouping: commands.filter { $0.path.count > 1 }, by: { Array($0.path.dropLast()) })
    .mapValues { $0.map { $0.path.last! } }

  static func unknownCommand(_ name: String, io: inout IO) -> Int32 {
    let suggestions = topLevel.filter { Levenshtein.distance(name.lowercased(), $0, atMost: 2) != nil || $0.hasPrefix(name.lowercased()) }
    var msg = "Error: unknown command \"\(name)\" for \"etcdctl\""
    if !suggestions.isEmpty { msg += "\n\nDid you mean this?\n" + suggestions.map { "\t" + $0 + "\n" }.joined() }
    io.err(msg)
    io.err("Run 'etcdctl --help' for usage.")
    io.err(msg)
    io.error = .usage("unknown command \"\(name)\" for \"etcdctl\"")
    return 1
  }

  // MARK: One invocation

  let host: String
  let cwd: String
  let flags: ParsedFlags
  var endpoints: [String] = ["127.0.0.1:2379"]
  /// `cacert`, `cert`, `key`, from the flags or `ETCDCTL_*`.
  var tls: [String: String] = [:]
  var commandTimeout: Millis = 5000
  var writeOut = "simple"
  /// The time of the last log line, in µs: etcdctl's lines never go back in time.
  var lastLogMicros: Int64 = 0
  /// The release of the etcdctl binary that runs (`etcdctl version` says it; the commands are 3.4's).
  var binaryVersion = Etcdctl.version
  /// The TLS the client brings (from `--cacert`, `--cert`, `--key`, `--insecure-skip-tls-verify`).
  var clientTLS = ClientTLS.plain

  init(host: String, cwd: String, flags: ParsedFlags) {
    self.host = host
    self.cwd = cwd
    self.flags = flags
  }

  var args: [String] { flags.positionals }

  /// Applies `ETCDCTL_*` variables to the global flags (`pkg/flags.SetPflagsFromEnv`).
  mutating func applyEnvironment<B: EtcdBackend>(_ env: [String: String], io: inout IO, backend: inout B) -> Int32? {
    var merged = flags.values
    // Only the ETCDCTL_ variables are sorted (in name order, as before): not the whole environment at every call.
    for key in env.keys.filter({ $0.hasPrefix("ETCDCTL_") && $0 != "ETCDCTL_API" }).sorted() {
      let name = key.dropFirst("ETCDCTL_".count).lowercased().split(separator: "_").joined(separator: "-")
      guard Etcdctl.globalFlags.contains(where: { $0.name == name }) else {
        io.err("\(capnslogTime(&backend)) W | pkg/flags: unrecognized environment variable \(key)=\(env[key]!)")
        continue
      }
      if flags.given.contains(name) {
        io.err("\(capnslogTime(&backend)) C | pkg/flags: conflicting environment variable \"\(key)\" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)")
        return 1
      }
      merged[name] = env[key]!
    }
    if let e = merged["endpoints"] { endpoints = e.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty } }
    if let t = merged["command-timeout"], case .success(let nanos) = Numbers.goDuration(t) { commandTimeout = nanos / 1_000_000 }
    if let w = merged["write-out"] { writeOut = w }
    for name in ["cacert", "cert", "key"] { tls[name] = merged[name] }
    return nil
  }

  func capnslogTime<B: EtcdBackend>(_ backend: inout B) -> String {
    SimTime.capnslog(backend.now, micros: Int(backend.random(in: 0...999)))
  }

  mutating func execute<B: EtcdBackend>(_ path: [String], env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    switch path {
    case ["version"]:
      io.out("etcdctl version: \(binaryVersion)")
      io.out("API version: \(Release.apiVersion(binaryVersion))")
      return 0
    case ["member", "add"]: return memberAdd(env: env, io: &io, backend: &backend)
    case ["member", "list"]: return memberList(env: env, io: &io, backend: &backend)
    case ["member", "remove"], ["member", "promote"], ["member", "update"]:
      return memberChange(path[1], env: env, io: &io, backend: &backend)
    case ["put"]: return put(env: env, io: &io, backend: &backend)
    case ["get"]: return get(env: env, io: &io, backend: &backend)
    case ["del"]: return del(env: env, io: &io, backend: &backend)
    case ["endpoint", "health"]: return endpointHealth(env: env, io: &io, backend: &backend)
    case ["endpoint", "status"]: return endpointStatus(env: env, io: &io, backend: &backend)
    case ["endpoint", "hashkv"]: return endpointHashKV(env: env, io: &io, backend: &backend)
    case ["compaction"]: return compaction(env: env, io: &io, backend: &backend)
    case ["defrag"]: return defrag(env: env, io: &io, backend: &backend)
    case ["alarm", "list"], ["alarm", "disarm"]: return alarm(path[1], env: env, io: &io, backend: &backend)
    case ["move-leader"]: return moveLeader(env: env, io: &io, backend: &backend)
    case ["snapshot", "save"]: return snapshotSave(env: env, io: &io, backend: &backend)
    case ["snapshot", "status"], ["snapshot", "restore"]:
      // etcdctl 3.5 still has them, deprecated, and runs etcdutl's code (`snapshot_command.go`).
      let v35 = Release.isAtLeast(binaryVersion, "3.5")
      if v35 {
        io.err("Deprecated: Use `etcdutl snapshot \(path[1])` instead.")
        io.err("")
      }
      return path[1] == "status" ? snapshotStatus(io: &io, backend: &backend) : snapshotRestore(dialect: v35 ? .etcdutl35 : .etcdctl34, io: &io, backend: &backend)
    default:
      io.err("etcdlab: 'etcdctl \(path.joined(separator: " "))' is not simulated")
      return 1
    }
  }

  /// `ExitWithError`: `Error: <msg>` on stderr.
  static func fail(_ io: inout IO, _ code: Int32, _ message: String) -> Int32 {
    io.err("Error: " + message)
    if io.error == nil { io.error = .usage(message) }
    return code
  }

  /// `Error: <etcd's message>`, remembering which error it was.
  static func fail(_ io: inout IO, _ code: Int32, _ error: EtcdError) -> Int32 {
    io.error = error
    return fail(&io, code, error.message)
  }

  /// Checks the output format before anything is sent, as etcdctl's printer does.
  func checkFormat(_ io: inout IO) -> Int32? {
    guard ["simple", "json", "table", "fields", "protobuf"].contains(writeOut) else {
      return Etcdctl.fail(&io, 4, EtcdError.unsupportedOutputFormat)
    }
    return nil
  }

  /// One client call; prints the retry warnings etcdctl logs for failed attempts.
  func call<B: EtcdBackend>(_ request: ClientRequest, endpoints eps: [String]? = nil, target: String? = nil, io: inout IO, backend: inout B) -> CallResult {
    let list = eps ?? endpoints
    let uuid = backend.uuid()
    let result = backend.call(request, endpoints: list, from: host, timeout: commandTimeout, tls: clientTLS)
    noteTLS(result, endpoints: list, io: &io)
    let tgt = target ?? "endpoint://client-\(uuid)/\(URLList.hostPort(list.first ?? ""))"
    for (n, a) in result.attempts.enumerated() {
      // A one-endpoint client's balancer names the connection's own error.
      let status = target != nil && result.cause != nil ? "rpc error: code = DeadlineExceeded desc = latest balancer error: \(result.cause!)" : a.status
      io.err("{\"level\":\"warn\",\"ts\":\"\(SimTime.iso(a.at))\",\"caller\":\"clientv3/retry_interceptor.go:62\",\"msg\":\"retrying of unary invoker failed\",\"target\":\"\(tgt)\",\"attempt\":\(n),\"error\":\(JSON.quote(status))}")
    }
    return result
  }

  /// What the lab layer learns of TLS from a call: the handshake that refused it, or that a server
  /// answered over TLS with the client's certificate.
  func noteTLS(_ result: CallResult, endpoints: [String], io: inout IO) {
    if let h = result.handshake { io.handshake = h }
    if result.response != nil, clientTLS.cert != nil, endpoints.contains(where: { $0.hasPrefix("https://") || !$0.contains("://") }) {
      io.authenticatedTLS = true
    }
  }

  static func parseURLs(_ s: String) -> Result<[String], Message> {
    var out: [String] = []
    for u in s.split(separator: ",", omittingEmptySubsequences: false) {
      switch URLList.validate(String(u)) {
      case .success: out.append(String(u))
      case .failure(let f): return .failure(Message(f.text))
      }
    }
    return .success(out)
  }
}

/// Edit distance, for cobra's "Did you mean this?" and etcdlab's own suggestions.
public enum Levenshtein {
  public static func distance(_ a: String, _ b: String) -> Int {
    distance(a, b, atMost: Int.max) ?? Int.max
  }

  /// The edit distance when it is at most `limit`, else nil. Strings whose lengths differ by
  /// more than `limit` are not compared at all, so a long mistyped word costs no time.
  public static func distance(_ a: String, _ b: String, atMost limit: Int) -> Int? {
    let x = Array(a), y = Array(b)
    guard abs(x.count - y.count) <= limit else { return nil }
    if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
    var prev = Array(0...y.count), cur = prev
    for i in 1...x.count {
      cur[0] = i
      for j in 1...y.count {
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
      }
      swap(&prev, &cur)
    }
    return prev[y.count] <= limit ? prev[y.count] : nil
  }

  /// Of `names`, the one nearest to `typed` (ties to the first in sorted order), when it
  /// differs from `typed` by at least one and at most `limit` edits.
  public static func nearest(_ typed: String, among names: some Sequence<String>, atMost limit: Int) -> String? {
    let scored = names.compactMap { n in distance(typed, n, atMost: limit).map { (n, $0) } }
    guard let (name, d) = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }), d > 0 else { return nil }
    return name
  }
}
