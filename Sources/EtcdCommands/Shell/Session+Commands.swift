import EtcdSim

extension Session {
  /// The commands this shell knows, for `command not found` suggestions.
  public static let commandNames = [
    "etcd", "etcdctl", "export", "unset", "echo", "cd", "pwd", "ls", "rm", "mkdir", "cat", "sleep", "pkill", "kill",
    "true", "false", "od", "hostname", "ps", "grep", "date", "env", "exit",
  ]

  mutating func execute(_ words: [String], env: [String: String], targets: Targets, background: Bool, io: inout IO) -> Int32 {
    let name = words[0]
    let args = Array(words.dropFirst())
    switch name {
    case "etcdctl":
      world.advance(by: 2)
      return Etcdctl.run(args, env: env, host: host, cwd: cwd, io: &io, backend: &world)
    case "etcd":
      return etcd(args, env: env, targets: targets, background: background, io: &io)
    case "export":
      for a in args {
        if let eq = a.firstIndex(of: "=") {
          environment[String(a[..<eq])] = String(a[a.index(after: eq)...])
          variables[String(a[..<eq])] = nil
        } else if let v = variables[a] {
          environment[a] = v
          variables[a] = nil
        } else if environment[a] == nil {
          environment[a] = ""
        }
      }
      return 0
    case "unset":
      for a in args { environment[a] = nil; variables[a] = nil }
      return 0
    case "echo":
      var a = args
      var newline = true
      if a.first == "-n" { newline = false; a.removeFirst() }
      io.write(Array((a.joined(separator: " ") + (newline ? "\n" : "")).utf8))
      return 0
    case "true", "exit": return 0
    case "false": return 1
    case "pwd":
      io.out(cwd)
      return 0
    case "hostname":
      io.out(host)
      return 0
    case "date":
      io.out(SimTime.date(world.now))
      return 0
    case "env":
      for k in env.keys.sorted() { io.out("\(k)=\(env[k]!)") }
      return 0
    case "cd":
      let target = path(args.first ?? "/root")
      guard world.host(host)?.fs.isDirectory(target) == true else {
        io.err("bash: cd: \(args.first ?? ""): No such file or directory")
        return 1
      }
      cwd = target
      return 0
    case "sleep":
      guard let s = args.first, let secs = Double(s.hasSuffix("s") ? String(s.dropLast()) : s) else {
        io.err("sleep: missing operand")
        io.err("Try 'sleep --help' for more information.")
        return 1
      }
      if !background { world.advance(by: Millis(secs * 1000)) }
      return 0
    case "ls": return ls(args, io: &io)
    case "rm": return rm(args, io: &io)
    case "mkdir":
      for a in args where !a.hasPrefix("-") {
        let p = path(a)
        if world.host(host)?.fs.exists(p) == true && !args.contains("-p") {
          io.err("mkdir: cannot create directory ‘\(a)’: File exists")
          return 1
        }
        _ = world.withFileSystem(of: host) { fs, t in fs.makeDirectories(p, at: t) }
      }
      return 0
    case "cat":
      if args.isEmpty { io.write(io.stdin); return 0 }
      var status: Int32 = 0
      for a in args {
        let p = path(a)
        switch world.host(host)?.fs.node(p) {
        case .file(.bytes(let b))?: io.write(b)
        case .file?: io.write(Array("\u{7f}ELF".utf8))
        case .directory?: io.err("cat: \(a): Is a directory"); status = 1
        case nil: io.err("cat: \(a): No such file or directory"); status = 1
        }
      }
      return status
    case "pkill", "kill": return signal(name, args, io: &io)
    case "ps":
      io.out("    PID TTY          TIME CMD")
      for p in world.processes where p.isRunning && p.host == host {
        io.out("\(String(repeating: " ", count: max(0, 7 - String(p.pid).count)))\(p.pid) pts/0    00:00:01 \(p.commandLine)")
      }
      return 0
    case "grep":
      let pattern = args.first { !$0.hasPrefix("-") } ?? ""
      let invert = args.contains("-v")
      let lines = io.stdinText.split(separator: "\n", omittingEmptySubsequences: false).dropLast(io.stdinText.hasSuffix("\n") ? 1 : 0)
      let hits = lines.filter { $0.contains(pattern) != invert }
      for l in hits { io.out(String(l)) }
      return hits.isEmpty ? 1 : 0
    case "od":
      guard args.contains("-An"), args.contains("-tx1") else {
        io.err("etcdlab: only 'od -An -tx1' is simulated")
        return 1
      }
      let b = io.stdin
      var k = 0
      while k < b.count {
        io.out(b[k..<min(k + 16, b.count)].map { " " + Hex.byte($0) }.joined())
        k += 16
      }
      return 0
    default:
      io.err("bash: \(name): command not found")
      if suggestions, let s = Session.suggest(name) { io.err("etcdlab: did you mean '\(s)'?") }
      return 127
    }
  }

  /// The known command closest to a mistyped one.
  public static func suggest(_ name: String) -> String? {
    let best = commandNames.map { ($0, Levenshtein.distance(name, $0)) }.min { $0.1 < $1.1 }
    guard let (cmd, d) = best, d <= max(1, name.count / 3) else { return nil }
    return cmd
  }

  mutating func etcd(_ args: [String], env: [String: String], targets: Targets, background: Bool, io: inout IO) -> Int32 {
    guard let version = world.host(host)?.etcdVersion else {
      io.err("bash: etcd: command not found")
      return 127
    }
    var stampWorld = world
    let parsed = EtcdLauncher.parse(args, env: env, version: version) {
      SimTime.capnslog(stampWorld.now, micros: Int(stampWorld.rng.int(in: 0...999_999)) % 1000)
    }
    world.rng = stampWorld.rng
    world.advance(by: 5)
    switch parsed {
    case .exit(let out, let err, let status):
      io.write(Array(out.utf8))
      io.write(Array(err.utf8), to: .stderr)
      return status
    case .start(let config):
      let sink: LogSink
      if let file = targets.stderr ?? targets.stdout {
        sink = file == "/dev/null" ? .discard : .file(file)
      } else {
        sink = .terminal
      }
      let commandLine = "etcd " + args.joined(separator: " ")
      let pid = world.startEtcd(World.StartRequest(host: host, cwd: cwd, config: config, commandLine: commandLine, sink: sink, background: background, version: version))
      if background {
        environment["!"] = String(pid)
        return 0
      }
      var out = world.drainTerminal(pid: pid)
      if let status = world.process(pid: pid)?.exitStatus {
        for l in out { io.err(l) }
        world.reap(pid: pid)
        return status
      }
      if transcriptMode {
        // What real etcd prints in its first 5 seconds, then SIGTERM (as the captures end it),
        // unless it ends by itself first.
        let ended = world.wait(until: world.now + 5000) { $0.process(pid: pid)?.isRunning != true }
        out += world.drainTerminal(pid: pid)
        if ended, let status = world.process(pid: pid)?.exitStatus {
          for l in out { io.err(l) }
          world.reap(pid: pid)
          return status
        }
        for l in out { io.err(l) }
        world.signal(pid: pid, 15)
        _ = world.drainTerminal(pid: pid)
        world.reap(pid: pid)
        return 143
      }
      for l in out { io.err(l) }
      heldProcess = pid
      return 0
    }
  }

  mutating func ls(_ args: [String], io: inout IO) -> Int32 {
    let opts = args.filter { $0.hasPrefix("-") }.joined()
    let all = opts.contains("a")
    let long = opts.contains("l")
    var names = args.filter { !$0.hasPrefix("-") }
    if names.isEmpty { names = ["."] }
    guard let fs = world.host(host)?.fs else { return 1 }
    var status: Int32 = 0
    var blocks: [String] = []
    var files: [String] = []
    for n in names {
      let p = path(n)
      guard let node = fs.node(p) else {
        io.err("ls: cannot access '\(n)': No such file or directory")
        status = 2
        continue
      }
      if node == .directory {
        var entries = fs.children(p)
        if !all { entries = entries.filter { !$0.hasPrefix(".") } }
        let lines = entries.map { long ? longLine(fs, p == "/" ? "/" + $0 : p + "/" + $0, $0) : $0 }
        let body = (long ? ["total \(entries.count * 4)"] : []) + lines
        blocks.append((names.count > 1 ? "\(n):\n" : "") + body.map { $0 + "\n" }.joined())
      } else {
        files.append(long ? longLine(fs, p, n) : n)
      }
    }
    var out = files.map { $0 + "\n" }.joined()
    if !files.isEmpty && !blocks.isEmpty { out += "\n" }
    out += blocks.joined(separator: "\n")
    io.write(Array(out.utf8))
    return status
  }

  func longLine(_ fs: FileSystem, _ p: String, _ name: String) -> String {
    let dir = fs.isDirectory(p)
    let c = SimTime.civil(fs.mtimes[p] ?? world.now)
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][c.month - 1]
    let size = String(fs.size(p))
    let mode: String
    if dir { mode = "drwx------" } else if case .executable? = fs.content(p) { mode = "-rwxr-xr-x" } else { mode = "-rw-r--r--" }
    return "\(mode) 1 root root \(String(repeating: " ", count: max(0, 8 - size.count)))\(size) \(month) \(c.day < 10 ? " " : "")\(c.day) \(SimTime.pad(c.hour, 2)):\(SimTime.pad(c.minute, 2)) \(name)"
  }

  mutating func rm(_ args: [String], io: inout IO) -> Int32 {
    let opts = args.filter { $0.hasPrefix("-") }.joined()
    let recursive = opts.contains("r") || opts.contains("R")
    let force = opts.contains("f")
    var status: Int32 = 0
    let targets = args.filter { !$0.hasPrefix("-") }
    if targets.isEmpty && !force {
      io.err("rm: missing operand")
      io.err("Try 'rm --help' for more information.")
      return 1
    }
    for t in targets {
      let p = path(t)
      guard let fs = world.host(host)?.fs, let node = fs.node(p) else {
        if !force { io.err("rm: cannot remove '\(t)': No such file or directory"); status = 1 }
        continue
      }
      if node == .directory && !recursive {
        io.err("rm: cannot remove '\(t)': Is a directory")
        status = 1
        continue
      }
      if p == "/" {
        io.err("rm: it is dangerous to operate recursively on '/'")
        io.err("rm: use --no-preserve-root to override this failsafe")
        status = 1
        continue
      }
      _ = world.withFileSystem(of: host) { fs, _ in fs.remove(p) }
    }
    return status
  }

  mutating func signal(_ name: String, _ args: [String], io: inout IO) -> Int32 {
    var sig: Int32 = 15
    var rest: [String] = []
    var full = false
    for a in args {
      switch a {
      case "-9", "-KILL", "-SIGKILL", "-s9": sig = 9
      case "-15", "-TERM", "-SIGTERM": sig = 15
      case "-2", "-INT", "-SIGINT": sig = 2
      case "-f": full = true
      default: rest.append(a)
      }
    }
    if name == "kill" {
      guard !rest.isEmpty else {
        io.err("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]")
        return 2
      }
      var status: Int32 = 0
      for a in rest {
        guard let pid = Int32(a), let p = world.process(pid: pid), p.isRunning, p.host == host else {
          io.err("bash: kill: (\(a)) - No such process")
          status = 1
          continue
        }
        world.signal(pid: pid, sig)
      }
      return status
    }
    guard let pattern = rest.first else {
      io.err("pkill: no matching criteria specified")
      io.err("Try `pkill --help' for more information.")
      return 2
    }
    let victims = world.processes.filter { p in
      guard p.isRunning, p.host == host else { return false }
      return full ? p.commandLine.contains(pattern) : (p.commandLine.split(separator: " ").first.map { $0.contains(pattern) } ?? false)
    }
    for v in victims { world.signal(pid: v.pid, sig) }
    world.advance(by: 5)
    return victims.isEmpty ? 1 : 0
  }
}
