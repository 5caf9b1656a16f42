import Foundation
import FuzzKit
import Testing

/// The fuzzer's parts that decide what it reports: the generator gives the same lines for the
/// same seed, the shrinker finds the small failing input, the reproducer types the exact bytes.
@Suite struct FuzzKitTests {
  @Test func theSameSeedGivesTheSameLines() {
    let a = Generator(seed: 7), b = Generator(seed: 7)
    #expect(a.session(3, lines: 200) == b.session(3, lines: 200))
    #expect(a.session(3, lines: 200) != a.session(4, lines: 200))
    #expect(a.session(3, lines: 200) != Generator(seed: 8).session(3, lines: 200))
  }

  @Test func aSessionHasTheLinesAskedForAndNoNewlineInAny() {
    let lines = Generator(seed: 1).session(0, lines: 500)
    #expect(lines.count == 500)
    #expect(lines.allSatisfy { !$0.utf8.contains(10) })
  }

  @Test func theGrammarReachesEveryCommandEtcdlabHas() {
    let text = (0..<40).flatMap { Generator(seed: 1).session($0, lines: 100) }.joined(separator: "\n")
    for command in ["etcdctl", "etcdutl", "etcd", "ssh", "systemctl", "journalctl", "printf", "sleep", "kill", "truncate", "for", "while", "<<"] {
      #expect(text.contains(command), "never generated: \(command)")
    }
  }

  @Test func theShrinkerFindsTheOneLineAndTheCharactersThatFail() {
    // Fails when some line holds both "x" and "7", and a line "ssh" comes before it.
    let fails: ([String]) -> Bool? = { lines in
      guard let k = lines.firstIndex(where: { $0.contains("x") && $0.contains("7") }) else { return false }
      return lines[..<k].contains("ssh")
    }
    let session = ["echo a", "ssh", "ls -la /tmp", "kill -9 1001", "printf 'x' 1777", "date", "exit"]
    var shrinker = Shrinker()
    #expect(shrinker.shrink(session, stillFails: fails) == ["ssh", "x7"])
    #expect(shrinker.tests > 0)
  }

  @Test func theShrinkerKeepsNestingPairedAndStopsWhenToldTo() {
    // Fails while at least 8 loops nest, `do` and `done` paired.
    let line = String(repeating: "while :; do ", count: 100) + "echo a" + String(repeating: "; done", count: 100)
    let fails: ([String]) -> Bool? = { lines in
      let l = lines.last ?? ""
      let open = l.components(separatedBy: "while :; do ").count - 1
      return open >= 8 && open == l.components(separatedBy: "; done").count - 1
    }
    var shrinker = Shrinker()
    let shrunk = shrinker.shrink([line], stillFails: fails)
    #expect(shrunk.count == 1)
    #expect(shrunk[0].count <= 16 * 18)
    #expect(!shrunk[0].contains("echo"))
    var stopped = Shrinker(maxTests: 3)
    _ = stopped.shrink([line], stillFails: fails)
    #expect(stopped.tests == 3)
    #expect(Shrinker.minimize(Array(1...50)) { _ in nil } == Array(1...50))
  }

  @Test func theReproducerTypesTheExactBytes() throws {
    let lines = Generator(seed: 5).session(0, lines: 300) + ["a'b\\c%d\u{0}\u{1b}é中🙂e\u{301}", String(repeating: "while :; do ", count: 80) + String(repeating: "%", count: 70)]
    let bash = Process()
    bash.executableURL = URL(fileURLWithPath: "/bin/bash")
    // On bash's stdin, not as `-c` text: one argument may not pass 128 KiB (E2BIG).
    bash.arguments = ["-s"]
    let script = Pipe(), out = Pipe()
    bash.standardInput = script
    bash.standardOutput = out
    try bash.run()
    let writer = Thread { try? script.fileHandleForWriting.write(contentsOf: Data(Reproducer.printf(lines).utf8)); try? script.fileHandleForWriting.close() }
    writer.start()
    let bytes = out.fileHandleForReading.readDataToEndOfFile()
    bash.waitUntilExit()
    #expect(Array(bytes) == Array((lines.joined(separator: "\n") + "\n").utf8))
  }
}
