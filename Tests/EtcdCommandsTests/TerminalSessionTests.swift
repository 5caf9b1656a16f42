import Foundation
import Testing

/// The built `etcdlab` on a real pseudo-terminal: readline, Tab completion, colour and the
/// screens as a student sees them.
@Suite struct TerminalSessionTests {
  static var ready: Bool {
    FileManager.default.isExecutableFile(atPath: "/usr/bin/script") && FileManager.default.fileExists(atPath: BinaryTests.binary.path)
  }

  @Test func homeLabCompletionAndColour() throws {
    guard Self.ready else { Issue.record("needs /usr/bin/script and \(BinaryTests.binary.path)"); return }
    // Tab completes `li` to `list`; the member list proves the completed line ran.
    let out = try BinaryTests.run(["--seed", "1"], input: "1\netcdctl member li\t\ncluster\nquit\nquit\n", terminal: true).out
    #expect(out.contains("\u{1b}[1metcdlab — Managing an etcd cluster\u{1b}[0m"))
    #expect(out.contains("1. · add-voting-member"))
    #expect(out.contains("\u{1b}[2madd-voting-member · step 1/3 · on infra0 · 09:00:0"))
    #expect(out.contains("etcdctl member list"))
    #expect(out.contains("794aea3ba77a1d64, started, infra0, http://10.0.1.10:2380, http://10.0.1.10:2379, false"))
    #expect(out.contains("┌─ infra0 10.0.1.10"))
    #expect(out.contains("Progress saved. Bye!"))
    #expect(out.contains("1. \u{1b}[33m◐\u{1b}[0m add-voting-member"))
  }

  @Test func noColorIsHonoured() throws {
    guard Self.ready else { Issue.record("needs /usr/bin/script and \(BinaryTests.binary.path)"); return }
    let out = try BinaryTests.run(["--seed", "1"], input: "lang zh\nquit\n", terminal: true, env: ["NO_COLOR": "1"]).out
    #expect(out.contains("etcdlab —— etcd 集群运维"))
    #expect(!out.contains("\u{1b}[1m") && !out.contains("\u{1b}[2m"))
    #expect(out.contains("再见！"))
  }
}
