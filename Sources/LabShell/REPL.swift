import EtcdCommands
import EtcdSim
import Foundation

/// A screen that takes shell lines: the sandbox runs them; a lab also checks its steps after
/// each and takes its meta commands. The `REPL` reads; the screen runs and shows.
public protocol REPLScreen {
  /// How the loop ended, for whoever started it.
  associatedtype Outcome
  /// The shell the lines run in (its prompt, the lines of a command still open, ssh sessions).
  var session: Session { get }
  /// Words taken before the shell sees the line (`help`, `:step`); none in the sandbox.
  var metaCommands: [String] { get }
  /// Before each prompt: what happened while the student read; an outcome ends the loop.
  mutating func beforePrompt() -> Outcome?
  /// Tab completion while a line is read; nil for none.
  func completer() -> Completer?
  /// Lets the simulated clock follow the wall clock between lines.
  mutating func advanceClock(by ms: Millis)
  /// Runs a line and shows what it did; an outcome ends the loop.
  mutating func submit(_ line: String) -> Outcome?
  /// A meta command; an outcome ends the loop.
  mutating func meta(_ name: String, _ arg: String, reader: inout some LineReader) -> Outcome?
  /// Ctrl-D: runs a command still open as bash does at the end of input; an outcome ends the loop.
  mutating func endOfInput() -> Outcome?
  /// Ctrl-D in an ssh session: leaves it, as bash exits there.
  mutating func leaveShell()
  /// Ctrl-D in the outermost shell: the loop ends with this.
  mutating func finish() -> Outcome
}

/// The read-run-print loop of the sandbox and the labs: prompts (`> ` while a command is still
/// open), completion only while a line is read, the clock following the wall clock, the
/// transcript's echo, meta commands, Ctrl-D.
public struct REPL {
  /// Prompts are asked for (readline shows them; a plain reader ignores them).
  var prompts: Bool
  /// The simulated clock follows the wall clock between lines (a terminal).
  var followsWallClock: Bool
  /// Each line is echoed as `$ line`; the lines that continue a command with `continuation`.
  var echo: Bool
  var continuation: String
  /// Ctrl-D in an ssh session leaves it (else it ends the loop as in the outermost shell).
  var leavesShells: Bool
  let write: (String, ScreenContext.Stream) -> Void

  public init(prompts: Bool, followsWallClock: Bool, echo: Bool, continuation: String = "> ", leavesShells: Bool,
              write: @escaping (String, ScreenContext.Stream) -> Void) {
    self.prompts = prompts
    self.followsWallClock = followsWallClock
    self.echo = echo
    self.continuation = continuation
    self.leavesShells = leavesShells
    self.write = write
  }

  /// Reads lines and hands them to the screen until it returns an outcome.
  public func play<S: REPLScreen>(_ screen: inout S, reader: inout some LineReader) -> S.Outcome {
    var lastInput = Date()
    while true {
      if let outcome = screen.beforePrompt() { return outcome }
      let open = !screen.session.pendingLines.isEmpty
      let prompt = prompts ? (open ? "> " : screen.session.prompt) : ""
      // Completion sees the session only while a line is read (and never the lines being typed):
      // no copy of it outlives the read, so the command that follows mutates buffers nobody else holds.
      LiveCompletion.completer = screen.completer()
      let read = reader.readLine(prompt: prompt)
      LiveCompletion.completer = nil
      guard let line = read else {
        // Ctrl-D ends a command still open as bash does (with its message), then, as bash exits
        // there, leaves an ssh session for the host before it; in the outermost shell it ends.
        if let outcome = screen.endOfInput() { return outcome }
        if leavesShells && !screen.session.outerShells.isEmpty {
          write("\n", .stdout)
          screen.leaveShell()
          continue
        }
        return screen.finish()
      }
      if followsWallClock {
        // Between commands the simulated clock follows the wall clock: a learner catches up while you read.
        let now = Date()
        screen.advanceClock(by: Millis(now.timeIntervalSince(lastInput) * 1000))
        lastInput = now
      }
      // The transcript shows each line as it comes.
      if echo { write((open ? continuation : "$ ") + line + "\n", .stdout) }
      if !open, !screen.metaCommands.isEmpty {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let word = trimmed.hasPrefix(":") ? String(trimmed.dropFirst()) : trimmed
        let name = word.split(separator: " ").first.map(String.init) ?? ""
        if screen.metaCommands.contains(name) {
          let arg = word.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
          if let outcome = screen.meta(name, arg, reader: &reader) { return outcome }
          continue
        }
      }
      if let outcome = screen.submit(line) { return outcome }
      // The time a command took (and a foreground etcd held the prompt) is not the student's reading.
      if followsWallClock { lastInput = Date() }
    }
  }
}
