import EtcdSim

/// etcdutl (3.5+): the offline tool of a release tarball. `version`, `snapshot status` and
/// `snapshot restore` as `etcdutl/etcdutl/snapshot_command.go` of v3.5.17 define them.
public enum Etcdutl {
  static let globalFlags: [FlagSpec] = [FlagSpec(name: "write-out", short: "w", kind: .string), FlagSpec(name: "help", short: "h", kind: .bool)]
  static let restoreFlags: [FlagSpec] = [
    FlagSpec(name: "data-dir", kind: .string), FlagSpec(name: "wal-dir", kind: .string),
    FlagSpec(name: "initial-cluster", kind: .string), FlagSpec(name: "initial-cluster-token", kind: .string),
    FlagSpec(name: "initial-advertise-peer-urls", kind: .string), FlagSpec(name: "name", kind: .string),
    FlagSpec(name: "skip-hash-check", kind: .bool), FlagSpec(name: "initial-memory-map-size", kind: .int),
    FlagSpec(name: "bump-revision", kind: .int), FlagSpec(name: "mark-compacted", kind: .bool),
  ]

  public static func run<B: EtcdBackend>(_ args: [String], host: String, cwd: String, version: String, io: inout IO, backend: inout B) -> Int32 {
    let words = args.filter { !$0.hasPrefix("-") }
    io.command = (["etcdutl"] + words.prefix(2)).joined(separator: " ")
    switch words.first {
    case "version"?:
      io.out("etcdutl version: \(version)")
      io.out("API version: \(Release.apiVersion(version))")
      return 0
    case "snapshot"?:
      let sub = words.dropFirst().first ?? ""
      let specs = globalFlags + (sub == "restore" ? restoreFlags : [])
      var rest = Array(args.drop { $0 != "snapshot" }.dropFirst())
      if let i = rest.firstIndex(of: sub) { rest.remove(at: i) }
      let parsed: ParsedFlags
      switch FlagParser.parse(rest, specs: specs) {
      case .success(let p): parsed = p
      case .failure(let e): return fail(&io, 1, e.message)
      }
      var ctl = Etcdctl(host: host, cwd: cwd, flags: parsed)
      switch sub {
      case "status":
        return ctl.snapshotStatus(withVersion: Release.isAtLeast(version, "3.6"), io: &io, backend: &backend)
      case "restore":
        // cobra's MarkFlagRequired: checked before the command runs.
        if parsed.string("data-dir") == nil {
          // cobra prints the error and the usage, then etcdutl's main prints the error again.
          io.err("Error: required flag(s) \"data-dir\" not set")
          io.err(restoreUsage)
          return fail(&io, 1, "required flag(s) \"data-dir\" not set")
        }
        return ctl.snapshotRestore(dialect: .etcdutl35, io: &io, backend: &backend)
      case "save":
        io.err("Command \"save\" is deprecated, Use `etcdctl snapshot save` to download snapshot")
        return fail(&io, 128, "In order to download snapshot use: `etcdctl snapshot save ...`")
      default:
        io.err("etcdlab: 'etcdutl snapshot \(sub)' is not simulated; etcdutl has snapshot status and restore")
        return 1
      }
    default:
      io.err("etcdlab: 'etcdutl \(words.first ?? "")' is not simulated; etcdutl version, snapshot status and snapshot restore are")
      return 1
    }
  }

  /// cobra's usage of `etcdutl snapshot restore` (v3.5.17): its flags as pflag lays them out.
  static let restoreUsage: String = {
    let flags: [(short: String?, name: String, type: String, usage: String, def: String?)] = [
      (nil, "bump-revision", "uint", "How much to increase the latest revision after restore", nil),
      (nil, "data-dir", "string", "Path to the output data directory", nil),
      ("h", "help", "", "help for restore", nil),
      (nil, "initial-advertise-peer-urls", "string", "List of this member's peer URLs to advertise to the rest of the cluster", "\"http://localhost:2380\""),
      (nil, "initial-cluster", "string", "Initial cluster configuration for restore bootstrap", "\"default=http://localhost:2380\""),
      (nil, "initial-cluster-token", "string", "Initial cluster token for the etcd cluster during restore bootstrap", "\"etcd-cluster\""),
      (nil, "initial-memory-map-size", "uint", "Initial memory map size of the database in bytes. It uses the default value if not defined or defined to 0", "10737418240"),
      (nil, "mark-compacted", "", "Mark the latest revision after restore as the point of scheduled compaction (required if --bump-revision > 0, disallowed otherwise)", nil),
      (nil, "name", "string", "Human-readable name for this member", "\"default\""),
      (nil, "skip-hash-check", "", "Ignore snapshot integrity hash value (required if copied from data directory)", nil),
      (nil, "wal-dir", "string", "Path to the WAL directory (use --data-dir if none given)", nil),
    ]
    func usages(_ list: [(short: String?, name: String, type: String, usage: String, def: String?)]) -> String {
      let heads = list.map { f in "  " + (f.short.map { "-\($0), " } ?? "    ") + "--" + f.name + (f.type.isEmpty ? "" : " " + f.type) }
      let width = heads.map(\.count).max() ?? 0
      return zip(heads, list).map { h, f in
        h + String(repeating: " ", count: width - h.count) + "   " + f.usage + (f.def.map { " (default \($0))" } ?? "")
      }.joined(separator: "\n")
    }
    return "Usage:\n  etcdutl snapshot restore <filename> --data-dir {output dir} [options] [flags]\n\nFlags:\n" + usages(flags)
      + "\n\nGlobal Flags:\n" + usages([("w", "write-out", "string", "set the output format (fields, json, protobuf, simple, table)", "\"simple\"")]) + "\n"
  }()

  /// `cobrautl.ExitWithError`: `Error: <message>` on stderr.
  static func fail(_ io: inout IO, _ code: Int32, _ message: String) -> Int32 {
    io.err("Error: " + message)
    if io.error == nil { io.error = .usage(message) }
    return code
  }
}
