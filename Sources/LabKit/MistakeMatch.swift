import EtcdCommands
import EtcdSim

/// How a lab's mistake is recognised: by what its last command runs, not by how it is typed.
extension Lab.Mistake {
  /// The lab screen's own commands: a line that is one of them never reaches the shell.
  static let metaCommands: Set<String> = ["step", "hint", "check", "explain", "solution", "undo", "reset", "cluster", "lesson", "labs", "lab", "lang", "help", "quit"]

  /// Why the mistake can never match, when that can be told from the lab file alone.
  public var neverMatches: String? {
    guard let last = commands.last?.trimmingSpaces() else { return "it has no commands" }
    if last.isEmpty || last.hasPrefix("#") { return "its last command runs nothing" }
    let words = last.split(separator: " ").map(String.init)
    if let first = words.first.map({ $0.hasPrefix(":") ? String($0.dropFirst()) : $0 }), Self.metaCommands.contains(first) {
      return "'\(words[0])' is a command of the lab screen, not of the shell"
    }
    if let host, words.first == "ssh" {
      // `ssh [options] TARGET COMMAND...` runs COMMAND on TARGET.
      let rest = words.dropFirst().drop { $0.hasPrefix("-") }
      if let target = rest.first.map({ String($0.split(separator: "@").last ?? "") }), rest.count > 1, target != host {
        return "its last command runs on \(target) (ssh), never on \(host)"
      }
    }
    return nil
  }

  /// Whether the command just run is this mistake: the mistake's last command, run from where the
  /// student's started (`before`), runs the same commands — the same words after expansion, on the
  /// same hosts — on `host` when the mistake names one.
  func matches(_ ran: ArraySlice<Event>, from before: Session) -> Bool {
    guard let line = commands.last else { return false }
    let mine = Self.commands(ran)
    guard !mine.isEmpty else { return false }
    if let host, mine.contains(where: { $0.host != host }) { return false }
    // Cheap first: each command that ran (`etcdctl member list`: each of its words) must be named
    // in the mistake's line, so most commands are not run again.
    guard mine.allSatisfy({ e in e.command.split(separator: " ").allSatisfy { line.contains($0) } }) else { return false }
    var replay = before
    let start = replay.events.count
    guard replay.feed(line) != nil else { return false }
    let theirs = Self.commands(replay.events[start...])
    return theirs.map(Self.words) == mine.map(Self.words) && theirs.map(\.host) == mine.map(\.host)
  }

  /// A command's words with the flags of etcd's tools in one form: `--flag=value` as `--flag value`,
  /// and for etcd (Go's flag package) `-flag` as `--flag`.
  static func words(_ e: Event) -> [String] {
    guard let first = e.words.first else { return [] }
    let tool = FileSystem.baseName(first)
    guard ["etcd", "etcdctl", "etcdutl"].contains(tool) else { return e.words }
    var out = [first]
    for word in e.words.dropFirst() {
      let w = tool == "etcd" && word.count > 1 && word.hasPrefix("-") && !word.hasPrefix("--") ? "-" + word : word
      if w.hasPrefix("--"), let eq = w.firstIndex(of: "=") {
        out += [String(w[..<eq]), String(w[w.index(after: eq)...])]
      } else {
        out.append(w)
      }
    }
    return out
  }

  /// The commands a line ran: not the servers noticed in passing, nor the `ssh` that carried a command.
  static func commands(_ events: ArraySlice<Event>) -> [Event] {
    events.filter { !$0.ended && !$0.logged && $0.command != "ssh" }
  }
}
