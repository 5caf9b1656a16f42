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
  /// Processes whose end has been noted as an event.
  var notedExits: Set<Int32> = []
  /// Here-document bodies of the line being run.
  var hereDocuments: [String: HereDocuments.Body] = [:]
  /// Lines typed so far of a command that awaits the end of a here-document.
  public internal(set) var pendingLines: [String] = []

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

  static func loginEnvironment(host: String) -> [String: String] {
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
    pendingLines.append(line)
    let text = pendingLines.joined(separator: "\n")
    // A line ending in a backslash continues on the next one.
    let trailing = line.reversed().prefix { $0 == "\\" }.count
    if (trailing % 2 == 1 || HereDocuments(text).awaiting != nil) && pendingLines.count < 10_000 { return nil }
    // An open `for ... do` (no `done` yet) continues too, as bash asks for more with `> `.
    if pendingLines.count < 10_000, ShellParser.opensCompound(text), case .failure(let e) = ShellParser.parse(HereDocuments(text).command),
       e.lines == ["bash: syntax error: unexpected end of file"] {
      return nil
    }
    pendingLines = []
    return run(text)
  }

  /// Runs a command text (here-documents included); returns what it printed and its exit status.
  public mutating func run(_ text: String) -> (io: IO, status: Int32) {
    var io = IO()
    heldProcess = nil
    enforceStartTimeouts()
    noteEndedServers()
    if !transcriptMode { reportFinishedJobs(&io) }
    let docs = HereDocuments(text)
    if let missing = docs.awaiting {
      io.err("bash: warning: here-document at line 1 delimited by end-of-file (wanted `\(missing)')")
    }
    hereDocuments = docs.bodies
    let line = docs.command
    if line.utf8.count > 100_000 {
      io.err("etcdlab: that line is too long (over 100000 bytes)")
      lastStatus = 2
      return (io, 2)
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

  mutating func addJob(pid: Int32, line: String, io: inout IO) {
    variables["!"] = nil
    let number = (jobs.map(\.number).max() ?? 0) + 1
    var text = line.trimmingSpaces()
    if text.hasSuffix("&") { text = String(text.dropLast()).trimmingSpaces() }
    jobs.append(Job(number: number, pid: pid, text: text, host: host))
    if !transcriptMode { io.err("[\(number)] \(pid)") }
  }

  /// bash's notice for background jobs that ended: `[1]+  Exit 1                  etcd ...`.
  mutating func reportFinishedJobs(_ io: inout IO) {
    var kept: [Job] = []
    for (k, job) in jobs.enumerated() {
      guard let p = world.process(pid: job.pid), p.isRunning else {
        let status = world.process(pid: job.pid)?.exitStatus ?? 0
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
        guard substitutionDepth < 32 else {
          current += ""
          break
        }
        var sub = self
        sub.heldProcess = nil
        sub.transcriptMode = true  // a subshell prints no job notices
        sub.substitutionDepth += 1
        let (out, status) = sub.run(cmd)
        world = sub.world
        events = sub.events
        notedExits = sub.notedExits
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
      }
      if exitRequested || heldProcess != nil { break }
      switch connector {
      case .and: skip = status != 0
      case .or: skip = status == 0
      default: skip = false
      }
    }
    return status
  }

  /// The rounds a `while`/`until` loop may run before the sandbox stops it.
  static let loopLimit = 1000

  /// A loop: `for` runs the body once per expanded word (globs included); `while`/`until` run
  /// it while the condition succeeds/fails, at most `loopLimit` times.
  mutating func runLoop(_ loop: Loop, line: String, io: inout IO) -> Int32 {
    var status: Int32 = 0
    switch loop.kind {
    case .forEach(let name, let words):
      let values = words.flatMap { expandWithGlobs($0) }
      for v in values {
        if environment[name] != nil { environment[name] = v } else { variables[name] = v }
        status = runList(loop.body, line: line, io: &io)
        if exitRequested || heldProcess != nil { break }
      }
    case .whileTrue(let condition), .until(let condition):
      let untilKind: Bool = { if case .until = loop.kind { return true } else { return false } }()
      var rounds = 0
      while true {
        let c = runList(condition, line: line, io: &io)
        if exitRequested || heldProcess != nil { break }
        if untilKind ? c == 0 : c != 0 { break }
        if rounds == Session.loopLimit {
          io.err("etcdlab: the loop was stopped after \(Session.loopLimit) rounds")
          break
        }
        status = runList(loop.body, line: line, io: &io)
        rounds += 1
        if exitRequested || heldProcess != nil { break }
      }
    }
    return status
  }

  /// A word's fields after expansion, then pathname expansion of its unquoted globs (a pattern
  /// that matches nothing stays as typed).
  mutating func expandWithGlobs(_ w: Word) -> [String] {
    let fields = expand(w)
    guard Glob.applies(to: w), let fs = world.host(host)?.fs else { return fields }
    return fields.flatMap { f in
      let matches = Glob.isPattern(f) ? Glob.expand(f, in: fs, cwd: path(".")) : []
      return matches.isEmpty ? [f] : matches
    }
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
    for (k, cmd) in pipeline.commands.enumerated() {
      var cio = IO(stdin: stdin)
      let last = k == pipeline.commands.count - 1
      status = runSimple(cmd, background: background, io: &cio)
      if last {
        io.append(cio)
      } else {
        stdin = cio.bytes(of: .stdout)
        for c in cio.chunks where c.stream == .stderr { io.write(c.bytes, to: .stderr) }
      }
    }
    return status
  }

  /// Where a command's output goes after its redirections.
  struct Targets {
    var stdout: String?  // nil: terminal; "/dev/null": nowhere
    var stderr: String?
    var stdoutAppend = false
    var stderrAppend = false
    var stderrToStdout = false
    var stdoutToStderr = false
  }

  mutating func runSimple(_ cmd: SimpleCommand, background: Bool, io: inout IO) -> Int32 {
    let words = cmd.words.flatMap { expandWithGlobs($0) }
    var targets = Targets()
    for r in cmd.redirections {
      let target = expand(r.target).joined(separator: " ")
      switch r.kind {
      case .input:
        if let doc = hereDocuments[target] {
          io.stdin = Array((doc.expands ? expandText(doc.text) : doc.text).utf8)
          continue
        }
        let p = path(target)
        guard let data = world.host(host)?.fs.content(p) else {
          io.err("bash: \(target): No such file or directory")
          return 1
        }
        if case .bytes(let b) = data { io.stdin = b }
      case .duplicate:
        if r.fd == 2 && target == "1" { targets.stderrToStdout = true; targets.stderr = targets.stdout; targets.stderrAppend = targets.stdoutAppend }
        if r.fd == 1 && target == "2" { targets.stdoutToStderr = true }
      case .output, .append:
        let p = target == "/dev/null" ? "/dev/null" : path(target)
        if p != "/dev/null" {
          if world.host(host)?.fs.isDirectory(p) == true { io.err("bash: \(target): Is a directory"); return 1 }
          _ = world.withFileSystem(of: host) { fs, t in
            if r.kind == .output || !fs.exists(p) { fs.write(p, .bytes([]), at: t) }
          }
        }
        if r.fd == 1 || r.fd == -1 { targets.stdout = p; targets.stdoutAppend = r.kind == .append }
        if r.fd == 2 || r.fd == -1 { targets.stderr = p; targets.stderrAppend = r.kind == .append }
      }
    }
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
    var cio = IO(stdin: io.stdin)
    let status = execute(words, env: env, targets: targets, background: background, io: &cio)
    let kind = cio.command ?? (["systemctl", "service"].contains(words[0]) ? words.prefix(2).joined(separator: " ") : words[0])
    var event = Event(time: world.now, host: host, words: words, command: kind, status: status, error: cio.error)
    event.authenticatedTLS = cio.authenticatedTLS
    event.handshake = cio.handshake
    events.append(event)
    deliver(cio, targets: targets, io: &io)
    io.error = cio.error ?? io.error
    return status
  }

  /// Sends a command's output to the terminal or to the files its redirections name.
  mutating func deliver(_ out: IO, targets: Targets, io: inout IO) {
    for c in out.chunks {
      // `2>&1` copied stdout's target as it was then (`targets.stderr`); a terminal stdout at that
      // moment makes stderr go to the terminal's stdout even if stdout is redirected afterwards.
      var dest = c.stream == .stdout ? targets.stdout : targets.stderr
      var stream = c.stream
      if c.stream == .stdout && targets.stdoutToStderr { dest = targets.stderr; stream = .stderr }
      if c.stream == .stderr && targets.stderrToStdout && dest == nil { stream = .stdout }
      guard let d = dest else { io.write(c.bytes, to: stream); continue }
      if d == "/dev/null" { continue }
      let text = String(decoding: c.bytes, as: UTF8.self)
      _ = world.withFileSystem(of: host) { fs, t in fs.append(d, text, at: t) }
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
