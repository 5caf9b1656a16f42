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
        say("  \(number). \(mark) \(Terminal.pad(lab.id, idWidth)) \(Terminal.pad(lab.title[lang], titleWidth)) \(Strings.t("home.minutes", lang, lab.minutes))")
      }
    }
    say("")
  }

  /// Runs the home screen until quit or the end of input.
  public mutating func play(reader: inout some LineReader, seed: () -> UInt64, exam: Bool = false) {
    show()
    while true {
      LiveCompletion.completer = Completer(session: Session(world: World(seed: 0), host: "-"), metaCommands: ["continue", "quit", "lang"], labIDs: course.labs.map(\.id))
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
      if let p = progress.labs[chosen.id], !p.completed { resume = p.current }
      var screen = LabScreen(lab: chosen, seed: seed(), lang: lang, context: context, progress: progress, exam: exam)
      let outcome = screen.play(reader: &reader, resumeAt: resume)
      progress = screen.progress
      lang = screen.run.lang
      if case .endOfInput = outcome, transcript { return }
      say("")
      show()
    }
  }
}
