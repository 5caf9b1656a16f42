import EtcdSim

/// A shell on a simulated host: runs command lines against the world.
/// Nothing here touches the real machine.
public struct Session: Sendable {
  public var world: World
  public var host: String
  public var cwd: String
  /// Exported variables (what commands see).
  public var environment: [String: String]
  /// Shell variables that are not exported.
  public var variables: [String: String] = [:]
  public var lastStatus: Int32 = 0
  /// `--transcript`: a foreground etcd that keeps running prints 5 s of output, then gets SIGTERM.
  public var transcriptMode: Bool
  /// Print etcdlab's own suggestions (never in bare transcripts).
  public var suggestions: Bool
  /// A foreground process still running after the last line (interactive mode only).
  public internal(set) var heldProcess: Int32?

  public init(world: World, host: String, transcriptMode: Bool = false, suggestions: Bool = true) {
    self.world = world
    self.host = host
    self.cwd = "/root"
    self.transcriptMode = transcriptMode
    self.suggestions = suggestions
    environment = ["HOME": "/root", "USER": "root", "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME": host, "SHELL": "/bin/bash"]
  }

  /// Runs one line; returns what it printed and its exit status.
  public mutating func run(_ line: String) -> (io: IO, status: Int32) {
    var io = IO()
    heldProcess = nil
    switch ShellParser.parse(line) {
    case .failure(let e):
      for l in e.lines { io.err(l) }
      lastStatus = 2
      return (io, 2)
    case .success(let list):
      var status: Int32 = lastStatus
      var skip = false
      for (pipeline, connector) in list.items {
        if !skip {
          status = runPipeline(pipeline, background: connector == .background, io: &io)
          lastStatus = status
        }
        switch connector {
        case .and: skip = status != 0
        case .or: skip = status == 0
        default: skip = false
        }
      }
      return (io, status)
    }
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
        var sub = self
        sub.heldProcess = nil
        let (out, status) = sub.run(cmd)
        world = sub.world
        lastStatus = status
        var text = String(decoding: out.bytes(of: .stdout), as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        if quoted { current += text; hasContent = true } else { split(text) }
      }
    }
    if hasContent || !current.isEmpty { fields.append(current) }
    return fields
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
    var words: [String] = []
    for w in cmd.words { words.append(contentsOf: expand(w)) }
    var targets = Targets()
    for r in cmd.redirections {
      let target = expand(r.target).joined(separator: " ")
      switch r.kind {
      case .input:
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
    deliver(cio, targets: targets, io: &io)
    return status
  }

  /// Sends a command's output to the terminal or to the files its redirections name.
  mutating func deliver(_ out: IO, targets: Targets, io: inout IO) {
    for c in out.chunks {
      var dest = c.stream == .stdout ? targets.stdout : (targets.stderrToStdout ? targets.stdout : targets.stderr)
      var stream = c.stream
      if c.stream == .stdout && targets.stdoutToStderr { dest = targets.stderr; stream = .stderr }
      if c.stream == .stderr && targets.stderrToStdout { stream = .stdout }
      guard let d = dest else { io.write(c.bytes, to: stream); continue }
      if d == "/dev/null" { continue }
      let text = String(decoding: c.bytes, as: UTF8.self)
      _ = world.withFileSystem(of: host) { fs, t in fs.append(d, text, at: t) }
    }
  }
}
