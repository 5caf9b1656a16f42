import EtcdCommands
import EtcdSim
import Foundation
import Testing

/// The README's sandbox session runs as shown: its commands are replayed in the course world
/// (seed 1, interactive) and the rendering must equal the README's block.
/// `RECORD_README=1 swift test --filter ReadmeSession` rewrites the block's outputs.
@Suite struct ReadmeSessionTests {
  static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("README.md")
  static let begin = "<!-- session:begin -->"
  static let end = "<!-- session:end -->"

  /// The typed commands of a rendered block (prompt lines and their `> ` continuations).
  static func commands(_ block: [String]) -> [[String]] {
    var out: [[String]] = []
    for line in block {
      if let r = line.range(of: #"^root@[^:]+:[^#]*# "#, options: .regularExpression) {
        out.append([String(line[r.upperBound...])])
      } else if line.hasPrefix("> "), !out.isEmpty, out[out.count - 1].count > 0 {
        out[out.count - 1].append(String(line.dropFirst(2)))
      } else if line == ">", !out.isEmpty {
        out[out.count - 1].append("")
      }
    }
    return out
  }

  /// Replays commands and renders the session as a terminal shows it.
  static func render(_ commands: [[String]]) -> [String] {
    var s = Session(world: World(setup: .course, seed: 1), host: "infra0", transcriptMode: false, suggestions: true)
    var out: [String] = []
    for lines in commands {
      out.append(s.prompt + lines[0])
      var result: (io: IO, status: Int32)?
      for l in lines { result = s.feed(l) }
      out += lines.dropFirst().map { $0.isEmpty ? ">" : "> " + $0 }
      if let text = result?.io.text, !text.isEmpty {
        out += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast(text.hasSuffix("\n") ? 1 : 0)
      }
    }
    return out
  }

  @Test func readmeSessionRunsAsShown() throws {
    let text = try String(contentsOf: Self.readme, encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    guard let b = lines.firstIndex(of: Self.begin), let e = lines.firstIndex(of: Self.end), b + 2 < e else {
      Issue.record("README.md has no session block")
      return
    }
    // The block is fenced: begin marker, ```console, ..., ```, end marker.
    let block = Array(lines[(b + 2)..<(e - 1)])
    let rendered = Self.render(Self.commands(block))
    if ProcessInfo.processInfo.environment["RECORD_README"] != nil {
      lines.replaceSubrange((b + 2)..<(e - 1), with: rendered)
      try lines.joined(separator: "\n").write(to: Self.readme, atomically: true, encoding: .utf8)
      return
    }
    let firstDiff = zip(block, rendered).enumerated().first { $0.element.0 != $0.element.1 }
    #expect(block == rendered, "README session differs at line \((firstDiff?.offset ?? min(block.count, rendered.count)) + 1): README \(firstDiff.map { $0.element.0 } ?? "<end>") / sandbox \(firstDiff.map { $0.element.1 } ?? "<end>")")
  }
}
