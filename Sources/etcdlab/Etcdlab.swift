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
    subcommands: [Home.self, Sandbox.self, Run.self, List.self, Lint.self, Test.self, New.self, ProgressCommand.self],
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
      switch SetupFile.load(path: setup) {
      case .success(let s): worldSetup = s
      case .failure(let e):
        FileHandle.standardError.write(Data((e.description + "\n").utf8))
        throw ExitCode(2)
      }
    }
    var session = Session(sandbox: worldSetup, seed: seed, transcriptMode: transcript, suggestions: !transcript || explain)
    let interactive = !transcript && isatty(STDIN_FILENO) != 0
    var lastLine = Date()
    var input: any LineReader = interactive
      ? makeLineReader(historyFile: ProgressFile.directory.appendingPathComponent("history").path, completer: LiveCompletion.complete)
      : PlainLineReader(showPrompts: false)
    while !session.exitRequested {
      LiveCompletion.completer = Completer(session: session)
      guard let line = input.readLine(prompt: interactive ? (session.pendingLines.isEmpty ? session.prompt : "> ") : "") else {
        // Ctrl-D leaves an ssh session for the host before it; in the outermost shell it ends.
        if interactive && !session.outerShells.isEmpty {
          FileHandle.standardOutput.write(Data("\n".utf8))
          for c in session.run("exit").io.chunks {
            (c.stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError).write(Data(c.bytes))
          }
          continue
        }
        break
      }
      if interactive {
        // Between commands the simulated clock follows the wall clock: a learner catches up while you read.
        let now = Date()
        session.world.advance(by: Millis(now.timeIntervalSince(lastLine) * 1000))
        lastLine = now
      }
      let typed = session.pendingLines + [line]
      let eventsBefore = session.events.count
      guard let (io, status) = session.feed(line) else { continue }
      // Explanations: after the output interactively; with --transcript only given --explain, as `>> ` lines.
      let language = Language.from(locale: ProcessInfo.processInfo.environment["LC_ALL"] ?? ProcessInfo.processInfo.environment["LANG"])
      let explanations = (!transcript || explain) ? Catalogs.explain(session.events[eventsBefore...], world: session.world, lang: language) : []
      if transcript {
        var text = typed.enumerated().map { ($0.offset == 0 ? "$ " : "> ") + $0.element + "\n" }.joined() + io.text
        if !text.hasSuffix("\n") { text += "\n" }
        FileHandle.standardOutput.write(Data((text + "# exit \(status)\n").utf8))
        for e in explanations { for l in e.split(separator: "\n") { FileHandle.standardOutput.write(Data((">> " + l + "\n").utf8)) } }
      } else {
        for c in io.chunks {
          (c.stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError).write(Data(c.bytes))
        }
        for e in explanations { FileHandle.standardError.write(Data(("etcdlab: " + e.replacingOccurrences(of: "\n", with: "\netcdlab: ") + "\n").utf8)) }
        if let pid = session.heldProcess { Foreground.hold(pid: pid, session: &session) }
        lastLine = Date()
      }
    }
    if interactive { print("") }
  }
}

