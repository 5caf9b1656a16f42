import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs sessions in a worker: this program re-executed with `--worker`. A crash or a hang
/// cannot be survived in process, so the worker runs the lines and says which one it is on
/// (the line's index, on its standard output, before running it); the supervisor sees the
/// worker die (a signal) or fall silent for longer than the per-line limit (then kills it),
/// and starts a fresh worker for the next session. A session that passes leaves the worker
/// running for the next one.
final class Supervisor {
  let executable: String
  let arguments: [String]
  let perLineMs: Int

  private var child: Child?

  private struct Child {
    var pid: pid_t
    var input: Int32
    var output: Int32
    var errors: Int32
  }

  init(executable: String, workerArguments: [String], perLineMs: Int) {
    self.executable = executable
    self.arguments = workerArguments
    self.perLineMs = perLineMs
    signal(SIGPIPE, SIG_IGN)
  }

  deinit { stop() }

  /// This program's own file, to run as the worker.
  static var ownExecutable: String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    return n > 0 ? String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
  }

  /// Runs one session (a fresh world) in the worker.
  func run(_ lines: [String]) -> Outcome {
    guard let c = child ?? spawn() else { return .crashed(line: 0, signal: nil, status: nil, message: "could not start the worker") }
    child = c
    var data = (try? JSONEncoder().encode(lines)) ?? Data("[]".utf8)
    data.append(10)
    let written = data.withUnsafeBytes { writeAll(c.input, $0) }
    var line = 0
    var progress: [UInt8] = []
    var errors: [UInt8] = []
    var errorsOpen = true
    var deadline = Date().addingTimeInterval(Double(perLineMs) / 1000)
    var lineStart = (wall: Date(), cpu: Supervisor.cpuMs(c.pid))
    while true {
      var fds = [pollfd(fd: c.output, events: Int16(POLLIN), revents: 0), pollfd(fd: errorsOpen ? c.errors : -1, events: Int16(POLLIN), revents: 0)]
      let wait = max(0, Int32(deadline.timeIntervalSinceNow * 1000))
      let ready = poll(&fds, 2, wait)
      if ready < 0 && errno == EINTR { continue }
      if ready == 0 {
        // The limit is on the worker's own CPU time: on a loaded machine a line that waited for
        // the CPU has not hung. Its wall time is held to ten times the limit all the same.
        if let used = Supervisor.cpuMs(c.pid).flatMap({ cpu in lineStart.cpu.map { cpu - $0 } }), used < perLineMs,
          Date().timeIntervalSince(lineStart.wall) * 1000 < Double(perLineMs * 10) {
          deadline = Date().addingTimeInterval(Double(perLineMs - used) / 1000)
          continue
        }
        Glibc.kill(c.pid, SIGKILL)
        reap(c)
        return .hung(line: line)
      }
      if fds[1].revents != 0 {
        if let bytes = readSome(c.errors) {
          errors += bytes
          if errors.count > 16_384 { errors.removeFirst(errors.count - 16_384) }
        } else {
          errorsOpen = false
        }
      }
      guard fds[0].revents != 0 else { continue }
      guard let bytes = readSome(c.output) else {
        // The worker is gone: it crashed (or could not even read the session).
        while errorsOpen, let more = readSome(c.errors) { errors += more }
        let status = reap(c)
        let message = Outcome.message(fromStandardError: String(decoding: errors, as: UTF8.self))
        // wait(2)'s status: the low 7 bits are the signal that ended the process, else 0.
        if let status, status & 0x7f != 0 { return .crashed(line: line, signal: status & 0x7f, status: nil, message: message) }
        return .crashed(line: line, signal: nil, status: status.map { ($0 >> 8) & 0xff }, message: written ? message : "the worker did not read the session")
      }
      progress += bytes
      while let nl = progress.firstIndex(of: 10) {
        let text = String(decoding: progress[..<nl], as: UTF8.self)
        progress.removeSubrange(...nl)
        if text.hasPrefix("ok ") { return .passed(fed: Int(text.dropFirst(3)) ?? lines.count) }
        line = Int(text) ?? line
        deadline = Date().addingTimeInterval(Double(perLineMs) / 1000)
        lineStart = (Date(), Supervisor.cpuMs(c.pid))
      }
    }
  }

  /// Milliseconds of CPU time a process has used (user and system, from `/proc/PID/stat`).
  static func cpuMs(_ pid: pid_t) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let end = text.lastIndex(of: ")")
    else { return nil }
    // After the command name in parentheses: state is field 3, utime and stime fields 14 and 15.
    let fields = text[text.index(after: end)...].split(separator: " ")
    guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
    let ticks = max(1, sysconf(Int32(_SC_CLK_TCK)))
    return (user + system) * 1000 / ticks
  }

  /// Ends the worker.
  func stop() {
    guard let c = child else { return }
    Glibc.kill(c.pid, SIGKILL)
    reap(c)
  }

  @discardableResult
  private func reap(_ c: Child) -> Int32? {
    close(c.input)
    close(c.output)
    close(c.errors)
    child = nil
    var status: Int32 = 0
    while waitpid(c.pid, &status, 0) < 0 {
      if errno != EINTR { return nil }
    }
    return status
  }

  private func spawn() -> Child? {
    var input: [Int32] = [0, 0], output: [Int32] = [0, 0], errors: [Int32] = [0, 0]
    guard pipe(&input) == 0, pipe(&output) == 0, pipe(&errors) == 0 else { return nil }
    // Close-on-exec, so a later worker does not hold this one's pipes open (dup2 clears it on 0, 1, 2).
    for fd in input + output + errors { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, input[0], 0)
    posix_spawn_file_actions_adddup2(&actions, output[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
    // No crash report from the Swift runtime: it takes seconds, and the message line suffices.
    let environment = ProcessInfo.processInfo.environment.filter { $0.key != "SWIFT_BACKTRACE" }.map { "\($0.key)=\($0.value)" } + ["SWIFT_BACKTRACE=enable=no"]
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer { for p in argv + envp { free(p) } }
    var pid: pid_t = 0
    let failed = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    close(input[0])
    close(output[1])
    close(errors[1])
    guard failed == 0 else {
      close(input[1])
      close(output[0])
      close(errors[0])
      return nil
    }
    return Child(pid: pid, input: input[1], output: output[0], errors: errors[0])
  }

  private func readSome(_ fd: Int32) -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let n = read(fd, &buffer, buffer.count)
      if n < 0 && errno == EINTR { continue }
      return n > 0 ? Array(buffer[..<n]) : nil
    }
  }

  private func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return false }
      offset += n
    }
    return true
  }
}
