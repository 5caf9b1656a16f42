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
    #expect(out.contains("Progress saved. Back to the list of labs."))
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

/// A student's session, step by step on a pseudo-terminal.
@Suite struct PtyStudentTests {
  static func home() -> String { FileManager.default.temporaryDirectory.appendingPathComponent("etcdlab-pty-\(UUID().uuidString)").path }

  @Test func ctrlCClearsTheLineAndNeverQuits() throws {
    guard TerminalSessionTests.ready else { Issue.record("needs /usr/bin/script and \(BinaryTests.binary.path)"); return }
    let pty = try PtyDriver(["run", "learner-flow", "--seed", "1"], home: Self.home())
    #expect(pty.wait(for: "root@infra0:~# "))
    pty.send("etcdctl mem")
    #expect(pty.wait(for: "etcdctl mem"))
    pty.send("\u{03}")
    #expect(pty.wait(for: "root@infra0:~# ", count: 2))
    pty.send("etcdctl member list\n")
    #expect(pty.wait(for: "started, infra0"))
    pty.send("\u{04}")
    let out = pty.finish()
    #expect(out.contains("Progress saved. Bye!"))
    #expect(!out.contains("etcdctl memetcdctl"), "\(out)")
  }

  @Test func completionOfAMemberAddedAMomentBeforeHistoryAndResume() throws {
    guard TerminalSessionTests.ready else { Issue.record("needs /usr/bin/script and \(BinaryTests.binary.path)"); return }
    let home = Self.home()
    let pty = try PtyDriver(["run", "learner-flow", "--seed", "1"], home: home)
    #expect(pty.wait(for: "root@infra0:~# "))
    pty.send("etcdctl mem\t")
    #expect(pty.wait(for: "etcdctl member "))
    pty.send("add infra3 --peer-urls=http://10.0.1.13:2380 --learner\n")
    #expect(pty.wait(for: "added to cluster"))
    #expect(pty.wait(for: "✓ Step 1 passed"))
    let id = try #require(pty.text.firstMatch(of: /Member\s+([0-9a-f]+) added/)?.1).description
    // The shortest prefix no other member id shares, then Tab.
    let others = ["794aea3ba77a1d64", "9d480e1db4ddec45", "e25938377bdd2340"]
    let n = (1...id.count).first { k in !others.contains { $0.hasPrefix(id.prefix(k)) } } ?? id.count
    pty.send("etcdctl member promote \(id.prefix(n))\t\n")
    #expect(pty.wait(for: "etcdctl member promote \(id)"))
    #expect(pty.wait(for: "Error: etcdserver: can only promote a learner member which is in sync with leader"))
    pty.send("cluster\n")
    #expect(pty.wait(for: "learner · unstarted"))
    pty.send("\u{04}")
    let out = pty.finish()
    #expect(out.contains("Progress saved. Bye!"))
    let history = (try? String(contentsOfFile: home + "/history", encoding: .utf8)) ?? ""
    #expect(history.contains("etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner"))
    #expect(history.contains("etcdctl member promote \(id)"))

    // Later: the lab resumes at step 2 with the learner already added.
    let again = try PtyDriver(["run", "learner-flow", "--seed", "1"], home: home)
    #expect(again.wait(for: "root@infra0:~# "))
    again.send("etcdctl member list\n")
    #expect(again.wait(for: "unstarted"))
    again.send("quit\n")
    let second = again.finish()
    #expect(second.contains("Step 2/3"))
    #expect(!second.contains("Step 1/3"))
  }
}
