import Foundation

extension Conform {
  /// A generated session replayed on real etcd and on the simulator, compared with the session's
  /// own relaxations; the real side's results come back too (to write the session as a capture).
  public static func generated(_ s: GeneratedSession, seed: UInt64 = 1) throws -> (report: ConformReport, real: [Replay.Result]) {
    let start = Date()
    let t = s.transcript
    var real = try RealEtcdBackend(for: t)
    let live = Replay.run(t, on: &real)
    real.shell.close()
    let seconds = Date().timeIntervalSince(start)
    var sim = SimBackend(for: t, seed: seed)
    var report = ConformReport(transcript: s.name, expectedSide: "real", expected: live, actualSide: "sim", actual: Replay.run(t, on: &sim), relaxations: Relaxations(entries: []).adding(t))
    report.realSeconds = seconds
    return (report, live)
  }

  /// The simulator alone (no real etcd here or none asked for): the session's results.
  public static func simulated(_ s: GeneratedSession, seed: UInt64 = 1) -> [Replay.Result] {
    var sim = SimBackend(for: s.transcript, seed: seed)
    return Replay.run(s.transcript, on: &sim)
  }

  /// A smaller session that still shows the first divergence of `report`: everything after the
  /// differing command is dropped, then whole operations, then single commands before it, each
  /// kept out when the same command line still differs without it. Each try is a live run, so
  /// it stops at `deadline` with the smallest session found so far.
  public static func shrink(_ s: GeneratedSession, report: ConformReport, seed: UInt64 = 1, deadline: Date) -> (session: GeneratedSession, report: ConformReport, real: [Replay.Result])? {
    guard let first = report.entries.first(where: \.comparison.differed) else { return nil }
    // Position of the differing command among the items.
    var command = 0
    guard let target = s.items.indices.first(where: { i in
      if case .command = s.items[i] { command += 1 }
      return command == first.index && s.items[i].isCommand
    }) else { return nil }
    var drop = Set((target + 1)..<s.items.count)
    func stillDiffers(_ candidate: Set<Int>) -> (ConformReport, [Replay.Result])? {
      guard Date() < deadline, let (r, live) = try? generated(s.without(candidate), seed: seed) else { return nil }
      return r.entries.contains { $0.comparison.differed && $0.command == first.command } ? (r, live) : nil
    }
    guard var best = stillDiffers(drop) else { return nil }
    // Whole operations (the bootstrap stays), latest first.
    let bounds = s.operationStarts + [s.items.count]
    for k in stride(from: s.operationStarts.count - 1, through: 0, by: -1) {
      let group = Set(bounds[k]..<bounds[k + 1]).subtracting([target])
      guard !group.isSubset(of: drop), Date() < deadline else { continue }
      if let found = stillDiffers(drop.union(group)) { drop.formUnion(group); best = found }
    }
    // Single commands and waits after the bootstrap.
    let bootstrap = s.operationStarts.first ?? target
    for i in stride(from: target - 1, through: bootstrap, by: -1) where !drop.contains(i) {
      guard Date() < deadline else { break }
      if let found = stillDiffers(drop.union([i])) { drop.insert(i); best = found }
    }
    return (s.without(drop), best.0, best.1)
  }
}

extension GeneratedSession {
  /// The session in the transcripts' format, with one side's outputs (real etcd's: then it is a
  /// capture like the reference's), so that `etcdlab conform` can replay it again.
  public func text(outputs results: [Replay.Result], side: String, seed: UInt64, shrunk: Bool = false) -> String {
    var out = """
      # \(shrunk ? "Smallest session (shrunk by dropping commands) of generated session" : "Generated session") \(name) (etcdlab conform --generate, seed \(seed)): \(operations.joined(separator: "; ")).
      # Outputs: \(side == "real" ? "real etcd 3.4 in a private namespace on loopback" : "the simulator"); member infraN listens on 127.0.0.(10+N).
      # Format: '$ COMMAND', then its stdout+stderr, then '# exit N'. Other '# ' lines are notes.
      # Commands compared relaxed (classes of Sources/Conformance/Relaxation.swift: what real etcd decides by chance):

      """
    for i in classes.keys.sorted() { out += "# relaxed #\(i) \(classes[i, default: []].map(\.rawValue).joined(separator: ","))\n" }
    out += "\n"
    var next = results.makeIterator()
    for item in items {
      switch item {
      case .command(let c):
        out += "$ \(c.line)\n"
        if let r = next.next() {
          for line in r.actual.lines { out += (line.hasPrefix("# ") || line.hasPrefix("$ ") ? " " : "") + line + "\n" }
          out += "# exit \(r.actual.status)\n"
        } else {
          out += "# exit 0\n"
        }
      case .stop(let n): out += "# [stop \(n): SIGTERM to its etcd process, then waited until it ended]\n"
      case .waitReady(let ns): out += "# (waited until \(ns.joined(separator: ", ")) logged \"ready to serve client requests\")\n"
      case .waitExit(let n): out += "# [\(n)'s etcd process exited by itself, or was stopped after 20 s]\n"
      }
    }
    return out
  }
}
