import Foundation
import Testing

/// Piped sessions through the built binary that end in the middle of a command.
@Suite struct PipedSessionTests {
  /// What bash says when its input ends inside each kind of open command.
  static let openCommands: [(open: String, message: String)] = [
    ("for h in 1; do", "bash: syntax error: unexpected end of file\n# exit 2\n"),
    ("cat <<EOF\nx", "bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\nx\n# exit 0\n"),
    ("echo 'abc", "bash: unexpected EOF while looking for matching `''\n# exit 2\n"),
    ("echo $(echo a", "bash: unexpected EOF while looking for matching `)'\n# exit 2\n"),
    ("echo a\\", "a\n# exit 0\n"),
  ]

  /// A lab or sandbox fed from a pipe that ends inside an open loop, here-document, quote,
  /// `$(` or after a backslash (once 84 s of empty lines, then no summary) ends at once, with
  /// bash's message and its summary line.
  @Test(arguments: openCommands.indices, ["learner-flow", "add-voting-member"])
  func aPipedSessionThatEndsInsideACommandEndsCleanly(k: Int, lab name: String) throws {
    try BinaryTests.requireBinary()
    let (open, message) = Self.openCommands[k]
    let clock = ContinuousClock()
    let start = clock.now
    let (lab, labStatus) = try BinaryTests.run(["run", name, "--transcript", "--seed", "1"], input: "ssh infra2\n\(open)\n")
    #expect(labStatus == 0 && lab.contains(message) && lab.contains("Connection to infra2 closed."))
    #expect(lab.hasSuffix("# lab \(name): incomplete at step 1 of 3\n"), "\(lab.suffix(300))")
    let (sandbox, sandboxStatus) = try BinaryTests.run(["sandbox", "--transcript", "--seed", "1"], input: "ssh infra2\n\(open)\n")
    #expect(sandboxStatus == 0 && sandbox.hasSuffix(message), "\(sandbox)")
    #expect(clock.now - start < .seconds(10))
  }
}
