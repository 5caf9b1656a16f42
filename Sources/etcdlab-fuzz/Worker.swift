import FuzzKit
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The worker side of `Supervisor`: reads sessions (a JSON array of lines per input line),
/// runs each in a fresh sandbox, and writes the index of each line before running it, then
/// `ok N` (N lines fed). Its memory is capped so that a runaway line ends it instead of the machine.
enum Worker {
  static func run(seed: UInt64, memoryMB: Int) -> Never {
    var limit = rlimit(rlim_cur: rlim_t(memoryMB) << 20, rlim_max: rlim_t(memoryMB) << 20)
    setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
    while let text = readLine() {
      guard let lines = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else { exit(3) }
      let fed = SandboxReplay.run(lines, seed: seed) { say("\($0)\n") }
      say("ok \(fed)\n")
    }
    exit(0)
  }

  /// Unbuffered, so the supervisor has it even if the next instruction traps.
  static func say(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress, $0.count) }
  }
}
