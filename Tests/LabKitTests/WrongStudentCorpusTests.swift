import EtcdCommands
import EtcdSim
import Foundation
import Testing
import Yams
@testable import LabKit

/// The wrong students of `Corpus/wrong-students.yaml`: each case types its lines into a world (the
/// course's sandbox world, or a lab's), and the last line must meet the error named, explained with
/// the words given in English and in Chinese; and no explanation names an id, a URL or a host that
/// the session never showed or typed.
@Suite struct WrongStudentCorpusTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var lab: String?
    var lines: [String]
    var error: String
    var en: [String]
    var zh: [String]
    var testDescription: String { name }
  }

  static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/wrong-students.yaml")

  static let cases: [Case] = {
    guard let text = try? String(contentsOf: file, encoding: .utf8), let node = try? Yams.compose(yaml: text), let items = node.sequence else { return [] }
    return items.compactMap { item in
      guard let name = item["name"]?.string, let error = item["error"]?.string else { return nil }
      let lines = item["lines"]?.sequence?.compactMap(\.string) ?? []
      return Case(name: name, lab: item["lab"]?.string, lines: lines, error: error,
                  en: item["en"]?.sequence?.compactMap(\.string) ?? [], zh: item["zh"]?.sequence?.compactMap(\.string) ?? [])
    }
  }()

  static func sandboxLab() -> Lab {
    var setup = WorldSetup.course
    setup.hosts?.append(.init(name: "infra5", address: "10.0.1.15"))
    setup.releases = ["3.5.17", "3.6.5"]
    return Lab(id: "sandbox", objective: "add-member", title: Localized(en: "t", zh: "t"), difficulty: "beginner", minutes: 1, lesson: nil, intro: nil,
               setup: setup, startHost: "infra0", steps: [Lab.Step(text: Localized(en: "", zh: ""), checks: [CheckItem(.cluster(voters: 99, learners: nil, members: nil, healthy: nil, leader: nil))], hints: [], solution: [], alternatives: [], mistakes: [])])
  }

  static func lab(_ id: String?) -> Lab? {
    guard let id else { return sandboxLab() }
    return LabFixtures.load(LabFixtures.labsDirectory.appendingPathComponent(id + ".yaml")).0
  }

  @Test func theCorpusHasEightyCasesOverEveryLab() {
    #expect(Self.cases.count >= 80, "\(Self.cases.count) cases")
    let labs = Set(LabFixtures.labFiles().map { $0.deletingPathExtension().lastPathComponent })
    #expect(labs.subtracting(Self.cases.compactMap(\.lab)).isEmpty, "labs without a case: \(labs.subtracting(Self.cases.compactMap(\.lab)).sorted())")
  }

  @Test(arguments: cases)
  func theLastLineMeetsItsErrorExplainedWithTheFacts(_ c: Case) throws {
    let lab = try #require(Self.lab(c.lab), "no lab \(c.lab ?? "")")
    var run = LabRun(lab: lab, seed: 1)
    var seen = c.lines.joined(separator: "\n")
    var before = 0
    var last: LabRun.Feedback?
    for (k, line) in c.lines.enumerated() {
      if k == c.lines.count - 1 { before = run.session.events.count }
      if let f = run.submit(line) {
        last = f
        seen += "\n" + f.io.chunks.map { String(decoding: $0.bytes, as: UTF8.self) }.joined()
      }
    }
    // A background server's error is noticed at the next prompt.
    let polled = run.poll()
    let events = run.session.events[before...]
    let event = try #require(events.last { $0.error?.id == c.error }, "\(c.name): \(c.error) not met: \(events.compactMap(\.error?.id))")
    // What the world shows a student who asks (`member list`, `hostname`): its members and the host.
    seen += "\n" + event.host
    for c in run.session.world.clusters.values {
      for m in c.sortedMembers { seen += "\n" + ([Hex.string(m.id), m.name] + m.peerURLs + m.clientURLs).joined(separator: " ") }
    }
    var en = [run.explain(event) ?? ""] + (last?.explanations ?? []) + polled.explanations
    run.lang = .zh
    let zh = [run.explain(event) ?? ""]
    en = en.filter { !$0.isEmpty }
    if c.error == "usage" { #expect(!en[0].contains("A missing or extra argument"), "\(c.name): the generic usage text") }
    for w in c.en { #expect(en.contains { $0.contains(w) }, "\(c.name): '\(w)' not in \(en.first ?? "")") }
    for w in c.zh { #expect(zh.contains { $0.contains(w) }, "\(c.name): '\(w)' not in \(zh[0])") }
    for text in [en[0], zh[0]] {
      #expect(Self.unfilled(text).isEmpty, "\(c.name): unfilled placeholder in \(text)")
      let foreign = Self.values(in: text).filter { !seen.contains($0) }
      #expect(foreign.isEmpty, "\(c.name): cites \(foreign) which the session never showed: \(text)")
    }
  }

  /// A `?` standing for a fact that was missing.
  static func unfilled(_ text: String) -> [String] {
    let chars = Array(text)
    return chars.indices.compactMap { i -> String? in
      guard chars[i] == "?" else { return nil }
      let before = i > 0 ? chars[i - 1] : " ", after = i + 1 < chars.count ? chars[i + 1] : " "
      return (before == " " || before == "（" || before == "(") && !after.isLetter ? String(chars[max(0, i - 10)..<min(chars.count, i + 10)]) : nil
    }
  }

  /// The ids, URLs, addresses and host names an explanation cites.
  static func values(in text: String) -> [String] {
    let tokens = text.split(whereSeparator: { " \t\n`'\"()（）,，。：:;；=".contains($0) }).map(String.init)
    var out: [String] = []
    for t in tokens {
      let s = t.trimming(".")
      if s.count == 16, s.allSatisfy(\.isHexDigit) { out.append(s) }
      if s.hasPrefix("infra"), s.count == 6, s.last?.isNumber == true { out.append(s) }
    }
    // URLs and addresses: the host:port of each, as typed or shown.
    var rest = Substring(text)
    while let r = rest.range(of: "10.0.1.") {
      let digits = rest[r.upperBound...].prefix { $0.isNumber }
      out.append("10.0.1." + digits)
      rest = rest[r.upperBound...]
    }
    return out
  }
}
