import FuzzKit
import Foundation

/// A fuzzing run: generated sessions through the supervisor, each failure kept, then one
/// failure per kind shrunk to a minimal reproducer.
struct Campaign {
  struct Finding {
    var session: Int
    var lines: [String]
    var outcome: Outcome
  }

  struct Reproducer {
    var outcome: Outcome
    var lines: [String]
    var session: Int
    var original: Int
    var similar: Int

    /// Whether `f` is likely this failure again: the same kind, and its failing line holds
    /// every word of this one's lines.
    func covers(_ f: Finding) -> Bool {
      guard outcome.sameFailure(as: f.outcome), let line = f.lines.last else { return false }
      let have = Set(Reproducer.words(line))
      return lines.allSatisfy { Reproducer.words($0).allSatisfy(have.contains) }
    }

    static func words(_ line: String) -> [Substring] { line.split { " \t;|&'\"".contains($0) } }
  }

  let generator: Generator
  let supervisor: Supervisor
  let worldSeed: UInt64
  var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

  /// Runs sessions until `lines` lines ran or `seconds` passed; returns the failures in order.
  func explore(lines total: Int, sessionLines: Int, seconds: Double?) -> (lines: Int, findings: [Finding]) {
    let start = Date()
    var ran = 0
    var findings: [Finding] = []
    var session = 0
    var lastReport = start
    while ran < total, seconds.map({ Date().timeIntervalSince(start) < $0 }) ?? true {
      let lines = generator.session(session, lines: min(sessionLines, total - ran))
      let outcome = supervisor.run(lines)
      if let k = outcome.failingLine {
        ran += k + 1
        findings.append(Finding(session: session, lines: Array(lines.prefix(k + 1)), outcome: outcome))
        log("etcdlab-fuzz: \(outcome.description) in session \(session), line \(k + 1): \(FuzzKit.Reproducer.readable(lines[k]))")
      } else {
        ran += lines.count
      }
      session += 1
      if Date().timeIntervalSince(lastReport) >= 10 {
        lastReport = Date()
        log("etcdlab-fuzz: \(ran) lines, \(findings.count) failures, \(Int(lastReport.timeIntervalSince(start))) s")
      }
    }
    return (ran, findings)
  }

  /// The failures to shrink, crashes first (they shrink fast; each hanging candidate costs the
  /// whole time limit): every crash on its own, hangs grouped by what they look like (the
  /// failing line's first word, or nested loops). A failure whose line holds every word of a
  /// reproducer already found for the same kind of failure counts as that one, unshrunk.
  /// Each group gets an even share of the time left, so one slow hang does not starve the rest.
  func shrink(_ findings: [Finding], seconds: Double, maxTests: Int, maxGroups: Int) -> [Reproducer] {
    var groups: [String: [Finding]] = [:]
    var order: [String] = []
    for f in findings.filter(\.outcome.isCrash) + findings.filter({ !$0.outcome.isCrash }) {
      let last = f.lines.last ?? ""
      let what = last.components(separatedBy: "do ").count > 3 ? "nested loops" : String(last.split(separator: " ").first ?? "")
      let key = f.outcome.description + " " + (f.outcome.isCrash ? String(f.session) : what)
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(f)
    }
    let end = Date().addingTimeInterval(seconds)
    var out: [Reproducer] = []
    var shrunk = 0
    for (n, key) in order.enumerated() {
      guard let group = groups[key], let f = group.first else { continue }
      if let k = out.firstIndex(where: { $0.covers(f) }) {
        out[k].similar += group.count
        continue
      }
      guard shrunk < maxGroups else { break }
      shrunk += 1
      let deadline = Date().addingTimeInterval(end.timeIntervalSinceNow / Double(order.count - n))
      var shrinker = Shrinker(maxTests: maxTests)
      let fails: ([String]) -> Bool? = { candidate in
        guard Date() < deadline else { return nil }
        return supervisor.run(candidate).sameFailure(as: f.outcome)
      }
      // Most failures need only their last line: one test settles it.
      let start = f.lines.count > 1 && fails([f.lines[f.lines.count - 1]]) == true ? [f.lines[f.lines.count - 1]] : f.lines
      let lines = shrinker.shrink(start, stillFails: fails)
      log("etcdlab-fuzz: shrank session \(f.session) from \(f.lines.count) lines to \(lines.count) in \(shrinker.tests) runs")
      let found = Reproducer(outcome: f.outcome, lines: lines, session: f.session, original: f.lines.count, similar: group.count)
      if let k = out.firstIndex(where: { $0.lines == lines && $0.outcome.sameFailure(as: f.outcome) }) {
        out[k].similar += group.count
      } else {
        out.append(found)
      }
    }
    return out
  }
}
