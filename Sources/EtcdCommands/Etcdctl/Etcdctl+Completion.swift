import EtcdSim

extension Etcdctl {
  /// Candidates for the word being typed after `etcdctl WORDS`: subcommands, flags (value flags
  /// as `--name=`), and member ids after `member remove|promote|update` — typing a member's name
  /// completes to its id (`infra1<Tab>` → `e25938377bdd2340`).
  public static func completions(after words: [String], prefix: String, memberIDs: [String], memberNames: [String: String] = [:]) -> [String] {
    var path: [String] = []
    for w in words where !w.hasPrefix("-") {
      let children = childNames(of: path)
      if children.contains(w) { path.append(w) } else { break }
    }
    if prefix.hasPrefix("-") {
      let flags = globalFlags + (command(path)?.flags ?? [])
      return flags.map { $0.kind == .bool ? "--" + $0.name : "--" + $0.name + "=" }.filter { $0.hasPrefix(prefix) }.sorted()
    }
    let positional = words.filter { !$0.hasPrefix("-") }
    if path.count == 2, path[0] == "member", ["remove", "promote", "update"].contains(path[1]), positional.count == path.count {
      let ids = memberIDs.filter { $0.hasPrefix(prefix) }
      if ids.isEmpty, !prefix.isEmpty { return memberNames.filter { $0.key.hasPrefix(prefix) }.map(\.value).sorted() }
      return ids.sorted()
    }
    if command(path)?.runs == false || path.isEmpty {
      return childNames(of: path).filter { $0.hasPrefix(prefix) && $0 != "help" && $0 != "completion" }.sorted()
    }
    return []
  }
}

extension EtcdLauncher {
  /// etcd's flags, for completion.
  public static var flagNames: [String] { (stringFlags.map { "--" + $0 } + boolFlags.filter { $0 != "h" }.map { "--" + $0 }).sorted() }
}
