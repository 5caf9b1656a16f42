import EtcdCommands
import EtcdSim
import Foundation
import LabKit
@testable import LabShell

/// The course's labs and lessons, read from the repository, and a screen that records what it says.
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static let labs: [Lab] = {
    let dir = root.appendingPathComponent("labs")
    let files = ((try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []).filter { $0.pathExtension == "yaml" }
    return files.compactMap { url in
      var loader = LabLoader(file: "labs/" + url.lastPathComponent)
      return loader.load((try? String(contentsOf: url, encoding: .utf8)) ?? "")
    }
  }()

  static func lab(_ id: String) -> Lab { labs.first { $0.id == id }! }

  static func lesson(_ lang: Language, _ file: String) -> String? {
    try? String(contentsOf: root.appendingPathComponent("Course/\(lang.rawValue)/\(file)"), encoding: .utf8)
  }

  static let course = CourseAccess(labs: labs, lesson: { lesson($0, $1) })
}

/// Lines typed by a test; nil (Ctrl-D) when they run out.
struct ScriptedReader: LineReader {
  var lines: [String]
  var prompts: [String] = []

  init(_ lines: [String]) { self.lines = lines }

  mutating func readLine(prompt: String) -> String? {
    prompts.append(prompt)
    return lines.isEmpty ? nil : lines.removeFirst()
  }
}

/// Everything a screen writes, and every progress it saves.
final class Recorder: @unchecked Sendable {
  var stdout = ""
  var stderr = ""
  let store = MemoryProgressStore()
  var saved: [StudentProgress] { store.saves }

  func context(transcript: Bool = true, terminal: Terminal = Terminal(colour: false, width: 80)) -> ScreenContext {
    ScreenContext(course: Fixtures.course, terminal: terminal, transcript: transcript, store: store,
                  write: { text, stream in if stream == .stdout { self.stdout += text } else { self.stderr += text } })
  }
}
