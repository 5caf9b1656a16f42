import EtcdCommands
import EtcdSim
import Foundation
import LabKit

/// `etcdlab sandbox`: a shell on the world with no lab. Interactively, output goes to standard
/// output and error as a shell's would, explanations follow as `etcdlab:` lines, and the clock
/// follows the wall clock between commands; with `transcript`, each input is echoed as `$ line`
/// and followed by `# exit N` (and, with `explain`, the explanations as `>> ` lines).
public struct SandboxScreen: REPLScreen {
  public var session: Session
  let transcript: Bool
  let explain: Bool
  let lang: Language
  let write: (String, ScreenContext.Stream) -> Void
  /// A terminal: completion, prompts, the wall clock, a foreground etcd holding the prompt.
  var interactive = false

  /// How the sandbox ended: `exit`, or the end of input.
  public enum Outcome: Sendable { case exit, endOfInput }

  public init(session: Session, transcript: Bool, explain: Bool, lang: Language,
              write: @escaping (String, ScreenContext.Stream) -> Void = ScreenContext.standard) {
    self.session = session
    self.transcript = transcript
    self.explain = explain
    self.lang = lang
    self.write = write
  }

  /// Reads and runs lines until `exit` or the end of input. `interactive`: a terminal, where the
  /// clock follows the wall clock and a foreground etcd holds the prompt until Ctrl-C.
  public mutating func play(reader: inout some LineReader, interactive: Bool) {
    self.interactive = interactive
    let repl = REPL(prompts: interactive, followsWallClock: interactive, echo: transcript, leavesShells: interactive, write: write)
    _ = repl.play(&self, reader: &reader)
    if interactive { write("\n", .stdout) }
  }

  public var metaCommands: [String] { [] }

  public mutating func beforePrompt() -> Outcome? { session.exitRequested ? .exit : nil }

  public func completer() -> Completer? { interactive ? Completer(session: session.withoutPendingInput) : nil }

  public mutating func advanceClock(by ms: Millis) { session.world.advance(by: ms) }

  public mutating func submit(_ line: String) -> Outcome? {
    let eventsBefore = session.events.count
    if let (io, status) = session.feed(line) { report(io, status, eventsBefore: eventsBefore) }
    return nil
  }

  public mutating func meta(_ name: String, _ arg: String, reader: inout some LineReader) -> Outcome? { nil }

  public mutating func endOfInput() -> Outcome? {
    let eventsBefore = session.events.count
    if let (io, status) = session.endOfInput() { report(io, status, eventsBefore: eventsBefore) }
    return nil
  }

  public mutating func leaveShell() { show(session.run("exit").io) }

  public mutating func finish() -> Outcome { .endOfInput }

  /// Prints what a command did, and the explanations of its events from `eventsBefore` on:
  /// after the output interactively; with a transcript only when asked, as `>> ` lines.
  mutating func report(_ io: IO, _ status: Int32, eventsBefore: Int) {
    let explanations = (!transcript || explain) ? Catalogs.explain(session.events[eventsBefore...], world: session.world, lang: lang) : []
    if transcript {
      var text = io.text
      if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
      write(text + "# exit \(status)\n", .stdout)
      for e in explanations { for l in e.split(separator: "\n") { write(">> " + l + "\n", .stdout) } }
    } else {
      show(io)
      for e in explanations { write("etcdlab: " + e.replacingOccurrences(of: "\n", with: "\netcdlab: ") + "\n", .stderr) }
      if let pid = session.heldProcess { Foreground.hold(pid: pid, session: &session, write: write) }
    }
  }

  func show(_ io: IO) {
    for c in io.chunks { write(String(decoding: c.bytes, as: UTF8.self), c.stream == .stdout ? .stdout : .stderr) }
  }
}

extension SandboxScreen {
  /// The world of `sandbox --setup FILE`: the setup, or the lines that say why not.
  public static func setup(file: String) -> Result<WorldSetup, SetupProblems> {
    guard FileManager.default.isReadableFile(atPath: file) else {
      return .failure(SetupProblems(lines: ["\(file): error: cannot read the file"]))
    }
    // As bytes: a file that is not UTF-8 is reported at its first bad byte.
    var loader = LabLoader(file: file, lang: .ofEnvironment)
    guard let s = loader.loadSetup(bytes: Course.bytes(URL(fileURLWithPath: file))) else {
      return .failure(SetupProblems(lines: loader.problems.filter { $0.severity == .error }.map { "\($0)" }))
    }
    return .success(s)
  }

  /// Why a setup file could not be used, one line each.
  public struct SetupProblems: Error, Sendable { public var lines: [String] }
}

extension Language {
  /// The language of the environment (`LC_ALL`, else `LANG`).
  public static var ofEnvironment: Language {
    let env = ProcessInfo.processInfo.environment
    return Language.from(locale: env["LC_ALL"] ?? env["LANG"])
  }
}
