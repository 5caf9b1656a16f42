import EtcdCommands
import EtcdSim
import Foundation
import LabKit

/// What the screens need from the course: the labs and the lessons (read at the edge).
public struct CourseAccess: Sendable {
  public var labs: [Lab]
  public var lesson: @Sendable (Language, String) -> String?

  public init(labs: [Lab], lesson: @escaping @Sendable (Language, String) -> String?) {
    self.labs = labs
    self.lesson = lesson
  }
}

/// What every screen shares: the course, the terminal, transcript mode, where progress is kept,
/// and where text goes (standard output and error unless a test listens).
public struct ScreenContext {
  public let course: CourseAccess
  public let terminal: Terminal
  public let transcript: Bool
  public let store: any ProgressStore
  public let write: (String, Stream) -> Void

  public enum Stream: Sendable { case stdout, stderr }

  public init(course: CourseAccess, terminal: Terminal, transcript: Bool, store: any ProgressStore,
              write: @escaping (String, Stream) -> Void = ScreenContext.standard) {
    self.course = course
    self.terminal = terminal
    self.transcript = transcript
    self.store = store
    self.write = write
  }

  public static func standard(_ text: String, _ stream: Stream) {
    (stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError).write(Data(text.utf8))
  }
}

/// One lab on the terminal (or a transcript): the step, the status line, feedback after every
/// command, the meta commands.
public struct LabScreen {
  public static let metaCommands = ["help", "step", "hint", "check", "explain", "solution", "undo", "reset", "lesson", "cluster", "labs", "lab", "lang", "quit"]

  public enum Outcome: Sendable, Equatable {
    case quit, complete, endOfInput
    /// `lab ID`: the student asked for another lab (this one's progress is saved).
    case switchTo(String)
  }

  /// Played from the home screen: leaving goes back to the list of labs, and says so.
  public var fromHome = false

  public var run: LabRun
  let context: ScreenContext
  let exam: Bool
  public internal(set) var progress: StudentProgress
  let seed: UInt64
  var hintsUsed: [Int: Int] = [:]
  var solutionShown: Set<Int> = []
  let started = Date()
  var recordedSeconds = 0
  var recordedCommands = 0
  /// Why progress could not be kept at the last save (said once, and again when leaving).
  var saveFailure: String?

  public init(lab: Lab, seed: UInt64, lang: Language, context: ScreenContext, progress: StudentProgress, exam: Bool = false) {
    run = LabRun(lab: lab, seed: seed, lang: lang, transcript: context.transcript)
    self.context = context
    self.exam = exam
    self.progress = progress
    self.seed = seed
  }

  var terminal: Terminal { context.terminal }
  var transcript: Bool { context.transcript }
  var course: CourseAccess { context.course }

  var lang: Language { run.lang }

  func say(_ s: String) { context.write(s + "\n", .stdout) }
  func sayWrapped(_ s: String, _ style: Terminal.Style? = nil) {
    for l in (transcript ? [s] : terminal.wrap(s)) { say(style.map { terminal.paint(l, $0) } ?? l) }
  }
  func t(_ key: String, _ args: CustomStringConvertible...) -> String { Strings.catalog.t(key, lang, args) }

  func showStep() {
    guard let step = run.currentStep else { return }
    say("")
    sayWrapped(t("lab.step", run.stepIndex + 1, run.lab.steps.count, step.text[lang]), .bold)
  }

  func statusLine() -> String {
    let c = SimTime.civil(run.session.world.now)
    var time = "\(SimTime.pad(c.hour, 2)):\(SimTime.pad(c.minute, 2)):\(SimTime.pad(c.second, 2))"
    if exam {
      let left = max(0, run.lab.minutes * 60 - Int(Date().timeIntervalSince(started)))
      time += " · " + t("exam.left", "\(left / 60)m\(SimTime.pad(left % 60, 2))s")
    }
    return t("lab.status", run.lab.id, min(run.stepIndex + 1, run.lab.steps.count), run.lab.steps.count, run.session.host, time)
  }

  /// Keeps what the student would miss: called when a step is done, a hint or a solution is
  /// shown, and when the lab is left — not after every command. The store applies the change to
  /// what is stored now, so another etcdlab saving meanwhile loses nothing.
  mutating func save() {
    let now = Int(Date().timeIntervalSince(started))
    let (run, seconds, commands, solutionShown, hintsUsed) = (run, now - recordedSeconds, run.attempts - recordedCommands, solutionShown, hintsUsed)
    let result = context.store.update { $0.record(run, seconds: seconds, commands: commands, solutionShown: solutionShown, hintsUsed: hintsUsed) }
    progress = result.progress
    recordedSeconds = now
    recordedCommands = run.attempts
    for n in result.notices { sayWrapped(n, .red) }
    if let failure = result.failure, failure != saveFailure { sayWrapped(failure, .red) }
    saveFailure = result.failure
  }

  /// Saves and says where the student goes (the list of labs, or out), or why progress is not kept.
  mutating func leave() {
    save()
    switch (saveFailure == nil, fromHome) {
    case (true, true): say(t("lab.saved-home"))
    case (true, false): say(t("lab.saved"))
    case (false, true): say(t("lab.not-saved-home"))
    case (false, false): say(t("lab.not-saved"))
    }
  }

  /// Plays until quit, completion, or the end of input.
  public mutating func play(reader: inout some LineReader, resumeAt step: Int = 0) -> Outcome {
    say(terminal.paint("== \(run.lab.title[lang]) ==", .bold))
    if let intro = run.lab.intro { sayWrapped(intro[lang]) }
    if exam { say(t("exam.start", run.lab.minutes)) } else { say(t("lab.intro-help")) }
    if step > 0 {
      // Resume: the world as the solutions of the finished steps leave it.
      run.reset(wholeLab: false, seed: seed, upTo: step)
    }
    showStep()
    var lastInput = Date()
    while true {
      if run.session.pendingLines.isEmpty {
        let (notices, explanations) = run.poll()
        for n in notices { sayWrapped(n, .red) }
        for e in explanations { explain(e) }
        // A step whose checks came to hold while the student read (a learner caught up) is passed now.
        if let outcome = passed(run.checkSteps(), complete: run.isComplete) { return outcome }
      }
      if exam, Date().timeIntervalSince(started) > Double(run.lab.minutes * 60) {
        say(t("exam.over"))
        return finishExam()
      }
      let prompt: String
      if run.session.pendingLines.isEmpty {
        if !transcript { say(terminal.paint(statusLine(), .dim)) }
        prompt = run.session.prompt
      } else {
        prompt = "> "
      }
      // Completion sees the session only while a line is read, so no copy of it outlives the read.
      LiveCompletion.completer = Completer(session: run.session.withoutPendingInput, metaCommands: LabScreen.metaCommands, labIDs: course.labs.map(\.id))
      let read = reader.readLine(prompt: prompt)
      LiveCompletion.completer = nil
      guard let line = read else {
        // Ctrl-D ends a command still open as bash ends it (with its message), then, as bash
        // exits there, leaves an ssh session first, else the lab (progress saved).
        if let feedback = run.endOfInput(), let outcome = respond(feedback) { return outcome }
        if !run.session.outerShells.isEmpty {
          say("")
          if let f = run.submit("exit") { show(f) }
          continue
        }
        say("")
        leave()
        return .endOfInput
      }
      if !transcript {
        let now = Date()
        run.advanceClock(by: Millis(now.timeIntervalSince(lastInput) * 1000))
        lastInput = now
      } else {
        say("$ " + line)
      }
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      let word = trimmed.hasPrefix(":") ? String(trimmed.dropFirst()) : trimmed
      let name = word.split(separator: " ").first.map(String.init) ?? ""
      if run.session.pendingLines.isEmpty, LabScreen.metaCommands.contains(name) {
        let arg = word.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        if let outcome = meta(name, arg, reader: &reader) { return outcome }
        continue
      }
      guard let feedback = run.submit(line) else { continue }
      if let outcome = respond(feedback) { return outcome }
    }
  }

  /// Shows what a command did and the steps it passed; the outcome when it ends the lab.
  mutating func respond(_ feedback: LabRun.Feedback) -> Outcome? {
    show(feedback)
    if let pid = run.session.heldProcess {
      say(t("lab.foreground"))
      run.stopHeld(pid)
    }
    if let outcome = passed(feedback.passed, complete: feedback.complete) { return outcome }
    if run.session.exitRequested { save(); return .quit }
    return nil
  }

  /// Marks the steps just passed, saves, and shows the next step — or the end of the lab.
  mutating func passed(_ steps: [Int], complete: Bool) -> Outcome? {
    guard !steps.isEmpty || complete else { return nil }
    for k in steps { say(terminal.paint(t("lab.passed", k + 1), .green)) }
    save()
    if complete {
      say(terminal.paint(t("lab.done"), .green))
      if let p = progress.labs[run.lab.id] {
        var summary = t("lab.summary", p.attempts, p.steps.reduce(0) { $0 + $1.hintsUsed }, p.steps.filter(\.solutionRevealed).count)
        if !transcript { summary += " · \(p.seconds / 60)m\(SimTime.pad(p.seconds % 60, 2))s" }
        say(summary)
      }
      if exam { return finishExam() }
      return .complete
    }
    showStep()
    return nil
  }

  mutating func finishExam() -> Outcome {
    let seconds = Int(Date().timeIntervalSince(started))
    let passed = run.stepIndex
    say(t("exam.score", passed, run.lab.steps.count, "\(seconds / 60)m\(SimTime.pad(seconds % 60, 2))s"))
    let id = run.lab.id
    _ = context.store.update { $0.recordExam(lab: id, steps: passed, seconds: seconds) }
    save()
    return run.isComplete ? .complete : .quit
  }

  func show(_ f: LabRun.Feedback) {
    for c in f.io.chunks {
      let text = String(decoding: c.bytes, as: UTF8.self)
      if c.stream == .stderr && !transcript && text.contains("Error:") {
        context.write(terminal.paint(text, .red), .stderr)
      } else {
        context.write(String(decoding: c.bytes, as: UTF8.self), c.stream == .stdout || transcript ? .stdout : .stderr)
      }
    }
    if transcript { say("# exit \(f.status)") }
    for n in f.notices { sayWrapped(n, .red) }
    for e in f.explanations { explain(e) }
  }

  func explain(_ text: String) {
    for l in text.split(separator: "\n") {
      if transcript { say(">> " + l) } else { for w in terminal.wrap(String(l), indent: "  ") { say(w) } }
    }
  }

  /// A meta command; returns an outcome when it ends the lab.
  mutating func meta(_ name: String, _ arg: String, reader: inout some LineReader) -> Outcome? {
    switch name {
    case "help":
      sayWrapped(t("lab.help"))
    case "hint":
      if exam { say(t("lab.not-available-in-exam")); break }
      let repeated = run.hintsExhausted
      if let h = run.nextHint() {
        if !repeated {
          hintsUsed[run.stepIndex, default: 0] += 1
          save()
        }
        sayWrapped(t("lab.hint", h), .yellow)
        if run.hintsExhausted && !exam { say(t("lab.last-hint")) }
      } else {
        say(t("lab.no-hint"))
      }
    case "check":
      let failing = run.failingChecks()
      if run.isComplete { say(t("lab.complete")) }
      else if failing.isEmpty {
        say(terminal.paint(t("lab.all-hold"), .green))
        // Every check holds: the step is passed now, not at the next command.
        if let outcome = passed(run.checkSteps(), complete: run.isComplete) { return outcome }
      }
      else { for c in failing { sayWrapped("✗ " + c.message(lang), .red) } }
    case "explain":
      if !arg.isEmpty {
        if let text = run.explain(text: arg) { explain(text) } else { say(t("lab.unknown-error")) }
      } else if let last = run.lastExplanation {
        explain(last)
      } else {
        say(t(run.hasExplained ? "lab.no-explanation-left" : "lab.no-explanation"))
      }
    case "solution":
      if exam { say(t("lab.not-available-in-exam")); break }
      guard let step = run.currentStep else { say(t("lab.complete")); break }
      if !transcript {
        guard let answer = reader.readLine(prompt: t("lab.solution-confirm")), answer.lowercased().hasPrefix("y") else { break }
      }
      solutionShown.insert(run.stepIndex)
      save()
      for l in step.solution { say("  " + l) }
    case "undo":
      guard let undone = run.undo() else { say(t("lab.nothing-to-undo")); break }
      say(t("lab.undone", undone.command.replacingOccurrences(of: "\n", with: "; ")))
      if let k = undone.reopenedStep {
        say(t("lab.step-reopened", k + 1))
        showStep()
      }
    case "reset":
      let whole = arg == "lab"
      if !transcript {
        guard let answer = reader.readLine(prompt: t(whole ? "lab.reset-lab-confirm" : "lab.reset-step-confirm")), answer.lowercased().hasPrefix("y") else { break }
      }
      run.reset(wholeLab: whole, seed: seed)
      showStep()
    case "lesson":
      guard let link = run.lab.lesson else { say(t("lab.no-lesson")); break }
      let parts = link.split(separator: "#", maxSplits: 1).map(String.init)
      guard let text = course.lesson(lang, parts[0]) else { say(t("lab.no-lesson")); break }
      let section = parts.count > 1 ? LessonRenderer.section(text, anchor: parts[1]) ?? text : text
      page(LessonRenderer.render(section, terminal: terminal), reader: &reader)
    case "cluster":
      for l in ClusterPicture.render(run.session.world, lang: lang, terminal: terminal) { say(l) }
    case "step":
      if run.isComplete { say(t("lab.complete")) } else { showStep() }
    case "labs":
      let labs = Catalogs.courseOrder(course.labs).flatMap(\.1)
      let width = labs.map { Terminal.displayWidth($0.id) }.max() ?? 0
      for l in labs { say("  \(l.id == run.lab.id ? "▸" : " ") \(Terminal.pad(l.id, width)) \(l.title[lang])") }
      sayWrapped(t("lab.switch-hint"))
    case "lab":
      guard !arg.isEmpty else { say(t("lab.current", run.lab.id, run.lab.title[lang])); sayWrapped(t("lab.switch-hint")); break }
      guard course.labs.contains(where: { $0.id == arg }) else { say(t("lab.no-such-lab", arg)); break }
      if arg == run.lab.id { showStep(); break }
      save()
      say(saveFailure == nil ? t("lab.switching", arg) : t("lab.not-saved"))
      return .switchTo(arg)
    case "lang":
      if let l = Language(rawValue: arg) { run.lang = l } else { run.lang = lang == .en ? .zh : .en }
      say(t("lab.lang"))
      showStep()
    default:  // quit
      leave()
      return .quit
    }
    return nil
  }

  /// Shows lines a screenful at a time on a terminal.
  func page(_ lines: [String], reader: inout some LineReader) {
    let height = max(terminal.height - 2, 5)
    guard !transcript, lines.count > height else { for l in lines { say(l) }; return }
    var i = 0
    while i < lines.count {
      for l in lines[i..<min(i + height, lines.count)] { say(l) }
      i += height
      if i < lines.count {
        guard let answer = reader.readLine(prompt: terminal.paint(Strings.t("pager.more", lang), .dim)), answer.lowercased() != "q" else { return }
      }
    }
  }
}
