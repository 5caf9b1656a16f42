import EtcdCommands
import EtcdSim
import Foundation
import LabKit
import LabShell

/// `etcdlab-bench entry [N]`: N command lines through the program's own entry points, in
/// process — the sandbox screen as `etcdlab sandbox --transcript` plays it, and a lab screen as
/// `etcdlab run backup --transcript` plays it (progress kept in a temporary folder) — with the
/// rate of the first and the last 10% of the lines and the resident memory they leave.
enum EntryBench {
  /// The mix: read, write, read, a table, a shell builtin, delete — in turn.
  static func line(_ i: Int) -> String {
    switch i % 6 {
    case 0: return "etcdctl member list"
    case 1: return "etcdctl put /k v\(i)"
    case 2: return "etcdctl get /k"
    case 3: return "etcdctl endpoint status -w table"
    case 4: return "hostname"
    default: return "etcdctl del /k"
    }
  }

  /// The lines of the mix, noting when the first and last tenth start and end.
  struct TimedLines: LineReader {
    let count: Int
    var next = 0
    var marks: [Int: Date] = [:]
    /// Processor time at the same marks: on a machine others share, wall time measures them too.
    var cpuMarks: [Int: Double] = [:]

    mutating func readLine(prompt: String) -> String? {
      if [0, count / 10, count - count / 10, count].contains(next) {
        marks[next] = Date()
        cpuMarks[next] = EntryBench.cpuSeconds()
      }
      guard next < count else { return nil }
      defer { next += 1 }
      return EntryBench.line(next)
    }

    func rate(_ from: Int, _ to: Int) -> Double {
      guard let a = marks[from], let b = marks[to] else { return 0 }
      return Double(to - from) / b.timeIntervalSince(a)
    }

    func cpuRate(_ from: Int, _ to: Int) -> Double {
      guard let a = cpuMarks[from], let b = cpuMarks[to], b > a else { return 0 }
      return Double(to - from) / (b - a)
    }
  }

  /// Processor time this process has used, in seconds.
  static func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  /// Resident memory in KiB (Linux `/proc/self/status`): now (`VmRSS`) or at its peak (`VmHWM`).
  static func residentKiB(_ field: String = "VmRSS") -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
  }

  static func run(count: Int, only: String?) {
    let labs = Course.locate(extraLabs: nil).labs().map(\.1)
    guard let lab = labs.first(where: { $0.id == "backup" }) else {
      print("etcdlab-bench: the course's labs were not found")
      return
    }
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("etcdlab-bench-\(getpid())")
    defer { try? FileManager.default.removeItem(at: home) }
    var bytes = 0
    let write: (String, ScreenContext.Stream) -> Void = { text, _ in bytes += text.utf8.count }

    if only != "lab" { report("sandbox", count: count) { reader in
      let session = Session(world: World(setup: .course, seed: 1), host: "infra0", transcriptMode: true, suggestions: false)
      var screen = SandboxScreen(session: session, transcript: true, explain: false, lang: .en, write: write)
      screen.play(reader: &reader, interactive: false)
    } }
    if only != "sandbox" { report("lab backup", count: count) { reader in
      let context = ScreenContext(course: CourseAccess(labs: labs, lesson: { _, _ in nil }), terminal: Terminal(colour: false, width: 1000),
                                  transcript: true, store: ProgressFile(directory: home), write: write)
      var screen = LabScreen(lab: lab, seed: 1, lang: .en, context: context, progress: StudentProgress())
      _ = screen.play(reader: &reader)
    } }
    print("etcdlab-bench: \(bytes) bytes of output; resident memory at its peak \(residentKiB("VmHWM") / 1024) MiB")
  }

  static func report(_ name: String, count: Int, _ play: (inout TimedLines) -> Void) {
    var reader = TimedLines(count: count)
    let before = residentKiB()
    play(&reader)
    let grown = residentKiB() - before
    let first = reader.rate(0, count / 10), last = reader.rate(count - count / 10, count)
    let total = reader.rate(0, count)
    let cpuFirst = reader.cpuRate(0, count / 10), cpuLast = reader.cpuRate(count - count / 10, count)
    print("etcdlab-bench: \(name): \(count) commands, \(Int(total)) commands/s; first 10% \(Int(first))/s, last 10% \(Int(last))/s (\(percent(last, first))); resident memory +\(grown / 1024) MiB (\(grown * 1024 / max(count, 1)) bytes per command)")
    print("etcdlab-bench: \(name): per second of processor time \(Int(reader.cpuRate(0, count))) commands; first 10% \(Int(cpuFirst)), last 10% \(Int(cpuLast)) (\(percent(cpuLast, cpuFirst)))")
  }

  static func percent(_ part: Double, _ whole: Double) -> String {
    String(format: "%.0f%%", 100 * part / max(whole, 1))
  }
}
