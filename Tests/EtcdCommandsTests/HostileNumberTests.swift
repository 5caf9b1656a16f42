@testable import EtcdCommands
import EtcdSim
import Testing

/// Numbers a student can type that used to kill or hang etcdlab (issue 19): each now gets the
/// real tool's answer (texts and statuses from coreutils 9.1, bash 5.2, systemd 252, Go 1.19
/// on Debian 12) or a notice naming the limit that stopped it, and the session goes on.
@Suite struct HostileNumberTests {
  /// Runs `line` in a fresh course session, then checks that the session still answers.
  static func run(_ line: String, transcript: Bool = true) -> (String, Int32) {
    var s = Sandbox.course(transcript: transcript)
    let result = s.text(line)
    #expect(s.text("echo alive") == ("alive\n", 0))
    return result
  }

  // MARK: The lines of issue 19

  @Test func journalctlNegativeCount() {
    #expect(Self.run("journalctl -n -2") == ("journalctl: invalid option -- '2'\n", 1))
    #expect(Self.run("journalctl -n-2") == ("Failed to parse lines '-2'\n", 1))
    #expect(Self.run("journalctl --lines=2147483648") == ("Failed to parse lines '2147483648'\n", 1))
    #expect(Self.run("journalctl -u etcd -n 2 | wc -l") == ("2\n", 0))
    #expect(Self.run("journalctl -u etcd -n +1 | wc -l") == ("1\n", 0))
  }

  @Test func headDoubleMinus() {
    #expect(Self.run("echo a | head -n --1") == ("head: invalid number of lines: ‘-1’\n", 1))
    #expect(Self.run("printf 'a\\nb\\nc\\n' | head -n -1") == ("a\nb\n", 0))
    #expect(Self.run("echo a | head -n 99999999999999999999")
      == ("head: invalid number of lines: ‘99999999999999999999’: Value too large for defined data type\n", 1))
    #expect(Self.run("printf abcdef | head -c 1K") == ("abcdef", 0))
  }

  @Test func tailPlusMinimum() {
    #expect(Self.run("echo a | tail -n +-9223372036854775808") == ("tail: invalid number of lines: ‘+-9223372036854775808’\n", 1))
    #expect(Self.run("printf 'a\\nb\\nc\\n' | tail -n +2") == ("b\nc\n", 0))
    #expect(Self.run("echo a | tail -n -9223372036854775808") == ("a\n", 0))
  }

  @Test func killSignalBeyondInt32() {
    #expect(Self.run("kill --2147483649 1001") == ("bash: kill: -2147483649: invalid signal specification\n", 1))
    #expect(Self.run("kill -65 1001") == ("bash: kill: 65: invalid signal specification\n", 1))
    #expect(Self.run("kill -s 99999999999999999999 1001") == ("bash: kill: 99999999999999999999: invalid signal specification\n", 1))
    #expect(Self.run("kill -l 9 137 TERM") == ("KILL\nKILL\n15\n", 0))
    #expect(Self.run("pkill -99 etcd") == ("pkill: invalid option -- '9'\n", 2))
  }

  @Test func sleepForever() {
    // A transcript stops what never ends after 5 s with SIGTERM, as the captures do.
    var s = Sandbox.course()
    let start = s.world.now
    #expect(s.text("sleep 1e300") == ("", 143))
    #expect(s.world.now == start + 5000)
    // At the prompt it stops at once, with a notice that names the limit.
    let (out, status) = Self.run("sleep 1e300", transcript: false)
    #expect(status == 130)
    #expect(out == "etcdlab: " + SimLimits.clockNotice("sleep 1e300") + ". Stopped as if you pressed Ctrl-C.\n")
  }

  @Test func sleepInfinity() {
    #expect(Self.run("sleep inf") == ("", 143))
    #expect(Self.run("sleep infinity", transcript: false).1 == 130)
  }

  @Test func sleepNineQuadrillionTwice() {
    var s = Sandbox.course()
    #expect(s.text("sleep 9e15").1 == 143)
    #expect(s.text("sleep 9e15").1 == 143)
    #expect(s.text("sleep 9e15; sleep 9e15").1 == 143)
    #expect(s.world.now <= SimLimits.clockEnd)
    #expect(s.text("echo alive") == ("alive\n", 0))
  }

  @Test func etcdctlCommandTimeoutBeyondGo() {
    let (out, status) = Self.run("etcdctl --command-timeout=99999999999999999999999s get foo")
    #expect(status == 1)
    #expect(out.hasPrefix("Error: invalid argument \"99999999999999999999999s\" for \"--command-timeout\" flag: time: invalid duration \"99999999999999999999999s\"\n"))
    // The largest duration Go holds is accepted, and a dead endpoint waits that long on a clock that holds it.
    var s = Sandbox.course()
    #expect(s.text("etcdctl --endpoints=http://10.0.1.14:2379 --command-timeout=2562047h47m16.854775807s get foo").1 == 1)
    #expect(s.text("echo alive") == ("alive\n", 0))
  }

  @Test func printfMinimumWidth() {
    #expect(Self.run("printf '%-9223372036854775808s' x") == ("", 0))
  }

  @Test func truncateBeyondExt4() {
    #expect(Self.run("truncate -s 4611686018427387904 /tmp/x")
      == ("truncate: failed to truncate '/tmp/x' at 4611686018427387904 bytes: File too large\n", 1))
    #expect(Self.run("truncate -s 17592186040321 /tmp/x")
      == ("truncate: failed to truncate '/tmp/x' at 17592186040321 bytes: File too large\n", 1))
    #expect(Self.run("truncate -s 8E /tmp/x")
      == ("truncate: Invalid number: ‘8E’: Value too large for defined data type\n", 1))
    #expect(Self.run("truncate -s 1Q /tmp/x") == ("truncate: Invalid number: ‘1Q’\n", 1))
    #expect(Self.run("truncate -s 1KB /tmp/x; truncate -s +1K /tmp/x; wc -c < /tmp/x") == ("2024\n", 0))
    #expect(Self.run("truncate -s %0 /tmp/x") == ("truncate: division by zero\n", 1))
  }

  @Test func printfWidthBeyondInt() {
    // glibc refuses the width, so bash prints nothing for that conversion — at once.
    #expect(Self.run("printf '%2147483648s|' x") == ("|", 0))
    #expect(Self.run("printf '%.99999999999999999999d|' 5") == ("|", 0))
  }

  // MARK: Budgets

  @Test func commandOutputIsCutWithANotice() {
    let (out, status) = Self.run("printf '%2147483647s' x | wc -c")
    #expect(status == 0)
    #expect(out == "\(SimLimits.commandOutputBytes)\n" + SimLimits.commandOutputNotice() + "\n")
    let direct = Self.run("printf '%2147483647s' x").0
    #expect(direct.utf8.count == SimLimits.commandOutputBytes + 1 + SimLimits.commandOutputNotice().utf8.count + 1)
  }

  @Test func sessionOutputIsCutWithANotice() {
    var s = Sandbox.course()
    s.printedBytes = SimLimits.sessionOutputBytes - 3
    #expect(s.text("echo hello") == ("hel\n" + SimLimits.sessionOutputNotice() + "\n", 0))
    #expect(s.text("echo again") == (SimLimits.sessionOutputNotice() + "\n", 0))
  }

  @Test func diskFillsWithNoSpaceLeft() {
    var s = Sandbox.course()
    let mib = 1 << 20
    #expect(s.text("printf '%\(mib - 1)s\\n' x > /tmp/a").1 == 0)
    for _ in 0..<(SimLimits.diskBytes / mib - 2) { #expect(s.text("cat /tmp/a >> /tmp/b") == ("", 0)) }
    #expect(s.text("cat /tmp/a >> /tmp/b") == ("cat: write error: No space left on device\n" + SimLimits.diskNotice("infra0") + "\n", 0))
    // What is left, filled to the last byte.
    let free = SimLimits.diskBytes - s.world.host("infra0")!.fs.storedBytes
    #expect(s.text("truncate -s \(free) /tmp/fill") == ("", 0))
    #expect(s.text("echo hi >> /tmp/b").0.hasPrefix("bash: echo: write error: No space left on device\n"))
    #expect(s.text("echo hi | tee /tmp/c").0.hasPrefix("hi\ntee: /tmp/c: No space left on device\n"))
    #expect(s.text("cp /tmp/b /tmp/d").0.hasPrefix("cp: error writing '/tmp/d': No space left on device\n"))
    #expect(s.text("truncate -s 1G /tmp/e").0.hasPrefix("truncate: failed to truncate '/tmp/e' at 1073741824 bytes: No space left on device\n"))
    #expect(s.text("rm /tmp/b; echo hi > /tmp/c; cat /tmp/c") == ("hi\n", 0))
  }

  @Test func clockHoldsAtItsEnd() {
    var w = World(setup: .course, seed: 1)
    w.advance(by: .max)
    #expect(w.now == SimLimits.clockEnd)
    w.advance(by: .max)
    #expect(w.now == SimLimits.clockEnd)
    #expect(World.instant(.max - 1, plus: 5) == SimLimits.clockEnd)
  }

  // MARK: Other numbers read the same way

  @Test func exitStatusIsBashs() {
    func exit(_ line: String) -> (String, Int32) {
      var s = Sandbox.course()
      return s.text(line)
    }
    #expect(exit("exit 300") == ("", 44))
    #expect(exit("exit -1") == ("", 255))
    #expect(exit("exit 99999999999999999999") == ("bash: exit: 99999999999999999999: numeric argument required\n", 2))
    #expect(Self.run("exit 1 2") == ("bash: exit: too many arguments\n", 1))
  }

  @Test func sleepOperandsAsGNU() {
    #expect(Self.run("sleep x y") == ("sleep: invalid time interval ‘x’\nsleep: invalid time interval ‘y’\nTry 'sleep --help' for more information.\n", 1))
    #expect(Self.run("sleep 1 -1") == ("sleep: invalid option -- '1'\nTry 'sleep --help' for more information.\n", 1))
    var s = Sandbox.course()
    let start = s.world.now
    #expect(s.text("sleep 1.5m 0x10 .5s") == ("", 0))
    #expect(s.world.now == start + 90_000 + 16_000 + 500)
  }

  @Test func printfAsBash() {
    #expect(Self.run("printf '%5.2s|%-4d|%04d|%x|%c|%u\\n' abc 7 7 255 xyz 9") == ("   ab|7   |0007|ff|x|9\n", 0))
    #expect(Self.run("printf '%d|' 12abc") == ("bash: printf: 12abc: invalid number\n12|", 1))
    #expect(Self.run("printf '%d\\n' 99999999999999999999")
      == ("bash: printf: warning: 99999999999999999999: Numerical result out of range\n9223372036854775807\n", 0))
    #expect(Self.run("printf '%*d|%.*s|' -5 3 2 abcdef") == ("3    |ab|", 0))
    #expect(Self.run("printf '%5' 1") == ("bash: printf: `%5': missing format character\n", 1))
    #expect(Self.run("printf '%k' 1") == ("bash: printf: `k': invalid format character\n", 1))
  }

  // MARK: The number module

  @Test func coreutilsCounts() {
    func count(_ s: String) -> Result<Int64, Numbers.Failure> { Numbers.coreutils(s, suffixes: Numbers.countSuffixes, signed: false) }
    #expect(count("10") == .success(10))
    #expect(count(" +5") == .success(5))
    #expect(count("K") == .success(1024))
    #expect(count("1kB") == .success(1000))
    #expect(count("2KiB") == .success(2048))
    #expect(count("1b") == .success(512))
    #expect(count("18446744073709551615") == .success(.max))
    #expect(count("18446744073709551616") == .failure(.tooLarge))
    #expect(count("16E") == .failure(.tooLarge))
    #expect(count("-1") == .failure(.invalid))
    #expect(count("1x") == .failure(.invalid))
    #expect(count("1Ki") == .failure(.invalid))
    #expect(count("99999999999999999999x") == .failure(.invalid))
    #expect(count("") == .failure(.invalid))
    #expect(count("5 ") == .failure(.invalid))
    func size(_ s: String) -> Result<Int64, Numbers.Failure> { Numbers.coreutils(s, suffixes: Numbers.sizeSuffixes, signed: true) }
    #expect(size("-9223372036854775808") == .success(.min))
    #expect(size("9223372036854775808") == .failure(.tooLarge))
    #expect(size("7E") == .success(8_070_450_532_247_928_832))
    #expect(size("1g") == .success(1 << 30))
    #expect(size("1b") == .failure(.invalid))
  }

  @Test func sleepIntervals() {
    #expect(Numbers.sleepSeconds("1.5m") == 90)
    #expect(Numbers.sleepSeconds(" 2") == 2)
    #expect(Numbers.sleepSeconds("0x10") == 16)
    #expect(Numbers.sleepSeconds("0x1d") == 29)  // a hex digit, not days, as strtod reads it
    #expect(Numbers.sleepSeconds("1d") == 86400)
    #expect(Numbers.sleepSeconds("inf") == .infinity)
    #expect(Numbers.sleepSeconds("infinitys") == .infinity)
    #expect(Numbers.sleepSeconds("1e-400") == 0)
    #expect(Numbers.sleepSeconds("1e300") == 1e300)
    for bad in ["", "nan", "-1", "1ss", "1s2", "1 ", "1,5", "x"] { #expect(Numbers.sleepSeconds(bad) == nil, "\(bad)") }
  }

  @Test func goDurations() {
    func d(_ s: String) -> Result<Int64, Numbers.GoError> { Numbers.goDuration(s) }
    #expect(d("5s") == .success(5_000_000_000))
    #expect(d("1h2m3.5s") == .success(3_723_500_000_000))
    #expect(d("-1.5ms") == .success(-1_500_000))
    #expect(d("0") == .success(0))
    #expect(d("300µs") == .success(300_000))
    #expect(d("2562047h47m16.854775807s") == .success(.max))
    #expect(d("2562047h47m16.854775808s") == .failure(.init(message: "time: invalid duration \"2562047h47m16.854775808s\"")))
    #expect(d("99999999999999999999999s") == .failure(.init(message: "time: invalid duration \"99999999999999999999999s\"")))
    #expect(d("5") == .failure(.init(message: "time: missing unit in duration \"5\"")))
    #expect(d("5x") == .failure(.init(message: "time: unknown unit \"x\" in duration \"5x\"")))
    #expect(d("") == .failure(.init(message: "time: invalid duration \"\"")))
    #expect(d(".s") == .failure(.init(message: "time: invalid duration \".s\"")))
    #expect(d("1é") == .failure(.init(message: "time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"")))
  }

  @Test func bashIntegersAndSignals() {
    #expect(Numbers.bashInteger(" -9223372036854775808 ") == .min)
    #expect(Numbers.bashInteger("9223372036854775808") == nil)
    #expect(Numbers.bashInteger("12a") == nil)
    #expect(Numbers.bashInteger("") == nil)
    #expect(Numbers.signal("9") == 9)
    #expect(Numbers.signal("0") == 0)
    #expect(Numbers.signal("64") == 64)
    #expect(Numbers.signal("65") == nil)
    #expect(Numbers.signal("-2147483649") == nil)
    #expect(Numbers.signal("sigterm") == 15)
    #expect(Numbers.signal("KILL") == 9)
    #expect(Numbers.signal("RTMIN+3") == 37)
    #expect(Numbers.signal("IOT") == nil)
    #expect(Session.signalList.hasPrefix(" 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n"))
    #expect(Session.signalList.hasSuffix("63) SIGRTMAX-1\t64) SIGRTMAX\t\n"))
  }

  @Test func systemdIntegers() {
    #expect(Numbers.systemdInt("0x10") == 16)
    #expect(Numbers.systemdInt(" 5") == 5)
    #expect(Numbers.systemdInt("-2") == -2)
    #expect(Numbers.systemdInt("2147483648") == nil)
    #expect(Numbers.systemdInt("1.5") == nil)
    #expect(Numbers.systemdInt("") == nil)
  }

  @Test func saturatingArithmetic() {
    #expect(Int64.max.saturatingAdding(1) == .max)
    #expect(Int64.min.saturatingAdding(-1) == .min)
    #expect(Int64.max.saturatingMultiplied(by: -2) == .min)
    #expect(Int(checked: 1e300) == nil)
    #expect(Int(checked: .nan) == nil)
    #expect(Int(checked: -2.7) == -2)
    #expect(WorldSetup.bytes("99999999999999999999GB") == nil)
  }
}
