import EtcdSim

extension Session {
  /// `etcd ARGS`: parse as etcd does, then start a server in the world. In the foreground a
  /// server that keeps running holds the prompt (interactive) or runs 5 s (transcript).
  /// etcd's flags parsed as `EtcdLauncher` does, the time stamps of its messages from the world's
  /// clock and random draws (`micros` draws one). It holds no copy of the world: a copy alive while
  /// the world changes would make that change copy every host (and a long journal each time).
  mutating func parseEtcd(_ args: [String], env: [String: String], version: String, micros: (inout SeededRandom) -> Int) -> EtcdLauncher.Parsed {
    var rng = world.rng
    let now = world.now
    let parsed = EtcdLauncher.parse(args, env: env, version: version) { SimTime.capnslog(now, micros: micros(&rng)) }
    world.rng = rng
    return parsed
  }

  mutating func etcd(_ args: [String], env: [String: String], targets: Targets, background: Bool, version: String, executable: String = "/usr/local/bin/etcd", io: inout IO) -> Int32 {
    let parsed = parseEtcd(args, env: env, version: version) { Int($0.int(in: 0...999_999)) % 1000 }
    world.advance(by: 5)
    io.command = "etcd"
    switch parsed {
    case .exit(let out, let err, let status, let error):
      io.write(Array(out.utf8))
      io.write(Array(err.utf8), to: .stderr)
      io.error = error
      if suggestions, case .flagUndefined(let flag)? = error, let best = EtcdLauncher.closestFlag(to: flag, version: version) {
        io.err("etcdlab: did you mean '--\(best)'?")
      }
      return status
    case .start(let config):
      guard takeServerStart(&io) else { return 1 }
      let sink: LogSink
      // etcd logs to stderr: only where stderr goes matters.
      if let file = targets.stderr {
        sink = file == "/dev/null" ? .discard : .file(file)
      } else {
        sink = .terminal
      }
      let commandLine = "etcd " + args.joined(separator: " ")
      let pid = world.startEtcd(World.StartRequest(host: host, cwd: cwd, config: config, commandLine: commandLine, sink: sink, background: background, version: version, executable: executable))
      if background {
        variables["!"] = String(pid)
        return 0
      }
      return holdForeground(pid: pid, io: &io)
    }
  }

  /// A foreground process: its output so far, then what it does while it holds the prompt.
  mutating func holdForeground(pid: Int32, io: inout IO) -> Int32 {
    var out = world.drainTerminal(pid: pid)
    if let status = world.process(pid: pid)?.exitStatus {
      for l in out { io.err(l) }
      io.error = world.process(pid: pid)?.failure
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
