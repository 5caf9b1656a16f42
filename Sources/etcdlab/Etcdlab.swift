import ArgumentParser
import EtcdCommands
import EtcdSim
import Foundation
import LabKit
import LabShell
import RealHosts

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

  @Option(name: .long, help: "sim (the simulator) or real: etcd 3.4, etcdctl and file commands run as real processes, each host in namespaces of its own.")
  var backend: Backend = .sim

  @Flag(name: .long, help: "With --backend real: keep the hosts' files when leaving, and print where.")
  var keep = false

  enum Backend: String, ExpressibleByArgument { case sim, real }

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
    var session = Session(sandbox: worldSetup, seed: seed, transcriptMode: transcript, suggestions: !transcript || explain)
    var realHosts: RealHosts?
    if backend == .real {
      do {
        (session, realHosts) = try RealSandbox.start(setup: worldSetup, seed: seed, transcriptMode: transcript, suggestions: !transcript || explain)
      } catch {
        FileHandle.standardError.write(Data("etcdlab: \(error)\n".utf8))
        throw ExitCode(1)
      }
      realHosts?.topology.keep = keep
    }
    defer {
      realHosts?.close()
      if keep, let dir = realHosts?.topology.directory { FileHandle.standardError.write(Data("etcdlab: the hosts' files are kept in \(dir)/hosts\n".utf8)) }
    }
    let interactive = !transcript && isatty(STDIN_FILENO) != 0
    var input: any LineReader = interactive
      ? makeLineReader(historyFile: ProgressFile.standard().directory.appendingPathComponent("history").path, completer: LiveCompletion.complete)
      : PlainLineReader(showPrompts: false)
    let language = Language.from(locale: ProcessInfo.processInfo.environment["LC_ALL"] ?? ProcessInfo.processInfo.environment["LANG"])
    var screen = SandboxScreen(session: session, transcript: transcript, explain: explain, lang: language)
    screen.play(reader: &input, interactive: interactive)
  }
}

