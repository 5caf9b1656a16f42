import Foundation
import Testing
@testable import LabKit

/// The documented example lab, and a corpus of broken labs.
@Suite struct LabFormatTests {
  static func lesson(_ lang: Language, _ file: String) -> String? {
    try? String(contentsOf: LabFixtures.root.appendingPathComponent("Course/\(lang.rawValue)/\(file)"), encoding: .utf8)
  }

  @Test func theExampleInLabsReadmeLintsAndTestsClean() throws {
    let readme = try String(contentsOf: LabFixtures.labsDirectory.appendingPathComponent("README.md"), encoding: .utf8)
    guard let start = readme.range(of: "<!-- example:begin -->\n```yaml\n"), let end = readme.range(of: "```\n<!-- example:end -->") else {
      Issue.record("labs/README.md has no example block")
      return
    }
    let example = String(readme[start.upperBound..<end.lowerBound])
    let problems = Linter.lint(files: [("example-learner.yaml", example)], lesson: Self.lesson)
    #expect(problems.isEmpty, "\(problems)")
    var loader = LabLoader(file: "example-learner.yaml")
    guard let lab = loader.load(example) else { Issue.record("\(loader.problems)"); return }
    let result = LabTester.test(lab)
    #expect(result.passed, "\(result.failures)")
  }

  @Test func theCatalogExplainsEveryErrorInBothLanguages() {
    #expect(Linter.lintCatalog().isEmpty, "\(Linter.lintCatalog())")
  }

  /// Broken lab files: each must give a `file:line:column` message naming the problem, and no crash.
  static let broken: [(name: String, text: String, line: Int, message: String)] = [
    ("syntax", "schema: 1\nid: [unclosed\n", 2, "the '[' opened here (line 2) is never closed"),
    ("tabs", "schema: 1\n\tid: x\n", 2, "a tab is not allowed for indentation"),
    ("duplicate", "schema: 1\nid: a\nid: b\n", 3, "duplicate key(s): id"),
    ("unknown-key", "schema: 1\nid: unknown-key\nobjective: add-member\ntitle: {en: a, zh: b}\ntitel: x\nsteps: []\n", 5, "unknown key 'titel' in lab (did you mean 'title'?)"),
    ("missing-zh", "schema: 1\nid: missing-zh\nobjective: add-member\ntitle: {en: only English}\nsteps: []\n", 4, "title has no Chinese text (zh)"),
    ("objective", "schema: 1\nid: objective\nobjective: add-members\ntitle: {en: a, zh: b}\nsteps: []\n", 3, "unknown objective 'add-members' (did you mean 'add-member'?)"),
    ("schema", "schema: 7\nid: schema\nobjective: add-member\ntitle: {en: a, zh: b}\nsteps: []\n", 1, "unsupported schema 7"),
    ("no-checks", "schema: 1\nid: no-checks\nobjective: add-member\ntitle: {en: a, zh: b}\nsteps:\n  - text: {en: a, zh: b}\n    solution: [ls]\n", 6, "step 1 has no checks"),
    ("check-kind", "schema: 1\nid: check-kind\nobjective: add-member\ntitle: {en: a, zh: b}\nsteps:\n  - text: {en: a, zh: b}\n    solution: [ls]\n    checks:\n      - membr: {name: infra3, is: started}\n", 9, "unknown check 'membr' (did you mean 'member'?)"),
    ("error-id", "schema: 1\nid: error-id\nobjective: add-member\ntitle: {en: a, zh: b}\nsteps:\n  - text: {en: a, zh: b}\n    solution: [ls]\n    checks: [{cluster: {voters: 3}}]\n    mistakes:\n      - commands: [ls]\n        error: too-many-learner\n", 11, "unknown error id 'too-many-learner' (did you mean 'too-many-learners'?)"),
    ("host", "schema: 1\nid: host\nobjective: add-member\ntitle: {en: a, zh: b}\nsteps:\n  - text: {en: a, zh: b}\n    solution: [ls]\n    checks: [{file: {host: infra9, path: /x}}]\n", 8, "host 'infra9' is not defined by the setup"),
    ("state", "schema: 1\nid: state\nobjective: add-member\ntitle: {en: a, zh: b}\nsteps:\n  - text: {en: a, zh: b}\n    solution: [ls]\n    checks: [{member: {name: infra3, is: happy}}]\n", 8, "member needs is: one of"),
    ("setup-type", "schema: 1\nid: setup-type\nobjective: add-member\ntitle: {en: a, zh: b}\nsetup:\n  hosts:\n    - {name: a, member: maybe}\nsteps: []\n", 7, "setup:"),
    ("id-file", "schema: 1\nid: another-name\nobjective: add-member\ntitle: {en: a, zh: b}\nsteps: []\n", 2, "does not match the file name"),
    ("empty", "", 1, "the file is empty"),
    ("not-a-map", "- a\n- b\n", 1, "lab must be a mapping"),
    ("binary", "\u{0}\u{1}\u{2}", 1, "control characters are not allowed"),
  ]

  @Test(arguments: broken.map(\.name))
  func brokenLabsGivePositions(_ name: String) {
    let b = Self.broken.first { $0.name == name }!
    let problems = Linter.lint(files: [("\(name).yaml", b.text)], lesson: Self.lesson)
    let errors = problems.filter { $0.severity == .error }
    #expect(!errors.isEmpty, "no error for \(name)")
    #expect(errors.contains { $0.line == b.line && $0.description.contains(b.message) && $0.description.hasPrefix("\(name).yaml:\(b.line):") },
            "\(name): \(problems.map(\.description))")
  }

  @Test func theCourseMeetsItsQualityBar() {
    let labs = LabFixtures.labFiles().compactMap { LabFixtures.load($0).0 }
    #expect(labs.count >= 13)
    #expect(Set(labs.map(\.objective)) == ["add-member", "remove-member", "backup-restore", "upgrade"])
    #expect(labs.filter { $0.steps.contains { !$0.alternatives.isEmpty } }.count >= 8)
    for lab in labs {
      #expect(lab.steps.map(\.mistakes.count).reduce(0, +) >= 3, "\(lab.id) has fewer than three mistakes")
      #expect(lab.lesson != nil, "\(lab.id) links no lesson")
      for (k, step) in lab.steps.enumerated() {
        // The ladder ends with the full command: the last unconditional hint names what the solution runs.
        let last = step.hints.last { $0.when == nil }?.text.en ?? ""
        let programs = Set(step.solution.flatMap { line -> [String] in
          let words = line.split(separator: " ").map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
          return words.first == "ssh" && words.count > 2 ? [words[0], words[2]] : Array(words.prefix(1))
        })
        #expect(programs.contains { last.contains($0) }, "\(lab.id) step \(k + 1): the last hint does not give the command")
        #expect(step.hints.count >= 2, "\(lab.id) step \(k + 1): a ladder needs a nudge and the command")
      }
    }
  }

  @Test func chineseTextFoldedOverLinesLosesTheSpacesYAMLPutThere() {
    #expect(LabLoader.unfoldCJK("把它复制 到备份机（backup） 之后 run etcdctl 再看") == "把它复制到备份机（backup）之后 run etcdctl 再看")
    #expect(LabLoader.unfoldCJK("a b 中 文") == "a b 中文")
  }

  @Test func duplicateIDsAcrossFiles() {
    let text = (try? String(contentsOf: LabFixtures.labsDirectory.appendingPathComponent("learner-flow.yaml"), encoding: .utf8)) ?? ""
    let problems = Linter.lint(files: [("a/learner-flow.yaml", text), ("b/learner-flow.yaml", text)], lesson: Self.lesson)
    #expect(problems.contains { $0.message.contains("duplicate lab id 'learner-flow'") })
  }

  @Test func lessonLinksMustResolve() {
    var text = (try? String(contentsOf: LabFixtures.labsDirectory.appendingPathComponent("learner-flow.yaml"), encoding: .utf8)) ?? ""
    text = text.replacingOccurrences(of: "add-member.md#learner-flow", with: "add-member.md#nowhere")
    let problems = Linter.lint(files: [("learner-flow.yaml", text)], lesson: Self.lesson)
    #expect(problems.contains { $0.message.contains("has no anchor <a id=\"nowhere\">") && $0.line == 7 })
  }

  @Test func theNewLabTemplateLintsAndTestsClean() {
    let text = LabTemplate.text(id: "my-lab", objective: "add-member")
    #expect(Linter.lint(files: [("my-lab.yaml", text)], lesson: Self.lesson).filter { $0.severity == .error }.isEmpty)
    var loader = LabLoader(file: "my-lab.yaml")
    guard let lab = loader.load(text) else { Issue.record("\(loader.problems)"); return }
    #expect(LabTester.test(lab).passed)
  }
}
