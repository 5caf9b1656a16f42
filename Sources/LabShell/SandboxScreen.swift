import EtcdCommands
import EtcdSim
import Foundation
import LabKit

/// `etcdlab sandbox`: a shell on the world with no lab. Interactively, output goes to standard
/// output and error as a shell's would, explanations follow as `etcdlab:` lines, and the clock
/// follows the wall clock between commands; with `transcript`, each input is echoed as `$ line`
/// and followed by `# exit N` (and, with `explain`, the explanations as `>> ` lines).
public struct SandboxScreen {
  public var session: Session
  let transcript: Bool
  let explain: Bool
  let lang: Language
  let write: (String, ScreenContext.Stream) -> Void

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
    var lastLine = Date()
    while !session.exitRequested {
      let prompt = interactive ? (session.pendingLines.isEmpty ? session.prompt : "> ") : ""
      // Completion sees the session only while a line is read (and never the lines being typed):
      // no copy of it outlives the read, so the command that follows mutates buffers nobody else holds.
      LiveCompletion.completer = interactive ? Completer(session: session.withoutPendingInput) : nil
      let read = reader.readLine(prompt: prompt)
      LiveCompletion.completer = nil
      guard let line = read else {
        // Ctrl-D ends a command still open as bash does (with its message), then, as bash exits
        // there, leaves an ssh session for the host before it; in the outermost shell it ends.
        let eventsBefore = session.events.count
        if let (io, status) = session.endOfInput() { report(io, status, eventsBefore: eventsBefore, lastLine: &lastLine) }
        if interactive && !session.outerShells.isEmpty {
          write("\n", .stdout)
          show(session.run("exit").io)
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
      // The transcript shows each line as it comes: `$ ` first, `> ` for the lines that continue it.
      if transcript { write((session.pendingLines.isEmpty ? "$ " : "> ") + line + "\n", .stdout) }
      let eventsBefore = session.events.count
      guard let (io, status) = session.feed(line) else { continue }
      report(io, status, eventsBefore: eventsBefore, lastLine: &lastLine)
    }
    if interactive { write("\n", .stdout) }
  }

  /// Prints what a command did, and the explanations of its events from `eventsBefore` on:
  /// after the output interactively; with a transcript only when asked, as `>> ` lines.
  mutating func report(_ io: IO, _ status: Int32, eventsBefore: Int, lastLine: inout Date) {
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
      lastLine = Date()
    }
  }

  func show(_ io: IO) {
    for c in io.chunks { write(String(decoding: c.bytes, as: UTF8.self), c.stream == .stdout ? .stdout : .stderr) }
  }
}
