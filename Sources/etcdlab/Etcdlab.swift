import ArgumentParser
import EtcdCommands
import EtcdSim
import Foundation
import LabKit
import LabShell

@main
struct Etcdlab: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "etcdlab",
    abstract: "Learn etcd cluster operations against a simulated cluster that answers as real etcd does.",
    subcommands: [Home.self, Sandbox.self, Run.self, List.self, Lint.self, Test.self, New.self, ProgressCommand.self, ConformCommand.self],
    defaultSubcommand: Home.self)
}

struct Sandbox: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "A free simulated world with no lab: type etcd, etcdctl and shell commands.")

  @Option(name: .long, help: "A world setup file (YAML); see README.md.")
  var setup: String?

  @Option(name: .long, help: "Seed for every id, time and random choice.")
  var seed: UInt64 = 1

  @Flag(name: .long, help: "Read one command per line; print '$ line', the output and '# exit N'.")
  var transcript = false

  @Flag(name: .long, help: "With --transcript: also print etcdlab's suggestions ('etcdlab:' lines) and explanations ('>> ' lines after '# exit N').")
  var explain = false

  func run() throws {
    var worldSetup = WorldSetup.course
    if let setup {
      switch SandboxScreen.setup(file: setup) {
      case .success(let s): worldSetup = s
      case .failure(let problems):
        for l in problems.lines { FileHandle.standardError.write(Data((l + "\n").utf8)) }
        throw ExitCode(2)
      }
    }
    let session = Session(sandbox: worldSetup, seed: seed, transcriptMode: transcript, suggestions: !transcript || explain)
    var input = standardLineReader(transcript: transcript)
    var screen = SandboxScreen(session: session, transcript: transcript, explain: explain, lang: .ofEnvironment)
    screen.play(reader: &input, interactive: !transcript && isatty(STDIN_FILENO) != 0)
  }
}

