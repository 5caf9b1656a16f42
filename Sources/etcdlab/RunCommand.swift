import ArgumentParser
import EtcdCommands
import EtcdSim
import Foundation
import LabKit
import LabShell

/// Where progress lives: `$ETCDLAB_HOME` (default `~/.local/share/etcdlab`).
enum ProgressFile {
  static var directory: URL {
    if let home = ProcessInfo.processInfo.environment["ETCDLAB_HOME"] { return URL(fileURLWithPath: home) }
    return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/etcdlab")
  }

  static var url: URL { directory.appendingPathComponent("progress.json") }

  /// Reads progress; a corrupt file is reported, moved aside, and replaced by empty progress.
  static func load(report: (String) -> Void) -> StudentProgress {
    guard let data = try? Data(contentsOf: url) else { return StudentProgress() }
    switch StudentProgress.decode(data) {
    case .success(let p): return p
    case .failure(let e):
      let aside = url.appendingPathExtension("corrupt-\(Int(Date().timeIntervalSince1970))")
      try? FileManager.default.moveItem(at: url, to: aside)
      switch e {
      case .corrupt(let why): report("etcdlab: \(url.path) could not be read (\(why.prefix(80))); it was moved to \(aside.lastPathComponent) and progress starts afresh")
      case .newerSchema(let v): report("etcdlab: \(url.path) was written by a newer etcdlab (schema \(v)); it was moved to \(aside.lastPathComponent)")
      }
      return StudentProgress()
    }
  }

  /// Writes progress atomically (a temporary file renamed over the old one).
  static func save(_ p: StudentProgress) {
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let tmp = directory.appendingPathComponent(".progress.json.tmp")
    do {
      try p.encoded().write(to: tmp)
      _ = try FileManager.default.replaceItemAt(url, withItemAt: tmp)
    } catch {
      try? FileManager.default.removeItem(at: url)
      try? FileManager.default.moveItem(at: tmp, to: url)
    }
  }
}

/// Options the screens share.
struct ScreenOptions: ParsableArguments {
  @Option(help: "en or zh (default from LANG / LC_ALL).") var lang: String?
  @Option(help: "Seed for the world (default: a new one each time).") var seed: UInt64?
  @Option(help: "An extra folder of labs.") var labs: String?
  @Flag(help: "Echo each input line as '$ line'; plain text for scripts and tests.") var transcript = false
  @Flag(name: .customLong("no-color"), help: "No colour, even on a terminal.") var noColor = false
  @Flag(help: "ASCII boxes and bars instead of Unicode.") var ascii = false

  var language: Language {
    lang.flatMap(Language.init) ?? Language.from(locale: ProcessInfo.processInfo.environment["LC_ALL"] ?? ProcessInfo.processInfo.environment["LANG"])
  }

  var terminal: Terminal {
    var t = Terminal.current(noColor: noColor || transcript, ascii: ascii)
    if transcript { t.width = 1000 }
    return t
  }

  func course() -> CourseAccess {
    let course = Course.locate(extraLabs: labs)
    return CourseAccess(labs: course.labs().map(\.1), lesson: { lang, file in course.lesson(lang, file) })
  }

  func context(_ course: CourseAccess) -> ScreenContext {
    ScreenContext(course: course, terminal: terminal, transcript: transcript, save: ProgressFile.save)
  }

  func reader() -> any LineReader {
    if transcript { return PlainLineReader(showPrompts: false) }
    let history = ProgressFile.directory.appendingPathComponent("history").path
    return makeLineReader(historyFile: history, completer: LiveCompletion.complete)
  }

  func newSeed() -> UInt64 { seed ?? UInt64(Date().timeIntervalSince1970 * 1000) % 1_000_000 }
}

struct Home: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "The home screen: the course's objectives and labs (the default).")

  @OptionGroup var options: ScreenOptions
  @Flag(help: "Exam mode: no hints or solutions, a countdown, a score.") var exam = false

  func run() throws {
    let access = options.course()
    var messages: [String] = []
    let progress = ProgressFile.load { messages.append($0) }
    for m in messages { print(m) }
    var home = HomeScreen(context: options.context(access), progress: progress, lang: options.language)
    var reader = options.reader()
    home.play(reader: &reader, seed: options.newSeed, exam: exam)
  }
}

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Play a lab.")

  @Argument(help: "The lab's id.") var lab: String
  @OptionGroup var options: ScreenOptions
  @Flag(help: "Exam mode: no hints or solutions, a countdown in wall-clock time, a score saved to progress.") var exam = false

  func run() throws {
    let access = options.course()
    guard let found = access.labs.first(where: { $0.id == lab }) else {
      let near = access.labs.map(\.id).min { Levenshtein.distance(lab, $0) < Levenshtein.distance(lab, $1) }
      throw ValidationError("no lab '\(lab)'\(near.map { " (did you mean '\($0)'?)" } ?? ""); `etcdlab list` shows them")
    }
    var messages: [String] = []
    let progress = ProgressFile.load { messages.append($0) }
    for m in messages { print(m) }
    var screen = LabScreen(lab: found, seed: options.newSeed(), lang: options.language, context: options.context(access), progress: progress, exam: exam)
    var reader = options.reader()
    let resume = progress.labs[found.id].flatMap { $0.completed ? nil : $0.current } ?? 0
    _ = screen.play(reader: &reader, resumeAt: options.transcript ? 0 : resume)
    if options.transcript {
      print(screen.run.isComplete ? "# lab \(found.id): complete" : "# lab \(found.id): incomplete at step \(screen.run.stepIndex + 1) of \(found.steps.count)")
    }
  }
}

struct ProgressCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "progress", abstract: "Show the progress saved under $ETCDLAB_HOME.")

  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    let p = ProgressFile.load { print($0) }
    if json {
      print(String(decoding: p.encoded(), as: UTF8.self))
      return
    }
    if p.labs.isEmpty { print("No progress yet."); return }
    for (id, l) in p.labs.sorted(by: { $0.key < $1.key }) {
      let done = l.steps.filter(\.done).count
      let hints = l.steps.reduce(0) { $0 + $1.hintsUsed }
      let shown = l.steps.filter(\.solutionRevealed).count
      print("\(id): \(l.completed ? "complete" : "step \(l.current + 1)"), \(done)/\(l.steps.count) steps, \(hints) hints, \(shown) solutions shown, \(l.attempts) commands, \(l.seconds) s")
    }
  }
}
