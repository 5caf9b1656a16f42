import ArgumentParser
import EtcdCommands
import EtcdSim
import Foundation
import LabKit
import LabShell
import RealHosts

/// Options the screens share.
struct ScreenOptions: ParsableArguments {
  @Option(help: "en or zh (default from LANG / LC_ALL).") var lang: String?
  @Option(help: "Seed for the world (default: a new one each time).") var seed: UInt64?
  @Option(help: "An extra folder of labs.") var labs: String?
  @Flag(help: "Echo each input line as '$ line'; plain text for scripts and tests.") var transcript = false
  @Flag(name: .customLong("no-color"), help: "No colour, even on a terminal.") var noColor = false
  @Flag(help: "ASCII boxes and bars instead of Unicode.") var ascii = false

  var language: Language {
    Language.chosen(lang)
  }

  var terminal: Terminal {
    var t = Terminal.current(noColor: noColor || transcript, ascii: ascii)
    if transcript { t.width = 1000 }
    return t
  }

  func course() -> CourseAccess {
    let course = Course.locate(extraLabs: labs)
    let (found, broken) = course.load(lang: language)
    return CourseAccess(labs: found.map(\.1), lesson: { lang, file in course.lesson(lang, file) }, broken: broken)
  }

  func context(_ course: CourseAccess) -> ScreenContext {
    ScreenContext(course: course, terminal: terminal, transcript: transcript, store: ProgressFile.standard())
  }

  func reader() -> any LineReader { standardLineReader(transcript: transcript) }

  func newSeed() -> UInt64 { seed ?? UInt64(Date().timeIntervalSince1970 * 1000) % 1_000_000 }
}

struct Home: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "The home screen: the course's objectives and labs (the default).")

  @OptionGroup var options: ScreenOptions
  @Flag(help: "Exam mode: no hints or solutions, a countdown, a score.") var exam = false

  func run() throws {
    let access = options.course()
    let (progress, notices) = ProgressFile.standard().load()
    for n in notices { printError(n) }
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
  @Option(help: "sim (the simulator) or real: the lab on real etcd 3.4 processes, each host in namespaces of its own; its checks read the real cluster.")
  var backend: Sandbox.Backend = .sim

  func run() throws {
    let access = options.course()
    for line in access.brokenLines(options.language) { printError("etcdlab: " + line) }
    guard let found = access.labs.first(where: { $0.id == lab }) else {
      if let problem = access.broken(id: lab) {
        printError("etcdlab: " + Strings.t("run.broken", options.language, lab, problem.description))
        throw ExitCode(1)
      }
      let near = access.labs.map(\.id).min { Levenshtein.distance(lab, $0) < Levenshtein.distance(lab, $1) }
      throw ValidationError("no lab '\(lab)'\(near.map { " (did you mean '\($0)'?)" } ?? ""); `etcdlab list` shows them")
    }
    var (progress, notices) = ProgressFile.standard().load()
    for n in notices { printError(n) }
    var reader = options.reader()
    var playing = found
    while true {
      let seed = options.newSeed()
      var screen: LabScreen
      var hosts: RealHosts?
      if backend == .real {
        if let why = RealSandbox.refusal(playing.setup) {
          printError("etcdlab: the real backend cannot run \(playing.id): \(why)")
          throw ExitCode(1)
        }
        do {
          let (run, h) = try RealLab.start(playing, seed: seed, lang: options.language, transcript: options.transcript)
          hosts = h
          screen = LabScreen(run: run, seed: seed, context: options.context(access), progress: progress, exam: exam, real: true)
        } catch {
          printError("etcdlab: \(error)")
          throw ExitCode(1)
        }
      } else {
        screen = LabScreen(lab: playing, seed: seed, lang: options.language, context: options.context(access), progress: progress, exam: exam)
      }
      defer { hosts?.close() }
      let resume = progress.labs[playing.id].flatMap { $0.completed ? nil : $0.current } ?? 0
      let outcome = screen.play(reader: &reader, resumeAt: options.transcript ? 0 : resume)
      progress = screen.progress
      // `lab ID` inside the lab opens the other one.
      if case .switchTo(let id) = outcome, let next = access.labs.first(where: { $0.id == id }) {
        playing = next
        continue
      }
      if options.transcript {
        print(screen.run.isComplete ? "# lab \(playing.id): complete" : "# lab \(playing.id): incomplete at step \(screen.run.stepIndex + 1) of \(playing.steps.count)")
      }
      return
    }
  }
}

struct ProgressCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "progress", abstract: "Show the progress saved under $ETCDLAB_HOME.")

  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    let (p, notices) = ProgressFile.standard().load()
    for n in notices { printError(n) }
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

/// A line on standard error.
func printError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}
