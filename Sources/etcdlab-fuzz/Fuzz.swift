import ArgumentParser
import FuzzKit
import Foundation

@main
struct Fuzz: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "etcdlab-fuzz",
    abstract: "Generated and mutated command lines through the sandbox: finds lines that crash or hang it, and shrinks each to a reproducer.")

  @Option(help: "Seed: the same seed types the same lines (it is also the sandbox's --seed).") var seed: UInt64 = 1
  @Option(help: "Lines to run in all.") var lines = 10_000
  @Option(help: "Stop starting sessions after this many seconds.") var seconds: Double?
  @Option(name: .customLong("per-line-ms"), help: "A line that uses more CPU time than this (or ten times as much wall time) is a hang.") var perLineMs = 2000
  @Option(name: .customLong("session-lines"), help: "Lines per fresh world.") var sessionLines = 50
  @Option(name: .customLong("shrink-seconds"), help: "Time for shrinking all failures.") var shrinkSeconds: Double = 120
  @Option(name: .customLong("shrink-runs"), help: "Runs at most per failure shrunk.") var shrinkRuns = 400
  @Option(name: .customLong("max-shrinks"), help: "Kinds of failure shrunk at most.") var maxShrinks = 40
  @Option(name: .customLong("memory-mb"), help: "The worker's address space limit.") var memoryMB = 4096
  @Option(help: "The program named in the reproducers.") var program = "etcdlab"
  @Flag(help: "Print the lines the seed generates instead of running them.") var print = false
  @Flag(help: .hidden) var worker = false

  func validate() throws {
    guard lines >= 0, perLineMs > 0, sessionLines > 0, memoryMB > 0 else { throw ValidationError("the counts must be positive") }
  }

  func run() throws {
    if worker { Worker.run(seed: seed, memoryMB: memoryMB) }
    let generator = Generator(seed: seed)
    if print {
      var session = 0, printed = 0
      while printed < lines {
        for l in generator.session(session, lines: min(sessionLines, lines - printed)) { Swift.print(Reproducer.readable(l)) }
        printed += min(sessionLines, lines - printed)
        session += 1
      }
      return
    }
    let supervisor = Supervisor(
      executable: Supervisor.ownExecutable,
      workerArguments: ["--worker", "--seed", String(seed), "--memory-mb", String(memoryMB)], perLineMs: perLineMs)
    let campaign = Campaign(generator: generator, supervisor: supervisor, worldSeed: seed)
    let start = Date()
    let (ran, findings) = campaign.explore(lines: lines, sessionLines: sessionLines, seconds: seconds)
    let exploring = Date().timeIntervalSince(start)
    let found = campaign.shrink(findings, seconds: shrinkSeconds, maxTests: shrinkRuns, maxGroups: maxShrinks)
    supervisor.stop()
    for (k, r) in found.enumerated() {
      Swift.print("")
      Swift.print("#\(k + 1) \(r.outcome.description) — session \(r.session), \(r.original) lines shrunk to \(r.lines.count); \(r.similar) failure(s) like it")
      for l in r.lines { Swift.print("  " + Reproducer.readable(l)) }
      Swift.print("  " + Reproducer.command(r.lines, seed: seed, program: program))
    }
    let crashes = findings.filter(\.outcome.isCrash).count
    let seconds = Date().timeIntervalSince(start)
    Swift.print("")
    Swift.print("etcdlab-fuzz: \(ran) lines, \(crashes) crashes, \(findings.count - crashes) hangs, \(String(format: "%.1f", seconds)) s"
      + " (\(Int(Double(ran) / max(exploring, 0.001))) lines/s; seed \(seed)\(found.isEmpty ? "" : "; \(found.count) reproducers"))")
    if !findings.isEmpty { throw ExitCode(1) }
  }
}
