import EtcdCommands
import EtcdSim

/// Tab completion, computed from the live world: commands, etcdctl and etcd words, member ids,
/// hosts, paths in the simulated file system, endpoints, lab ids.
public struct Completer: Sendable {
  public var session: Session
  public var metaCommands: [String]
  public var labIDs: [String]
  /// The home screen: a line is a lab id or a menu word, never a shell command.
  public var menu: Bool

  public init(session: Session, metaCommands: [String] = [], labIDs: [String] = [], menu: Bool = false) {
    self.session = session
    self.metaCommands = metaCommands
    self.labIDs = labIDs
    self.menu = menu
  }

  static let pathCommands: Set<String> = ["ls", "cat", "rm", "cd", "cp", "mv", "tail", "head", "less", "more", "stat", "du", "tar", "chmod", "chown", "touch", "truncate", "grep", "sed", "mkdir"]

  /// Candidates for `text` (the word under the cursor), given the line before it.
  public func complete(_ text: String, before: String) -> [String] {
    let words = before.split(separator: " ").map(String.init)
    if menu {
      if words.first == "lang" { return ["en", "zh"].filter { $0.hasPrefix(text) } }
      return words.isEmpty ? (labIDs + metaCommands).filter { $0.hasPrefix(text) }.sorted() : []
    }
    // A value after `--endpoints=` (readline breaks words at `=`).
    if before.hasSuffix("--endpoints=") || before.hasSuffix("--endpoints ") {
      return endpoints().filter { $0.hasPrefix(text) }
    }
    let lastSegment = words.split { ["|", "&&", "||", ";"].contains($0) }.last.map(Array.init) ?? []
    let fresh = before.trimmingSpaces().isEmpty || ["|", "&&", "||", ";", "$("].contains(where: { before.trimmingSpaces().hasSuffix($0) })
    if fresh || lastSegment.isEmpty {
      // etcd's programs only where this host has them.
      let commands = Session.commandNames.filter { !["etcd", "etcdctl", "etcdutl"].contains($0) || session.available($0) }
      return (commands + metaCommands + metaCommands.map { ":" + $0 }).filter { $0.hasPrefix(text) }.sorted().uniqued()
    }
    let command = lastSegment[0].hasPrefix(":") ? String(lastSegment[0].dropFirst()) : lastSegment[0]
    let args = Array(lastSegment.dropFirst())
    switch command {
    case "etcdctl":
      return Etcdctl.completions(after: args, prefix: text, memberIDs: memberIDs(), memberNames: memberNames())
    case "etcd":
      return text.hasPrefix("-") || text.isEmpty ? EtcdLauncher.flagNames.filter { $0.hasPrefix(text.isEmpty ? "--" : text) } : paths(text)
    case "ssh", "scp":
      let hosts = session.world.hosts.map(\.name)
      return (hosts + hosts.map { "root@" + $0 }).filter { $0.hasPrefix(text) }.sorted()
    case "systemctl":
      if args.isEmpty { return ["start", "stop", "restart", "status", "enable", "disable", "daemon-reload", "is-active"].filter { $0.hasPrefix(text) } }
      return (session.world.host(session.host)?.services.keys.sorted() ?? ["etcd"]).filter { $0.hasPrefix(text) }
    case "journalctl":
      return ["-u", "-n", "-f", "etcd"].filter { $0.hasPrefix(text) }
    case "run", "labs", "lab", ":lab":
      return labIDs.filter { $0.hasPrefix(text) }.sorted()
    case "lang":
      return ["en", "zh"].filter { $0.hasPrefix(text) }
    default:
      if Completer.pathCommands.contains(command) || text.contains("/") { return paths(text) }
      return paths(text)
    }
  }

  /// The cluster's member ids, as etcdctl prints them.
  func memberIDs() -> [String] {
    session.world.clusters.values.flatMap { $0.members.keys }.map { Hex.string($0) }.sorted()
  }

  /// Started members' names and their ids (an unstarted member has no name yet).
  func memberNames() -> [String: String] {
    var out: [String: String] = [:]
    // By cluster id, the lab's cluster last: a name two clusters share means the lab's member.
    let clusters = session.world.clusters.values.sorted { ($0.id == session.world.labClusterID ? 1 : 0, $0.id) < ($1.id == session.world.labClusterID ? 1 : 0, $1.id) }
    for m in clusters.flatMap(\.sortedMembers) where !m.name.isEmpty { out[m.name] = Hex.string(m.id) }
    return out
  }

  func endpoints() -> [String] {
    let urls = session.world.clusters.values.flatMap(\.members.values).flatMap { m -> [String] in
      if !m.clientURLs.isEmpty { return m.clientURLs }
      return m.peerURLs.map { $0.replacingOccurrences(":2380", ":2379") }
    }
    return Array(Set(urls)).sorted()
  }

  /// Paths in the simulated file system of the current host; directories end in `/`.
  func paths(_ text: String) -> [String] {
    guard let fs = session.world.host(session.host)?.fs else { return [] }
    let slash = text.lastIndex(of: "/")
    let dirPart = slash.map { String(text[...$0]) } ?? ""
    let base = slash.map { String(text[text.index(after: $0)...]) } ?? text
    let dir = dirPart.isEmpty ? session.cwd : FileSystem.resolve(dirPart.hasPrefix("~") ? "/root" + dirPart.dropFirst() : dirPart, cwd: session.cwd)
    return fs.children(dir).filter { $0.hasPrefix(base) && (!$0.hasPrefix(".") || base.hasPrefix(".")) }.map { name in
      let full = dir == "/" ? "/" + name : dir + "/" + name
      return dirPart + name + (fs.isDirectory(full) ? "/" : "")
    }
  }
}

extension Array where Element: Hashable {
  func uniqued() -> [Element] {
    var seen = Set<Element>()
    return filter { seen.insert($0).inserted }
  }
}
