import EtcdCommands
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Processes started with `posix_spawn` from an argument vector: never through a shell string.
/// The child gets default signal dispositions, an empty signal mask, and its three standard
/// streams (every descriptor etcdlab opens here is close-on-exec).
enum Spawn {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Starts `argv[0]` (a full path) with its standard streams on the given descriptors.
  static func start(_ argv: [String], environment: [String: String], stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    posix_spawn_file_actions_adddup2(&actions, stdout, 1)
    posix_spawn_file_actions_adddup2(&actions, stderr, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attributes, &all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    let cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in cArguments { free(p) }
      for p in cEnvironment { free(p) }
    }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
    guard rc == 0 else { throw Failure(description: "cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
    return pid
  }

  /// What a finished process printed, stdout and stderr in the order it came, and its status
  /// as bash reports it (128+N for a signal).
  struct Output {
    var chunks: [(stream: IO.Stream, bytes: [UInt8])] = []
    var status: Int32 = 0
    /// It ran past its time limit and was stopped.
    var stopped = false

    func bytes(of stream: IO.Stream) -> [UInt8] { chunks.filter { $0.stream == stream }.flatMap(\.bytes) }
  }

  /// Runs a process to its end, feeding it `input` and reading both outputs. After `limit`
  /// seconds `stop` is called with its pid (to end what it runs), and 10 s later it is killed.
  static func run(_ argv: [String], environment: [String: String], input: [UInt8] = [], limit: Double, stop: (pid_t) -> Void) throws -> Output {
    var inPipe: [Int32] = [0, 0]
    var outPipe: [Int32] = [0, 0]
    var errPipe: [Int32] = [0, 0]
    guard makePipe(&inPipe) else { throw Failure(description: "pipe: \(String(cString: strerror(errno)))") }
    guard makePipe(&outPipe) else {
      closeAll(inPipe)
      throw Failure(description: "pipe: \(String(cString: strerror(errno)))")
    }
    guard makePipe(&errPipe) else {
      closeAll(inPipe + outPipe)
      throw Failure(description: "pipe: \(String(cString: strerror(errno)))")
    }
    let pid: pid_t
    do {
      pid = try start(argv, environment: environment, stdin: inPipe[0], stdout: outPipe[1], stderr: errPipe[1])
    } catch {
      closeAll(inPipe + outPipe + errPipe)
      throw error
    }
    closeAll([inPipe[0], outPipe[1], errPipe[1]])
    var output = Output()
    var writeEnd: Int32 = inPipe[1]
    var written = 0
    if input.isEmpty {
      close(writeEnd)
      writeEnd = -1
    } else {
      _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
    }
    var open: [(fd: Int32, stream: IO.Stream)] = [(outPipe[0], .stdout), (errPipe[0], .stderr)]
    let started = Date()
    var killAt: Date?
    var buffer = [UInt8](repeating: 0, count: 65536)
    while !open.isEmpty {
      var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
      if writeEnd >= 0 { fds.append(pollfd(fd: writeEnd, events: Int16(POLLOUT), revents: 0)) }
      let elapsed = Date().timeIntervalSince(started)
      if killAt == nil && elapsed >= limit {
        output.stopped = true
        stop(pid)
        killAt = Date().addingTimeInterval(10)
      }
      if let k = killAt, Date() >= k {
        kill(pid, SIGKILL)
        killAt = .distantFuture
      }
      let wait = killAt.map { max(0, $0.timeIntervalSinceNow) } ?? max(0, limit - elapsed)
      let n = poll(&fds, nfds_t(fds.count), Int32(min(wait, 1) * 1000) + 1)
      if n < 0 && errno != EINTR { break }
      var ended: Set<Int32> = []
      for f in fds where f.revents != 0 {
        if f.fd == writeEnd {
          let left = input.count - written
          let w = input.withUnsafeBytes { write(writeEnd, $0.baseAddress! + written, left) }
          if w > 0 { written += w }
          if w < 0 && errno != EAGAIN && errno != EINTR || written >= input.count {
            close(writeEnd)
            writeEnd = -1
          }
          continue
        }
        let r = buffer.withUnsafeMutableBytes { read(f.fd, $0.baseAddress, $0.count) }
        if r > 0, let stream = open.first(where: { $0.fd == f.fd })?.stream {
          if let last = output.chunks.last, last.stream == stream {
            output.chunks[output.chunks.count - 1].bytes += buffer[0..<r]
          } else {
            output.chunks.append((stream, Array(buffer[0..<r])))
          }
        } else if r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN) {
          ended.insert(f.fd)
        }
      }
      for fd in ended { close(fd) }
      open.removeAll { ended.contains($0.fd) }
    }
    if writeEnd >= 0 { close(writeEnd) }
    output.status = wait(pid)
    return output
  }

  /// Waits for a child to end; its status as bash reports it.
  static func wait(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return 127 }
    }
    return decode(status)
  }

  /// Whether a child has ended (reaping it when it has).
  static func ended(_ pid: pid_t) -> Bool {
    var status: Int32 = 0
    let r = waitpid(pid, &status, WNOHANG)
    return r == pid || (r < 0 && errno == ECHILD)
  }

  static func decode(_ status: Int32) -> Int32 {
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
  }

  static func closeAll(_ fds: [Int32]) { for fd in fds { close(fd) } }

  /// A pipe whose ends are close-on-exec (no child but the one it is handed to inherits it).
  static func makePipe(_ fds: inout [Int32]) -> Bool {
    guard pipe(&fds) == 0 else { return false }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return true
  }

  /// The children of a process (Linux's /proc/PID/task/PID/children).
  static func children(of pid: pid_t) -> [pid_t] {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
    return text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
  }

  /// A process's pids, from the outermost pid namespace in to its own (the `NSpid:` line).
  static func namespacePIDs(of pid: pid_t) -> [pid_t] {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }) else { return [] }
    return line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { pid_t($0) }
  }

  /// The first executable of that name along PATH.
  static func which(_ tool: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
    for dir in (path + ":/usr/sbin:/sbin").split(separator: ":") {
      let candidate = "\(dir)/\(tool)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}
