import EtcdCommands
import EtcdSim
import Testing

/// Random and mutated lines through the shell: no crash, and a line the shell rejects as a
/// syntax error leaves the world exactly as it was.
@Suite struct ShellPropertyTests {
  static let seeds = [
    "etcdctl member list | awk -F', ' '{print $3}'", "ssh infra3 'hostname; date'", "cat > /tmp/x <<EOF\nhello $HOME\nEOF",
    "echo \"$(etcdctl member list | grep infra1 | cut -d, -f1)\"", "systemctl status etcd", "journalctl -u etcd -n 2",
    "tar czf /tmp/b.tgz /var/lib/etcd && tar tzf /tmp/b.tgz | head -n 3", "ls -la /var/lib/etcd/member", "sed -i 's/a/b/g' /tmp/x",
    "etcdctl put k v && etcdctl get k || echo no", "kill %1", "ps aux | grep -v grep | grep etcd", "scp /tmp/x infra2:/tmp/",
    "etcdctl snapshot save /tmp/s.db && etcdctl snapshot status /tmp/s.db -w table", "ls /var/lib/*/member/[sw]*", "curl -sSk https://10.0.1.10:2379/health",
  ]

  static func mutate(_ line: String, _ rng: inout SeededRandom) -> String {
    var chars = Array(line)
    let alphabet = Array("'\"$(){}|&;<>\\#`*?~!\t\u{0}\u{7}\u{1b}é中 ")
    for _ in 0..<Int(rng.int(in: 1...5)) {
      let pos = Int(rng.int(in: 0...Int64(chars.count)))
      switch rng.int(in: 0...3) {
      case 0 where !chars.isEmpty: chars.remove(at: min(pos, chars.count - 1))
      case 1: chars.insert(alphabet[Int(rng.int(in: 0...Int64(alphabet.count - 1)))], at: pos)
      case 2: chars.insert(contentsOf: Array("$(echo $("), at: pos)
      default: chars.insert(contentsOf: chars.prefix(8), at: pos)
      }
    }
    return String(chars)
  }

  @Test func mutatedLinesNeverCrashAndRejectedOnesChangeNothing() {
    var rng = SeededRandom(seed: 42)
    var session = Session(world: World(setup: .course, seed: 3), host: "infra0", transcriptMode: true, suggestions: true)
    for i in 0..<3000 {
      let base = Self.seeds[i % Self.seeds.count]
      let line = Self.mutate(base, &rng)
      let before = session.world
      let (_, status) = session.run(line)
      // The shell rejects a line it cannot parse; then nothing may have happened.
      if case .failure = ShellParser.parse(HereDocuments(line).command) {
        #expect(status == 2)
        #expect(session.world == before, "a rejected line changed the world: \(line)")
      }
      session.host = "infra0"
    }
  }

  @Test func extremeLines() {
    var s = Session(world: World(setup: .course, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
    let deep = String(repeating: "$(echo ", count: 200) + "x" + String(repeating: ")", count: 200)
    _ = s.run("echo " + deep)
    let huge = String(repeating: "a", count: 200_000)
    #expect(s.run("echo " + huge).status == 2)
    _ = s.run(String(repeating: "'", count: 1001))
    _ = s.run("\u{0}\u{1}\u{2}\u{1b}[31m")
    _ = s.run(String(repeating: "|", count: 500))
    #expect(s.run("echo ok").io.text == "ok\n")
  }
}
