import EtcdCommands
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The real side of the shell's `HostRunner`: `etcd`, `etcdctl` and the file commands run as real
/// processes in the current host's namespaces (`HostTopology`), their argument vector the words
/// etcdlab's shell parsed; the shell's own redirections open real files there. Every other
/// command stays the simulated builtin (`SimulatedHosts`).
///
/// A command enters its host with nsenter and runs under a fixed bash program (`wrapper`) that
/// changes to the shell's directory and opens the redirections inside the host, where only the
/// host's own folders are writable; the student's words reach it only as arguments.
public final class RealHosts: HostRunner, @unchecked Sendable {
  public let topology: HostTopology
  private let lock = NSLock()
  private var background: [pid_t] = []
  private let bash: String

  /// What runs as a real process. None of them runs other programs (no `find -exec`, `sed e`,
  /// `awk system`): the student's words never become a command line of a shell.
  public static let programs: Set<String> = [
    "etcd", "etcdctl", "ls", "cat", "rm", "rmdir", "mkdir", "cp", "mv", "touch", "stat", "du", "head", "tail", "tee", "grep", "wc", "sleep", "ps",
  ]
  /// How long a foreground etcd runs before it is stopped with SIGTERM (as the simulator's transcripts do).
  public static let foregroundEtcdSeconds = 5.0
  /// How long any other command may run.
  public static let commandSeconds = 300.0

  /// The program that runs every command in a host: `bash -c WRAPPER bash DIR OUT ERR PROGRAM ARGS...`.
  /// OUT and ERR: empty (etcdlab reads it), `>PATH`, `>>PATH`, `&1` (ERR to OUT), `&2` (OUT to ERR).
  /// A redirection that fails ends it with `redirectionFailed` (bash's `bash: line 1: PATH: why` on stderr).
  static let wrapper = [
    #"d=$1 o=$2 e=$3; shift 3; cd -- "$d" 2>/dev/null || cd /"#,
    #"case $o in '>>'*) exec >>"${o:2}" || exit 254 ;; '>'*) exec >"${o:1}" || exit 254 ;; esac"#,
    #"case $e in '&1') exec 2>&1 ;; '>>'*) exec 2>>"${e:2}" || exit 254 ;; '>'*) exec 2>"${e:1}" || exit 254 ;; esac"#,
    #"[[ $o == '&2' ]] && exec 1>&2; exec "$@""#,
  ].joined(separator: "; ")
  static let redirectionFailed: Int32 = 254

  public init(_ topology: HostTopology) {
    self.topology = topology
    bash = Spawn.which("bash") ?? "/bin/bash"
  }

  /// Ends every process of the hosts (and the hosts).
  public func close() {
    topology.close()
    lock.lock()
    for pid in background { _ = Spawn.ended(pid) }
    background = []
    lock.unlock()
  }

  // MARK: HostRunner

  public func run(_ call: Session.Invocation, in session: inout Session, io: inout IO) -> Int32? {
    guard Self.programs.contains(call.name) else { return SimulatedHosts().run(call, in: &session, io: &io) }
    let t = call.targets
    let out = t.stdoutToStderr ? "&2" : t.stdout.map { ">>" + $0 } ?? ""
    let err = t.stderrToStdout && t.stderr == t.stdout ? "&1" : t.stderr.map { ">>" + $0 } ?? ""
    let argv = [call.name] + call.args
    if call.background {
      do {
        try start(argv, host: session.host, cwd: session.cwd, out: out, err: err, env: call.env)
      } catch {
        io.err("etcdlab: \(error)")
        return 126
      }
      return 0
    }
    let limit = call.name == "etcd" ? Self.foregroundEtcdSeconds : Self.commandSeconds
    guard let result = run(argv, host: session.host, cwd: session.cwd, out: out, err: err, env: call.env, input: io.stdin, limit: limit) else {
      io.err("etcdlab: cannot run \(call.name) on \(session.host)")
      return 126
    }
    for c in result.chunks { io.write(c.bytes, to: c.stream) }
    if result.stopped && !session.transcriptMode {
      io.err("etcdlab: \(call.name) was still running after \(Int(limit)) s; stopped with SIGTERM (start etcd with & to keep it running).")
    }
    return result.status
  }

  public func prepareOutput(_ path: String, append: Bool, in session: inout Session) -> String? {
    guard let result = run(["true"], host: session.host, cwd: session.cwd, out: (append ? ">>" : ">") + path, err: "", env: [:]) else {
      return "bash: \(path): cannot open"
    }
    guard result.status != 0 else { return nil }
    let text = String(decoding: result.bytes(of: .stderr), as: UTF8.self)
    return text.split(separator: "\n").first.map(String.init) ?? "bash: \(path): cannot open"
  }

  public func write(_ bytes: [UInt8], to path: String, in session: inout Session) -> Bool {
    run(["cat"], host: session.host, cwd: session.cwd, out: ">>" + path, err: "", env: [:], input: bytes)?.status == 0
  }

  public func read(_ path: String, in session: Session) -> [UInt8]?? {
    guard let result = run(["cat", "--", path], host: session.host, cwd: session.cwd, out: "", err: "", env: [:]), result.status == 0 else { return nil }
    return .some(result.bytes(of: .stdout))
  }

  public func isDirectory(_ path: String, in session: Session) -> Bool? {
    guard let result = run(["stat", "-L", "-c", "%F", "--", path], host: session.host, cwd: "/", out: "", err: "", env: [:]), result.status == 0 else { return nil }
    return String(decoding: result.bytes(of: .stdout), as: UTF8.self) == "directory\n"
  }

  // MARK: Processes

  /// Runs a program in a host to its end (nil when there is no such host).
  func run(_ argv: [String], host: String, cwd: String, out: String = "", err: String = "", env: [String: String], input: [UInt8] = [], limit: Double = commandSeconds) -> Spawn.Output? {
    guard let full = topology.enter(host, [bash, "-c", Self.wrapper, "bash", cwd, out, err] + argv) else { return nil }
    guard var output = try? Spawn.run(full, environment: Self.environment(env), input: input, limit: limit, stop: { nsenter in
      // nsenter waits for the program it forked in the host: signal the program.
      for child in Spawn.children(of: nsenter) { kill(child, SIGTERM) }
    }) else { return nil }
    if output.status == Self.redirectionFailed {
      // As an interactive bash says it: `bash: PATH: why`, status 1.
      output.status = 1
      output.chunks = [(.stderr, Array(String(decoding: output.bytes(of: .stderr), as: UTF8.self).replacingOccurrences(of: "bash: line 1: ", with: "bash: ").utf8))]
    }
    return output
  }

  /// Starts a program in a host in the background (stdin /dev/null; output where OUT and ERR say,
  /// else to etcdlab's standard error, as a shell's background job writes to the terminal).
  func start(_ argv: [String], host: String, cwd: String, out: String, err: String, env: [String: String]) throws {
    guard let full = topology.enter(host, [bash, "-c", Self.wrapper, "bash", cwd, out, err] + argv) else {
      throw Spawn.Failure(description: "no host \(host)")
    }
    let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
    defer { Glibc.close(null) }
    let pid = try Spawn.start(full, environment: Self.environment(env), stdin: null, stdout: 2, stderr: 2)
    lock.lock()
    background = background.filter { !Spawn.ended($0) } + [pid]
    lock.unlock()
  }

  /// The environment a program gets: the shell's, with a PATH that finds the real programs.
  static func environment(_ env: [String: String]) -> [String: String] {
    var e = env
    e["PATH"] = e["PATH"].map { $0.isEmpty ? Self.path : $0 } ?? Self.path
    return e
  }

  static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
}
