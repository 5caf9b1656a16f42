import EtcdCommands
import EtcdSim

/// `etcdlab test`: plays every step's solution, alternatives and mistakes, for several seeds.
public enum LabTester {
  public struct Result: Sendable {
    public var lab: String
    public var failures: [String]
    public var summary: String
    public var passed: Bool { failures.isEmpty }
  }

  public static let defaultSeeds: [UInt64] = [1, 2, 3]

  public static func test(_ lab: Lab, seeds: [UInt64] = defaultSeeds) -> Result {
    var failures: [String] = []
    var mistakes = 0
    var alternatives = 0
    for seed in seeds {
      var run = LabRun(lab: lab, seed: seed)
      for line in run.prepareFailures { failures.append("seed \(seed), prepare: '\(line)' failed") }
      for (k, step) in lab.steps.enumerated() {
        let label = "seed \(seed), step \(k + 1)"
        guard run.stepIndex == k else {
          failures.append("\(label): the lab is at step \(run.stepIndex + 1)")
          break
        }
        if run.failingChecks().isEmpty { failures.append("\(label): the checks hold before the solution") }
        let start = run
        for m in step.mistakes {
          var copy = start
          var last: LabRun.Feedback?
          var sawError = false
          for line in m.commands {
            let before = copy.session.events.count
            if let f = copy.submit(line) { last = f }
            if let id = m.error, copy.session.events[before...].contains(where: { $0.error?.id == id }) { sawError = true }
          }
          if seed == seeds.first { mistakes += 1 }
          let where_ = "\(label), mistake \(m.commands.last ?? "")"
          if let id = m.error {
            if !sawError { failures.append("\(where_): expected error \(id), got \(copy.session.events.last?.error?.id ?? "none")") }
            if (last?.explanations.isEmpty ?? true) && m.explanation == nil && Catalogs.explanations[id] == nil {
              failures.append("\(where_): no explanation shown")
            }
          }
          if copy.stepIndex > k { failures.append("\(where_): the mistake passed the step") }
          if let x = m.explanation, !(last?.explanations.contains(x.en) ?? false) {
            failures.append("\(where_): its explanation is not shown: the last command does not run as the mistake's\(m.host.map { " on \($0)" } ?? "")")
          }
        }
        for alt in step.alternatives {
          var copy = start
          for line in alt { _ = copy.submit(line) }
          if seed == seeds.first { alternatives += 1 }
          if copy.stepIndex <= k { failures.append("\(label): alternative \(alt.joined(separator: "; ")) does not pass: \(copy.failingChecks().map { $0.message(.en) }.joined(separator: "; "))") }
        }
        for line in step.solution { _ = run.submit(line) }
        if run.stepIndex <= k {
          failures.append("\(label): the solution does not pass: \(run.failingChecks().map { $0.message(.en) }.joined(separator: "; "))")
          break
        }
      }
      if !run.isComplete && failures.isEmpty { failures.append("seed \(seed): the lab does not end complete") }
    }
    let summary = "\(seeds.count) seeds, \(lab.steps.count) steps, \(mistakes) mistakes, \(alternatives) alternatives"
    return Result(lab: lab.id, failures: failures, summary: summary)
  }
}
