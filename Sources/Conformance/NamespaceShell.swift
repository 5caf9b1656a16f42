import Foundation
import RealHosts

#if canImport(Glibc)
  import Glibc
#endif

/// A bash that is PID 1 of a private pid, network and mount namespace (`unshare`; with
/// `--user --map-root-user` when not root), with its own loopback (127.0.0.0/8 all on `lo`), a
/// temporary working directory, and the requests of `Resources/namespace-shell.bash`.
/// Transcript text reaches bash only there, base64-encoded on its stdin; the processes started
/// here get argument arrays. Everything it starts ends with it: closing its stdin (or etcdlab's
/// death, which closes it) kills every process in the namespace, and PID 1's end ends the rest.
public final class NamespaceShell {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// The etcd version the namespace found on PATH (`3.4.23`), empty when none.
  public let etcdVersion: String
  /// The host path of the working directory (for normalizing it out of outputs).
  public let workDirectory: String
  private let process: Process
  private let requests: FileHandle
  private var replies: PipeReader
  /// The namespace's stderr (unshare's and the shell's own complaints).
  private let errors: URL
  private let directory: URL
  private var closed = false

  /// Tools the namespace needs, on PATH.
  static let tools = ["unshare", "bash", "ip", "mount", "timeout", "base64", "etcd", "etcdctl"]

  public init() throws {
    let found: [String: String]
    switch HostTopology.find(Self.tools) {
    case .success(let f): found = f
    case .failure(let missing): throw Failure(description: missing.description)
    }
    guard let script = Bundle.module.url(forResource: "namespace-shell", withExtension: "bash") else {
      throw Failure(description: "namespace-shell.bash is missing from etcdlab's resources")
    }
    Self.sweep()
    var template = Array((FileManager.default.temporaryDirectory.path + "/\(Self.prefix)XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw Failure(description: "cannot make a temporary directory: \(String(cString: strerror(errno)))") }
    directory = URL(fileURLWithPath: String(cString: made))
    workDirectory = directory.path + "/work"
    try? Data("\(getpid())\n".utf8).write(to: directory.appendingPathComponent("owner"))

    process = Process()
    process.executableURL = URL(fileURLWithPath: found["unshare", default: "unshare"])
    let user = geteuid() == 0 ? [] : ["--user", "--map-root-user"]
    process.arguments = user + ["--pid", "--net", "--mount", "--fork", "--mount-proc", "--kill-child", "--", found["bash", default: "bash"], script.path, directory.path]
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ETCD") }
    environment["LC_ALL"] = "C"
    process.environment = environment
    let stdin = Pipe()
    let stdout = Pipe()
    errors = directory.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle(forWritingAtPath: errors.path)
    // A write to a shell that has ended must fail, not kill etcdlab.
    signal(SIGPIPE, SIG_IGN)
    requests = stdin.fileHandleForWriting
    replies = PipeReader(fd: stdout.fileHandleForReading.fileDescriptor)
    do {
      try process.run()
    } catch {
      try? FileManager.default.removeItem(at: directory)
      throw Failure(description: "cannot start unshare: \(error)")
    }
    let greeting = replies.line()
    etcdVersion = greeting.map { String($0.dropFirst(6)) } ?? ""
    guard let greeting, greeting.hasPrefix("ready") else {
      try? requests.close()
      process.waitUntilExit()
      let why = Self.firstLine((try? Data(contentsOf: errors)) ?? Data())
      close()
      throw Failure(description: "no private network namespace here (unshare --pid --net --mount\(user.isEmpty ? "" : " --user")): \(why)")
    }
  }

  deinit { close() }

  /// Ends the namespace and everything in it, and removes the directory.
  public func close() {
    guard !closed else { return }
    closed = true
    try? requests.close()  // a second close (after a failed start) throws, and is harmless
    process.waitUntilExit()
    try? FileManager.default.removeItem(at: directory)
  }

  static let prefix = "etcdlab-conform-"

  /// Removes the directories of runs whose etcdlab was killed before it could (their namespace
  /// ended with it).
  static func sweep() {
    HostTopology.sweep(in: FileManager.default.temporaryDirectory.path, prefix: prefix)
  }

  /// Sends one request; the reply's status and output (nil when the shell has ended).
  func request(_ fields: [String]) -> (status: Int32, output: String)? {
    guard !closed else { return nil }
    do {
      try requests.write(contentsOf: Data((fields.joined(separator: " ") + "\n").utf8))
    } catch {
      return nil
    }
    guard let line = replies.line() else { return nil }
    let f = line.split(separator: " ")
    guard f.count == 3, f[0] == "done", let status = Int32(f[1]), let length = Int(f[2]), let data = replies.bytes(length) else { return nil }
    return (status, String(decoding: data, as: UTF8.self))
  }

  static func encode(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

  /// A member or log name as the transcripts have them; anything else is not sent.
  static func isName(_ s: String) -> Bool {
    !s.isEmpty && !s.hasPrefix(".") && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
  }

  static func firstLine(_ data: Data) -> String {
    String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "it ended at once"
  }
}

/// Blocking reads of lines and counted bytes from a pipe.
struct PipeReader {
  let fd: Int32
  var buffer: [UInt8] = []

  init(fd: Int32) { self.fd = fd }

  private mutating func fill() -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n > 0 {
        buffer += chunk[0..<n]
        return true
      }
      if n < 0 && errno == EINTR { continue }
      return false
    }
  }

  mutating func line() -> String? {
    while true {
      if let i = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: buffer[..<i], as: UTF8.self)
        buffer.removeFirst(i + 1)
        return line
      }
      guard fill() else { return nil }
    }
  }

  mutating func bytes(_ count: Int) -> Data? {
    while buffer.count < count {
      guard fill() else { return nil }
    }
    let data = Data(buffer[..<count])
    buffer.removeFirst(count)
    return data
  }
}
