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
      guard let text = try? String(contentsOfFile: setup, encoding: .utf8) else {
        FileHandle.standardError.write(Data("\(setup): error: cannot read the file\n".utf8))
        throw ExitCode(2)
      }
      var loader = LabLoader(file: setup)
      guard let s = loader.loadSetup(text) else {
        for p in loader.problems where p.severity == .error { FileHandle.standardError.write(Data("\(p)\n".utf8)) }
        throw ExitCode(2)
      }
      worldSetup = s
    }
    let session = Session(sandbox: worldSetup, seed: seed, transcriptMode: transcript, suggestions: !transcript || explain)
    let interactive = !transcript && isatty(STDIN_FILENO) != 0
    var input: any LineReader = interactive
      ? makeLineReader(historyFile: ProgressFile.standard().directory.appendingPathComponent("history").path, completer: LiveCompletion.complete)
      : PlainLineReader(showPrompts: false)
    let language = Language.from(locale: ProcessInfo.processInfo.environment["LC_ALL"] ?? ProcessInfo.processInfo.environment["LANG"])
    var screen = SandboxScreen(session: session, transcript: transcript, explain: explain, lang: language)
    screen.play(reader: &input, interactive: interactive)
  }
}

