import EtcdSim

extension Session {
  static let processCommands: [String: Builtin] = [
    "ps": { s, c, io in s.ps(c.args, io: &io) },
    "pgrep": { s, c, io in
      let o = TextTools.Options(c.args, longAliases: ["full": "f", "list-full": "a"])
      guard let pattern = o.operands.first else {
        io.err("pgrep: no matching criteria specified")
        io.err("Try `pgrep --help' for more information.")
        return 2
      }
      let hits = s.matching(pattern, full: o.flags.contains("f"))
      for p in hits { io.out(o.flags.contains("a") || o.flags.contains("l") ? "\(p.pid) \(o.flags.contains("a") ? s.fullCommand(p) : "etcd")" : "\(p.pid)") }
      return hits.isEmpty ? 1 : 0
    },
    "pkill": { s, c, io in
      // A number that is no signal is read by getopt as options, and digits are none.
      if let a = c.args.first, a.dropFirst().first?.isNumber == true, a.hasPrefix("-"), !Session.signalNumber(a).isSignal {
        io.err("pkill: invalid option -- '\(a.dropFirst().first!)'")
        return 2
      }
      let o = TextTools.Options(c.args.filter { !Session.signalNumber($0).isSignal }, longAliases: ["full": "f"])
      let sig = c.args.lazy.map(Session.signalNumber).first { $0.isSignal }?.number ?? 15
      guard let pattern = o.operands.first else {
        io.err("pkill: no matching criteria specified")
        io.err("Try `pkill --help' for more information.")
        return 2
      }
      let victims = s.matching(pattern, full: o.flags.contains("f"))
      for v in victims { s.world.signal(pid: v.pid, sig) }
      s.world.advance(by: 5)
      return victims.isEmpty ? 1 : 0
    },
    "kill": { s, c, io in s.kill(c.args, io: &io) },
    "jobs": { s, c, io in
      for (k, job) in s.jobs.enumerated() {
        let mark = k == s.jobs.count - 1 ? "+" : k == s.jobs.count - 2 ? "-" : " "
        let running = s.world.process(pid: job.pid)?.isRunning == true
        let word = running ? "Running" : (s.world.process(pid: job.pid)?.exitStatus).map { $0 == 0 ? "Done" : "Exit \($0)" } ?? "Done"
        io.out("[\(job.number)]\(mark)  \(c.args.contains("-l") ? "\(job.pid) " : "")\(word.padding(24))\(job.text) &")
      }
      return 0
    },
    "wait": { s, c, io in
      let pids = c.args.isEmpty ? s.jobs.map(\.pid) : c.args.compactMap { s.jobPID($0) }
      let running = pids.filter { s.world.process(pid: $0)?.isRunning == true }
      if let pid = running.first { return s.holdForeground(pid: pid, io: &io) }
      return pids.last.flatMap { s.world.process(pid: $0)?.exitStatus } ?? 0
    },
    "fg": { s, c, io in
      guard let pid = (c.args.first.map { s.jobPID($0) } ?? s.jobs.last?.pid), let job = s.jobs.first(where: { $0.pid == pid }) else {
        io.err("bash: fg: current: no such job")
        return 1
      }
      io.out(job.text)
      s.jobs.removeAll { $0.pid == pid }
      return s.holdForeground(pid: pid, io: &io)
    },
    "bg": { s, c, io in
      guard let job = (c.args.first.flatMap { s.jobPID($0) }.flatMap { pid in s.jobs.first { $0.pid == pid } } ?? s.jobs.last) else {
        io.err("bash: bg: current: no such job")
        return 1
      }
      io.err("bash: bg: job \(job.number) already in background")
      return 0
    },
  ]

  /// The pid a job spec (`%1`, `%%`) or a number names.
  func jobPID(_ spec: String) -> Int32? {
    if spec == "%%" || spec == "%+" { return jobs.last?.pid }
    if spec.hasPrefix("%"), let n = Int(spec.dropFirst()) { return jobs.first { $0.number == n }?.pid }
    return Int32(spec)
  }

  /// pkill's `-SIGNAL` (a number or a name, with or without SIG), if `arg` is one.
  static func signalNumber(_ arg: String) -> (isSignal: Bool, number: Int32) {
    guard arg.hasPrefix("-"), arg.count > 1, let n = Numbers.signal(String(arg.dropFirst())) else { return (false, 0) }
    return (true, n)
  }

  /// `kill -l`: the signals five to a line, as bash lists them.
  static var signalList: String {
    var out = ""
    for (k, n) in Numbers.signalNames.keys.filter({ $0 > 0 }).sorted().enumerated() {
      out += (n < 10 ? " " : "") + "\(n)) SIG\(Numbers.signalNames[n]!)" + (k % 5 == 4 ? "\n" : "\t")
    }
    return out.hasSuffix("\n") ? out : out + "\n"
  }

  /// `kill -l NAME|NUMBER...`: each number's name (an exit status above 128 names its signal), each name's number.
  static func listSignals(_ specs: [String], io: inout IO) -> Int32 {
    var status: Int32 = 0
    for spec in specs {
      if let n = Numbers.bashInteger(spec) {
        let number = n > 128 ? n - 128 : n
        if let name = Numbers.signalNames[Int32(clamping: number)], (0...64).contains(number) { io.out(name); continue }
      } else if let n = Numbers.signal(spec) {
        io.out(String(n))
        continue
      }
      io.err("bash: kill: \(spec): invalid signal specification")
      status = 1
    }
    return status
  }

  /// Processes of this host whose name (or, with `full`, command line) contains `pattern`.
  func matching(_ pattern: String, full: Bool) -> [SimProcess] {
    world.processes.filter { p in
      guard p.isRunning, p.host == host else { return false }
      let text = full ? fullCommand(p) : "etcd"
      if let re = try? Regex(pattern) { return text.contains(re) }
      return text.contains(pattern)
    }
  }

  func fullCommand(_ p: SimProcess) -> String {
    p.commandLine.hasPrefix("etcd ") ? p.commandLine : p.commandLine
  }

  /// bash's `kill`: `-s SIG`, `-n NUM`, `-SIG` (the first only; a later `-N` is a process
  /// group), `--` ending the options, `-l`.
  mutating func kill(_ args: [String], io: inout IO) -> Int32 {
    var sig: Int32 = 15
    var sawSignal = false
    var rest = args[...]
    func use(_ spec: String) -> Bool {
      guard let n = Numbers.signal(spec) else {
        io.err("bash: kill: \(spec): invalid signal specification")
        return false
      }
      sig = n
      sawSignal = true
      return true
    }
    while let a = rest.first, a.hasPrefix("-"), a.count > 1 {
      rest = rest.dropFirst()
      let body = a.dropFirst()
      if a == "-l" || a == "-L" {
        if rest.isEmpty { io.write(Array(Session.signalList.utf8)); return 0 }
        return Session.listSignals(Array(rest), io: &io)
      }
      if a == "-s" || a == "-n" {
        guard let spec = rest.popFirst() else {
          io.err("bash: kill: \(a): option requires an argument")
          return 1
        }
        guard use(spec) else { return 1 }
      } else if (body.first == "s" && body.dropFirst().first?.isLetter == true) || (body.first == "n" && body.dropFirst().first?.isNumber == true) {
        guard use(String(body.dropFirst())) else { return 1 }
      } else if a == "--" {
        break
      } else if !sawSignal {
        guard use(String(body)) else { return 1 }
      } else {
        rest = [a] + rest
        break
      }
    }
    let targets = Array(rest)
    guard !targets.isEmpty else {
      io.err("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]")
      return 2
    }
    var status: Int32 = 0
    for t in targets {
      if t.hasPrefix("%") && jobPID(t) == nil {
        io.err("bash: kill: \(t): no such job")
        status = 1
        continue
      }
      guard let pid = jobPID(t) else {
        io.err("bash: kill: \(t): arguments must be process or job IDs")
        status = 1
        continue
      }
      guard let p = world.process(pid: pid), p.isRunning, p.host == host else {
        io.err("bash: kill: (\(t)) - No such process")
        status = 1
        continue
      }
      world.signal(pid: pid, sig)
    }
    world.advance(by: 5)
    return status
  }

  mutating func ps(_ args: [String], io: inout IO) -> Int32 {
    let joined = args.joined(separator: " ")
    let mine = world.processes.filter { $0.isRunning && $0.host == host }
    let start = SimTime.civil(world.now - 3_600_000)
    let boot = "\(SimTime.pad(start.hour, 2)):\(SimTime.pad(start.minute, 2))"
    func started(_ p: SimProcess) -> String {
      let c = SimTime.civil(p.startedAt)
      return "\(SimTime.pad(c.hour, 2)):\(SimTime.pad(c.minute, 2))"
    }
    func cpuTime(_ p: SimProcess) -> Int { Int((world.now - p.startedAt) / 60_000 / 20) }
    if joined.contains("aux") {
      io.out("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND")
      io.out("root           1  0.0  0.2 167744 11544 ?        Ss   \(boot)   0:01 /sbin/init")
      io.out("root         412  0.0  0.1  15432  8912 ?        Ss   \(boot)   0:00 sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups")
      for p in mine {
        io.out("root   \(String(p.pid).leftPad(9))  1.1  2.4 11214452 48764 \(p.background ? "?       " : "pts/0   ") Ssl  \(started(p))   0:\(SimTime.pad(cpuTime(p), 2)) \(fullCommand(p))")
      }
      io.out("root        4242  0.0  0.0   7064  3712 pts/0    Ss   \(boot)   0:00 -bash")
      let now = SimTime.civil(world.now)
      io.out("root        4243  0.0  0.0  11084  4352 pts/0    R+   \(SimTime.pad(now.hour, 2)):\(SimTime.pad(now.minute, 2))   0:00 ps \(joined)")
      return 0
    }
    if joined.contains("-ef") || joined.contains("-e") {
      io.out("UID          PID    PPID  C STIME TTY          TIME CMD")
      io.out("root           1       0  0 \(boot) ?        00:00:01 /sbin/init")
      for p in mine {
        io.out("root   \(String(p.pid).leftPad(9))       1  1 \(started(p)) \(p.background ? "?       " : "pts/0   ") 00:00:\(SimTime.pad(cpuTime(p), 2)) \(fullCommand(p))")
      }
      io.out("root        4242     412  0 \(boot) pts/0    00:00:00 -bash")
      return 0
    }
    io.out("    PID TTY          TIME CMD")
    io.out("   4242 pts/0    00:00:00 bash")
    for p in mine where jobs.contains(where: { $0.pid == p.pid }) {
      io.out("\(String(p.pid).leftPad(7)) pts/0    00:00:\(SimTime.pad(cpuTime(p), 2)) etcd")
    }
    io.out("   4243 pts/0    00:00:00 ps")
    return 0
  }
}
