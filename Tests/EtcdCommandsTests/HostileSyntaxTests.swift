@testable import EtcdCommands
import EtcdSim
import Foundation
import Testing
#if canImport(Glibc)
  import Glibc
#endif

/// Lines a student (or a fuzzer) can type that once hung, crashed or filled the memory of the
/// sandbox: each now ends, fast, with bash's message or a notice naming the limit that stopped it.
@Suite struct HostileSyntaxTests {
  /// What a line printed, its status, and whether it ended within `bound`.
  static func timed(_ s: inout Session, _ line: String, bound: Duration = .seconds(2)) -> (text: String, status: Int32, fast: Bool) {
    let clock = ContinuousClock()
    let start = clock.now
    let (text, status) = s.text(line)
    return (text, status, clock.now - start < bound)
  }

  static func nested(_ open: String, _ body: String, _ close: String, _ n: Int) -> String {
    String(repeating: open, count: n) + body + String(repeating: close, count: n)
  }

  // MARK: Loops share one budget per line

  @Test func nestedLoopsShareOneBudgetOfRounds() {
    var s = Sandbox.course()
    let notice = "etcdlab: the loop was stopped after \(ShellLimits.loopRounds) rounds\n"
    for line in [
      "while :; do while :; do while :; do :; done; done; done",
      Self.nested("for a in 1 2; do ", ":", "; done", 30),
      "until false; do for x in a b; do while true; do echo -n; done; done; done",
    ] {
      let r = Self.timed(&s, line)
      #expect(r.text == notice && r.fast, "\(line.prefix(60))")
    }
    // The budget is per line: the next line starts afresh, and a loop that ends within it says nothing.
    #expect(s.text("for a in 1 2 3; do for b in 1 2; do echo -n $a$b,; done; done") == ("11,12,21,22,31,32,", 0))
  }

  @Test func loopsInsideSubstitutionsAndSshShareTheBudget() {
    var s = Sandbox.course()
    let notice = "etcdlab: the loop was stopped after \(ShellLimits.loopRounds) rounds\n"
    let viaSubstitution = Self.timed(&s, "while :; do x=$(while :; do echo; done); done")
    #expect(viaSubstitution.fast && viaSubstitution.text.hasSuffix(notice))
    let viaSsh = Self.timed(&s, "while :; do ssh infra1 'while :; do :; done'; done")
    #expect(viaSsh.fast && viaSsh.text.hasSuffix(notice))
  }

  @Test func aTypedLineHasOneBudgetOfCommandsAndServerStarts() {
    var s = Sandbox.course()
    let commands = "etcdlab: the command line was stopped after \(ShellLimits.commands) commands\n"
    // Rounds with long bodies: the rounds stay under their limit, the commands do not.
    let busy = Self.timed(&s, "while :; do " + String(repeating: ":; ", count: 10) + "done")
    #expect(busy.text == commands && busy.status == 1 && busy.fast)
    // The rest of the line is stopped too, even when the budget ran out inside `$(...)`.
    let inside = Self.timed(&s, "echo $(while :; do :; :; :; :; :; :; done) | wc -c; echo after")
    #expect(inside.text == commands && inside.fast)
    // Each `ssh HOST COMMAND` once started a budget of its own: 500 of them ran 500,000 rounds.
    let sshes = Self.timed(&s, String(repeating: "ssh infra1 'while :; do :; done'; ", count: 500) + "echo after")
    #expect(sshes.text == "etcdlab: the loop was stopped after \(ShellLimits.loopRounds) rounds\nafter\n" && sshes.fast)
    // Restarts are the costliest command (a whole boot's log each): 1,000 took 43 s.
    let restarts = Self.timed(&s, "while :; do systemctl restart etcd; done", bound: .seconds(10))
    #expect(restarts.text == "etcdlab: the command line was stopped after it started etcd \(ShellLimits.serverStarts) times\n" && restarts.fast)
    #expect(s.text("systemctl is-active etcd") == ("active\n", 0))
    // A new line, a new budget.
    #expect(s.text("for a in 1 2 3; do echo -n $a; done") == ("123", 0))
  }

  /// Ended processes are kept (their exit status is asked for later) and pile up; the world finds
  /// the running ones from a list of their pids (a scan of every process made each restart slower).
  @Test func theWorldKnowsItsRunningProcessesAfterManyRestarts() {
    var s = Sandbox.course()
    for _ in 0..<3 { _ = s.run("for k in 1 2 3 4 5 6 7 8 9 10; do systemctl restart etcd; done") }
    _ = s.run("etcd --name extra --data-dir /tmp/extra --listen-client-urls http://127.0.0.1:12379 --advertise-client-urls http://127.0.0.1:12379 --listen-peer-urls http://127.0.0.1:12380 > /dev/null 2>&1 &")
    let extra = s.jobs.last?.pid ?? 0
    #expect(s.world.processes.count >= 32 && s.world.process(pid: extra)?.isRunning == true)
    #expect(s.world.runningEtcd.map(\.pid) == s.world.processes.filter { $0.isRunning && $0.etcd != nil }.map(\.pid))
    _ = s.run("kill -9 \(extra)")
    #expect(s.world.runningEtcd.map(\.pid) == s.world.processes.filter { $0.isRunning && $0.etcd != nil }.map(\.pid))
    #expect(s.world.process(pid: extra)?.exitStatus == 137)
    #expect(s.text("systemctl is-active etcd") == ("active\n", 0))
  }

  /// etcdlab-fuzz, release, seed 11: a URL with no host before its colons trapped (SIGILL).
  @Test func curlRejectsAURLWithoutAHost() {
    var s = Sandbox.course()
    for url in ["http://:://::1:--1", "http://::/", "http://:/", "http://" + String(repeating: ":://", count: 1000) + "::1:--1"] {
      #expect(s.text("curl -sS '\(url)'") == ("curl: (3) URL using bad/illegal format or missing URL\n", 3))
    }
    #expect(s.text("curl -sS http://a:-1") == ("curl: (7) Failed to connect to a port -1 after 0 ms: Couldn't connect to server\n", 7))
  }

  /// etcdlab-fuzz, release, seed 11: a loop writing to a file with a 40,000-letter name (each
  /// round resolved the whole name). Linux refuses names over 255 bytes, as bash then says.
  @Test func aRedirectionToATooLongNameFailsAsOnLinux() {
    var s = Sandbox.course()
    let name = String(repeating: "nohu", count: 10_000) + "p.out"
    let loop = Self.timed(&s, "until false; do until false; do etcdctl make-mirror /a/b > \(name); done; done")
    #expect(loop.text.hasPrefix("bash: \(name): File name too long\n") && loop.fast)
    #expect(s.text("echo > /tmp/" + String(repeating: "a", count: 256)) == ("bash: /tmp/\(String(repeating: "a", count: 256)): File name too long\n", 1))
    #expect(s.text("cat < " + String(repeating: "a/", count: 2100)) == ("bash: \(String(repeating: "a/", count: 2100)): File name too long\n", 1))
    #expect(s.text("echo x > /tmp/" + String(repeating: "a", count: 255) + "; echo $?") == ("0\n", 0))
  }

  /// Lines etcdlab-fuzz reported as hangs (no answer within 2 s), each now fast.
  @Test func fuzzerHangsAreFast() {
    var s = Sandbox.course()
    // A 30,000-letter mistyped etcdctl command: the "did you mean" distance was computed whole.
    let typo = Self.timed(&s, "etcdctl --discovery-srv -1  k" + String(repeating: "ey6", count: 10_001))
    #expect(typo.status == 1 && typo.text.contains("Error: unknown command \"key6ey6") && typo.fast)
    // Output piped on within a loop: each write copied all that was written before (quadratic).
    _ = s.run("etcd --wal-dir=/ --force-new-cluster -0xffffffffffffffff &")
    let piped = Self.timed(&s, "until ! ./wait %2; do\netcd --peer-auto-tls > -nan | etcdctl role '--cacert=//hello world' --key Infinity nohup.out || ./cut -b '\u{7}' /var/lib/etcd/member/snap/db /tmp/s.db /etc 127|PATH=https://10.0.1.13:22379 X=\"中中中中中中中中中中\" etcdctl elect --discovery-srv-name= --hex=f\ndone &")
    #expect(piped.fast)
    let nested = Self.timed(&s, "\"$(\"$(\"$(until false; do echo x; etcdctl get k; done)\")\")\"; echo after")
    #expect(nested.text.hasSuffix("after\n") && nested.fast)
    // 30,000 braces left open: each was matched by a scan to the end of the word (quadratic).
    let braces = Self.timed(&s, "echo " + String(repeating: "X{", count: 30_000) + "a,b}")
    #expect(braces.text.hasSuffix("X{Xb\n") && braces.text.contains("X{Xa X{X{") && braces.fast, "\(braces.text.suffix(40))")
  }

  @Test func loopOutputIsBoundedPerLine() {
    var s = Sandbox.course()
    _ = s.run("etcdctl put k " + String(repeating: "x", count: 60_000))
    for _ in 0..<3 {
      let r = Self.timed(&s, "while true; do etcdctl get k; done > /tmp/f")
      #expect(r.text == SimLimits.commandOutputNotice() + "\n" && r.fast, "\(r.text)")
      let size = s.world.host("infra0")?.fs.text("/tmp/f")?.utf8.count ?? 0
      #expect(size >= ShellLimits.loopOutputBytes && size < ShellLimits.loopOutputBytes + 70_000)
    }
  }

  // MARK: Globs

  @Test func globMatchingIsPolynomial() {
    var s = Sandbox.course()
    _ = s.run("touch /tmp/" + String(repeating: "a", count: 40))
    let stars = Self.timed(&s, "echo /tmp/*a*a*a*a*a*a*a*a*a*b")
    #expect(stars.text == "/tmp/*a*a*a*a*a*a*a*a*a*b\n" && stars.fast)
    #expect(s.text("echo /tmp/*a*a*a*a*a*a*a*a*a*") == ("/tmp/" + String(repeating: "a", count: 40) + "\n", 0))
    #expect(s.text("echo /tmp/a?a[a-c]a[!b]*") == ("/tmp/" + String(repeating: "a", count: 40) + "\n", 0))
    // Once a stack overflow: a pattern of 60,000 stars.
    let many = Self.timed(&s, "echo /" + String(repeating: "*", count: 60_000))
    #expect(many.status == 0 && many.text.contains("/etc") && many.fast)
  }

  @Test func aGlobThatMatchesTooManyPathsIsRefused() {
    var s = Sandbox.course()
    _ = s.world.withFileSystem(of: "infra0") { fs, t in
      for k in 0...ShellLimits.globResults { fs.write("/tmp/many/f\(k)", .bytes([]), at: t) }
    }
    let notice = "etcdlab: /tmp/many/* matches more than \(ShellLimits.globResults) paths; the command was not run\n"
    #expect(Self.timed(&s, "ls /tmp/many/*", bound: .seconds(5)).text == notice)
    #expect(s.text("for f in /tmp/many/*; do echo $f; done") == (notice, 1))
    #expect(s.text("echo /tmp/many/f1?") == ((10...19).map { "/tmp/many/f\($0)" }.joined(separator: " ") + "\n", 0))
  }

  // MARK: Here-documents and here-strings

  /// Processor seconds this thread spent in `body` (wall time says more about a loaded machine).
  static func cpuSeconds(_ body: () -> Void) -> Double {
    var a = timespec(), b = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a)
    body()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b)
    return Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
  }

  @Test func aLongHereDocumentTakesLinearTime() {
    var s = Sandbox.course()
    var end: (io: IO, status: Int32)?
    let seconds = Self.cpuSeconds {
      #expect(s.feed("cat > /tmp/h <<EOF") == nil)
      for k in 0..<10_000 { #expect(s.feed("line \(k) of a long document") == nil) }
      end = s.feed("EOF")
    }
    #expect(end?.status == 0 && seconds < 4)  // 4,000 lines took 53 s when it was quadratic
    #expect(s.text("wc -l < /tmp/h") == ("10000\n", 0))
  }

  @Test func aThousandLineLoopIsReadAgainOnlyWithinItsBudget() {
    var s = Sandbox.course()
    var ends: [(io: IO, status: Int32)] = []
    let body = "echo " + String(repeating: "x", count: 95)
    let seconds = Self.cpuSeconds {
      if let r = s.feed("for i in 1; do") { ends.append(r) }
      for _ in 0..<999 { if let r = s.feed(body) { ends.append(r) } }
      if let r = s.feed("done") { ends.append(r) }
    }
    // Cut where the text read again passed its budget, with bash's message and the notice; the
    // lines after run one by one, and the shell goes on. (It took 36 s of CPU when unbounded.)
    #expect(seconds < 10, "\(seconds) s")
    #expect(ends.first?.io.text.contains(ShellLimits.continuationScanNotice()) == true)
    #expect(ends.first?.io.text.contains("syntax error: unexpected end of file") == true)
    #expect(s.text("echo on") == ("on\n", 0))
  }

  @Test func aHereDocumentOverItsBudgetIsRefusedWhole() {
    var s = Sandbox.course()
    #expect(s.feed("cat > /tmp/h <<EOF") == nil)
    let line = String(repeating: "y", count: 999)
    for _ in 0...(ShellLimits.hereDocumentBytes / 1000) { #expect(s.feed(line) == nil) }
    let end = s.feed("EOF")
    #expect(end?.io.text == "etcdlab: the here-document is longer than \(ShellLimits.hereDocumentBytes) bytes; the command was not run\n")
    #expect(end?.status == 2 && s.pendingLines.isEmpty)
    // None of its lines ran as a command, and the shell goes on.
    #expect(s.text("ls /tmp/h; echo on") == ("ls: cannot access '/tmp/h': No such file or directory\non\n", 0))
  }

  @Test func hereStringsAreInputAsInBash() {
    var s = Sandbox.course()
    #expect(s.feed("cat <<< hi").map { $0.io.text } == "hi\n")
    // The line after a here-string is a command of its own (it was once swallowed as a body).
    #expect(s.feed("echo next").map { $0.io.text } == "next\n")
    _ = s.run("V='a   b'")
    #expect(s.text("cat <<< \"$V\"") == ("a   b\n", 0))
    #expect(s.text("cat <<< $V") == ("a   b\n", 0))
    #expect(s.text("grep x <<< 'axb'") == ("axb\n", 0))
    #expect(s.text("cat <<< $(echo a b)") == ("a b\n", 0))
    #expect(s.text("wc -c<<<abc") == ("4\n", 0))
    #expect(s.text("cat <<<") == ("bash: syntax error near unexpected token `newline'\n", 2))
  }

  // MARK: Depth

  @Test func deepInputMeetsALimitNotTheStack() {
    var s = Sandbox.course()
    let substitutions = Self.timed(&s, "echo " + Self.nested("$(", "echo x", ")", 10_000))
    #expect(substitutions.text == "etcdlab: $(...) nests more than \(ShellLimits.substitutionDepth) deep; the command was not run\n")
    #expect(substitutions.status == 2 && substitutions.fast)
    #expect(s.text("echo " + Self.nested("$(echo ", "x", ")", 20)) == ("x\n", 0))
    let loops = Self.timed(&s, Self.nested("for a in 1; do ", ":", "; done", 3000))
    #expect(loops.text == "etcdlab: loops nest more than \(ShellLimits.nesting) deep; the command was not run\n" && loops.fast)
    let whiles = Self.timed(&s, Self.nested("while false; do ", ":", "; done", 3000))
    #expect(whiles.status == 2 && whiles.fast)
    let pipes = Self.timed(&s, "true" + String(repeating: "|true", count: 15_000))
    #expect(pipes.text == "etcdlab: the pipeline has more than \(ShellLimits.pipelineCommands) commands; it was not run\n" && pipes.fast)
    #expect(Self.timed(&s, "true" + String(repeating: "|", count: 100_000)).text == "etcdlab: that line is too long (over 100000 bytes)\n")
    #expect(Self.timed(&s, "true" + String(repeating: "|", count: 60_000)).text == "bash: syntax error near unexpected token `||'\n")
    #expect(Self.timed(&s, String(repeating: "(", count: 60_000)).text == "bash: syntax error near unexpected token `('\n")
  }

  // MARK: End of input

  @Test func theEndOfInputEndsAnOpenCommandWithBashsMessage() {
    var s = Sandbox.course()
    #expect(s.endOfInput() == nil)
    #expect(s.feed("for h in 1; do") == nil)
    #expect(s.endOfInput().map { ($0.io.text, $0.status) } ?? ("", 0) == ("bash: syntax error: unexpected end of file\n", 2))
    #expect(s.pendingLines.isEmpty)
    #expect(s.feed("cat <<EOF") == nil)
    #expect(s.feed("x") == nil)
    #expect(s.endOfInput()?.io.text == "bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\nx\n")
    #expect(s.feed("echo a\\") == nil)
    #expect(s.endOfInput()?.io.text == "a\n")
    #expect(s.text("echo 'a") == ("bash: unexpected EOF while looking for matching `''\n", 2))
    #expect(s.text("echo $(echo a") == ("bash: unexpected EOF while looking for matching `)'\n", 2))
  }

  @Test func exitInAPipelineEndsOnlyItsSubshell() {
    var s = Sandbox.course()
    #expect(s.text("true | exit; echo after") == ("after\n", 0))
    #expect(s.text("exit 3 | cat; echo $?") == ("0\n", 0))
    #expect(s.text("true | exit 4; echo $?") == ("4\n", 0))
    #expect(s.text("cd /tmp | cat; pwd") == ("/root\n", 0))
    #expect(!s.exitRequested)
    #expect(s.text("echo still here") == ("still here\n", 0))
  }
}
