/// What etcdlab's command lines understand, as data: every shell command, and the subcommands
/// and flags of etcdctl, etcdutl and etcd with the kind of value each flag takes. It reads the
/// tables the parsers themselves use, so a tool that writes command lines (the fuzzer) follows
/// the code as it grows.
public enum CommandSurface {
  public struct Flag: Equatable, Sendable {
    public let name: String
    public let short: Character?
    /// The parser's kind of value: `bool`, `string`, `duration`, `int`, `stringSlice`.
    public let kind: String
  }

  /// A subcommand path (`["member", "add"]`) and the flags it takes besides the global ones.
  public struct Subcommand: Equatable, Sendable {
    public let path: [String]
    public let flags: [Flag]
  }

  /// Every command a simulated host runs by name.
  public static var shellCommands: [String] { Session.commandNames }

  public static var etcdctlGlobalFlags: [Flag] { Etcdctl.globalFlags.map(flag) }

  /// etcdctl's commands: those it simulates with their flags, then the other top-level names.
  public static var etcdctlCommands: [Subcommand] {
    let known = Etcdctl.commands.filter { !$0.path.isEmpty }.map { Subcommand(path: $0.path, flags: $0.flags.map(flag)) }
    let others = Etcdctl.topLevel.filter { name in !known.contains { $0.path == [name] } }.map { Subcommand(path: [$0], flags: []) }
    return known + others
  }

  public static var etcdutlGlobalFlags: [Flag] { Etcdutl.globalFlags.map(flag) }

  public static var etcdutlCommands: [Subcommand] {
    [Subcommand(path: ["version"], flags: []), Subcommand(path: ["snapshot", "status"], flags: []),
     Subcommand(path: ["snapshot", "restore"], flags: Etcdutl.restoreFlags.map(flag)), Subcommand(path: ["snapshot", "save"], flags: [])]
  }

  /// etcd's flags for a release (Go `flag`: every one takes `-name` or `--name`).
  public static func etcdFlags(version: String = Etcdctl.version) -> [Flag] {
    EtcdLauncher.stringFlags(version).sorted().map { Flag(name: $0, short: nil, kind: "string") }
      + EtcdLauncher.boolFlags(version).sorted().map { Flag(name: $0, short: nil, kind: "bool") }
  }

  static func flag(_ s: FlagSpec) -> Flag { Flag(name: s.name, short: s.short, kind: "\(s.kind)") }
}
