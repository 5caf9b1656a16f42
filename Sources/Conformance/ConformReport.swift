import Foundation

/// One transcript compared on two sides: the reference (or real etcd, live) against the
/// simulator, command by command, through the shared normalizer and the named relaxations.
public struct ConformReport: Sendable {
  public struct Entry: Sendable {
    public var index: Int
    public var command: String
    public var expected: Output
    public var actual: Output
    public var comparison: Comparison
  }

  public var transcript: String
  /// What the expected side is: `reference` (the recorded transcript) or `real` (etcd, live).
  public var expectedSide: String
  public var actualSide: String
  public var entries: [Entry]
  /// Wall time of the live run of real etcd, when there was one.
  public var realSeconds: Double?

  public var matched: Int { entries.count - differed }
  public var relaxed: Int { entries.filter { if case .relaxed = $0.comparison.verdict { true } else { false } }.count }
  public var differed: Int { entries.filter(\.comparison.differed).count }
  public var strict: Int { entries.filter(\.comparison.strict).count }
  public var loose: Int { entries.filter(\.comparison.loose).count }

  /// Pairs two replays of the same transcript (same commands, same order).
  public init(transcript: String, expectedSide: String, expected: [Replay.Result], actualSide: String, actual: [Replay.Result], relaxations: Relaxations) {
    self.transcript = transcript
    self.expectedSide = expectedSide
    self.actualSide = actualSide
    entries = zip(expected, actual).map { e, a in
      Entry(index: a.index, command: a.command, expected: e.actual, actual: a.actual,
            comparison: Comparison(expected: e.actual, actual: a.actual, classes: relaxations.classes(transcript, a.index, live: true)))
    }
  }

  /// The simulator's replay against the transcript's own outputs.
  public init(transcript: String, simulated: [Replay.Result], relaxations: Relaxations) {
    self.transcript = transcript
    expectedSide = "reference"
    actualSide = "sim"
    entries = simulated.map { r in
      Entry(index: r.index, command: r.command, expected: r.expected, actual: r.actual,
            comparison: Comparison(expected: r.expected, actual: r.actual, classes: relaxations.classes(transcript, r.index, live: false)))
    }
  }

  /// `differed` commands with both outputs, `relaxed` commands with their classes, with
  /// `verbose` also the matched ones; then the transcript's line of figures.
  public func render(verbose: Bool, outputLines: Int = 30) -> String {
    var out = ""
    for e in entries {
      let place = "\(transcript) #\(e.index): $ \(e.command)"
      switch e.comparison.verdict {
      case .matched:
        if verbose { out += "matched \(place)\n" }
      case .relaxed(let classes):
        out += "relaxed (\(Self.name(classes))) \(place)\n"
      case .differed(let classes):
        out += "differed\(classes.isEmpty ? "" : " (relaxed: \(Self.name(classes)))") \(place)\n"
        out += Self.block(expectedSide, e.expected, limit: outputLines) + Self.block(actualSide, e.actual, limit: outputLines)
        let width = max(expectedSide.count, actualSide.count) + 1
        for (line, a, b) in Comparison.firstDifferences(expected: e.expected.lines, actual: e.actual.lines, classes: classes) {
          out += "  line \(line), as compared:\n"
          out += "    \((expectedSide + ":").padding(toLength: width, withPad: " ", startingAt: 0)) \(a ?? "<none>")\n"
          out += "    \((actualSide + ":").padding(toLength: width, withPad: " ", startingAt: 0)) \(b ?? "<none>")\n"
        }
      }
    }
    let time = realSeconds.map { String(format: "; real etcd %.1f s", $0) } ?? ""
    out += "\(transcript): \(matched) matched (\(relaxed) relaxed), \(differed) differed; \(actualSide) against \(expectedSide): strict \(strict)/\(entries.count), loose \(loose)/\(entries.count)\(time)\n"
    return out
  }

  static func name(_ classes: [Relaxation]) -> String {
    classes.map { "\($0.rawValue): \($0.meaning)" }.joined(separator: "; ")
  }

  static func block(_ side: String, _ o: Output, limit: Int) -> String {
    var out = "  \(side) (exit \(o.status)):\n"
    for line in o.lines.prefix(limit) { out += "    \(line)\n" }
    if o.lines.count > limit { out += "    (\(o.lines.count - limit) more lines)\n" }
    return out
  }
}

/// `etcdlab conform`: each transcript on the simulator, against its recorded outputs or, with
/// `real`, against real etcd replaying it at the same time.
public enum Conform {
  public static func simulator(_ t: Transcript, relaxations: Relaxations = .standard, seed: UInt64 = 1) -> ConformReport {
    var sim = SimBackend(for: t, seed: seed)
    return ConformReport(transcript: t.name, simulated: Replay.run(t, on: &sim), relaxations: relaxations.adding(t))
  }

  /// Real etcd against the simulator, both replaying `t`; throws when real etcd cannot run here.
  public static func real(_ t: Transcript, relaxations: Relaxations = .standard, seed: UInt64 = 1) throws -> ConformReport {
    let start = Date()
    var real = try RealEtcdBackend(for: t)
    let live = Replay.run(t, on: &real)
    real.shell.close()
    let seconds = Date().timeIntervalSince(start)
    var sim = SimBackend(for: t, seed: seed)
    var report = ConformReport(transcript: t.name, expectedSide: "real", expected: live, actualSide: "sim", actual: Replay.run(t, on: &sim), relaxations: relaxations.adding(t))
    report.realSeconds = seconds
    return report
  }

  /// Runs `work` for each transcript on up to `jobs` threads (each live run has a namespace of its
  /// own), and hands the results to `done` in the transcripts' order, each as soon as it and all
  /// before it are ready.
  public static func each<T: Sendable, R: Sendable>(_ transcripts: [T], jobs: Int, _ work: @escaping @Sendable (T) -> R, done: (R) -> Void) {
    let results = Results<R>(count: transcripts.count)
    let queue = DispatchQueue(label: "conform", attributes: .concurrent)
    let slots = DispatchSemaphore(value: max(1, jobs))
    for (i, t) in transcripts.enumerated() {
      slots.wait()
      queue.async {
        results.set(i, work(t))
        slots.signal()
      }
      while let r = results.next() { done(r) }
    }
    for _ in 0..<max(1, jobs) {
      slots.wait()
      while let r = results.next() { done(r) }
    }
    // A semaphore must not end below the value it started with.
    for _ in 0..<max(1, jobs) { slots.signal() }
  }

  /// The last line of a run: `N matched, N differed`.
  public static func summary(_ reports: [ConformReport]) -> String {
    "\(reports.map(\.matched).reduce(0, +)) matched, \(reports.map(\.differed).reduce(0, +)) differed"
  }
}

/// Results that arrive in any order and leave in order.
final class Results<R: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [R?]
  private var taken = 0

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ r: R) { lock.withLock { slots[i] = r } }

  func next() -> R? {
    lock.withLock {
      guard taken < slots.count, let r = slots[taken] else { return nil }
      taken += 1
      return r
    }
  }
}
