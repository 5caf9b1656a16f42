import ArgumentParser
import Conformance
import Foundation

/// `etcdlab conform --generate N --seed S [--real] [--out DIR]`: random operator sessions, each
/// replayed on the simulator and, with --real, on real etcd; each divergence shrunk to a smaller
/// session that still shows it, printed and (with --out) written as a capture.
struct GeneratedConform {
  var count: Int
  var seed: UInt64
  var real: Bool
  var jobs: Int
  var out: String?
  var shrinkSeconds: Int
  var verbose: Bool

  func run() throws {
    let seed = self.seed
    let sessions = SessionGenerator.sessions(count, seed: seed)
    let folder = try out.map(Self.folder)
    guard real else {
      for s in sessions {
        let results = Conform.simulated(s, seed: seed)
        try folder.map { try write(s.text(outputs: results, side: "sim", seed: seed), $0, s.name) }
        print("\(s.name): \(results.count) commands on the simulator, \(String(format: "%.0f", s.waitSeconds)) s of waiting on real etcd (no --real: nothing compared)")
      }
      return
    }
    var reports: [ConformReport] = []
    var failure: (any Error)?
    var divergent: [(GeneratedSession, ConformReport)] = []
    Conform.each(sessions, jobs: jobs, { s in
      Result { (s, try Conform.generated(s, seed: seed)) }
    }) { result in
      switch result {
      case .success(let (s, (report, live))):
        FileHandle.standardOutput.write(Data(report.render(verbose: verbose).utf8))
        reports.append(report)
        if let folder { try? write(s.text(outputs: live, side: "real", seed: seed), folder, s.name) }
        if report.differed > 0 { divergent.append((s, report)) }
      case .failure(let error):
        if failure == nil { FileHandle.standardError.write(Data("etcdlab conform --real: \(error)\n".utf8)) }
        failure = failure ?? error
      }
    }
    if failure != nil { throw ExitCode(2) }
    for (s, report) in divergent where shrinkSeconds > 0 {
      let deadline = Date().addingTimeInterval(Double(shrinkSeconds))
      guard let small = Conform.shrink(s, report: report, seed: seed, deadline: deadline) else {
        print("\(s.name): the divergence did not show again on a second run (chance?); the whole session is its script")
        continue
      }
      let text = small.session.text(outputs: small.real, side: "real", seed: seed, shrunk: true)
      let name = s.name.replacingOccurrences(of: ".txt", with: "-divergence.txt")
      print("\n\(s.name): its first divergence, in \(small.session.transcript.commands.count) of \(s.transcript.commands.count) commands (real etcd's outputs; the simulator's differ as shown):")
      print(text, terminator: "")
      if let e = small.report.entries.first(where: \.comparison.differed) {
        print("# the simulator's output of #\(e.index) differs:")
        for line in e.actual.lines { print("#| \(line)") }
        print("# exit \(e.actual.status) on the simulator")
      }
      if let folder { try write(text, folder, name) }
    }
    print(Conform.summary(reports))
    if reports.contains(where: { $0.differed > 0 }) { throw ExitCode(1) }
  }

  static func folder(_ path: String) throws -> URL {
    let url = URL(fileURLWithPath: path)
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      FileHandle.standardError.write(Data("etcdlab conform: cannot make \(path): \(error.localizedDescription)\n".utf8))
      throw ExitCode(2)
    }
    return url
  }

  func write(_ text: String, _ folder: URL, _ name: String) throws {
    try Data(text.utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
  }
}
