import EtcdSim

/// A unit file's `[Service]` settings that the simulation honours (`EnvironmentFile=` included;
/// the real backend reads it too).
public struct UnitSettings: Sendable {
  public var description = ""
  public var execStart: [String] = []
  public var environment: [String: String] = [:]
  /// `EnvironmentFile=` paths in order; a leading `-` (a missing file is no error) kept.
  public var environmentFiles: [String] = []
  public var user = "root"
  public var type = "simple"

  /// Parses a unit file (line continuations, `Environment=`, quotes in `ExecStart=`).
  public init(_ text: String) {
    var joined: [String] = []
    var pending = ""
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = String(raw)
      if line.trimmingSpaces().hasPrefix("#") || line.trimmingSpaces().hasPrefix(";") { continue }
      if line.hasSuffix("\\") {
        line.removeLast()
        pending += line + " "
        continue
      }
      joined.append(pending + line)
      pending = ""
    }
    if !pending.isEmpty { joined.append(pending) }
    var section = ""
    for line in joined.map({ $0.trimmingSpaces() }) {
      if line.hasPrefix("[") { section = line; continue }
      guard let eq = line.firstIndex(of: "=") else { continue }
      let key = String(line[..<eq]).trimmingSpaces()
      let value = String(line[line.index(after: eq)...]).trimmingSpaces()
      switch (section, key) {
      case ("[Unit]", "Description"): description = value
      case ("[Service]", "ExecStart"): execStart = UnitSettings.words(value.hasPrefix("-") ? String(value.dropFirst()) : value)
      case ("[Service]", "Environment"):
        for w in UnitSettings.words(value) {
          if let e = w.firstIndex(of: "=") { environment[String(w[..<e])] = String(w[w.index(after: e)...]) }
        }
      case ("[Service]", "EnvironmentFile"): environmentFiles.append(value)
      case ("[Service]", "User"): user = value
      case ("[Service]", "Type"): type = value
      default: break
      }
    }
  }

  /// Splits on spaces, honouring double and single quotes.
  static func words(_ s: String) -> [String] {
    var out: [String] = []
    var cur = ""
    var quote: Character?
    var has = false
    for c in s {
      if let q = quote {
        if c == q { quote = nil } else { cur.append(c) }
        continue
      }
      if c == "\"" || c == "'" { quote = c; has = true; continue }
      if c == " " || c == "\t" {
        if has || !cur.isEmpty { out.append(cur) }
        cur = ""
        has = false
        continue
      }
      cur.append(c)
    }
    if has || !cur.isEmpty { out.append(cur) }
    return out
  }

  /// The variables of an environment file as systemd reads it: `KEY=VALUE` lines, `#` and `;`
  /// comments, a value's enclosing quotes removed.
  static func environmentFile(_ text: String) -> [String: String] {
    var out: [String: String] = [:]
    for raw in text.split(separator: "\n") {
      let line = raw.trimmingSpaces()
      guard !line.hasPrefix("#"), !line.hasPrefix(";"), let eq = line.firstIndex(of: "=") else { continue }
      let key = String(line[..<eq]).trimmingSpaces()
      var value = String(line[line.index(after: eq)...]).trimmingSpaces()
      if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q { value = String(value.dropFirst().dropLast()) }
      if !key.isEmpty { out[key] = value }
    }
    return out
  }

  /// `Environment=` with the `EnvironmentFile=`s read on `fs` over it (their settings win, as in
  /// systemd); the first required file that is missing, if any.
  func environment(on fs: FileSystem?) -> (environment: [String: String], missing: String?) {
    var env = environment
    for entry in environmentFiles {
      let optional = entry.hasPrefix("-")
      let path = optional ? String(entry.dropFirst()) : entry
      guard let text = fs?.text(path) else {
        if optional { continue }
        return (env, path)
      }
      env.merge(UnitSettings.environmentFile(text)) { _, file in file }
    }
    return (env, nil)
  }
}

extension Session {
  static let systemdCommands: [String: Builtin] = [
    "systemctl": { s, c, io in s.systemctl(c.args, io: &io) },
    "journalctl": { s, c, io in s.journalctl(c.args, io: &io) },
    "service": { s, c, io in
      guard c.args.count >= 2 else {
        io.err("Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]")
        return 1
      }
      return s.systemctl([c.args[1], c.args[0]], io: &io)
    },
  ]

  public static func unitName(_ arg: String) -> String { arg.hasSuffix(".service") ? String(arg.dropLast(8)) : arg }

  func unitPath(_ name: String) -> String { "/etc/systemd/system/\(name).service" }

  func unitText(_ name: String) -> String? { world.host(host)?.fs.text(unitPath(name)) }

  mutating func journal(_ unit: String, _ text: String) {
    guard let i = world.hostIndex(host) else { return }
    world.setJournal(host: i, line: JournalLine(time: world.now, unit: unit, source: "systemd[1]", text: text))
  }

  /// The systemctl options an operator types here; any other is refused as systemd 252 does.
  static let systemctlOptions: Set<String> = [
    "--no-block", "--now", "--no-pager", "--full", "-l", "--quiet", "-q", "--all", "-a", "--no-legend", "--plain", "--system",
    "--type=service", "--state=running", "--state=failed", "--lines",
  ]

  mutating func systemctl(_ args: [String], io: inout IO) -> Int32 {
    if let bad = args.first(where: { $0.hasPrefix("-") && !Session.systemctlOptions.contains($0) && !$0.hasPrefix("--lines=") && !$0.hasPrefix("-n") }) {
      // getopt_long's wording (systemd 252).
      io.err(bad.hasPrefix("--") ? "systemctl: unrecognized option '\(bad)'" : "systemctl: invalid option -- '\(bad.dropFirst().prefix(1))'")
      return 1
    }
    let words = args.filter { !$0.hasPrefix("-") }
    guard let verb = words.first else {
      io.out("  UNIT                      LOAD   ACTIVE SUB     DESCRIPTION")
      for (name, svc) in (world.host(host)?.services ?? [:]).sorted(by: { $0.key < $1.key }) {
        let active = svc.mainPID != nil
        io.out("  \((name + ".service").padding(26))loaded \(active ? "active running" : "failed failed ") \(UnitSettings(unitText(name) ?? "").description)")
      }
      return 0
    }
    let units = words.dropFirst().map(Session.unitName)
    switch verb {
    case "cat":
      // The unit file under a comment naming it (systemd 252).
      guard !units.isEmpty else {
        io.err("Too few arguments.")
        return 1
      }
      var status: Int32 = 0
      for (n, name) in units.enumerated() {
        guard let text = unitText(name) else {
          io.err("No files found for \(name).service.")
          status = 1
          continue
        }
        if n > 0 { io.out("") }
        io.out("# \(unitPath(name))")
        io.write(Array(text.utf8))
      }
      return status
    case "daemon-reload":
      for name in world.host(host)?.services.keys.sorted() ?? [] { updateService(name) { $0.loadedUnit = nil } }
      return 0
    case "start", "stop", "restart", "enable", "disable", "status", "is-active", "is-enabled", "is-failed", "reload", "try-restart":
      guard !units.isEmpty else {
        io.err("Too few arguments.")
        return 1
      }
      var status: Int32 = 0
      for name in units {
        noBlock = args.contains("--no-block")
        defer { noBlock = false }
        let r = systemctl(verb, unit: name, now: args.contains("--now"), io: &io)
        if r != 0 { status = r }
      }
      return status
    default:
      io.err("Unknown command verb \(verb).")
      return 1
    }
  }

  mutating func updateService(_ name: String, _ body: (inout Service) -> Void) {
    guard let i = world.hostIndex(host) else { return }
    var svc = world.host(host)?.services[name] ?? Service()
    body(&svc)
    world.setService(host: i, name: name, svc)
  }

  func service(_ name: String) -> Service? { world.host(host)?.services[name] }

  /// Whether the unit's last run failed: an unclean exit status, a timeout, or a result of its own.
  func failed(_ name: String) -> Bool {
    guard let svc = service(name) else { return false }
    return svc.result != nil || (svc.lastExit.map { $0.status != 0 && $0.status != 143 } ?? false)
  }

  mutating func systemctl(_ verb: String, unit name: String, now: Bool, io: inout IO) -> Int32 {
    let exists = unitText(name) != nil
    let running = service(name)?.mainPID.flatMap { world.process(pid: $0) }?.isRunning == true
    switch verb {
    case "status":
      guard exists || service(name) != nil else {
        io.err("Unit \(name).service could not be found.")
        return 4
      }
      status(name, io: &io)
      return running ? 0 : 3
    case "is-active":
      let state = running ? "active" : failed(name) ? "failed" : "inactive"
      io.out(state)
      return running ? 0 : 3
    case "is-failed":
      let failed = !running && failed(name)
      io.out(failed ? "failed" : running ? "active" : "inactive")
      return failed ? 0 : 1
    case "is-enabled":
      guard exists else {
        io.err("Failed to get unit file state for \(name).service: No such file or directory")
        return 1
      }
      let enabled = service(name)?.enabled == true
      io.out(enabled ? "enabled" : "disabled")
      return enabled ? 0 : 1
    case "enable":
      guard exists else {
        io.err("Failed to enable unit: Unit file \(name).service does not exist.")
        return 1
      }
      if service(name)?.enabled != true {
        io.err("Created symlink /etc/systemd/system/multi-user.target.wants/\(name).service → \(unitPath(name)).")
      }
      updateService(name) { $0.enabled = true }
      return now ? systemctl("start", unit: name, now: false, io: &io) : 0
    case "disable":
      guard exists else {
        io.err("Failed to disable unit: Unit file \(name).service does not exist.")
        return 1
      }
      if service(name)?.enabled == true {
        io.err("Removed \"/etc/systemd/system/multi-user.target.wants/\(name).service\".")
      }
      updateService(name) { $0.enabled = false }
      return now ? systemctl("stop", unit: name, now: false, io: &io) : 0
    case "stop":
      guard exists || service(name) != nil else {
        io.err("Failed to stop \(name).service: Unit \(name).service not loaded.")
        return 5
      }
      stopService(name)
      return 0
    case "restart", "try-restart", "reload":
      if verb == "try-restart" && !running { return 0 }
      guard exists else {
        io.err("Failed to \(verb) \(name).service: Unit \(name).service not found.")
        return 5
      }
      // A restart the line's budget refuses leaves the unit running.
      guard takeServerStart(&io, take: false) else { return 1 }
      stopService(name)
      return startService(name, io: &io)
    default:  // start
      guard exists else {
        io.err("Failed to start \(name).service: Unit \(name).service not found.")
        return 5
      }
      if running { return 0 }
      return startService(name, io: &io)
    }
  }

  mutating func stopService(_ name: String) {
    guard let pid = service(name)?.mainPID, world.process(pid: pid)?.isRunning == true else { return }
    let description = UnitSettings(service(name)?.loadedUnit ?? unitText(name) ?? "").description
    journal(name, "Stopping \(name).service - \(description)...")
    world.signal(pid: pid, 15)
    world.advance(by: 40)
    journal(name, "Stopped \(name).service - \(description).")
  }

  /// Starts the unit as systemd does: the loaded unit file (warning when it changed on disk),
  /// its environment and user, and for `Type=notify` the wait until etcd says it is ready.
  mutating func startService(_ name: String, io: inout IO) -> Int32 {
    guard let current = unitText(name) else { return 5 }
    let loaded = service(name)?.loadedUnit ?? current
    if loaded != current {
      io.err("Warning: The unit file, source configuration file or drop-ins of \(name).service changed on disk. Run 'systemctl daemon-reload' to reload units.")
    }
    updateService(name) { $0.loadedUnit = loaded }
    let unit = UnitSettings(loaded)
    let fail = { (s: inout Session, io: inout IO, why: String) -> Int32 in
      io.err("Job for \(name).service failed because \(why).")
      io.err("See \"systemctl status \(name).service\" and \"journalctl -xeu \(name).service\" for details.")
      return 1
    }
    guard let program = unit.execStart.first else {
      journal(name, "\(name).service: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.")
      return fail(&self, &io, "the control process exited with error code")
    }
    guard case .executable(let binary, let version)? = world.host(host)?.fs.content(program) else {
      journal(name, "\(name).service: Failed to locate executable \(program): No such file or directory")
      journal(name, "\(name).service: Failed at step EXEC spawning \(program): No such file or directory")
      journal(name, "\(name).service: Main process exited, code=exited, status=\(ExitStatus.journalText(203))")
      journal(name, "\(name).service: Failed with result 'exit-code'.")
      let t = world.now
      updateService(name) { $0.lastExit = (0, 203); $0.since = t; $0.mainPID = nil }
      return fail(&self, &io, "the control process exited with error code")
    }
    let description = unit.description
    journal(name, "Starting \(name).service - \(description)...")
    guard binary == "etcd" else { return fail(&self, &io, "the control process exited with error code") }
    let args = Array(unit.execStart.dropFirst())
    let (environment, missing) = unit.environment(on: world.host(host)?.fs)
    if missing != nil {
      journal(name, "\(name).service: Failed to load environment files: No such file or directory")
      journal(name, "\(name).service: Failed to run 'start' task: No such file or directory")
      journal(name, "\(name).service: Failed with result 'resources'.")
      journal(name, "Failed to start \(name).service - \(description).")
      let t = world.now
      updateService(name) { $0.result = "resources"; $0.since = t; $0.mainPID = nil }
      return fail(&self, &io, "of unavailable resources or another system error")
    }
    let parsed = parseEtcd(args, env: environment, version: version) { Int($0.int(in: 0...999)) }
    let commandLine = ([program] + args).joined(separator: " ")
    switch parsed {
    case .exit(let out, let err, let status, let error):
      // The unit's etcd refused its flags: the start fails with etcd's own error, for checks and
      // explanations (systemctl itself only says the control process failed).
      io.error = error
      let pid = world.nextFreePID()
      for l in TextTools.lines(out + err) { world.appendJournal(host: host, JournalLine(time: world.now, unit: name, source: "etcd[\(pid)]", text: l)) }
      updateService(name) { $0.execStart = commandLine }
      mainProcessExited(name, pid: pid, status: status, description: description)
      return fail(&self, &io, "the control process exited with error code")
    case .start(let config):
      guard takeServerStart(&io) else { return 1 }
      let pid = world.startEtcd(World.StartRequest(host: host, cwd: "/", config: config, commandLine: commandLine, sink: .journal(name), background: true, version: version, user: unit.user, executable: program))
      let t = world.now
      updateService(name) { $0.mainPID = pid; $0.since = t; $0.execStart = commandLine; $0.lastExit = nil; $0.result = nil }
      if world.process(pid: pid)?.exitStatus == nil, unit.type != "notify" {
        journal(name, "Started \(name).service - \(description).")
        return 0
      }
      // Type=notify: systemd waits for READY=1, which etcd sends once it serves clients
      // (with --no-block it returns at once and gives up later, between commands).
      updateService(name) { $0.awaitingReady = true }
      if noBlock && world.process(pid: pid)?.isRunning == true {
        let deadline = world.now + 90_000
        updateService(name) { $0.startDeadline = deadline }
        pendingStarts = true
        return 0
      }
      _ = world.wait(until: world.now + 90_000) { w in
        guard let p = w.process(pid: pid) else { return true }
        return !p.isRunning || p.etcd?.readyAt != nil
      }
      updateService(name) { $0.awaitingReady = false }
      guard let p = world.process(pid: pid) else { return fail(&self, &io, "the control process exited with error code") }
      if !p.isRunning, p.exitStatus == 0 {
        // A clean exit before READY=1 (a removed member told so by its peers): systemd 252 logs
        // the exit at debug level only, and fails the start with result 'protocol'.
        journal(name, "\(name).service: Failed with result 'protocol'.")
        journal(name, "Failed to start \(name).service - \(description).")
        let t = world.now
        updateService(name) { $0.lastExit = (pid, 0); $0.result = "protocol"; $0.since = t; $0.mainPID = nil }
        return fail(&self, &io, "the service did not take the steps required by its unit configuration")
      }
      if !p.isRunning {
        // etcd ended before READY=1.
        mainProcessExited(name, pid: pid, status: p.exitStatus ?? 1, description: description)
        return fail(&self, &io, "the control process exited with error code")
      }
      if p.etcd?.readyAt == nil {
        journal(name, "\(name).service: start operation timed out. Terminating.")
        world.signal(pid: pid, 15)
        journal(name, "\(name).service: Failed with result 'timeout'.")
        journal(name, "Failed to start \(name).service - \(description).")
        updateService(name) { $0.lastExit = (pid, -1) }
        io.error = .startTimeout(unit: name)
        return fail(&self, &io, "a timeout was exceeded")
      }
      journal(name, "Started \(name).service - \(description).")
      return 0
    }
  }

  /// A start whose main process exited with `status` before the unit was up: systemd 252's
  /// journal lines, and the unit left failed.
  mutating func mainProcessExited(_ name: String, pid: Int32, status: Int32, description: String) {
    journal(name, "\(name).service: Main process exited, code=exited, status=\(ExitStatus.journalText(status))")
    journal(name, "\(name).service: Failed with result 'exit-code'.")
    journal(name, "Failed to start \(name).service - \(description).")
    let t = world.now
    updateService(name) { $0.lastExit = (pid, status); $0.since = t; $0.mainPID = nil }
  }

  /// Ends the `--no-block` starts whose 90 s passed without READY=1, as systemd does; a start
  /// that got ready in time is an ordinary running service.
  mutating func enforceStartTimeouts() {
    guard pendingStarts else { return }
    pendingStarts = world.hosts.contains { $0.services.values.contains { $0.startDeadline != nil } }
    for h in world.hosts.map(\.name) {
      for (name, svc) in (world.host(h)?.services ?? [:]).sorted(by: { $0.key < $1.key }) {
        guard let deadline = svc.startDeadline, let pid = svc.mainPID ?? svc.lastExit?.pid, let p = world.process(pid: pid) else { continue }
        if !p.isRunning, p.exitStatus == 0 {
          onHost(h) { s in
            s.journal(name, "\(name).service: Failed with result 'protocol'.")
            s.journal(name, "Failed to start \(name).service - \(UnitSettings(svc.loadedUnit ?? "").description).")
            s.updateService(name) { $0.result = "protocol"; $0.startDeadline = nil; $0.awaitingReady = false }
          }
        } else if !p.isRunning || p.etcd?.readyAt != nil {
          onHost(h) { $0.updateService(name) { $0.startDeadline = nil; $0.awaitingReady = false } }
        } else if world.now >= deadline {
          onHost(h) { s in
            s.journal(name, "\(name).service: start operation timed out. Terminating.")
            s.world.signal(pid: pid, 15)
            s.journal(name, "\(name).service: Failed with result 'timeout'.")
            s.journal(name, "Failed to start \(name).service - \(UnitSettings(svc.loadedUnit ?? "").description).")
            s.updateService(name) { $0.lastExit = (pid, -1); $0.startDeadline = nil; $0.awaitingReady = false; $0.since = deadline }
          }
        }
      }
    }
  }

  /// Runs `body` as if on another host (the services of every host live in the world).
  mutating func onHost(_ name: String, _ body: (inout Session) -> Void) {
    let here = host
    host = name
    body(&self)
    host = here
  }

  /// `systemctl status`, in systemd 252's shape.
  func status(_ name: String, io: inout IO) {
    let svc = service(name) ?? Service()
    let unit = UnitSettings(svc.loadedUnit ?? unitText(name) ?? "")
    let running = svc.mainPID.flatMap { world.process(pid: $0) }?.isRunning == true
    let failed = !running && failed(name)
    let bullet = running ? "●" : failed ? "×" : "○"
    io.out("\(bullet) \(name).service - \(unit.description)")
    io.out("     Loaded: loaded (\(unitPath(name)); \(svc.enabled ? "enabled" : "disabled"); preset: enabled)")
    let since = svc.since.map { t -> String in
      let c = SimTime.civil(t)
      let day = String(SimTime.date(t).prefix(3))
      let ago = max(0, (world.now - t) / 1000)
      let agoText = ago >= 60 ? "\(ago / 60)min \(ago % 60)s ago" : "\(ago)s ago"
      return " since \(day) \(SimTime.pad(c.year, 4))-\(SimTime.pad(c.month, 2))-\(SimTime.pad(c.day, 2)) \(SimTime.pad(c.hour, 2)):\(SimTime.pad(c.minute, 2)):\(SimTime.pad(c.second, 2)) UTC; \(agoText)"
    } ?? ""
    if running, svc.startDeadline != nil {
      io.out("     Active: activating (start)\(since)")
    } else if running {
      io.out("     Active: active (running)\(since)")
    } else if failed, let last = svc.lastExit {
      io.out("     Active: failed (Result: \(svc.result ?? (last.status == -1 ? "timeout" : "exit-code")))\(since)")
    } else {
      io.out("     Active: inactive (dead)\(since)")
    }
    // The main process's exit, when it exited with a status (a failure, or a removed member's 0).
    if !running, let last = svc.lastExit, last.status >= 0, failed || last.status == 0 {
      io.out("    Process: \(last.pid) ExecStart=\(svc.execStart) (code=exited, status=\(ExitStatus.statusText(last.status)))")
      io.out("   Main PID: \(last.pid) (code=exited, status=\(ExitStatus.statusText(last.status)))")
    }
    if running, let pid = svc.mainPID {
      io.out("   Main PID: \(pid) (etcd)")
      io.out("      Tasks: 9 (limit: 4644)")
      io.out("     Memory: 21.4M")
      io.out("        CPU: 1.204s")
      io.out("     CGroup: /system.slice/\(name).service")
      io.out("             └─\(pid) \(svc.execStart)")
    }
    let lines = (world.host(host)?.journal ?? []).filter { $0.unit == name }.suffix(10)
    if !lines.isEmpty {
      io.out("")
      for l in lines { io.out(journalText(l)) }
    }
  }

  func journalText(_ l: JournalLine) -> String {
    let c = SimTime.civil(l.time)
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][c.month - 1]
    return "\(month) \(SimTime.pad(c.day, 2)) \(SimTime.pad(c.hour, 2)):\(SimTime.pad(c.minute, 2)):\(SimTime.pad(c.second, 2)) \(host) \(l.source): \(l.text)"
  }

  /// The short options journalctl 252 has.
  static let journalctlLetters = Set("abcefghklmnopqrtuxDFMNSU")

  /// A `-n` value as systemd 252 reads it: `all`, N (the last N lines) or +N (the first N,
  /// given here as -N); nil if it is not one.
  static func journalLines(_ text: String) -> Int? {
    if text == "all" { return Int.max }
    let oldest = text.hasPrefix("+")
    guard let n = Numbers.systemdInt(oldest ? String(text.dropFirst()) : text), n >= 0 else { return nil }
    return oldest ? -Int(n) : Int(n)
  }

  /// What `journalctl [-u UNIT] [-n N] [-f] [-e] [-x] [--no-pager]` asks for: the unit, how
  /// many lines (negative: the first N), whether it follows; or journalctl 252's error line.
  public struct JournalQuery: Sendable {
    public var unit: String?
    public var count: Int?
    public var follow = false

    /// The lines it shows of a unit's (or every unit's) lines.
    public func select<T>(_ lines: [T]) -> [T] {
      if let n = count { return Array(n < 0 ? lines.prefix(-n) : lines.suffix(n)) }
      return follow ? Array(lines.suffix(10)) : lines
    }
  }

  public static func journalQuery(_ args: [String]) -> Result<JournalQuery, JournalQueryError> {
    var q = JournalQuery()
    var i = 0
    while i < args.count {
      let a = args[i]
      i += 1
      if a == "-u" || a == "--unit", i < args.count { q.unit = Session.unitName(args[i]); i += 1; continue }
      if a.hasPrefix("--unit=") { q.unit = Session.unitName(String(a.dropFirst(7))); continue }
      // `-n`/`--lines` take their value only when attached (`-n5`, `--lines=5`); a separate word
      // is used if it is a count, else it is left for what follows (systemd's parse_lines).
      if a == "-n" || a == "--lines" {
        q.count = 10
        if i < args.count, let n = Session.journalLines(args[i]) { q.count = n; i += 1 }
        continue
      }
      if a.hasPrefix("-n") || a.hasPrefix("--lines=") {
        let value = String(a.dropFirst(a.hasPrefix("-n") ? 2 : 8))
        guard let n = Session.journalLines(value) else { return .failure(JournalQueryError(line: "Failed to parse lines '\(value)'")) }
        q.count = n
        continue
      }
      if a.hasPrefix("-") && !a.hasPrefix("--") {
        let letters = a.dropFirst()
        if let bad = letters.first(where: { !Session.journalctlLetters.contains($0) }) {
          return .failure(JournalQueryError(line: "journalctl: invalid option -- '\(bad)'"))
        }
        if letters.contains("f") { q.follow = true }
        if letters.contains("e") { q.count = q.count ?? 1000 }
        if letters.hasSuffix("u"), i < args.count { q.unit = Session.unitName(args[i]); i += 1 }
        continue
      }
      if a == "--follow" { q.follow = true }
    }
    return .success(q)
  }

  public struct JournalQueryError: Error, Sendable {
    public var line: String
  }

  /// `journalctl [-u UNIT] [-n N] [-f] [-e] [-x] [--no-pager]`.
  func journalctl(_ args: [String], io: inout IO) -> Int32 {
    let q: JournalQuery
    switch Session.journalQuery(args) {
    case .failure(let e):
      io.err(e.line)
      return 1
    case .success(let query): q = query
    }
    let lines = q.select((world.host(host)?.journal ?? []).filter { q.unit == nil || $0.unit == q.unit })
    if lines.isEmpty {
      io.out("-- No entries --")
    } else {
      for l in lines { io.out(journalText(l)) }
    }
    if q.follow { followNotice("journalctl -f", io: &io) }
    return 0
  }
}
