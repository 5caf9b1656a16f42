import EtcdCommands
import EtcdSim
import Foundation

/// Throughput of whole command lines through the sandbox: parsing, the world, and output
/// rendering, on a mixed stream (member list, put, get, endpoint status -w table, member add/remove).
@main
enum Bench {
  static func main() {
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
}
