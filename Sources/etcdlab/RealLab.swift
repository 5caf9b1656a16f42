import EtcdCommands
import EtcdSim
import Foundation
import LabKit
import RealHosts

/// A lab on real etcd (`--backend real`): the lab's setup as real hosts, the lab's `prepare` run
/// there, and the lab's checks reading the real cluster (`RealHosts.facts`).
enum RealLab {
  static func start(_ lab: Lab, seed: UInt64, lang: Language, transcript: Bool) throws -> (run: LabRun, hosts: RealHosts) {
    var (session, hosts) = try RealSandbox.start(setup: lab.setup, seed: seed, transcriptMode: transcript, suggestions: true)
    if let start = lab.startHost { session.host = start }
    return (LabRun(lab: lab, session: session, lang: lang), hosts)
  }

  /// What playing a lab's solutions did: the failures, and the wall time of the solutions (and,
  /// on real etcd, of setting the hosts up).
  struct Play {
    var lab: String
    var failures: [String] = []
    var seconds = 0.0
    var setupSeconds = 0.0
    var refused: String?
  }

  /// Plays every step's solution; on real etcd a step whose checks do not hold at once is checked
  /// again for up to `settle` seconds (real members take time to join and publish).
  static func play(_ lab: Lab, real: Bool, seed: UInt64 = 1, settle: Double = 15) -> Play {
    var result = Play(lab: lab.id)
    let begun = Date()
    var run: LabRun
    var hosts: RealHosts?
    if real {
      if let why = RealSandbox.refusal(lab.setup) {
        result.refused = why
        return result
      }
      do {
        (run, hosts) = try start(lab, seed: seed, lang: .en, transcript: true)
      } catch {
        result.failures.append("setup: \(error)")
        return result
      }
    } else {
      run = LabRun(lab: lab, seed: seed)
    }
    defer { hosts?.close() }
    for line in run.prepareFailures { result.failures.append("prepare: '\(line)' failed") }
    let played = Date()
    result.setupSeconds = played.timeIntervalSince(begun)
    for (k, step) in lab.steps.enumerated() where result.failures.isEmpty {
      for line in step.solution { _ = run.submit(line) }
      let deadline = Date().addingTimeInterval(real ? settle : 0)
      while run.stepIndex <= k && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.2)
        _ = run.checkSteps()
      }
      if run.stepIndex <= k {
        result.failures.append("step \(k + 1): the solution does not pass: \(run.failingChecks().map { $0.message(.en) }.joined(separator: "; "))")
      }
    }
    result.seconds = Date().timeIntervalSince(played)
    return result
  }

  /// `LAB sim S s, real R s, R/S ×` (the real side: the solutions' time, its set-up apart).
  static func compare(sim: Play, real: Play) -> String {
    if let why = real.refused { return "\(sim.lab) sim \(seconds(sim.seconds)) s, real refused (\(why))" }
    let ratio = sim.seconds > 0 ? real.seconds / sim.seconds : 0
    return "\(sim.lab) sim \(seconds(sim.seconds)) s, real \(seconds(real.seconds)) s, R/S \(String(format: "%.0f", ratio))× (real set-up \(seconds(real.setupSeconds)) s)"
  }

  static func seconds(_ s: Double) -> String { String(format: s < 0.1 ? "%.3f" : "%.1f", s) }
}
