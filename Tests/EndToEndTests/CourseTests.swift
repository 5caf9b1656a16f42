import Foundation
import LabKit
import Testing

/// The whole course through the built binary, as a student's piped session would play it: every
/// lab's solution typed into `etcdlab run ID --transcript`, once per lab, the labs alternating
/// between English and Chinese (LabPlayTests plays every lab in process for three seeds).
@Suite struct CourseTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func labs() -> [Lab] {
    let dir = root.appendingPathComponent("labs")
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    return files.compactMap { name in
      var loader = LabLoader(file: "labs/" + name)
      return loader.load((try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? "")
    }
  }

  static let cases: [String] = labs().enumerated().map { "\($0.element.id) \($0.offset % 2 == 0 ? "en" : "zh")" }

  @Test(arguments: cases)
  func everyLabPlaysThroughItsSolution(_ which: String) throws {
    try BinaryTests.requireBinary()
    let parts = which.split(separator: " ").map(String.init)
    guard let lab = Self.labs().first(where: { $0.id == parts[0] }) else { Issue.record("no lab \(parts[0])"); return }
    let lang = parts[1]
    let input = lab.steps.flatMap(\.solution).joined(separator: "\n") + "\n"
    let (out, status) = try BinaryTests.run(["run", lab.id, "--transcript", "--seed", "1", "--lang", lang], input: input)
    #expect(status == 0)
    #expect(out.hasSuffix("# lab \(lab.id): complete\n"), "\(lab.id) [\(lang)]: \(out.suffix(600))")
    // The student reads the lab in the language asked for: its title and every step's text.
    #expect(out.contains("== \(lab.title[lang == "zh" ? .zh : .en]) =="))
    let passed = lang == "zh" ? "✓ 第 \(lab.steps.count) 步完成" : "✓ Step \(lab.steps.count) passed"
    #expect(out.contains(passed), "\(lab.id) [\(lang)]")
  }

  @Test func everyObjectiveHasItsLabsAndEveryLessonLinksItsLabs() throws {
    try BinaryTests.requireBinary()
    let (json, status) = try BinaryTests.run(["list", "--json"], input: "")
    #expect(status == 0)
    let entries = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]] ?? []
    let byObjective = Dictionary(grouping: entries, by: { $0["objective"] ?? "" })
    #expect(Set(byObjective.keys) == ["add-member", "remove-member", "backup-restore", "upgrade"])
    #expect(entries.count >= 13)
    for lab in Self.labs() {
      let file = String(lab.lesson?.split(separator: "#").first ?? "")
      for lang in ["en", "zh"] {
        let lesson = (try? String(contentsOf: Self.root.appendingPathComponent("Course/\(lang)/\(file)"), encoding: .utf8)) ?? ""
        #expect(lesson.contains("`\(lab.id)`"), "Course/\(lang)/\(file) does not name the lab \(lab.id)")
      }
    }
  }
}
