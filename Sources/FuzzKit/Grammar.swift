import EtcdCommands

/// Command lines from the grammar etcdlab understands: a command (a shell builtin, etcdctl,
/// etcdutl or etcd) with options and operands of the kinds it takes, inside bash's syntax
/// (pipes, `&&`, `||`, `;`, `&`, redirections, variables, `$(...)`, quotes, globs, loops,
/// here-documents, here-strings).
public struct Grammar: Sendable {
  public var vocabulary: Vocabulary
  /// How deep loops and command substitutions nest in a generated line (mutations go deeper).
  var maxDepth = 3

  public init(vocabulary: Vocabulary = .course) { self.vocabulary = vocabulary }

  /// One entry a student types: usually one line; a here-document, a loop typed over several
  /// lines, or a backslash continuation gives several.
  func entry(_ d: inout Dice) -> [String] {
    switch d.below(100) {
    case 0..<6: return hereDocument(&d)
    case 6..<12: return multiLineLoop(&d)
    case 12..<15:
      let words = list(&d, depth: 0).split(separator: " ", omittingEmptySubsequences: false)
      let cut = d.between(1, max(1, words.count - 1))
      return [words.prefix(cut).joined(separator: " ") + " \\", words.dropFirst(cut).joined(separator: " ")]
    default: return [list(&d, depth: 0)]
    }
  }

  func list(_ d: inout Dice, depth: Int) -> String {
    var out = pipeline(&d, depth: depth)
    for _ in 0..<d.weighted([(20, 0), (4, 1), (1, 2)]) {
      out += d.pick(["; ", " && ", " || ", " & ", ";", "&&"]) + pipeline(&d, depth: depth)
    }
    return out + d.weighted([(30, ""), (1, " &"), (1, ";"), (1, " ;")])
  }

  func pipeline(_ d: inout Dice, depth: Int) -> String {
    var out = command(&d, depth: depth)
    for _ in 0..<d.weighted([(14, 0), (4, 1), (1, 2)]) {
      out += d.pick([" | ", "|", " |& "]) + command(&d, depth: depth)
    }
    return (d.chance(0.03) ? "! " : "") + out
  }

  /// A simple command (assignments, words, redirections) or a loop.
  func command(_ d: inout Dice, depth: Int) -> String {
    if depth < maxDepth, d.chance(depth == 0 ? 0.06 : 0.02) { return loop(&d, depth: depth) + redirections(&d) }
    var parts: [String] = []
    if d.chance(0.08) {
      for _ in 0..<d.between(1, 2) { parts.append(vocabulary.value(.name, &d) + "=" + word(vocabulary.value(d.pick([.text, .clientURLs, .number, .path]), &d), &d, depth: depth)) }
    }
    if !parts.isEmpty && d.chance(0.3) { return parts.joined(separator: " ") }
    parts += commandWords(&d, depth: depth)
    return parts.joined(separator: " ") + redirections(&d)
  }

  /// `for`, `while` or `until` on one line.
  func loop(_ d: inout Dice, depth: Int) -> String {
    let head = loopHead(&d, depth: depth)
    return head + "; do " + list(&d, depth: depth + 1) + "; done"
  }

  func loopHead(_ d: inout Dice, depth: Int) -> String {
    switch d.below(3) {
    case 0:
      let name = d.pick(["h", "i", "m", "f", "X", "1x"])
      let words = (0..<d.between(0, 4)).map { _ in word(vocabulary.value(d.pick([.host, .path, .number, .memberID]), &d), &d, depth: depth + 1) }
      return "for \(name) in " + words.joined(separator: " ")
    case 1: return "while " + condition(&d, depth: depth)
    default: return "until " + condition(&d, depth: depth)
    }
  }

  func condition(_ d: inout Dice, depth: Int) -> String {
    d.chance(0.35) ? list(&d, depth: depth + 1) : d.weighted([(3, "false"), (1, "true"), (1, ":"), (3, "[ $i -lt 3 ]"), (2, "etcdctl endpoint health")])
  }

  /// Redirections after a command: usually none.
  func redirections(_ d: inout Dice) -> String {
    var out = ""
    for _ in 0..<d.weighted([(12, 0), (3, 1), (1, 2)]) {
      let k = d.choice([14, 3, 1, 3, 1, 1, 1, 1])
      switch k {
      case 0: out += " " + d.pick([">", ">>", "2>", "&>", "<", ">", "<"]) + " " + vocabulary.value(.path, &d)
      case 1: out += " <<< " + word(vocabulary.value(.text, &d), &d, depth: maxDepth)
      default: out += " " + ["", "", "2>&1", "2>/dev/null", "1>&2", ">&2", "<&0", "3>&1"][k]
      }
    }
    return out
  }

  /// A command's words, each already written as a shell word.
  func commandWords(_ d: inout Dice, depth: Int) -> [String] {
    let name = d.chance(0.58) ? d.pick(vocabulary.commands) : d.weighted([(30, "etcdctl"), (8, "etcd"), (4, "etcdutl")])
    // exit and logout end the session: rare, or every session would stop early.
    if ["exit", "logout"].contains(name), d.chance(0.95) { return commandWords(&d, depth: depth) }
    let program = d.weighted([(20, name), (1, "/usr/local/bin/" + name), (1, "./" + name)])
    let args: [String]
    switch name {
    case "etcdctl": args = etcdctl(&d)
    case "etcdutl": args = subcommandArgs(&d, commands: vocabulary.etcdutlCommands, globals: vocabulary.etcdutlGlobalFlags)
    case "etcd": args = (0..<d.between(0, 8)).flatMap { _ in etcdFlag(&d) }
    default: args = shellArgs(name, &d, depth: depth)
    }
    return [program] + args.map { word($0, &d, depth: depth) }
  }

  func etcdctl(_ d: inout Dice) -> [String] {
    var args = subcommandArgs(&d, commands: vocabulary.etcdctlCommands, globals: vocabulary.etcdctlGlobalFlags)
    if d.chance(0.3) { args.insert(contentsOf: flag(d.pick(vocabulary.etcdctlGlobalFlags), &d), at: 0) }
    return args
  }

  /// `PATH... [flags] POSITIONALS`, flags drawn from the subcommand's and the global ones.
  func subcommandArgs(_ d: inout Dice, commands: [CommandSurface.Subcommand], globals: [CommandSurface.Flag]) -> [String] {
    let sub = d.pick(commands)
    var args = d.chance(0.95) ? sub.path : Array(sub.path.prefix(1))
    var flags = (0..<d.weighted([(3, 0), (4, 1), (2, 2), (1, 4)])).flatMap { _ in flag(d.pick(sub.flags.isEmpty || d.chance(0.4) ? globals : sub.flags), &d) }
    let kind: ValueKind = sub.path.contains("member") ? .memberID : sub.path.contains("snapshot") ? .path
      : ["compaction", "lease", "move-leader"].contains(sub.path[0]) ? .count : .key
    let operands = (0..<d.weighted([(2, 0), (4, 1), (3, 2), (1, 3)])).map { k in
      k == 0 && sub.path == ["member", "add"] ? vocabulary.value(.memberName, &d) : vocabulary.value(k == 0 ? kind : .text, &d)
    }
    // Flags go before, between or after the positionals, as pflag allows.
    for o in operands { flags.insert(o, at: d.between(0, flags.count)) }
    args += flags
    return args
  }

  /// A pflag flag: `--name=value`, `--name value`, `-n value`, `-nvalue`, or a bool as `--name`.
  func flag(_ f: CommandSurface.Flag, _ d: inout Dice) -> [String] {
    let kind = ValueKind.of(flag: f.name, kind: f.kind)
    let short = f.short.map { "-" + String($0) }
    let name = short.map { d.chance(0.3) ? $0 : "--" + f.name } ?? "--" + f.name
    if kind == .bool { return [d.chance(0.85) ? name : name + "=" + vocabulary.value(.bool, &d)] }
    let value = vocabulary.value(kind, &d)
    return d.weighted([(3, [name + "=" + value]), (2, [name, value]), (1, [name]), (1, [name + "="]), (short == nil ? 0 : 1, [(short ?? "") + value])])
  }

  /// An etcd flag as Go's `flag` takes it: `--name=value`, `-name value`, `--name`.
  func etcdFlag(_ d: inout Dice) -> [String] {
    let f = d.pick(vocabulary.etcdFlags)
    let name = d.pick(["--", "--", "-"]) + f.name
    if f.kind == "bool" { return [name + (d.chance(0.2) ? "=" + vocabulary.value(.bool, &d) : "")] }
    let value = vocabulary.value(ValueKind.of(flag: f.name, kind: f.kind), &d)
    return d.weighted([(3, [name + "=" + value]), (2, [name, value]), (1, [name])])
  }

  func shellArgs(_ name: String, _ d: inout Dice, depth: Int) -> [String] {
    let shape = CommandShape.table[name] ?? .generic
    var args: [String] = []
    if !shape.verbs.isEmpty { args.append(d.pick(shape.verbs)) }
    // A command with few options mostly goes without (`sleep --` would hide `sleep inf`).
    for _ in 0..<(shape.options.isEmpty ? 0 : shape.options.count < 3 ? d.weighted([(4, 0), (1, 1)]) : d.weighted([(3, 0), (4, 1), (2, 2), (1, 3)])) {
      let (option, kind) = d.pick(shape.options)
      args.append(option)
      if let kind { args.append(vocabulary.value(kind, &d)) }
    }
    let count = d.weighted([(2, 0), (5, 1), (3, 2), (1, 4)])
    for k in 0..<count where !shape.operands.isEmpty {
      let kind = shape.operands[min(k, shape.operands.count - 1)]
      if kind == .command, depth < maxDepth {
        // A command run by another (ssh HOST CMD, xargs CMD, nohup CMD): its words follow.
        args += commandWords(&d, depth: depth + 1)
        break
      }
      args.append(vocabulary.value(kind, &d))
    }
    if name == "[" { args.append("]") }
    return args
  }

  /// A value written as a shell word: bare, quoted, through a variable, a substitution or a glob.
  func word(_ value: String, _ d: inout Dice, depth: Int) -> String {
    let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || "0123456789_./:=,@%+-".unicodeScalars.contains($0) }
    switch d.below(100) {
    case 0..<3: return vocabulary.value(.variable, &d)
    case 3..<5 where depth < maxDepth: return "\"$(" + list(&d, depth: depth + 1) + ")\""
    case 5..<6 where depth < maxDepth: return "`" + commandWords(&d, depth: depth + 1).joined(separator: " ") + "`"
    case 6..<8: return d.pick(["/var/lib/*", "/tmp/*", "*", "/etc/*/*", "/*/*/*", "?", "[ab]*", "/var/lib/etcd/member/*", "{a,b}", "~/*", "**"])
    case 8..<11: return value  // as it comes, whatever the shell makes of it
    case 11..<16: return "\"" + value.replacingOccurrences(of: ["\\", "\"", "$", "`"], prefix: "\\") + "\""
    default: return plain ? value : "'" + value.replacingOccurrences(of: ["'"], with: "'\\''") + "'"
    }
  }
}

extension String {
  /// Each of `targets` preceded by `prefix` (`\"` for `"`).
  func replacingOccurrences(of targets: [Character], prefix: String) -> String {
    var out = ""
    for c in self {
      if targets.contains(c) { out += prefix }
      out.append(c)
    }
    return out
  }

  func replacingOccurrences(of targets: [Character], with replacement: String) -> String {
    var out = ""
    for c in self { if targets.contains(c) { out += replacement } else { out.append(c) } }
    return out
  }
}
