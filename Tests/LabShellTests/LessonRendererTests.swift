import LabKit
import Testing
@testable import LabShell

@Suite struct LessonRendererTests {
  @Test func aSectionEndsAtTheNextAnchor() throws {
    let md = try #require(Fixtures.lesson(.en, "add-member.md"))
    let section = try #require(LessonRenderer.section(md, anchor: "learner-flow"))
    #expect(!section.contains("<a id=\"learner-flow\">"))
    #expect(!section.contains("<a id=\"learner-failures\">"))
    #expect(section.contains("--learner"))
    #expect(LessonRenderer.section(md, anchor: "no-such-anchor") == nil)
  }

  @Test func markdownBecomesTerminalText() {
    let md = "## Title\n\nSome `code` and **bold** words.\n\n```\netcdctl member list\n```\n\n| a | bb |\n|---|---|\n| ccc | d |\n"
    let out = LessonRenderer.render(md, terminal: Terminal(colour: false, width: 80))
    #expect(out.contains("Title"))
    #expect(out.contains("Some code and bold words."))
    #expect(out.contains("    etcdctl member list"))
    #expect(out.contains("a    bb"))
    #expect(out.contains("ccc  d "))
    #expect(!out.contains { $0.contains("|") || $0.contains("```") })
  }

  @Test func aTableTooWideForTheTerminalBecomesBlocksAndLinksShowTheirTarget() {
    let md = "See [the table](add-member.md#sizing).\n\n| What you see | What it means | What to do |\n|---|---|---|\n| `etcdserver: member not found` | no member has that id, so nothing was removed | copy the id from member list |\n"
    let out = LessonRenderer.render(md, terminal: Terminal(colour: false, width: 60))
    #expect(out.contains("See the table (add-member.md#sizing)."))
    #expect(out.contains("etcdserver: member not found"))
    #expect(out.contains("    What it means: no member has that id, so nothing was"))
    #expect(out.contains("    What to do: copy the id from member list"))
    #expect(out.allSatisfy { Terminal.displayWidth($0) <= 60 })
  }

  @Test func everyLessonAnchorRendersInBothLanguages() throws {
    for lab in Fixtures.labs {
      guard let ref = lab.lesson else { continue }
      let parts = ref.split(separator: "#").map(String.init)
      for lang in [Language.en, .zh] {
        let md = try #require(Fixtures.lesson(lang, parts[0]), "\(lang) \(parts[0])")
        let section = try #require(LessonRenderer.section(md, anchor: parts[1]), "\(lab.id): \(lang) #\(parts[1])")
        let lines = LessonRenderer.render(section, terminal: Terminal(colour: false, width: 60))
        #expect(lines.count > 3)
      }
    }
  }
}
