import EtcdCommands
import EtcdSim
import Foundation
import LabKit

/// The completer readline asks; the screens point it at the session of the moment. Screens
/// played side by side (tests do) set it from several threads, so it is kept under a lock.
public enum LiveCompletion {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var current: Completer?

  public static var completer: Completer? {
    get { lock.withLock { current } }
    set { lock.withLock { current = newValue } }
  }

  public static func complete(_ text: String, _ before: String) -> [String] {
    completer?.complete(text, before: before) ?? []
  }
}

/// `etcdlab` with no arguments: the objectives and their labs with progress marks; pick by
/// number or id, `continue` where you stopped.
public struct HomeScreen {
  let context: ScreenContext
  var progress: StudentProgress
  var lang: Language

  public init(context: ScreenContext, progress: StudentProgress, lang: Language) {
    self.context = context
    self.progress = progress
    self.lang = lang
  }

  var course: CourseAccess { context.course }
  var terminal: Terminal { context.terminal }
  var transcript: Bool { context.transcript }

  func say(_ s: String) { context.write(s + "\n", .stdout) }

  /// The labs in the order the home screen numbers them.
  var ordered: [Lab] { Catalogs.courseOrder(course.labs).flatMap(\.1) }

  func show() {
    say(terminal.paint(Strings.t("home.title", lang), .bold))
    if progress.labs.isEmpty { for l in terminal.wrap(Strings.t("welcome", lang)) { say(l) } }
    var n = 0
    let groups = Catalogs.courseOrder(course.labs)
    let idWidth = groups.flatMap(\.1).map { Terminal.displayWidth($0.id) }.max() ?? 0
    let titleWidth = groups.flatMap(\.1).map { Terminal.displayWidth($0.title[lang]) }.max() ?? 0
    for (o, labs) in groups {
      say("")
      say(terminal.paint(o.title[lang], .bold))
      for lab in labs {
        n += 1
        let p = progress.labs[lab.id]
        let mark = p?.completed == true ? terminal.paint("✓", .green) : (p.map { $0.steps.contains { $0.done || $0.hintsUsed > 0 } || $0.attempts > 0 } ?? false) ? terminal.paint("◐", .yellow) : "·"
        let number = String(n).count < 2 ? " \(n)" : "\(n)"
        let minutes = Strings.t("home.minutes", lang, lab.minutes)
        // The row fits the terminal: a title too long for it is cut with `…`.
        let room = max(10, terminal.width - 1 - (2 + 2 + 2 + 2 + idWidth + 1 + 1 + Terminal.displayWidth(minutes)))
        let title = Terminal.truncate(lab.title[lang], room)
        say("  \(number). \(mark) \(Terminal.pad(lab.id, idWidth)) \(Terminal.pad(title, min(titleWidth, room))) \(minutes)")
      }
    }
    if !course.broken.isEmpty {
      say("")
      for line in course.brokenLines(lang) { for l in terminal.wrap(line) { say(terminal.paint(l, .yellow)) } }
    }
    say("")
  }

  /// Runs the home screen until quit or the end of input.
  public mutating func play(reader: inout some LineReader, seed: () -> UInt64, exam: Bool = false) {
    show()
    while true {
      LiveCompletion.completer = Completer(session: Session(world: World(seed: 0), host: "-"), metaCommands: ["continue", "help", "quit", "lang"], labIDs: course.labs.map(\.id), menu: true)
      let read = reader.readLine(prompt: Strings.t("home.prompt", lang))
      LiveCompletion.completer = nil
      guard let line = read else {
        say("")
        say(Strings.t("home.bye", lang))
        return
      }
      if transcript { say("$ " + line) }
      let input = line.trimmingCharacters(in: .whitespaces)
      if input.isEmpty { continue }
      if input == "quit" || input == "exit" || input == ":quit" { say(Strings.t("home.bye", lang)); return }
      if input == "help" || input == ":help" {
        for l in terminal.wrap(Strings.t("home.help", lang)) { say(l) }
        continue
      }
      if input.hasPrefix("lang") {
        lang = Language(rawValue: input.dropFirst(4).trimmingCharacters(in: .whitespaces)) ?? (lang == .en ? .zh : .en)
        show()
        continue
      }
      var lab: Lab?
      var resume = 0
      if input == "continue" {
        guard let last = progress.last, let l = course.labs.first(where: { $0.id == last }) else {
          say(Strings.t("home.nothing-to-continue", lang))
          continue
        }
        lab = l
      } else if let n = Int(input), n >= 1, n <= ordered.count {
        lab = ordered[n - 1]
      } else {
        lab = course.labs.first { $0.id == input }
      }
      guard let chosen = lab else {
        say(Strings.t("home.unknown", lang, input))
        continue
      }
      var next: Lab? = chosen
      var outcome = LabScreen.Outcome.quit
      // `lab ID` inside a lab goes straight to the other lab.
      while let playing = next {
        if let p = progress.labs[playing.id], !p.completed { resume = p.current } else { resume = 0 }
        var screen = LabScreen(lab: playing, seed: seed(), lang: lang, context: context, progress: progress, exam: exam)
        screen.fromHome = true
        outcome = screen.play(reader: &reader, resumeAt: resume)
        progress = screen.progress
        lang = screen.run.lang
        if case .switchTo(let id) = outcome { next = course.labs.first { $0.id == id } } else { next = nil }
      }
      if case .endOfInput = outcome, transcript { return }
      // The banner of a completed lab stays until the student has read it.
      if outcome == .complete, !transcript, reader.readLine(prompt: Strings.t("home.press-enter", lang)) == nil { return }
      say("")
      show()
    }
  }
}
