import Foundation

/// `etcdlab` on a pseudo-terminal (util-linux `script`), driven like a person types: send keys,
/// wait for what appears, send more.
final class PtyDriver: @unchecked Sendable {
  let process = Process()
  let input = Pipe()
  let output = Pipe()
  let screen = Screen()
  let reader: Thread

  /// What has appeared so far, filled by the reading thread.
  final class Screen: @unchecked Sendable {
    let lock = NSLock()
    var data = Data()
    func append(_ d: Data) { lock.lock(); data.append(d); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
  }

  init(_ args: [String], home: String, env extra: [String: String] = [:]) throws {
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qfec", ([BinaryTests.binary.path] + args).joined(separator: " "), "/dev/null"]
    var env = ProcessInfo.processInfo.environment
    env["ETCDLAB_HOME"] = home
    env["LANG"] = "C.UTF-8"
    env["TERM"] = "xterm"
    env["NO_COLOR"] = nil
    for (k, v) in extra { env[k] = v }
    process.environment = env
    process.standardInput = input
    process.standardOutput = output
    process.standardError = output
    let handle = output.fileHandleForReading
    let screen = self.screen
    reader = Thread {
      while true {
        let d = handle.availableData
        if d.isEmpty { break }
        screen.append(d)
      }
    }
    try process.run()
    reader.start()
  }

  var text: String { screen.text }

  func send(_ keys: String) { input.fileHandleForWriting.write(Data(keys.utf8)) }

  /// Waits until the output holds `s` `count` times; false after the timeout.
  @discardableResult
  func wait(for s: String, count: Int = 1, timeout: Double = 15) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
      if text.components(separatedBy: s).count > count { return true }
      usleep(20_000)
    }
    return false
  }

  /// Closes the keyboard, waits for the end, and returns everything shown.
  func finish() -> String {
    try? input.fileHandleForWriting.close()
    let end = Date().addingTimeInterval(15)
    while process.isRunning && Date() < end { usleep(20_000) }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    usleep(100_000)
    return text
  }
}
