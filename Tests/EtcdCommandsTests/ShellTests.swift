import EtcdCommands
import EtcdSim
import Testing

@Suite struct ShellTests {
  @Test func quotesVariablesAndSubstitution() {
    var s = Sandbox.course()
    _ = s.run("export A=\"two words\"")
    #expect(s.text("echo $A '$A' \"${A}!\"") == ("two words $A two words!\n", 0))
    #expect(s.text("echo $(echo nested) # comment") == ("nested\n", 0))
    #expect(s.text("false; echo $?") == ("1\n", 0))
    #expect(s.text("true && echo yes || echo no") == ("yes\n", 0))
  }

  @Test func redirectionsApplyLeftToRightAsBashDoes() {
    var s = Sandbox.course()
    // 2>&1 copies where stdout goes at that point: the terminal, not the file named after it.
    let (io, status) = s.run("ls /nothing 2>&1 >/dev/null")
    #expect(status == 2 && io.chunks.map(\.stream) == [.stdout])
    #expect(s.text("ls /nothing >/dev/null 2>&1") == ("", 2))
    #expect(s.text("ls /nothing 2>&1 >/tmp/out; cat /tmp/out | wc -c").0.hasSuffix("0\n"))
  }

  @Test func nonASCIITextSurvivesEveryKindOfQuoting() {
    var s = Sandbox.course()
    _ = s.run("export GREETING=\"你好 世界\"")
    #expect(s.text("echo 集群 '成员' \"$GREETING\" \\中 ${GREETING}é") == ("集群 成员 你好 世界 中 你好 世界é\n", 0))
    #expect(s.text("echo $(echo 学习者)|cat") == ("学习者\n", 0))
  }

  @Test func unquotedGlobsExpandAgainstTheSimulatedFiles() {
    var s = Sandbox.course()
    _ = s.run("mkdir -p /tmp/g/sub && cd /tmp/g && touch a.db a.db.part b.txt .hidden sub/c.db")
    #expect(s.text("echo *.db*") == ("a.db a.db.part\n", 0))
    #expect(s.text("echo * '*' \"*.txt\"") == ("a.db a.db.part b.txt sub * *.txt\n", 0))
    #expect(s.text("echo ?.txt [ab].db */*.db /tmp/g/s*") == ("b.txt a.db sub/c.db /tmp/g/sub\n", 0))
    #expect(s.text("echo [!a]*") == ("b.txt sub\n", 0))
    #expect(s.text("ls -d *.nothing") == ("ls: cannot access '*.nothing': No such file or directory\n", 2))
  }

  @Test func forLoopsRunTheirBodyPerWordAsBashDoes() {
    var s = Sandbox.course()
    #expect(s.text("for h in infra0 infra1 infra2; do ssh $h hostname; done") == ("infra0\ninfra1\ninfra2\n", 0))
    #expect(s.text("for f in /var/lib/*; do echo \"dir: $f\"; done | grep etcd") == ("dir: /var/lib/etcd\n", 0))
    #expect(s.text("for h in infra1 infra2; do ssh $h systemctl is-active etcd && echo ok-$h; done; echo after") == ("active\nok-infra1\nactive\nok-infra2\nafter\n", 0))
    #expect(s.text("echo $h") == ("infra2\n", 0))
    #expect(s.text("for x in a; do for y in 1 2; do echo $x$y; done; done") == ("a1\na2\n", 0))
    #expect(s.text("for h in infra1 infra2; do ssh $h hostname; done > /tmp/hosts 2>&1") == ("", 0))
    #expect(s.text("cat /tmp/hosts") == ("infra1\ninfra2\n", 0))
    #expect(s.text("for h in a; done") == ("bash: syntax error near unexpected token `done'\n", 2))
    #expect(s.text("do echo") == ("bash: syntax error near unexpected token `do'\n", 2))
    #expect(s.text("for 1x in a; do echo; done") == ("bash: `1x': not a valid identifier\n", 1))
    // Typed over several lines, as bash's `> ` prompt collects them.
    #expect(s.feed("for i in 1 2; do") == nil)
    #expect(s.feed("  echo n=$i") == nil)
    #expect(s.feed("done").map { $0.io.text } == "n=1\nn=2\n")
  }

  @Test func whileAndUntilLoopsWaitOnConditions() {
    var s = Sandbox.course()
    _ = s.run("systemctl stop etcd")
    // The way scripts wait for a member: until it answers, a second at a time.
    #expect(s.text("systemctl start --no-block etcd; until etcdctl endpoint health 2>/dev/null; do sleep 1; done; echo ready") == ("ready\n", 0))
    #expect(s.text("n=0; while [ $n != 0111 ]; do n=${n}1; done; echo $n") == ("0111\n", 0))
    #expect(s.text("while false; do echo never; done; echo $?") == ("0\n", 0))
    #expect(s.text("while true; do true; done") == ("etcdlab: the loop was stopped after 1000 rounds\n", 0))
    #expect(s.feed("while false") == nil)
    #expect(s.feed("do echo x; done").map { $0.status } == 0)
  }

  @Test func testAndBracketEvaluateAsBashDoes() {
    var s = Sandbox.course()
    #expect(s.text("[ -d /var/lib/etcd ] && echo dir") == ("dir\n", 0))
    #expect(s.text("test -f /nope || echo nofile") == ("nofile\n", 0))
    #expect(s.text("[ 2 -gt 1 ] && [ ! -z x ] && [ a = a ] && echo yes") == ("yes\n", 0))
    #expect(s.text("[ 1 -lt x ]") == ("bash: [: x: integer expression expected\n", 2))
    #expect(s.text("[ a") == ("bash: [: missing `]'\n", 2))
  }

  @Test func syntaxErrorsInBashWords() {
    var s = Sandbox.course()
    #expect(s.text("echo \"open") == ("bash: unexpected EOF while looking for matching `\"'\n", 2))
    #expect(s.text("&& ls") == ("bash: syntax error near unexpected token `&&'\n", 2))
  }

  @Test func redirectionsIntoTheSimulatedFileSystem() {
    var s = Sandbox.course()
    _ = s.run("echo hello > /tmp/a.txt")
    _ = s.run("echo again >> /tmp/a.txt")
    #expect(s.text("cat /tmp/a.txt") == ("hello\nagain\n", 0))
    #expect(s.text("cat /nope 2>/dev/null") == ("", 1))
    #expect(s.text("etcdctl member list | grep infra1").0.contains(", started, infra1, "))
  }

  @Test func unknownCommandsSuggestOnlyOutsideTranscripts() {
    var plain = Sandbox.course(transcript: false)
    #expect(plain.text("etcdclt member list") == ("bash: etcdclt: command not found\netcdlab: did you mean 'etcdctl'?\n", 127))
    var bare = Sandbox.course()
    #expect(bare.text("etcdclt member list") == ("bash: etcdclt: command not found\n", 127))
  }

  /// bash prints `[N] PID` for every background start, also for a command that ends at once, and
  /// its end before the next prompt.
  @Test func aBackgroundJobThatEndsAtOnceStillGetsItsJobLine() {
    var s = Sandbox.course(transcript: false)
    let (started, status) = s.text("false &")
    #expect(status == 1 || status == 0)
    #expect(started.hasPrefix("[1] ") && started.hasSuffix("\n") && Int32(started.dropFirst(4).dropLast()) != nil, "\(started)")
    #expect(s.text("true").0 == "[1]+  Exit 1                  false\n")
    var script = Sandbox.course()
    #expect(script.text("false &").0 == "")
  }

  @Test func rmAndLs() {
    var s = Sandbox.course()
    #expect(s.text("ls /var/lib/etcd/member") == ("snap\nwal\n", 0))
    #expect(s.text("rm /var/lib/etcd") == ("rm: cannot remove '/var/lib/etcd': Is a directory\n", 1))
    #expect(s.text("rm -rf /var/lib/etcd") == ("", 0))
    #expect(s.text("ls /var/lib/etcd") == ("ls: cannot access '/var/lib/etcd': No such file or directory\n", 2))
  }
}
