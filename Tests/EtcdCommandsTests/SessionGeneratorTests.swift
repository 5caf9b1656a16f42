@testable import Conformance
import Foundation
import Testing

/// `etcdlab conform --generate`: the random operator sessions, without real etcd.
@Suite struct SessionGeneratorTests {
  static func lines(_ s: GeneratedSession) -> [String] { s.transcript.commands.map(\.line) }

  @Test func theSameSeedWritesTheSameSessionsAndAnotherSeedOthers() {
    let a = SessionGenerator.sessions(6, seed: 5), b = SessionGenerator.sessions(6, seed: 5), c = SessionGenerator.sessions(6, seed: 6)
    #expect(a.map(Self.lines) == b.map(Self.lines))
    #expect(a.map(Self.lines) != c.map(Self.lines))
    // One session alone is the same as in its set.
    #expect(Self.lines(SessionGenerator.session(index: 3, seed: 5)) == Self.lines(a[3]))
  }

  @Test func sessionsStayWithinTheirWaitingAndNeverWriteAnID() {
    for s in SessionGenerator.sessions(40, seed: 1) {
      #expect(s.waitSeconds <= SessionGenerator.waitBudget, "\(s.name) waits \(s.waitSeconds) s")
      // Ids differ between the two sides: a command looks its id up instead.
      for line in Self.lines(s) { #expect(Normalize.hexIDs(line).isEmpty, "\(s.name): \(line)") }
      #expect(s.operationStarts == s.operationStarts.sorted() && s.operationStarts.allSatisfy { $0 < s.items.count })
    }
  }

  @Test func theMistakesOfTheCourseAreDrawn() {
    let words = SessionGenerator.sessions(60, seed: 1).flatMap(\.operations).joined(separator: "\n")
    for mistake in ["start with state new", "another token", "without itself", "another peer URL", "promote before it started", "second learner", "promote voter", "restart removed", "stop infra", "snapshot save from two endpoints", "which exists", "restore infra0", "unknown id"] {
      #expect(words.contains(mistake), "never drawn: \(mistake)")
    }
  }

  @Test func droppingItemsKeepsEachCommandsRelaxations() {
    let s = SessionGenerator.sessions(5, seed: 3).first { $0.classes.count > 2 }!
    let relaxed = s.classes.keys.sorted()
    // Drop the command before the second relaxed one: later classes move up by one.
    var command = 0
    let position = s.items.indices.first { i in
      if s.items[i].isCommand { command += 1 }
      return s.items[i].isCommand && command == relaxed[1] - 1
    }!
    let smaller = s.without([position])
    #expect(smaller.transcript.commands.count == s.transcript.commands.count - 1)
    #expect(smaller.classes[relaxed[1] - 1] == s.classes[relaxed[1]])
    #expect(smaller.classes[relaxed[0]] == s.classes[relaxed[0]] || relaxed[0] == relaxed[1] - 1)
  }

  @Test func aSessionRunsOnTheSimulatorAndItsFileReadsBackAsTheSameTranscript() {
    let s = SessionGenerator.session(index: 0, seed: 2)
    let results = Conform.simulated(s)
    #expect(results.count == s.transcript.commands.count)
    // The member started first answers: the bootstrap went as on real etcd.
    #expect(results.contains { $0.command.hasSuffix("member list") && $0.actual.status == 0 })
    let back = Transcript.parse(name: s.name, text: s.text(outputs: results, side: "sim", seed: 2))
    #expect(back.commands.map(\.line) == Self.lines(s))
    #expect(back.commands.map(\.output) == results.map(\.actual.lines))
    #expect(back.commands.map(\.exit) == results.map(\.actual.status))
    #expect(back.items.count == s.items.count)
  }
}
