import EtcdCommands
import EtcdSim
import Foundation

/// Throughput of whole command lines through the sandbox: parsing, the world, and output
/// rendering, on a mixed stream (member list, put, get, endpoint status -w table, member add/remove).
@main
enum Bench {
  static func main() {
    if CommandLine.arguments.dropFirst().first == "entry" {
      EntryBench.run(count: CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 100_000, only: CommandLine.arguments.dropFirst(3).first)
      return
    }
    if CommandLine.arguments.dropFirst().first == "snapshot" {
      snapshot(keys: CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 100_000)
      return
    }
    let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 200_000
    var session = Session(world: World(setup: .course, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
    var bytes = 0
    var port = 3000
    var pendingRemove: String?
    let start = Date()
    for i in 0..<count {
      let line: String
      switch i % 6 {
      case 0: line = "etcdctl member list"
      case 1: line = "etcdctl put /bench/k\(i % 100) value-\(i)"
      case 2: line = "etcdctl get /bench/k\(i % 100)"
      case 3: line = "etcdctl endpoint status -w table"
      case 4:
        port += 1
        line = "etcdctl member add m\(port) --peer-urls=http://10.0.1.13:\(port) --learner"
      default:
        line = "etcdctl member remove \(pendingRemove ?? "0")"
      }
      let (io, _) = session.run(line)
      bytes += io.chunks.reduce(0) { $0 + $1.bytes.count }
      if i % 6 == 4, let id = io.text.split(separator: " ").dropFirst().first { pendingRemove = String(id) }
    }
    let seconds = Date().timeIntervalSince(start)
    let rate = Double(count) / seconds
    print("etcdlab-bench: \(count) commands in \(String(format: "%.3f", seconds)) s: \(Int(rate)) commands/s (\(bytes) bytes of output)")
  }

  /// `snapshot save` and `snapshot restore` of a cluster holding `keys` keys, through the shell.
  static func snapshot(keys: Int) {
    var session = Session(world: World(setup: .course, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
    for i in 0..<keys { _ = session.run("etcdctl put /bench/key-\(i) value-\(i)") }
    let start = Date()
    let (saved, a) = session.run("etcdctl snapshot save /tmp/big.db")
    let middle = Date()
    let (restored, b) = session.run("etcdctl snapshot restore /tmp/big.db --data-dir /tmp/restored")
    let end = Date()
    let (status, c) = session.run("etcdctl snapshot status /tmp/big.db")
    let statusEnd = Date()
    guard a == 0, b == 0, c == 0 else {
      print("etcdlab-bench: snapshot failed\n\(saved.text)\(restored.text)")
      return
    }
    let ms = { (x: Date, y: Date) in String(format: "%.1f", y.timeIntervalSince(x) * 1000) }
    print("etcdlab-bench: snapshot of \(keys) keys: save \(ms(start, middle)) ms, restore \(ms(middle, end)) ms, both \(ms(start, end)) ms; status \(ms(end, statusEnd)) ms (\(status.text.trimmingCharacters(in: .whitespacesAndNewlines)))")
  }
}
