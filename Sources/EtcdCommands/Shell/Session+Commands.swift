import EtcdSim

extension Session {
  typealias Builtin = @Sendable (inout Session, Invocation, inout IO) -> Int32

  /// One command's words, environment, redirections and whether it runs in the background.
  public struct Invocation: Sendable {
    public var name: String
    public var args: [String]
    public var env: [String: String]
    public var targets: Targets
    public var background: Bool
    /// The version of the etcd release the program file belongs to (`etcd`, `etcdctl`, `etcdutl`).
    public var version: String? = nil
    /// The file that runs, for etcd, etcdctl and etcdutl.
    public var executable: String? = nil
  }

  /// Where the shell finds etcd's programs by name: the first of these holding an executable.
  static let searchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

  /// The release version of the etcd program a command name or path runs, if it is one.
  func programVersion(_ name: String) -> String? { programFile(name)?.version }

  /// The file a command name runs (a path, or the first match along PATH), and its release.
  func programFile(_ name: String) -> (path: String, version: String)? {
    guard let i = world.hostIndex(host) else { return nil }
    if name.utf8.contains(UInt8(ascii: "/")) {
      if case .executable(_, let v)? = world.hosts[i].fs.content(path(name)) { return (path(name), v) }
      return nil
    }
    for dir in Session.searchPath {
      if case .executable(_, let v)? = world.hosts[i].fs.content(dir + "/" + name) { return (dir + "/" + name, v) }
    }
    return nil
  }

  /// Every command the simulated hosts offer.
  static let builtins: [String: Builtin] = [
    "etcdctl": { s, c, io in
      s.world.advance(by: 2)
      let status = Etcdctl.run(c.args, env: c.env, host: s.host, cwd: s.cwd, suggest: s.suggestions, binaryVersion: c.version ?? Etcdctl.version, io: &io, backend: &s.world)
      return s.stopNeverEnding(status, instead: "add --command-timeout=10s to get an error instead", io: &io)
    },
    "etcdutl": { s, c, io in
      Etcdutl.run(c.args, host: s.host, cwd: s.cwd, version: c.version ?? "3.5.17", io: &io, backend: &s.world)
    },
    "etcd": { s, c, io in s.etcd(c.args, env: c.env, targets: c.targets, background: c.background, version: c.version ?? Release.defaultVersion, executable: c.executable ?? "/usr/local/bin/etcd", io: &io) },
    "export": { s, c, io in s.export(c.args, io: &io) },
    "unset": { s, c, _ in
      for a in c.args { s.environment[a] = nil; s.variables[a] = nil }
      return 0
    },
    "echo": { _, c, io in
      var a = c.args
      var newline = true
      var escapes = false
      while let f = a.first, f == "-n" || f == "-e" || f == "-ne" || f == "-en" {
        if f.contains("n") { newline = false }
        if f.contains("e") { escapes = true }
        a.removeFirst()
      }
      let text = a.joined(separator: " ")
      io.write(Array(((escapes ? text.replacingEscapes() : text) + (newline ? "\n" : "")).utf8))
      return 0
    },
    "printf": { _, c, io in Session.printf(c.args, io: &io) },
    "true": { _, _, _ in 0 },
    "test": { s, c, io in s.test(c.args, bracket: false, io: &io) },
    "[": { s, c, io in s.test(c.args, bracket: true, io: &io) },
    ":": { _, _, _ in 0 },
    "false": { _, _, _ in 1 },
    "exit": { s, c, io in s.exit(c.args, io: &io) },
    "logout": { s, c, io in s.exit(c.args, io: &io) },
    "pwd": { s, _, io in io.out(s.cwd); return 0 },
    "hostname": { s, c, io in
      if c.args.contains("-I") || c.args.contains("-i") {
        io.out((s.world.host(s.host)?.addresses ?? []).joined(separator: " ") + " ")
      } else {
        io.out(s.host)
      }
      return 0
    },
    "whoami": { _, _, io in io.out("root"); return 0 },
    "id": { _, _, io in io.out("uid=0(root) gid=0(root) groups=0(root)"); return 0 },
    "date": { s, _, io in io.out(SimTime.date(s.world.now)); return 0 },
    "env": { _, c, io in
      for k in c.env.keys.sorted() { io.out("\(k)=\(c.env[k]!)") }
      return 0
    },
    "printenv": { _, c, io in
      if let name = c.args.first {
        guard let v = c.env[name] else { return 1 }
        io.out(v)
        return 0
      }
      for k in c.env.keys.sorted() { io.out("\(k)=\(c.env[k]!)") }
      return 0
    },
    "cd": { s, c, io in
      let arg = c.args.first ?? "/root"
      let target = s.path(arg == "-" ? (s.variables["OLDPWD"] ?? s.cwd) : arg)
      guard let directory = s.hosts.isDirectory(target, in: s) else {
        io.err("bash: cd: \(arg): No such file or directory")
        return 1
      }
      guard directory else {
        io.err("bash: cd: \(arg): Not a directory")
        return 1
      }
      s.variables["OLDPWD"] = s.cwd
      s.cwd = target
      return 0
    },
    "sleep": { s, c, io in s.sleep(c.args, background: c.background, io: &io) },
    "ssh": { s, c, io in s.ssh(c.args, io: &io) },
    "nohup": { s, c, io in
      guard let name = c.args.first else {
        io.err("nohup: missing operand")
        io.err("Try 'nohup --help' for more information.")
        return 125
      }
      var inner = c
      inner.name = name
      inner.args = Array(c.args.dropFirst())
      if inner.targets.stdout == nil {
        inner.targets.stdout = s.path("nohup.out")
        inner.targets.stdoutAppend = true
        if inner.targets.stderr == nil { inner.targets.stderrToStdout = true; inner.targets.stderr = inner.targets.stdout }
        if !s.transcriptMode { io.err("nohup: ignoring input and appending output to 'nohup.out'") }
      }
      return s.dispatch(inner, io: &io)
    },
    // What ncurses' clear writes for an xterm: home, erase the screen, erase the scrollback.
    "clear": { _, _, io in io.write(Array("\u{1b}[H\u{1b}[2J\u{1b}[3J".utf8)); return 0 },
    "history": { _, _, _ in 0 },
    "which": { s, c, io in
      var status: Int32 = 0
      for a in c.args {
        if let p = Session.programPaths[a], s.available(a) { io.out(p) } else { status = 1 }
      }
      return status
    },
  ]

  /// Where the programs live, for `which` and `ps`.
  static let programPaths: [String: String] = [
    "etcd": "/usr/local/bin/etcd", "etcdctl": "/usr/local/bin/etcdctl", "ssh": "/usr/bin/ssh", "systemctl": "/usr/bin/systemctl",
    "journalctl": "/usr/bin/journalctl", "grep": "/usr/bin/grep", "awk": "/usr/bin/awk", "sed": "/usr/bin/sed",
    "ls": "/usr/bin/ls", "cat": "/usr/bin/cat", "tar": "/usr/bin/tar", "scp": "/usr/bin/scp", "curl": "/usr/bin/curl",
  ]

  /// Tools a real host has that the simulation does not offer, and what to use instead.
  static let unavailable: [String: String] = [
    "vim": "use cat > FILE or sed -i", "vi": "use cat > FILE or sed -i", "nano": "use cat > FILE or sed -i",
    "emacs": "use cat > FILE or sed -i", "wget": "use curl, or scp between the hosts",
    "apt": "etcd is already installed", "apt-get": "etcd is already installed", "docker": "the hosts run etcd directly",
    "sudo": "you are root already", "su": "you are root already", "top": "use ps aux", "htop": "use ps aux",
    "ping": "use etcdctl endpoint health", "telnet": "use etcdctl endpoint health", "nc": "use etcdctl endpoint health",
    "python3": "use the shell's own tools", "python": "use the shell's own tools", "bash": "you are in a shell already",
    "sh": "you are in a shell already", "kubectl": "this lab has no Kubernetes", "ip": "use hostname -I",
    "ifconfig": "use hostname -I", "netstat": "use ps aux", "ss": "use ps aux", "lsof": "use ps aux",
  ]

  /// Every table of commands.
  static let tables: [[String: Builtin]] = [builtins, fileCommands, textCommands, processCommands, systemdCommands]

  static func command(_ name: String) -> Builtin? {
    for t in tables { if let b = t[name] { return b } }
    return nil
  }

  /// What never ends by itself (`io.waitsForever` says why): a transcript stops it after 5 s
  /// with SIGTERM, as the captures do; at the prompt it is stopped at once, as Ctrl-C would,
  /// with a notice saying why and what to do `instead`.
  mutating func stopNeverEnding(_ status: Int32, instead: String?, io: inout IO) -> Int32 {
    guard let why = io.waitsForever else { return status }
    io.waitsForever = nil
    if transcriptMode {
      world.advance(by: 5000)
      return 143
    }
    io.err("etcdlab: \(why). Stopped as if you pressed Ctrl-C" + (instead.map { "; " + $0 } ?? "") + ".")
    return 130
  }

  /// GNU sleep: the sum of its intervals (`1.5m`, `0x10`, `inf`), moved on the simulated clock.
  /// One longer than the clock can run never ends, and is stopped as other such commands are.
  mutating func sleep(_ args: [String], background: Bool, io: inout IO) -> Int32 {
    func usage(_ line: String) -> Int32 {
      io.err(line)
      io.err("Try 'sleep --help' for more information.")
      return 1
    }
    var operands: [String] = []
    var rest = args[...]
    while let a = rest.popFirst() {
      if a == "--" { operands += rest; break }
      if a.hasPrefix("--") { return usage("sleep: unrecognized option '\(a)'") }
      if a.hasPrefix("-"), let c = a.dropFirst().first { return usage("sleep: invalid option -- '\(c)'") }
      operands.append(a)
    }
    if operands.isEmpty { return usage("sleep: missing operand") }
    var seconds = 0.0
    var valid = true
    for a in operands {
      guard let v = Numbers.sleepSeconds(a) else {
        io.err("sleep: invalid time interval ‘\(a)’")
        valid = false
        continue
      }
      seconds += v
    }
    if !valid {
      io.err("Try 'sleep --help' for more information.")
      return 1
    }
    if background { return 0 }
    guard let ms = Millis(checked: seconds * 1000), ms <= SimLimits.clockEnd - world.now else {
      io.waitsForever = SimLimits.clockNotice((["sleep"] + args).joined(separator: " "))
      return stopNeverEnding(0, instead: nil, io: &io)
    }
    world.advance(by: ms)
    return 0
  }

  /// The names of every command, for `command not found` suggestions and completion.
  public static let commandNames: [String] = tables.flatMap(\.keys).sorted()

  public func available(_ name: String) -> Bool {
    if ["etcd", "etcdctl", "etcdutl"].contains(name) { return programVersion(name) != nil }
    return Session.command(name) != nil
  }

  mutating func execute(_ words: [String], env: [String: String], targets: Targets, background: Bool, io: inout IO) -> Int32 {
    var name = words[0]
    // A path to a program runs that program (`/usr/local/bin/etcd`, `./etcd`).
    if name.utf8.contains(UInt8(ascii: "/")) {
      let p = path(name)
      switch world.host(host)?.fs.content(p) {
      case .executable(let program, _)?: name = program
      case nil:
        io.err("bash: \(words[0]): No such file or directory")
        return 127
      default:
        io.err("bash: \(words[0]): Permission denied")
        return 126
      }
    }
    var call = Invocation(name: name, args: Array(words.dropFirst()), env: env, targets: targets, background: background)
    if ["etcd", "etcdctl", "etcdutl"].contains(name), let file = programFile(words[0]) {
      call.version = file.version
      call.executable = file.path
    }
    return dispatch(call, io: &io)
  }

  mutating func dispatch(_ call: Invocation, io: inout IO) -> Int32 {
    if ["etcd", "etcdctl", "etcdutl"].contains(call.name) && call.version == nil {
      return commandNotFound(call.name, io: &io)
    }
    let hosts = self.hosts
    if let status = hosts.run(call, in: &self, io: &io) { return status }
    if let instead = Session.unavailable[call.name] {
      io.err("etcdlab: '\(call.name)' is not available in this lab; \(instead)")
      return 127
    }
    return commandNotFound(call.name, io: &io)
  }

  mutating func commandNotFound(_ name: String, io: inout IO) -> Int32 {
    io.err("bash: \(name): command not found")
    if suggestions, let s = Session.suggest(name) { io.err("etcdlab: did you mean '\(s)'?") }
    return 127
  }

  /// The known command closest to a mistyped one.
  public static func suggest(_ name: String) -> String? {
    Levenshtein.nearest(name, among: commandNames, atMost: max(1, name.count / 3))
  }

  mutating func export(_ args: [String], io: inout IO) -> Int32 {
    if args.isEmpty || args == ["-p"] {
      for k in environment.keys.sorted() { io.out("declare -x \(k)=\(JSON.quote(environment[k]!))") }
      return 0
    }
    var status: Int32 = 0
    for a in args where a != "-n" {
      let name = a.firstIndex(of: "=").map { String(a[..<$0]) } ?? a
      guard let c = name.first, c == "_" || c.isLetter, name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) else {
        io.err("bash: export: `\(a)': not a valid identifier")
        status = 1
        continue
      }
      if let eq = a.firstIndex(of: "=") {
        environment[name] = String(a[a.index(after: eq)...])
        variables[name] = nil
      } else if let v = variables[name] {
        environment[name] = v
        variables[name] = nil
      } else if environment[name] == nil {
        environment[name] = ""
      }
    }
    return status
  }

  /// `printf FORMAT [ARGS]`; the format repeats for extra args.
  static func printf(_ args: [String], io: inout IO) -> Int32 {
    guard let format = args.first else {
      io.err("printf: usage: printf [-v var] format [arguments]")
      return 2
    }
    let p = Printf.run(format, Array(args.dropFirst()), room: io.outputRoom)
    // bash writes its complaints at once and its output when the builtin ends.
    for e in p.errors { io.err(e) }
    io.write(p.out)
    return p.status
  }

  // MARK: Hosts

  /// The host an ssh destination names: a host name, `user@host`, or one of its addresses.
  func resolveHost(_ destination: String) -> Host? {
    let name = destination.split(separator: "@").last.map(String.init) ?? destination
    if name == "localhost" || name == "127.0.0.1" { return world.host(host) }
    return world.host(name) ?? world.hostOwning(name)
  }

  mutating func ssh(_ args: [String], io: inout IO) -> Int32 {
    var rest = args[...]
    while let a = rest.first, a.hasPrefix("-") {
      rest = rest.dropFirst()
      if ["-p", "-l", "-i", "-o", "-F"].contains(a) { rest = rest.dropFirst() }
    }
    guard let destination = rest.popFirst() else {
      io.err("usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]")
      io.err("           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]")
      io.err("           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]")
      io.err("           [-J destination] [-L address] [-l login_name] [-m mac_spec]")
      io.err("           [-O ctl_cmd] [-o option] [-p port] [-Q query_option] [-R address]")
      io.err("           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]")
      io.err("           destination [command [argument ...]]")
      return 255
    }
    let name = destination.split(separator: "@").last.map(String.init) ?? destination
    guard let target = resolveHost(destination) else {
      if name.split(separator: ".").count == 4, name.split(separator: ".").allSatisfy({ Int($0) != nil }) {
        world.advance(by: 3000)
        io.err("ssh: connect to host \(name) port 22: No route to host")
      } else {
        io.err("ssh: Could not resolve hostname \(name): Name or service not known")
      }
      return 255
    }
    world.advance(by: 40)
    if !rest.isEmpty {
      // `ssh HOST COMMAND`: one command in a fresh login shell there.
      var remote = Session(world: world, host: target.name, transcriptMode: true, suggestions: suggestions)
      world = World(seed: 0)  // the world is the remote shell's while it runs: changed in place, not copied
      remote.notedExits = notedExits
      remote.notedLogs = notedLogs
      remote.hosts = hosts
      remote.budget = budget  // the command there is part of this line: it shares its budget
      var (out, status) = remote.run(rest.joined(separator: " "))
      remote.noteEndedServers()
      world = remote.world
      budget = remote.budget
      // What ran there is recorded as it ran, on that host; the ssh itself only carries the output.
      events.append(contentsOf: remote.events)
      notedExits = remote.notedExits
      notedLogs = remote.notedLogs
      out.error = nil
      out.authenticatedTLS = false
      out.handshake = nil
      io.append(out)
      return status
    }
    outerShells.append(Shell(host: host, cwd: cwd, environment: environment, variables: variables, jobs: jobs))
    host = target.name
    cwd = "/root"
    environment = Session.loginEnvironment(host: target.name)
    variables = [:]
    jobs = []
    if !transcriptMode { io.out("Linux \(target.name) 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22) x86_64") }
    return 0
  }

  mutating func exit(_ args: [String], io: inout IO) -> Int32 {
    // bash: one number, taken modulo 256; anything else still exits, with status 2.
    if args.count > 1 {
      io.err("bash: exit: too many arguments")
      return 1
    }
    var code = lastStatus
    if let a = args.first {
      if let n = Numbers.bashInteger(a) {
        code = Int32(truncatingIfNeeded: n & 255)
      } else {
        io.err("bash: exit: \(a): numeric argument required")
        code = 2
      }
    }
    guard let outer = outerShells.popLast() else {
      exitRequested = true
      return code
    }
    let left = host
    if !transcriptMode { io.out("logout") }
    io.err("Connection to \(left) closed.")
    host = outer.host
    cwd = outer.cwd
    environment = outer.environment
    variables = outer.variables
    jobs = outer.jobs
    return code
  }
}
