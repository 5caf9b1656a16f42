import EtcdCommands
import EtcdSim

/// A lab being played: the world, the current step, hints, explanations. No I/O: lines go in,
/// feedback comes out.
public struct LabRun: Sendable {
  public let lab: Lab
  public internal(set) var session: Session
  public internal(set) var stepIndex = 0
  /// Where the current step's events begin in `session.events`.
  public internal(set) var stepStart = 0
  public var lang: Language
  /// Hints shown for the current step.
  public internal(set) var hintsShown = 0
  /// The explanations shown, each with the event it explains (for `explain` to tell whether it still holds).
  var explained: [(event: Int, text: String)] = []
  /// Where the world stood before each command that changed it, for `undo`.
  var undoStack: [UndoPoint] = []

  /// The session and the step before a command, without the event log (the log only grows:
  /// its length is enough to cut it back), so a snapshot never holds a copy of the log.
  struct UndoPoint: Sendable {
    var session: Session
    var events: Int
    var stepIndex: Int
    var stepStart: Int
    var hintsShown: Int
    /// The command as typed (its lines joined).
    var command: String

    init(_ run: LabRun, command: String) {
      session = run.session.withoutPendingInput
      events = session.events.count
      session.forgetEvents()
      stepIndex = run.stepIndex
      stepStart = run.stepStart
      hintsShown = run.hintsShown
      self.command = command
    }
  }

  /// What `undo` took back: the command, and the step it opened again (when the command had
  /// completed one).
  public struct Undone: Sendable, Equatable {
    public var command: String
    public var reopenedStep: Int?
  }
  public internal(set) var attempts = 0
  /// Events already explained.
  var processedEvents = 0
  /// Servers already warned about an upgrade that skips a minor version.
  var warnedSkips: Set<Int32> = []
  /// The lab's `prepare` lines that exited non-zero (a lab bug `etcdlab test` reports).
  public internal(set) var prepareFailures: [String] = []

  /// What one command did, as the lab screen shows it.
  public struct Feedback: Sendable {
    public var io: IO
    public var status: Int32
    /// Rendered explanations of the errors the command met (after etcd's own text).
    public var explanations: [String] = []
    /// Notices of etcd servers that ended on their own (background starts, units).
    public var notices: [String] = []
    /// Steps this command completed (0-based).
    public var passed: [Int] = []
    public var complete = false
  }

  public init(lab: Lab, seed: UInt64, lang: Language = .en, transcript: Bool = true) {
    self.lab = lab
    self.lang = lang
    let world = World(setup: lab.setup, seed: seed)
    let start = lab.startHost ?? lab.setup.startHost(in: world)
    session = Session(world: world, host: start, transcriptMode: transcript, suggestions: true)
    // What happened before the student arrived: run, then forgotten by the shell and the checks.
    if !lab.prepare.isEmpty {
      for line in lab.prepare where session.run(line).status != 0 { prepareFailures.append(line) }
      session.host = start
      stepStart = session.events.count
      processedEvents = session.events.count
    }
    // A step whose checks hold from the start does not count: no advancing here.
  }

  public var isComplete: Bool { stepIndex >= lab.steps.count }
  public var currentStep: Lab.Step? { isComplete ? nil : lab.steps[stepIndex] }

  public var context: CheckContext {
    CheckContext(world: session.world, events: session.events[min(stepStart, session.events.count)...])
  }

  /// The checks of the current step that do not hold yet.
  public func failingChecks() -> [CheckItem] {
    guard let step = currentStep else { return [] }
    let ctx = context
    return step.checks.filter { !$0.holds(in: ctx) }
  }

  /// Types one line. Nil while a here-document or continuation is still open.
  public mutating func submit(_ line: String) -> Feedback? {
    respond(to: line) { $0.feed(line) }
  }

  /// The input ended: a command still open runs as bash runs it then (with bash's message). Nil
  /// when none was open.
  public mutating func endOfInput() -> Feedback? {
    respond(to: session.pendingLines.last ?? "") { $0.endOfInput() }
  }

  /// Feedback on the command `run` ended, whose last line is `line`.
  private mutating func respond(to line: String, _ run: (inout Session) -> (io: IO, status: Int32)?) -> Feedback? {
    // Without the pending lines: `undo` goes back to a prompt, and the lines are not copied at each one.
    let before = UndoPoint(self, command: (session.pendingLines + [line]).joined(separator: "\n"))
    let eventsBefore = session.events.count
    guard let (io, status) = run(&session) else { return nil }
    attempts += 1
    if !session.world.differsOnlyInTime(from: before.session.world) {
      undoStack.append(before)
      if undoStack.count > 50 { undoStack.removeFirst() }
    }
    var feedback = Feedback(io: io, status: status)
    let step = currentStep
    (feedback.notices, feedback.explanations) = explainNewEvents()
    let lastEvent = session.events.count - 1
    // A mistake the lab foresaw brings its own explanation: by its error, or by its last command.
    for m in step?.mistakes ?? [] {
      guard let text = m.explanation?[lang] else { continue }
      let typed = line.trimmingSpaces()
      if m.error == nil, m.commands.last?.trimmingSpaces() == typed {
        feedback.explanations.append(text)
        if lastEvent >= eventsBefore { explained.append((lastEvent, text)) }
      } else if let id = m.error, session.events[eventsBefore...].contains(where: { $0.error?.id == id }), m.commands.last?.trimmingSpaces() == typed {
        feedback.explanations.append(text)
        if lastEvent >= eventsBefore { explained.append((lastEvent, text)) }
      }
    }
    feedback.passed = advance()
    feedback.complete = isComplete
    return feedback
  }

  /// Notes etcd servers that ended on their own since the last command (shown at the next prompt).
  public mutating func poll() -> (notices: [String], explanations: [String]) {
    session.noteEndedServers()
    return explainNewEvents()
  }

  /// Notices and explanations for the events not yet shown.
  mutating func explainNewEvents() -> (notices: [String], explanations: [String]) {
    var notices: [String] = []
    var explanations: [String] = []
    let start = min(processedEvents, session.events.count)
    for (k, event) in zip(start..., session.events[start...]) {
      guard let error = event.error, event.status != 0 else { continue }
      if event.ended {
        notices.append(Messages.t("notice.server-exited", lang, event.host, event.status, event.fatalLine ?? error.message))
      } else if event.logged {
        notices.append(Messages.t("notice.server-logs", lang, event.host, error.message))
      }
      if let text = explain(event) {
        explanations.append(text)
        explained.append((k, text))
      }
    }
    processedEvents = session.events.count
    notices += skippedMinorNotices()
    return (notices, explanations)
  }

  /// etcd does not refuse a member more than one minor version above the cluster version
  /// (3.4 → 3.6), but its upgrade guides forbid it: say so once per server.
  mutating func skippedMinorNotices() -> [String] {
    var out: [String] = []
    let w = session.world
    for p in w.processes where p.isRunning && !warnedSkips.contains(p.pid) {
      // 3.0 is where every cluster starts before its members agree on a version: no upgrade yet.
      guard let e = p.etcd, let cv = w.clusters[e.clusterID]?.version, World.majorMinor(cv) != "3.0" else { continue }
      let mine = e.version.split(separator: ".").compactMap { Int($0) }, theirs = cv.split(separator: ".").compactMap { Int($0) }
      guard mine.count >= 2, theirs.count >= 2, mine[0] == theirs[0], mine[1] > theirs[1] + 1 else { continue }
      warnedSkips.insert(p.pid)
      let next = "\(theirs[0]).\(theirs[1] + 1)"
      out.append(Messages.t("notice.skipped-minor", lang, p.host, e.version, cv, next))
    }
    return out
  }

  /// The explanation of an event's error: the lab's own, else the catalog's, with the facts.
  public func explain(_ event: Event) -> String? {
    guard let error = event.error else { return nil }
    guard let e = lab.explanations[error.id] ?? Catalogs.explanations[error.id] else { return nil }
    return e.render(lang, facts: Facts.collect(event, world: session.world))
  }

  /// The explanation of the last problem that still holds: its event is still in the log (not
  /// undone) and nothing since has put it right (the same command succeeding, on the same host for
  /// a server start; a server that logged an error no longer running).
  public var lastExplanation: String? {
    explained.last { stillHolds(event: $0.event) }?.text
  }

  /// Whether any explanation was shown in this run.
  public var hasExplained: Bool { !explained.isEmpty }

  func stillHolds(event k: Int) -> Bool {
    let events = session.events
    guard k < events.count else { return false }
    let e = events[k]
    if e.logged, let error = e.error {
      return session.world.processes.contains { $0.isRunning && $0.host == e.host && $0.loggedErrors.contains(error) }
    }
    let starts = { (c: String) in c == "etcd" || c.hasPrefix("systemctl start") || c.hasPrefix("systemctl restart") }
    return !events[(k + 1)...].contains { later in
      guard later.succeeded, !later.logged else { return false }
      if starts(e.command) { return starts(later.command) && later.host == e.host }
      return later.command == e.command
    }
  }

  /// An error message a student pasted (etcd, etcdctl or systemd), explained with what the world
  /// tells; nil when the catalog does not know it.
  public func explain(text: String) -> String? {
    guard let id = Catalogs.errorID(forText: text), let x = lab.explanations[id] ?? Catalogs.explanations[id] else { return nil }
    var facts = Facts.general(host: session.host, world: session.world)
    facts.merge(Facts.fromText(text, world: session.world)) { _, new in new }
    return x.render(lang, facts: facts, generic: true)
  }

  /// Passes every step whose checks hold now; returns the steps passed.
  mutating func advance() -> [Int] {
    var passed: [Int] = []
    while let step = currentStep, step.checks.allSatisfy({ $0.holds(in: context) }) {
      passed.append(stepIndex)
      stepIndex += 1
      stepStart = session.events.count
      hintsShown = 0
    }
    return passed
  }

  /// The next hint of the current step that fits where the student is; nil when none is left.
  /// Whether every hint that fits the world now has been shown (the next one repeats the last).
  public var hintsExhausted: Bool {
    guard let step = currentStep else { return true }
    let ctx = context
    return hintsShown >= step.hints.filter { $0.when?.holds(in: ctx) ?? true }.count
  }

  public mutating func nextHint() -> String? {
    guard let step = currentStep else { return nil }
    let ctx = context
    let fitting = step.hints.filter { $0.when?.holds(in: ctx) ?? true }
    guard !fitting.isEmpty else { return nil }
    let hint = fitting[min(hintsShown, fitting.count - 1)]
    hintsShown += 1
    return hint.text[lang]
  }

  /// Lets simulated time pass (the REPL hands in the wall time between commands).
  public mutating func advanceClock(by ms: Millis) {
    guard ms > 0 else { return }
    session.world.advance(by: ms)
  }

  /// Ends a foreground process the lab screen cannot hold (it stops it, as Ctrl-C would).
  public mutating func stopHeld(_ pid: Int32) {
    session.world.signal(pid: pid, 2)
    session.world.reap(pid: pid)
  }

  /// Reverts the last command that changed the world; a step that command completed is open
  /// again.
  public mutating func undo() -> Undone? {
    guard let previous = undoStack.popLast() else { return nil }
    var events = session.events
    session.forgetEvents()
    events.removeSubrange(min(previous.events, events.count)...)
    session = previous.session
    session.restoreEvents(events)
    var reopened: Int?
    if previous.stepIndex < stepIndex {
      (stepIndex, stepStart, hintsShown) = (previous.stepIndex, previous.stepStart, previous.hintsShown)
      reopened = stepIndex
    }
    if stepStart > session.events.count { stepStart = session.events.count }
    processedEvents = min(processedEvents, session.events.count)
    return Undone(command: previous.command, reopenedStep: reopened)
  }

  /// Moves on over every step whose checks hold now — also when nothing was typed (a learner
  /// that caught up while the student read). Returns the steps passed.
  public mutating func checkSteps() -> [Int] { advance() }

  /// Starts the current step (or, with `lab`, the whole lab; or step `upTo`) again from a fresh world.
  public mutating func reset(wholeLab: Bool, seed: UInt64, upTo: Int? = nil) {
    let target = upTo.map { min($0, lab.steps.count) } ?? (wholeLab ? 0 : stepIndex)
    var fresh = LabRun(lab: lab, seed: seed, lang: lang, transcript: session.transcriptMode)
    // Replay the solutions of the steps before the target so the world is where the step begins.
    for k in 0..<target {
      for line in lab.steps[k].solution { _ = fresh.submit(line) }
      if fresh.stepIndex <= k { fresh.stepIndex = k + 1; fresh.stepStart = fresh.session.events.count }
    }
    // The replayed solutions are not the student's commands; the student's count goes on.
    fresh.attempts = attempts
    self = fresh
  }
}
