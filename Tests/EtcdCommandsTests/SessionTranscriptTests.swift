import EtcdCommands
import EtcdSim
import Foundation
import Testing

/// Multi-host sessions in the course world, replayed command by command and compared with
/// `Sessions/*.txt` exactly. A line `$ CMD` is typed; `> LINE` continues it (here-documents);
/// what follows up to `# exit N` is the expected output. `RECORD_SESSIONS=1 swift test` rewrites
/// the files from the simulator: review the change with `git diff`.
@Suite struct SessionTranscriptTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Sessions")

  static var files: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
  }

  struct Step {
    var lines: [String]
    var expected: String
  }

  static func parse(_ text: String) -> [Step] {
    var steps: [Step] = []
    var current: Step?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if line.hasPrefix("$ ") {
        current = Step(lines: [String(line.dropFirst(2))], expected: "")
      } else if line.hasPrefix("> "), var c = current, c.expected.isEmpty {
        c.lines.append(String(line.dropFirst(2)))
        current = c
      } else if line == ">", var c = current, c.expected.isEmpty {
        c.lines.append("")
        current = c
      } else if line.hasPrefix("# exit "), var c = current {
        c.expected += line + "\n"
        steps.append(c)
        current = nil
      } else if var c = current {
        c.expected += line + "\n"
        current = c
      }
    }
    return steps
  }

  /// Runs the steps in a fresh course world (interactive mode: job notices, suggestions).
  static func replay(_ steps: [Step]) -> String {
    var session = Session(world: World(setup: .course, seed: 1), host: "infra0", transcriptMode: false, suggestions: true)
    var out = ""
    for step in steps {
      var result: (io: IO, status: Int32)?
      for l in step.lines { result = session.feed(l) }
      out += "$ " + step.lines[0] + "\n" + step.lines.dropFirst().map { $0.isEmpty ? ">\n" : "> " + $0 + "\n" }.joined()
      if let (io, status) = result {
        var text = io.text
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        out += text + "# exit \(status)\n"
      }
    }
    return out
  }

  @Test(arguments: files)
  func sessionReplays(_ name: String) throws {
    let url = Self.directory.appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8)
    let actual = Self.replay(Self.parse(text))
    if ProcessInfo.processInfo.environment["RECORD_SESSIONS"] != nil {
      try actual.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let expected = Self.parse(text).map { s in "$ " + s.lines[0] + "\n" + s.lines.dropFirst().map { $0.isEmpty ? ">\n" : "> " + $0 + "\n" }.joined() + s.expected }.joined()
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let firstDiff = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }
    #expect(actual == expected, "\(name): first difference at line \((firstDiff?.offset ?? min(a.count, e.count)) + 1):\n  expected: \(firstDiff.map { String($0.element.1) } ?? "<end>")\n  actual:   \(firstDiff.map { String($0.element.0) } ?? "<end>")")
  }

  @Test func thereAreSessions() { #expect(Self.files.count >= 4) }
}
