import EtcdCommands
import EtcdSim
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// systemd on the real hosts: `systemctl start|stop|restart|status|is-active|enable|disable|cat|daemon-reload`
/// and `journalctl` for a host's units. A start reads the host's unit file
/// (`/etc/systemd/system/NAME.service`), its `Environment=` and `EnvironmentFile=`, and runs its
/// `ExecStart=` as a real process in the host (the parsed words as its argument vector, `/` as its
/// directory, systemd's environment, never a shell string); a `Type=notify` start waits, as systemd
/// waits for READY=1, until etcd logs that it serves clients, or ends. Its output goes to the unit's
/// journal, line by line with the time it came; status and journalctl show the real process and
/// its real output, in systemd 252's shape.
final class RealUnits: @unchecked Sendable {
  struct Entry {
    var time: Date
    var source: String
    var text: String
  }

  /// A unit of a host: its process now, its last exit, its journal.
  struct Unit {
    /// nsenter's pid (etcdlab's child) and the program's pid inside the host.
    var launcher: pid_t?
    var mainPID: pid_t?
    /// The program's pid as etcdlab sees it (to signal it).
    var outerPID: pid_t?
    var since: Date?
    var execStart = ""
    var lastExit: (pid: pid_t, status: Int32)?
    var result: String?
    var enabled = false
    var stopping = false
    /// The unit file as loaded by the last start (daemon-reload forgets it).
    var loaded: String?
    var journal: [Entry] = []
  }

  private var units: [String: Unit] = [:]
  private let lock = NSLock()
  private unowned let hosts: RealHosts
  /// How long systemd waits for a `Type=notify` unit to be ready (systemd's default, 90 s).
  static let startSeconds = 90.0

  init(_ hosts: RealHosts) { self.hosts = hosts }

  private func key(_ host: String, _ unit: String) -> String { host + "/" + unit }

  private func with<T>(_ host: String, _ unit: String, _ body: (inout Unit) -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    var u = units[key(host, unit)] ?? Unit()
    let r = body(&u)
    units[key(host, unit)] = u
    return r
  }

  func unit(_ host: String, _ name: String) -> Unit {
    lock.lock()
    defer { lock.unlock() }
    return units[key(host, name)] ?? Unit()
  }

  func isActive(_ host: String, _ name: String) -> Bool { unit(host, name).launcher != nil }

  private func log(_ host: String, _ name: String, _ text: String, source: String = "systemd[1]") {
    with(host, name) { $0.journal.append(Entry(time: Date(), source: source, text: text)) }
  }

  private func unitPath(_ name: String) -> String { "/etc/systemd/system/\(name).service" }

  private func unitText(_ name: String, on host: String) -> String? {
    hosts.fileText(unitPath(name), host: host)
  }

  // MARK: systemctl

  func systemctl(_ args: [String], host: String, io: inout IO) -> Int32 {
    if let bad = args.first(where: { $0.hasPrefix("-") && $0 != "--no-pager" && $0 != "--now" && $0 != "--no-block" && $0 != "-l" && $0 != "--full" && $0 != "-q" && $0 != "--quiet" }) {
      io.err(bad.hasPrefix("--") ? "systemctl: unrecognized option '\(bad)'" : "systemctl: invalid option -- '\(bad.dropFirst().prefix(1))'")
      return 1
    }
    let words = args.filter { !$0.hasPrefix("-") }
    guard let verb = words.first else {
      io.err("etcdlab: on the real backend systemctl takes a verb (start, stop, restart, status, is-active, enable, disable, cat, daemon-reload)")
      return 1
    }
    if verb == "daemon-reload" {
      lock.lock()
      for k in units.keys where k.hasPrefix(host + "/") { units[k]?.loaded = nil }
      lock.unlock()
      return 0
    }
    let names = words.dropFirst().map(Session.unitName)
    guard ["start", "stop", "restart", "status", "is-active", "enable", "disable", "cat"].contains(verb) else {
      io.err("Unknown command verb \(verb).")
      return 1
    }
    guard !names.isEmpty else {
      io.err("Too few arguments.")
      return 1
    }
    var status: Int32 = 0
    for name in names {
      let r = run(verb, name, host: host, now: args.contains("--now"), noBlock: args.contains("--no-block"), io: &io)
      if r != 0 { status = r }
    }
    return status
  }

  private func run(_ verb: String, _ name: String, host: String, now: Bool, noBlock: Bool, io: inout IO) -> Int32 {
    let text = unitText(name, on: host)
    let running = isActive(host, name)
    switch verb {
    case "status":
      guard text != nil || unit(host, name).since != nil else {
        io.err("Unit \(name).service could not be found.")
        return 4
      }
      status(name, host: host, text: text ?? "", io: &io)
      return running ? 0 : 3
    case "is-active":
      let u = unit(host, name)
      io.out(running ? "active" : failed(u) ? "failed" : "inactive")
      return running ? 0 : 3
    case "cat":
      guard let text else {
        io.err("No files found for \(name).service.")
        return 1
      }
      io.out("# \(unitPath(name))")
      io.write(Array(text.utf8))
      return 0
    case "enable", "disable":
      guard text != nil else {
        io.err("Failed to \(verb) unit: Unit file \(name).service does not exist.")
        return 1
      }
      let enable = verb == "enable"
      if unit(host, name).enabled != enable {
        io.err(enable ? "Created symlink /etc/systemd/system/multi-user.target.wants/\(name).service → \(unitPath(name))."
          : "Removed \"/etc/systemd/system/multi-user.target.wants/\(name).service\".")
      }
      with(host, name) { $0.enabled = enable }
      return now ? run(enable ? "start" : "stop", name, host: host, now: false, noBlock: noBlock, io: &io) : 0
    case "stop":
      guard text != nil || unit(host, name).since != nil else {
        io.err("Failed to stop \(name).service: Unit \(name).service not loaded.")
        return 5
      }
      stop(name, host: host)
      return 0
    default:  // start, restart
      guard let text else {
        io.err("Failed to \(verb) \(name).service: Unit \(name).service not found.")
        return 5
      }
      if verb == "start" && running { return 0 }
      stop(name, host: host)
      return start(name, host: host, text: text, noBlock: noBlock, io: &io)
    }
  }

  private func failed(_ u: Unit) -> Bool {
    u.result != nil || (u.lastExit.map { $0.status != 0 && $0.status != 143 } ?? false)
  }

  /// Ends the unit's process with SIGTERM (SIGKILL after 90 s, as systemd's TimeoutStopSec).
  func stop(_ name: String, host: String) {
    let u = unit(host, name)
    guard let launcher = u.launcher else { return }
    let description = UnitSettings(u.loaded ?? "").description
    log(host, name, "Stopping \(name).service - \(description)...")
    with(host, name) { $0.stopping = true }
    if let pid = u.outerPID { _ = kill(pid, SIGTERM) }
    let deadline = Date().addingTimeInterval(Self.startSeconds)
    while isActive(host, name) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    if isActive(host, name) {
      _ = kill(launcher, SIGKILL)
      while isActive(host, name) { Thread.sleep(forTimeInterval: 0.01) }
    }
    log(host, name, "Stopped \(name).service - \(description).")
  }

  /// Starts the unit's `ExecStart=` in the host, as systemd would.
  private func start(_ name: String, host: String, text current: String, noBlock: Bool, io: inout IO) -> Int32 {
    let loaded = unit(host, name).loaded ?? current
    if loaded != current {
      io.err("Warning: The unit file, source configuration file or drop-ins of \(name).service changed on disk. Run 'systemctl daemon-reload' to reload units.")
    }
    let settings = UnitSettings(loaded)
    with(host, name) {
      $0.loaded = loaded
      $0.result = nil
    }
    let fail = { (io: inout IO, why: String) -> Int32 in
      io.err("Job for \(name).service failed because \(why).")
      io.err("See \"systemctl status \(name).service\" and \"journalctl -xeu \(name).service\" for details.")
      return 1
    }
    guard !settings.execStart.isEmpty else {
      log(host, name, "\(name).service: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.")
      return fail(&io, "the control process exited with error code")
    }
    var argv = settings.execStart
    // The course's units name /usr/local/bin/etcd; the real hosts have Debian's etcd on PATH.
    if ["etcd", "etcdctl"].contains(argv[0].split(separator: "/").last.map(String.init) ?? "") { argv[0] = String(argv[0].split(separator: "/").last ?? "etcd") }
    var environment = ["PATH": RealHosts.path, "LANG": "C.UTF-8", "HOME": "/root", "USER": settings.user, "LOGNAME": settings.user]
    for file in settings.environmentFiles {
      let optional = file.hasPrefix("-")
      let path = optional ? String(file.dropFirst()) : file
      guard let text = hosts.fileText(path, host: host) else {
        if optional { continue }
        log(host, name, "\(name).service: Failed to load environment files: No such file or directory")
        log(host, name, "\(name).service: Failed to run 'start' task: No such file or directory")
        log(host, name, "\(name).service: Failed with result 'resources'.")
        log(host, name, "Failed to start \(name).service - \(settings.description).")
        with(host, name) { $0.result = "resources"; $0.since = Date() }
        return fail(&io, "of unavailable resources or another system error")
      }
      environment.merge(Self.environmentFile(text)) { _, new in new }
    }
    environment.merge(settings.environment) { _, new in new }
    log(host, name, "Starting \(name).service - \(settings.description)...")
    var fds: [Int32] = [0, 0]
    guard Spawn.makePipe(&fds), let full = hosts.topology.enter(host, [hosts.bash, "-c", RealHosts.wrapper, "bash", "/", "", ""] + argv) else {
      return fail(&io, "the control process exited with error code")
    }
    let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
    let launcher: pid_t
    do {
      launcher = try Spawn.start(full, environment: environment, stdin: null, stdout: fds[1], stderr: fds[1])
    } catch {
      Spawn.closeAll(fds + [null])
      return fail(&io, "the control process exited with error code")
    }
    Spawn.closeAll([fds[1], null])
    // nsenter forks the program into the host's pid namespace: find it.
    var outer: pid_t?
    for _ in 0..<200 {
      if let child = Spawn.children(of: launcher).first { outer = child; break }
      if Spawn.ended(launcher) { break }
      Thread.sleep(forTimeInterval: 0.005)
    }
    let inner = outer.flatMap { Spawn.namespacePIDs(of: $0).last } ?? launcher
    let commandLine = settings.execStart.joined(separator: " ")
    with(host, name) { u in
      u.launcher = launcher
      u.outerPID = outer
      u.mainPID = inner
      u.since = Date()
      u.execStart = commandLine
      u.lastExit = nil
      u.stopping = false
    }
    let program = String(argv[0].split(separator: "/").last ?? "etcd")
    let readEnd = fds[0]
    let reader = Thread { [self] in self.follow(readEnd, launcher: launcher, source: "\(program)[\(inner)]", pid: inner, name: name, host: host) }
    reader.start()
    guard settings.type == "notify" else {
      log(host, name, "Started \(name).service - \(settings.description).")
      return 0
    }
    // Type=notify: systemd waits for READY=1, which etcd sends once it serves clients (with
    // --no-block it returns at once, and the unit becomes started when etcd is ready).
    let ready: @Sendable () -> Bool = { [self] in
      let deadline = Date().addingTimeInterval(Self.startSeconds)
      while Date() < deadline {
        let u = unit(host, name)
        if u.launcher == nil { return false }
        if u.journal.contains(where: { $0.source == "\(program)[\(inner)]" && $0.text.contains("ready to serve client requests") }) {
          log(host, name, "Started \(name).service - \(settings.description).")
          return true
        }
        Thread.sleep(forTimeInterval: 0.02)
      }
      return false
    }
    if noBlock {
      Thread { _ = ready() }.start()
      return 0
    }
    if ready() { return 0 }
    let u = unit(host, name)
    if u.launcher != nil {
      log(host, name, "\(name).service: start operation timed out. Terminating.")
      stop(name, host: host)
      with(host, name) { $0.result = "timeout" }
      return fail(&io, "a timeout was exceeded")
    }
    if let exit = u.lastExit, exit.status == 0 {
      with(host, name) { $0.result = "protocol" }
      log(host, name, "\(name).service: Failed with result 'protocol'.")
      log(host, name, "Failed to start \(name).service - \(settings.description).")
      return fail(&io, "the service did not take the steps required by its unit configuration")
    }
    log(host, name, "Failed to start \(name).service - \(settings.description).")
    return fail(&io, "the control process exited with error code")
  }

  /// Reads the unit's output into its journal until the process ends, then records its exit.
  private func follow(_ fd: Int32, launcher: pid_t, source: String, pid: pid_t, name: String, host: String) {
    var pending: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let r = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if r < 0 && errno == EINTR { continue }
      guard r > 0 else { break }
      pending += buffer[0..<r]
      while let i = pending.firstIndex(of: 0x0A) {
        log(host, name, String(decoding: pending[..<i], as: UTF8.self), source: source)
        pending.removeFirst(i + 1)
      }
    }
    if !pending.isEmpty { log(host, name, String(decoding: pending, as: UTF8.self), source: source) }
    Glibc.close(fd)
    let status = Spawn.wait(launcher)
    let stopping = unit(host, name).stopping
    if !stopping {
      if status == 0 {
        log(host, name, "\(name).service: Deactivated successfully.")
      } else {
        let how = status > 128 ? "code=killed, status=\(status - 128)/\(Self.signalName(status - 128))" : "code=exited, status=\(ExitStatus.journalText(status))"
        log(host, name, "\(name).service: Main process exited, \(how)")
        log(host, name, "\(name).service: Failed with result '\(status > 128 ? "signal" : "exit-code")'.")
      }
    }
    with(host, name) { u in
      u.launcher = nil
      u.outerPID = nil
      u.mainPID = nil
      u.since = Date()
      u.lastExit = stopping ? nil : (pid, status)
    }
  }

  static func signalName(_ n: Int32) -> String {
    [1: "HUP", 2: "INT", 6: "ABRT", 9: "KILL", 15: "TERM"][n] ?? String(n)
  }

  /// An `EnvironmentFile=`'s assignments (`KEY=VALUE` lines; `#` and `;` comments; quotes).
  static func environmentFile(_ text: String) -> [String: String] {
    var env: [String: String] = [:]
    for raw in text.split(separator: "\n") {
      let line = raw.trimmingCharacters(in: .whitespaces)
      guard !line.hasPrefix("#"), !line.hasPrefix(";"), let eq = line.firstIndex(of: "=") else { continue }
      var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
      if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q { value = String(value.dropFirst().dropLast()) }
      env[line[..<eq].trimmingCharacters(in: .whitespaces)] = value
    }
    return env
  }

  // MARK: status and journal

  private func status(_ name: String, host: String, text: String, io: inout IO) {
    let u = unit(host, name)
    let settings = UnitSettings(u.loaded ?? text)
    let running = u.launcher != nil
    let failed = !running && failed(u)
    io.out("\(running ? "●" : failed ? "×" : "○") \(name).service - \(settings.description)")
    io.out("     Loaded: loaded (\(unitPath(name)); \(u.enabled ? "enabled" : "disabled"); preset: enabled)")
    let since = u.since.map { t -> String in
      let ago = max(0, Int(Date().timeIntervalSince(t)))
      return " since \(Self.format(t, "%a %Y-%m-%d %H:%M:%S")) UTC; \(ago >= 60 ? "\(ago / 60)min \(ago % 60)s" : "\(ago)s") ago"
    } ?? ""
    if running {
      io.out("     Active: active (running)\(since)")
    } else if failed {
      io.out("     Active: failed (Result: \(u.result ?? ((u.lastExit?.status ?? 0) > 128 ? "signal" : "exit-code")))\(since)")
    } else {
      io.out("     Active: inactive (dead)\(since)")
    }
    if !running, let last = u.lastExit, failed || last.status == 0 {
      let how = last.status > 128 ? "code=killed, signal=\(Self.signalName(last.status - 128))" : "code=exited, status=\(ExitStatus.statusText(last.status))"
      io.out("    Process: \(last.pid) ExecStart=\(u.execStart) (\(how))")
      io.out("   Main PID: \(last.pid) (\(how))")
    }
    if running, let pid = u.mainPID {
      io.out("   Main PID: \(pid) (\(settings.execStart.first?.split(separator: "/").last ?? "etcd"))")
      io.out("     CGroup: /system.slice/\(name).service")
      io.out("             └─\(pid) \(u.execStart)")
    }
    let lines = u.journal.suffix(10)
    if !lines.isEmpty {
      io.out("")
      for l in lines { io.out(line(l, host: host)) }
    }
  }

  func journalctl(_ args: [String], session: Session, io: inout IO) -> Int32 {
    let q: Session.JournalQuery
    switch Session.journalQuery(args) {
    case .failure(let e):
      io.err(e.line)
      return 1
    case .success(let query): q = query
    }
    lock.lock()
    let all = units.filter { $0.key.hasPrefix(session.host + "/") && (q.unit == nil || $0.key == key(session.host, q.unit ?? "")) }
      .flatMap(\.value.journal).sorted { $0.time < $1.time }
    lock.unlock()
    let lines = q.select(all)
    if lines.isEmpty {
      io.out("-- No entries --")
    } else {
      for l in lines { io.out(line(l, host: session.host)) }
    }
    if q.follow { session.followNotice("journalctl -f", io: &io) }
    return 0
  }

  private func line(_ e: Entry, host: String) -> String { "\(Self.format(e.time, "%b %d %H:%M:%S")) \(host) \(e.source): \(e.text)" }

  static func format(_ date: Date, _ pattern: String) -> String {
    var t = time_t(date.timeIntervalSince1970)
    var parts = tm()
    gmtime_r(&t, &parts)
    var buffer = [CChar](repeating: 0, count: 64)
    let n = strftime(&buffer, buffer.count, pattern, &parts)
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
