import ArgumentParser
import Conformance
import Foundation

struct ConformCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conform",
    abstract: "Replay transcripts of real etcd on the simulator (or, with --real, on real etcd as well) and print every command that differs.",
    discussion: """
      A transcript is the format of Tests/Reference/real-etcd-3.4: '$ COMMAND', its output, '# exit N', and notes
      ('# [stop NAME: ...]', '# (waited until ...)'). Time stamps, client UUIDs, durations and ids (numbered by first
      appearance) are normalized; commands whose output real etcd decides by chance are compared relaxed, and the
      class is named. With --real, real etcd 3.4 (etcd and etcdctl on PATH) replays the transcript in a private
      network and pid namespace in a temporary directory, and is compared with the simulator; nothing it started
      outlives the run. Exit status 1 when a command differed.
      """)

  @Flag(help: "Compare the simulator with real etcd replaying the transcript now, instead of with the transcript's outputs.")
  var real = false

  @Flag(help: "Also list the commands that matched.")
  var verbose = false

  @Option(help: "Seed of the simulated world.")
  var seed: UInt64 = 1

  @Argument(help: "Transcript files.")
  var transcripts: [String] = []

  @Option(name: .customLong("generate"), help: ArgumentHelp("Replay N random operator sessions (seeded by --seed) instead of transcripts.", valueName: "N"))
  var generate: Int?

  @Option(help: ArgumentHelp("With --generate: write each session (with real etcd's outputs when --real, else the simulator's) and each divergence's smallest session into this folder.", valueName: "DIR"))
  var out: String?

  @Option(help: "With --generate --real: seconds to spend shrinking each divergence to a smaller session.")
  var shrinkSeconds: Int = 120

  func validate() throws {
    if let n = generate {
      guard n > 0 else { throw ValidationError("--generate wants a number of sessions above 0") }
      guard transcripts.isEmpty else { throw ValidationError("Give either transcripts or --generate N, not both") }
    } else if transcripts.isEmpty {
      throw ValidationError("Give at least one transcript, e.g. Tests/Reference/real-etcd-3.4/01-member-list-formats.txt, or --generate N")
    }
    if out != nil, generate == nil { throw ValidationError("--out goes with --generate") }
  }

  @Option(help: "With --real: how many transcripts to replay at once, each in a namespace of its own.")
  var jobs: Int = 1

  func run() throws {
    if let n = generate { return try GeneratedConform(count: n, seed: seed, real: real, jobs: jobs, out: out, shrinkSeconds: shrinkSeconds, verbose: verbose).run() }
    var loaded: [Transcript] = []
    for path in transcripts {
      do {
        loaded.append(try Transcript.load(URL(fileURLWithPath: path)))
      } catch {
        FileHandle.standardError.write(Data("etcdlab conform: \(error)\n".utf8))
        throw ExitCode(2)
      }
    }
    let (real, seed, verbose) = (self.real, self.seed, self.verbose)
    var reports: [ConformReport] = []
    var failure: (any Error)?
    Conform.each(loaded, jobs: real ? jobs : 1, { t in Result { real ? try Conform.real(t, seed: seed) : Conform.simulator(t, seed: seed) } }) { result in
      switch result {
      case .success(let report):
        FileHandle.standardOutput.write(Data(report.render(verbose: verbose).utf8))
        reports.append(report)
      case .failure(let error):
        if failure == nil { FileHandle.standardError.write(Data("etcdlab conform --real: \(error)\n".utf8)) }
        failure = failure ?? error
      }
    }
    if failure != nil { throw ExitCode(2) }
    print(Conform.summary(reports))
    if reports.contains(where: { $0.differed > 0 }) { throw ExitCode(1) }
  }
}
