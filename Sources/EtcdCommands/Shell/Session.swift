import EtcdSim

/// A shell on a simulated host: runs command lines against the world, moves between hosts
/// with `ssh`, keeps background jobs. Nothing here touches the real machine.
public struct Session: Sendable {
  public var world: World
  public var host: String
  public var cwd: String
  /// Exported variables (what commands see).
  public var environment: [String: String]
  /// Shell variables that are not exported.
  public var variables: [String: String] = [:]
  public var lastStatus: Int32 = 0
  /// `--transcript`: a foreground etcd that keeps running prints 5 s of output, then gets SIGTERM;
  /// no job-control messages (as `bash -c`).
  public var transcriptMode: Bool
  /// Print etcdlab's own suggestions (never in bare transcripts).
  public var suggestions: Bool
  /// A foreground process still running after the last line (interactive mode only).
  public internal(set) var heldProcess: Int32?
  /// `systemctl --no-block` for the verb being run.
  var noBlock = false
  /// Whether a `--no-block` start may still be waiting for etcd to get ready.
  var pendingStarts = false
  /// The shells that `ssh` left, innermost last.
  public internal(set) var outerShells: [Shell] = []
  /// Background jobs of this shell.
  public internal(set) var jobs: [Job] = []
  /// `exit` in the outermost shell.
  public internal(set) var exitRequested = false
  /// How deep `$(...)` substitutions nest right now.
  var substitutionDepth = 0
  /// Every command run so far, in order.
  public internal(set) var events: [Event] = []
  /// Where commands run: the simulated world's builtins, or real processes (`HostRunner`).
  public var hosts: any HostRunner = SimulatedHosts()

  /// Drops the event log (an undo snapshot keeps the world and shell, not the log).
  public mutating func forgetEvents() { events = [] }

  /// Puts back a log cut to where a snapshot was taken.
  public mutating func restoreEvents(_ log: [Event]) { events = log }
  /// Processes whose end has been noted as an event.
  var notedExits: Set<Int32> = []
  /// The background servers' logged errors already recorded as events (`pid/error-id`).
  var notedLogs: Set<String> = []
  /// Here-document bodies of the line being run.
  var hereDocuments: [String: HereDocuments.Body] = [:]
  /// Lines typed so far of a command that awaits the end of a here-document.
  public internal(set) var pendingLines: [String] = []
  /// The here-document whose body the pending lines are in: a line that does not end it is only kept.
  var pendingHereDocument: HereDocuments.Awaited?
  /// Bytes of the pending lines, those past the here-document budget included (they are not kept).
  var pendingBytes = 0
  /// Bytes of pending text read again so far (each added line re-reads all the lines before it).
  var pendingScanned = 0
  /// What the command line being run has used of its budgets.
  var budget = LineBudget()
  /// What `$(...)` wrote to stderr while a command's words were expanded: it goes to the
  /// terminal, before the command's own output.
  var substitutionErrors: [UInt8] = []

  /// What one typed command line has used of its budgets (`ShellLimits`), counted across loops,
  /// `$(...)`, pipelines and `ssh HOST COMMAND`: nesting cannot multiply them.
  struct LineBudget: Sendable {
    var rounds = 0
    var commands = 0
    var serverStarts = 0
    /// Bytes written by commands inside loops.
    var outputBytes = 0
    /// Loops running around the command being run: its output counts when there is one.
    var loopDepth = 0
    /// Command texts running inside one another (`$(...)`, `ssh HOST COMMAND`): only a typed
    /// line, the outermost, starts a new budget.
    var nesting = 0
    /// A budget ran out: every loop of the line stops.
    var exhausted = false
    /// The commands or server starts ran out: no further command of the line runs.
    var stopped = false
  }
  /// Bytes this session has printed, for `SimLimits.sessionOutputBytes`.
  var printedBytes = 0

  /// A shell that `ssh` left behind, restored by `exit`.
  public struct Shell: Sendable {
    var host: String
    var cwd: String
    var environment: [String: String]
    var variables: [String: String]
    var jobs: [Job]
  }

  /// A background job (`&`).
  public struct Job: Sendable, Equatable {
    public var number: Int
    public var pid: Int32
    public var text: String
    public var host: String
    /// The status of a job that ended as it started (no process of the world ran it).
    public var ended: Int32? = nil
  }

  public init(world: World, host: String, transcriptMode: Bool = false, suggestions: Bool = true) {
    self.world = world
    self.host = host
    self.cwd = "/root"
    self.transcriptMode = transcriptMode
    self.suggestions = suggestions
    environment = Session.loginEnvironment(host: host)
  }

  /// `etcdlab sandbox`'s shell: the world `setup` describes, logged in where that world starts.
  public init(sandbox setup: WorldSetup, seed: UInt64, transcriptMode: Bool, suggestions: Bool) {
    let world = World(setup: setup, seed: seed)
    self.init(world: world, host: setup.startHost(in: world), transcriptMode: transcriptMode, suggestions: suggestions)
  }

  public static func loginEnvironment(host: String) -> [String: String] {
    ["HOME": "/root", "USER": "root", "LOGNAME": "root", "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
     "HOSTNAME": host, "SHELL": "/bin/bash", "LANG": "C.UTF-8", "TERM": "xterm-256color"]
  }

  /// bash's prompt: `root@infra0:~# `.
  public var prompt: String {
    let dir = cwd == "/root" ? "~" : (cwd.hasPrefix("/root/") ? "~" + cwd.dropFirst(5) : Substring(cwd))
    return "root@\(host):\(dir)# "
  }

  /// Takes one typed line. Returns nil while a here-document is still open (the REPL then asks
  /// for more with `> `), else the whole command's output and status.
  public mutating func feed(_ line: String) -> (io: IO, status: Int32)? {
    pendingBytes += line.utf8.count + 1
    // Inside a here-document a line that does not end it is only kept (past the budget, not even that).
    if let doc = pendingHereDocument {
      if (doc.stripTabs ? String(line.drop { $0 == "\t" }) : line) != doc.delimiter {
        if pendingBytes <= ShellLimits.hereDocumentBytes { pendingLines.append(line) }
        return nil
      }
      if pendingBytes > ShellLimits.hereDocumentBytes { return finishPending() }
    }
    pendingLines.append(line)
    let text = pendingLines.joined(separator: "\n")
    // Each line re-reads the command so far: past a budget, it runs as it stands (bash's own
    // message says what is missing), so a pasted thousand-line loop cannot take quadratic time.
    pendingScanned += text.utf8.count
    if pendingScanned > ShellLimits.continuationScanBytes {
      var (io, status) = finishPending()
      io.notice(ShellLimits.continuationScanNotice())
      return (io, status)
    }
    let docs = HereDocuments(text)
    pendingHereDocument = docs.awaiting
    if docs.awaiting != nil { return nil }
    // A line ending in a backslash continues on the next one; so does an open `for ... do` (no
    // `done` yet), as bash asks for more with `> `.
    let trailing = line.reversed().prefix { $0 == "\\" }.count
    if pendingLines.count < ShellLimits.continuationLines && pendingBytes <= ShellLimits.lineBytes {
      if trailing % 2 == 1 { return nil }
      if ShellParser.opensCompound(docs.command), ShellParser.parse(docs.command) == .failure(.endOfFile) {
        return nil
      }
    }
    return finishPending()
  }

  /// The input ended: a command still open (a loop without `done`, a here-document without its
  /// delimiter, a line ending in `\`) runs as bash runs it then, with bash's message. Nil when
  /// nothing was open.
  public mutating func endOfInput() -> (io: IO, status: Int32)? {
    pendingLines.isEmpty ? nil : finishPending()
  }

  /// Runs the pending lines as one command and forgets them.
  private mutating func finishPending() -> (io: IO, status: Int32) {
    let text = pendingLines.joined(separator: "\n")
    let overflow = pendingHereDocument != nil && pendingBytes > ShellLimits.hereDocumentBytes
    pendingLines = []
    pendingHereDocument = nil
    pendingBytes = 0
    pendingScanned = 0
    return overflow ? refuse(ShellLimits.hereDocumentNotice()) : run(text)
  }

  /// A command line the sandbox does not run: its notice (after what `io` holds), status 2.
  private mutating func refuse(_ notice: String, after io: IO = IO()) -> (io: IO, status: Int32) {
    var io = io
    io.err(notice)
    lastStatus = 2
    return (io, 2)
  }

  /// The session as it was before the pending lines were typed (what `undo` goes back to).
  public var withoutPendingInput: Session {
    var s = self
    s.pendingLines = []
    s.pendingHereDocument = nil
    s.pendingBytes = 0
    s.pendingScanned = 0
    return s
  }

  /// Runs a command text (here-documents included); returns what it printed, within the
  /// output limits, and its exit status.
  public mutating func run(_ text: String) -> (io: IO, status: Int32) {
    var (io, status) = runText(text)
    limitOutput(&io)
    return (io, status)
  }

  mutating func runText(_ text: String) -> (io: IO, status: Int32) {
    var io = IO()
    heldProcess = nil
    enforceStartTimeouts()
    noteEndedServers()
    if !transcriptMode { reportFinishedJobs(&io) }
    // A typed line gets a new budget; a text run inside it (`$(...)`, `ssh HOST CMD`) shares its own.
    if budget.nesting == 0 { budget = LineBudget() }
    budget.nesting += 1
    defer { budget.nesting -= 1 }
    let docs = HereDocuments(text)
    if docs.bodies.values.contains(where: { $0.text.utf8.count > ShellLimits.hereDocumentBytes }) {
      return refuse(ShellLimits.hereDocumentNotice(), after: io)
    }
    if let missing = docs.awaiting {
      io.err("bash: warning: here-document at line 1 delimited by end-of-file (wanted `\(missing.delimiter)')")
    }
    hereDocuments = docs.bodies
    let line = docs.command
    if line.utf8.count > ShellLimits.lineBytes {
      return refuse(ShellLimits.lineNotice(), after: io)
    }
    switch ShellParser.parse(line) {
    case .failure(let e):
      for l in e.lines { io.err(l) }
      lastStatus = e.status
      return (io, e.status)
    case .success(let list):
      let status = runList(list, line: line, io: &io)
      return (io, status)
    }
  }

  /// Records etcd servers that ended on their own since the last command (a background start
  /// that failed, a member that was removed, a unit whose etcd died).
  public mutating func noteEndedServers() {
    for p in world.processes where !p.loggedErrors.isEmpty {
      for error in p.loggedErrors where notedLogs.insert("\(p.pid)/\(error.id)").inserted {
        events.append(Event(time: world.now, host: p.host, words: p.commandLine.split(separator: " ").map(String.init), command: "etcd",
                            status: 1, error: error, logged: true))
      }
    }
    for i in world.processes.indices where !world.processes[i].isRunning && !notedExits.contains(world.processes[i].pid) {
      let p = world.processes[i]
      guard p.etcd != nil else { continue }
      notedExits.insert(p.pid)
      guard p.background, let status = p.exitStatus else { continue }
      events.append(Event(time: world.now, host: p.host, words: p.commandLine.split(separator: " ").map(String.init), command: "etcd",
                          status: status, error: p.failure, ended: true, fatalLine: p.fatalLine))
    }
  }

  /// The pid `$!` names after a background start.
  var lastBackgroundPID: Int32? { variables["!"].flatMap { Int32($0) } }

  mutating func addJob(pid: Int32, line: String, ended: Int32? = nil, io: inout IO) {
    variables["!"] = nil
    let number = (jobs.map(\.number).max() ?? 0) + 1
    var text = line.trimmingSpaces()
    if text.hasSuffix("&") { text = String(text.dropLast()).trimmingSpaces() }
    jobs.append(Job(number: number, pid: pid, text: text, host: host, ended: ended))
    if !transcriptMode { io.err("[\(number)] \(pid)") }
  }

  /// bash's notice for background jobs that ended: `[1]+  Exit 1                  etcd ...`.
  mutating func reportFinishedJobs(_ io: inout IO) {
    var kept: [Job] = []
    for (k, job) in jobs.enumerated() {
      guard job.ended == nil, let p = world.process(pid: job.pid), p.isRunning else {
        let status = job.ended ?? world.process(pid: job.pid)?.exitStatus ?? 0
        let mark = k == jobs.count - 1 ? "+" : k == jobs.count - 2 ? "-" : " "
        let word = status == 0 ? "Done" : status == 143 ? "Terminated" : status == 137 ? "Killed" : status == 130 ? "Interrupt" : "Exit \(status)"
        io.err("[\(job.number)]\(mark)  \(word.padding(24))\(job.text)")
        world.reap(pid: job.pid)
        continue
      }
      kept.append(job)
    }
    jobs = kept
  }

  // MARK: Expansion

  func value(of name: String) -> String {
    switch name {
    case "?": return String(lastStatus)
    case "$": return "4242"
    case "HOSTNAME": return host
    case "PWD": return cwd
    default: return environment[name] ?? variables[name] ?? ""
    }
  }

  /// Expands a word into fields: variables, command substitution, field splitting.
  mutating func expand(_ word: Word) -> [String] {
    var fields: [String] = []
    var current = ""
    var hasContent = false
    func split(_ s: String) {
      let parts = s.split(omittingEmptySubsequences: false, whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
      for (k, p) in parts.enumerated() {
        if k > 0 {
          if hasContent || !current.isEmpty { fields.append(current) }
          current = ""
          hasContent = false
        }
        current += p
        if !p.isEmpty { hasContent = true }
      }
    }
    for part in word.parts {
      switch part {
      case .literal(let s, let quoted):
        current += s
        if quoted || !s.isEmpty { hasContent = true }
      case .variable(let name, let quoted):
        let v = value(of: name)
        if quoted { current += v; hasContent = true } else { split(v) }
      case .commandSubstitution(let cmd, let quoted):
        guard substitutionDepth < ShellLimits.substitutionDepth else {
          current += ""
          break
        }
        var sub = self
        // The world and the log are the subshell's while it runs: nothing else holds them, so
        // what it changes is changed in place, not copied (a cost that would grow with the session).
        world = World(seed: 0)
        events = []
        sub.heldProcess = nil
        sub.transcriptMode = true  // a subshell prints no job notices
        sub.substitutionDepth += 1
        let (out, status) = sub.run(cmd)
        world = sub.world
        events = sub.events
        notedExits = sub.notedExits
        notedLogs = sub.notedLogs
        budget = sub.budget
        substitutionErrors += out.bytes(of: .stderr)
        lastStatus = status
        var text = String(decoding: out.bytes(of: .stdout), as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        if quoted { current += text; hasContent = true } else { split(text) }
      }
    }
    if hasContent || !current.isEmpty { fields.append(current) }
    return fields
  }

  /// Runs the pipelines of a list, honouring `&&`, `||`, `;` and `&`.
  mutating func runList(_ list: CommandList, line: String, io: inout IO) -> Int32 {
    var status: Int32 = lastStatus
    var skip = false
    for (pipeline, connector) in list.items {
      if !skip {
        status = runPipeline(pipeline, background: connector == .background, io: &io)
        lastStatus = status
        if connector == .background, let pid = lastBackgroundPID { addJob(pid: pid, line: line, io: &io) }
        // A background command that ended as it started still was a job: bash prints its
        // `[1] PID` at once and its end at the next prompt (a script's run keeps no such job).
        else if connector == .background, !transcriptMode { addJob(pid: world.nextFreePID(), line: line, ended: status, io: &io) }
      }
      if exitRequested || heldProcess != nil || budget.stopped { break }
      switch connector {
      case .and: skip = status != 0
      case .or: skip = status == 0
      default: skip = false
      }
    }
    return status
  }

  /// A loop: `for` runs the body once per expanded word (globs included); `while`/`until` run
  /// it while the condition succeeds/fails. All loops of a line share one budget of rounds and
  /// output (`ShellLimits`): nested loops cannot multiply it.
  mutating func runLoop(_ loop: Loop, line: String, io: inout IO) -> Int32 {
    var status: Int32 = 0
    budget.loopDepth += 1
    defer { budget.loopDepth -= 1 }
    switch loop.kind {
    case .forEach(let name, let words):
      let expanded = expandWithGlobs(words, io: &io)
      flushSubstitutionErrors(&io)
      guard let values = expanded else { return 1 }
      for v in values {
        guard takeRound(&io) else { break }
        if environment[name] != nil { environment[name] = v } else { variables[name] = v }
        status = runList(loop.body, line: line, io: &io)
        if loopStops { break }
      }
    case .whileTrue(let condition), .until(let condition):
      let untilKind: Bool = { if case .until = loop.kind { return true } else { return false } }()
      while true {
        let c = runList(condition, line: line, io: &io)
        if loopStops { break }
        if untilKind ? c == 0 : c != 0 { break }
        guard takeRound(&io) else { break }
        status = runList(loop.body, line: line, io: &io)
        if loopStops { break }
      }
    }
    return status
  }

  /// Writes what substitutions printed to stderr since the last time.
  mutating func flushSubstitutionErrors(_ io: inout IO) {
    io.write(substitutionErrors, to: .stderr)
    substitutionErrors = []
  }

  /// `exit`, a held foreground process or a spent budget ends every loop around.
  private var loopStops: Bool { exitRequested || heldProcess != nil || budget.exhausted }

  /// Whether the line's loops may run one more round; if not, says which budget ran out (once).
  private mutating func takeRound(_ io: inout IO) -> Bool {
    if budget.exhausted { return false }
    // Output already cut at the command line's limit: stop, and let that limit's notice speak.
    if io.outputCut {
      budget.exhausted = true
      return false
    }
    let notice = budget.rounds >= ShellLimits.loopRounds ? ShellLimits.loopRoundsNotice()
      : budget.outputBytes >= ShellLimits.loopOutputBytes ? ShellLimits.loopOutputNotice() : nil
    if let notice {
      io.err(notice)
      budget.exhausted = true
      return false
    }
    budget.rounds += 1
    return true
  }

  /// Whether the line may run one more command; if not, says so (once) and stops the line.
  mutating func takeCommand(_ io: inout IO) -> Bool {
    take(\.commands, ShellLimits.commands, ShellLimits.commandsNotice(), &io)
  }

  /// Whether the line may start one more etcd server (each boots a whole log); if not, says so
  /// (once) and stops the line. `take: false` only asks (a restart, before it stops the unit).
  mutating func takeServerStart(_ io: inout IO, take: Bool = true) -> Bool {
    self.take(\.serverStarts, ShellLimits.serverStarts, ShellLimits.serverStartsNotice(), &io, consume: take)
  }

  private mutating func take(_ used: WritableKeyPath<LineBudget, Int>, _ limit: Int, _ notice: String, _ io: inout IO, consume: Bool = true) -> Bool {
    if budget.stopped { return false }
    guard budget[keyPath: used] < limit else {
      io.err(notice)
      budget.exhausted = true
      budget.stopped = true
      return false
    }
    if consume { budget[keyPath: used] += 1 }
    return true
  }

  /// Words' fields after expansion, then pathname expansion of their unquoted globs (a pattern
  /// that matches nothing stays as typed). Nil, with the notice, when a pattern matches more than
  /// the sandbox lists.
  mutating func expandWithGlobs(_ words: [Word], io: inout IO) -> [String]? {
    var out: [String] = []
    var braced: [Word] = []
    for w in words {
      guard w.raw.contains("{") else {
        braced.append(w)
        continue
      }
      guard let ws = BraceExpansion.expand(w) else {
        io.err(ShellLimits.braceNotice(w.raw))
        return nil
      }
      braced += ws
    }
    for w in braced {
      let fields = expand(w)
      guard Glob.applies(to: w), let fs = world.host(host)?.fs else {
        out += fields
        continue
      }
      for f in fields {
        guard Glob.isPattern(f) else {
          out.append(f)
          continue
        }
        guard let matches = Glob.expand(f, in: fs, cwd: path("."), limit: ShellLimits.globResults) else {
          io.err(ShellLimits.globNotice(f))
          return nil
        }
        out += matches.isEmpty ? [f] : matches
      }
    }
    return out
  }

  /// A word expanded as one string, without field splitting or globs (a here-string's word).
  mutating func expandUnsplit(_ w: Word) -> String {
    let quoted = w.parts.map { part -> WordPart in
      switch part {
      case .literal(let s, _): .literal(s, quoted: true)
      case .variable(let name, _): .variable(name, quoted: true)
      case .commandSubstitution(let cmd, _): .commandSubstitution(cmd, quoted: true)
      }
    }
    return expand(Word(parts: quoted, raw: w.raw)).joined()
  }

  /// `$VAR`, `${VAR}` and `$(...)` inside a here-document body.
  mutating func expandText(_ text: String) -> String {
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
      let escaped = line.replacingOccurrences("\"", "\\\"")
      if case .success(let list) = ShellParser.parse("\"" + escaped + "\""), let word = list.items.first?.0.commands.first?.words.first {
        out += expand(word).joined(separator: " ") + "\n"
      } else {
        out += line + "\n"
      }
    }
    return out
  }

  func path(_ p: String) -> String {
    FileSystem.resolve(p.hasPrefix("~") ? "/root" + p.dropFirst() : p, cwd: cwd)
  }

  // MARK: Pipelines

  mutating func runPipeline(_ pipeline: Pipeline, background: Bool, io: inout IO) -> Int32 {
    var stdin: [UInt8] = []
    var status: Int32 = 0
    let subshells = pipeline.commands.count > 1
    for (k, cmd) in pipeline.commands.enumerated() {
      var cio = IO(stdin: stdin)
      let last = k == pipeline.commands.count - 1
      // bash runs each command of a pipeline in a subshell: `exit`, `cd` or `X=1` there end with it.
      let shell = subshells ? subshell : nil
      status = runSimple(cmd, background: background, io: &cio)
      if let shell { leave(shell) }
      if last {
        io.append(cio)
      } else {
        stdin = cio.bytes(of: .stdout)
        io.outputCut = io.outputCut || cio.outputCut
        for c in cio.chunks where c.stream == .stderr { io.write(c.bytes, to: .stderr) }
      }
    }
    return status
  }

  /// What a subshell changes for itself alone.
  struct Subshell {
    var shell: Shell
    var outerShells: [Shell]
    var exitRequested: Bool
  }

  var subshell: Subshell {
    Subshell(shell: Shell(host: host, cwd: cwd, environment: environment, variables: variables, jobs: jobs),
             outerShells: outerShells, exitRequested: exitRequested)
  }

  /// Back in the shell after a subshell: its files and processes stay, its shell state does not
  /// (but `$!` of a background start does).
  mutating func leave(_ s: Subshell) {
    let background = variables["!"]
    (host, cwd, environment, variables, jobs) = (s.shell.host, s.shell.cwd, s.shell.environment, s.shell.variables, s.shell.jobs)
    variables["!"] = background
    outerShells = s.outerShells
    exitRequested = s.exitRequested
  }

  /// Where a command's output goes after its redirections.
  public struct Targets: Sendable {
    public var stdout: String?  // nil: terminal; "/dev/null": nowhere
    public var stderr: String?
    public var stdoutAppend = false
    public var stderrAppend = false
    public var stderrToStdout = false
    public var stdoutToStderr = false
  }

  mutating func runSimple(_ cmd: SimpleCommand, background: Bool, io: inout IO) -> Int32 {
    guard takeCommand(&io) else { return 1 }
    defer { flushSubstitutionErrors(&io) }
    guard let words = expandWithGlobs(cmd.words, io: &io) else { return 1 }
    var targets = Targets()
    for r in cmd.redirections {
      guard r.kind != .hereString else {
        io.stdin = Array(expandUnsplit(r.target).utf8) + [0x0A]
        continue
      }
      let target = expand(r.target).joined(separator: " ")
      if r.kind != .duplicate, SimLimits.nameTooLong(target) {
        io.err("bash: \(target): File name too long")
        return 1
      }
      switch r.kind {
      case .hereString:
        break  // taken above: its word is not a file name
      case .input:
        if let doc = hereDocuments[target] {
          io.stdin = Array((doc.expands ? expandText(doc.text) : doc.text).utf8)
          continue
        }
        let p = path(target)
        guard let data = hosts.read(p, in: self) else {
          io.err("bash: \(target): No such file or directory")
          return 1
        }
        if let b = data { io.stdin = b }
      case .duplicate:
        if r.fd == 2 && target == "1" { targets.stderrToStdout = true; targets.stderr = targets.stdout; targets.stderrAppend = targets.stdoutAppend }
        if r.fd == 1 && target == "2" { targets.stdoutToStderr = true }
      case .output, .append:
        let p = target == "/dev/null" ? "/dev/null" : path(target)
        if p != "/dev/null" {
          if hosts.isDirectory(p, in: self) == true { io.err("bash: \(target): Is a directory"); return 1 }
          let hosts = self.hosts
          if let error = hosts.prepareOutput(p, append: r.kind == .append, in: &self) { io.err(error); return 1 }
        }
        if r.fd == 1 || r.fd == -1 { targets.stdout = p; targets.stdoutAppend = r.kind == .append }
        if r.fd == 2 || r.fd == -1 { targets.stderr = p; targets.stderrAppend = r.kind == .append }
      }
    }
    flushSubstitutionErrors(&io)
    if let loop = cmd.loop {
      // The loop's output goes where its redirections (`done > FILE 2>&1`) send it.
      var out = IO(stdin: io.stdin)
      let status = runLoop(loop, line: "", io: &out)
      deliver(out, targets: targets, io: &io)
      io.error = out.error ?? io.error
      return status
    }
    if words.isEmpty {
      for (name, w) in cmd.assignments {
        let v = expand(w).joined(separator: " ")
        if environment[name] != nil { environment[name] = v } else { variables[name] = v }
      }
      return 0
    }
    var env = environment
    for (name, w) in cmd.assignments { env[name] = expand(w).joined(separator: " ") }
    flushSubstitutionErrors(&io)
    var cio = IO(stdin: io.stdin)
    let status = execute(words, env: env, targets: targets, background: background, io: &cio)
    let kind = cio.command ?? (["systemctl", "service"].contains(words[0]) ? words.prefix(2).joined(separator: " ") : words[0])
    var event = Event(time: world.now, host: host, words: words, command: kind, status: status, error: cio.error)
    event.authenticatedTLS = cio.authenticatedTLS
    event.handshake = cio.handshake
    events.append(event)
    if budget.loopDepth > 0 { budget.outputBytes += cio.chunks.reduce(0) { $0 + $1.bytes.count } }
    deliver(cio, targets: targets, io: &io, writer: words[0])
    io.error = cio.error ?? io.error
    return status
  }

  /// Sends a command's output to the terminal or to the files its redirections name.
  mutating func deliver(_ out: IO, targets: Targets, io: inout IO, writer: String = "bash") {
    io.outputCut = io.outputCut || out.outputCut
    for c in out.chunks {
      // `2>&1` copied stdout's target as it was then (`targets.stderr`); a terminal stdout at that
      // moment makes stderr go to the terminal's stdout even if stdout is redirected afterwards.
      var dest = c.stream == .stdout ? targets.stdout : targets.stderr
      var stream = c.stream
      if c.stream == .stdout && targets.stdoutToStderr { dest = targets.stderr; stream = .stderr }
      if c.stream == .stderr && targets.stderrToStdout && dest == nil { stream = .stdout }
      guard let d = dest else { io.write(c.bytes, to: stream); continue }
      if d == "/dev/null" { continue }
      let hosts = self.hosts
      if !hosts.write(c.bytes, to: d, in: &self) { diskFull(writer, io: &io) }
    }
  }
}

extension String {
  /// The string padded with spaces to `width` characters.
  func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}

extension StringProtocol {
  /// Every occurrence of `target` replaced (no Foundation in this layer).
  public func replacingOccurrences(_ target: String, _ replacement: String) -> String {
    let t = Array(target)
    guard !t.isEmpty else { return String(self) }
    let chars = Array(self)
    var out = ""
    var i = 0
    while i < chars.count {
      if i + t.count <= chars.count && Array(chars[i..<i + t.count]) == t {
        out += replacement
        i += t.count
      } else {
        out.append(chars[i])
        i += 1
      }
    }
    return out
  }
}
