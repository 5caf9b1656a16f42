import Foundation

/// A transcript in the format of the reference transcripts of real etcd 3.4.23
/// (`Tests/Reference/real-etcd-3.4/*.txt`, `Tests/Captures/*.txt`): `$ COMMAND`, its output,
/// `# exit N`, and the capture's notes. Parsed as the shared scorer `conform.py` parses it, plus
/// the notes a replay must honour (stops, waits, SIGTERM after a few seconds).
public struct Transcript: Sendable {
  public struct Command: Sendable, Equatable {
    public var line: String
    public var output: [String]
    public var exit: Int32
    /// `# (still running after N s: the capture script sent it SIGTERM...)` inside the block.
    public var sigtermAfter: Int?

    /// `etcd ... > NAME.log 2>&1 &`, as the capture script starts a member: the command and NAME.
    public var background: (command: String, log: String)? {
      guard let m = line.wholeMatch(of: #/(.+) > ([A-Za-z0-9._-]+)\.log 2>&1 &/#) else { return nil }
      return (String(m.1), String(m.2))
    }

    /// `export X=...` or `unset X`: the capture ran these in its own shell (`rec_env`), so they
    /// hold for the commands after them.
    public var setsEnvironment: Bool { line.hasPrefix("export ") || line.hasPrefix("unset ") }
  }

  public enum Item: Sendable {
    case command(Command)
    /// `# [stop NAME: ...]`: the capture sent SIGTERM to a member and waited for it to end.
    case stop(String)
    /// `# (waited until A, B logged "ready to serve client requests" ...)`.
    case waitReady([String])
    /// `# [NAME's etcd process exited by itself ...]`: the capture waited for it.
    case waitExit(String)
  }

  public var name: String
  public var items: [Item]
  /// The header's table of member ids: hex id → label (`infra3`), as the capture named them.
  public var idLabels: [String: String] = [:]
  /// Commands the capture ran before the first recorded one (09's OpenSSL commands), from the header.
  public var setupCommands: [String] = []
  /// Relaxations the file names itself (a generated session's: `# relaxed #N CLASS,CLASS`).
  public var relaxed: [Int: [Relaxation]] = [:]

  /// The header says the capture made TLS files before the first command (transcript 09).
  public var madeTLSFiles: Bool { !setupCommands.isEmpty }

  public var commands: [Command] {
    items.compactMap { if case .command(let c) = $0 { c } else { nil } }
  }

  public static func load(_ url: URL) throws -> Transcript {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw MissingTranscript(path: url.path) }
    return parse(name: url.lastPathComponent, text: text)
  }

  public static func parse(name: String, text: String) -> Transcript {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var items: [Item] = []
    var current: Command?
    for line in lines {
      if line.hasPrefix("$ ") {
        current = Command(line: String(line.dropFirst(2)), output: [], exit: 0)
        continue
      }
      if var c = current, line.hasPrefix("# exit "), let code = Int32(line.dropFirst(7)) {
        c.exit = code
        items.append(.command(c))
        current = nil
        continue
      }
      guard var c = current else {
        if line.hasPrefix("# [stop "), let colon = line.firstIndex(of: ":") {
          items.append(.stop(String(line[line.index(line.startIndex, offsetBy: 8)..<colon])))
        } else if line.hasPrefix("# ["), let end = line.range(of: "'s etcd process exited by itself") {
          items.append(.waitExit(String(line[line.index(line.startIndex, offsetBy: 3)..<end.lowerBound])))
        } else if line.hasPrefix("# (waited until "), let end = line.range(of: " logged \"ready") {
          let names = line[line.index(line.startIndex, offsetBy: 16)..<end.lowerBound]
          items.append(.waitReady(names.components(separatedBy: ", ")))
        }
        continue
      }
      if let m = line.prefixMatch(of: #/# \(still running after (\d+) s/#) {
        c.sigtermAfter = Int(m.1)
      } else if !(line.hasPrefix("#| ") || (line.hasPrefix("# (") && line.hasSuffix(")")) || (line.hasPrefix("# [") && line.hasSuffix("]"))) {
        c.output.append(line)
      }
      current = c
    }
    var t = Transcript(name: name, items: items)
    let header = lines.prefix { $0.hasPrefix("#") }
    for line in header where line.hasPrefix("#   ") && line.contains(" = ") {
      let f = line.split(separator: " ")
      if f.count >= 5, f[2] == "=", !line.contains("cluster id") { t.idLabels[String(f[1])] = String(f[4]) }
    }
    for line in header {
      guard let m = line.wholeMatch(of: #/# relaxed #(\d+) ([a-z,]+)/#), let n = Int(m.1) else { continue }
      t.relaxed[n] = m.2.split(separator: ",").compactMap { Relaxation(rawValue: String($0)) }
    }
    // 09's header: "... by these", "# commands (not recorded below) ...", prose lines, then the
    // commands, each indented by three spaces.
    if let start = header.firstIndex(where: { $0.contains("commands (not recorded below)") }) {
      let rest = header[(start + 1)...].drop { !$0.hasPrefix("#   ") }
      t.setupCommands = rest.prefix { $0.hasPrefix("#   ") }.map { String($0.dropFirst(4)) }
    }
    return t
  }
}

public struct MissingTranscript: Error, CustomStringConvertible {
  public var path: String
  public var description: String { "no transcript at \(path)" }
}
