import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The world's hosts as real namespaces (`Resources/real-hosts.bash` builds them): one user
/// namespace (not when etcdlab runs as root) holding a pid, mount and network namespace whose
/// PID 1 is the holder, and inside it one network, mount and pid namespace per host, joined by
/// veth pairs on a bridge, each with lo (127.0.0.1) and its addresses, and /var/lib,
/// /etc/systemd/system, /root and /var/log bind-mounted from `directory/hosts/NAME` on a tmpfs.
/// The holder is started as `setpriv --pdeathsig KILL unshare --kill-child=KILL`: when etcdlab
/// dies, however, unshare gets SIGKILL, the holder with it, and the kernel ends every process of
/// the namespace. Closing ends it the same way, and removes the directory unless kept.
public final class HostTopology: @unchecked Sendable {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// The per-run directory (`hosts/NAME/...` holds each host's files).
  public let directory: String
  /// Each host's keeper: a process in its namespaces, by name (pids as etcdlab sees them).
  let keepers: [String: pid_t]
  /// `nsenter` and the options that enter a host (after `-t PID`).
  let nsenter: String
  let enterOptions: [String]
  private let unshare: pid_t
  private var requests: Int32
  private let lock = NSLock()
  private var closed = false
  /// Keep the directory when closing.
  public var keep = false

  public static let prefix = "etcdlab-real-"
  static let tools = ["setpriv", "unshare", "nsenter", "bash", "ip", "mount", "etcd", "etcdctl"]

  /// Builds the hosts, each `(name, addresses)`. Throws, with one line, when a tool is missing or
  /// the namespaces cannot be made (no unprivileged user namespaces here).
  public init(hosts: [(name: String, addresses: [String])]) throws {
    let found: [String: String]
    switch Self.find(Self.tools) {
    case .success(let f): found = f
    case .failure(let missing): throw Failure(description: missing.description)
    }
    for h in hosts {
      guard Self.isName(h.name) else { throw Failure(description: "host name \(h.name) cannot name a real host") }
      for a in h.addresses where !Self.isIPv4(a) { throw Failure(description: "\(h.name)'s address \(a) is not an IPv4 address") }
    }
    guard let script = Bundle.module.url(forResource: "real-hosts", withExtension: "bash") else {
      throw Failure(description: "real-hosts.bash is missing from etcdlab's resources")
    }
    let base = Self.base
    Self.sweep(in: base)
    var template = Array((base + "/\(Self.prefix)XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw Failure(description: "cannot make a directory in \(base): \(String(cString: strerror(errno)))") }
    directory = String(cString: made)
    chmod(directory, 0o755)
    try? Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: directory + "/owner"))
    nsenter = found["nsenter", default: "nsenter"]
    let root = geteuid() == 0
    enterOptions = (root ? [] : ["-U", "--preserve-credentials"]) + ["-n", "-m", "-p"]

    var input: [Int32] = [0, 0]
    var output: [Int32] = [0, 0]
    guard Spawn.makePipe(&input), Spawn.makePipe(&output) else {
      throw Failure(description: "pipe: \(String(cString: strerror(errno)))")
    }
    let errorFile = open(directory + "/holder.err", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    let user = root ? [] : ["--user", "--map-root-user"]
    let argv = [found["setpriv", default: "setpriv"], "--pdeathsig", "KILL", "--", found["unshare", default: "unshare"]] + user
      + ["--mount", "--pid", "--net", "--fork", "--mount-proc", "--kill-child=KILL", "--", found["bash", default: "bash"], script.path, directory]
      + hosts.flatMap { [$0.name, $0.addresses.joined(separator: ",")] }
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ETCD") }
    environment["LC_ALL"] = "C"
    let started: pid_t
    do {
      started = try Spawn.start(argv, environment: environment, stdin: input[0], stdout: output[1], stderr: errorFile)
    } catch {
      Spawn.closeAll(input + output + [errorFile])
      try? FileManager.default.removeItem(atPath: directory)
      throw error
    }
    Spawn.closeAll([input[0], output[1], errorFile])
    unshare = started
    requests = input[1]
    // A write to a holder that has ended must fail, not kill etcdlab.
    signal(SIGPIPE, SIG_IGN)
    let lines = Self.lines(output[0], until: "ready", seconds: 30)
    Glibc.close(output[0])
    var inner: [String: pid_t] = [:]
    for l in lines {
      let f = l.split(separator: " ")
      if f.count == 3, f[0] == "host", let pid = pid_t(f[2]) { inner[String(f[1])] = pid }
    }
    var keepers: [String: pid_t] = [:]
    if lines.last == "ready" {
      // The holder is unshare's child; each host's keeper a grandchild of it, under the host's unshare.
      for holder in Spawn.children(of: started) {
        for hostUnshare in Spawn.children(of: holder) {
          for keeper in Spawn.children(of: hostUnshare) {
            let pids = Spawn.namespacePIDs(of: keeper)
            if pids.count >= 2, let name = inner.first(where: { $0.value == pids[1] })?.key { keepers[name] = keeper }
          }
        }
      }
    }
    self.keepers = keepers
    if lines.last != "ready" || keepers.count != hosts.count {
      let why = (try? String(contentsOfFile: directory + "/holder.err", encoding: .utf8))?.split(separator: "\n").first.map(String.init)
      self.close()
      throw Failure(description: "cannot make the hosts' namespaces (unshare\(root ? "" : " --user --map-root-user") --mount --pid --net): \(why ?? "the holder ended at once")")
    }
  }

  deinit { close() }

  /// Where the per-run directories go: /dev/shm (a tmpfs: bbolt's files grow otherwise), else
  /// the temporary directory.
  static var base: String {
    FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : FileManager.default.temporaryDirectory.path
  }

  /// The argument vector that runs `argv` in a host's namespaces.
  func enter(_ host: String, _ argv: [String]) -> [String]? {
    guard let keeper = keepers[host] else { return nil }
    return [nsenter, "-t", String(keeper)] + enterOptions + ["--"] + argv
  }

  /// Ends the holder and with it every process of the hosts; removes the directory unless kept.
  public func close() {
    lock.lock()
    defer { lock.unlock() }
    guard !closed else { return }
    closed = true
    Glibc.close(requests)
    _ = Spawn.wait(unshare)
    if keep {
      try? FileManager.default.removeItem(atPath: directory + "/owner")
    } else {
      try? FileManager.default.removeItem(atPath: directory)
    }
  }

  /// Removes the directories of runs whose etcdlab was killed before it could (their namespace
  /// ended with it; the pid in `owner` is no longer running). A kept run has no `owner`.
  public static func sweep(in base: String, prefix: String = prefix) {
    for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where name.hasPrefix(prefix) {
      let dir = base + "/" + name
      guard let text = try? String(contentsOfFile: dir + "/owner", encoding: .utf8),
        let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0, kill(pid, 0) != 0, errno == ESRCH
      else { continue }
      try? FileManager.default.removeItem(atPath: dir)
    }
  }

  /// Lines read from a descriptor until one equals `last`, the end, or the time runs out.
  static func lines(_ fd: Int32, until last: String, seconds: Double) -> [String] {
    var lines: [String] = []
    var pending: [UInt8] = []
    let deadline = Date().addingTimeInterval(seconds)
    var buffer = [UInt8](repeating: 0, count: 4096)
    while Date() < deadline {
      var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let n = poll(&p, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { break }
      let r = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if r < 0 && errno == EINTR { continue }
      guard r > 0 else { break }
      pending += buffer[0..<r]
      while let i = pending.firstIndex(of: UInt8(ascii: "\n")) {
        lines.append(String(decoding: pending[..<i], as: UTF8.self))
        pending.removeFirst(i + 1)
        if lines.last == last { return lines }
      }
    }
    return lines
  }

  /// Each tool's path along PATH, or the line that says which is missing and how to install it.
  public static func find(_ tools: [String]) -> Result<[String: String], Missing> {
    var found: [String: String] = [:]
    for tool in tools {
      guard let path = Spawn.which(tool) else {
        let hint = tool.hasPrefix("etcd") ? " (Debian: apt-get install -y etcd-server etcd-client)" : tool == "ip" ? " (Debian: apt-get install -y iproute2)" : ""
        return .failure(Missing(description: "\(tool) is not on PATH\(hint)"))
      }
      found[tool] = path
    }
    return .success(found)
  }

  public struct Missing: Error, CustomStringConvertible {
    public var description: String
  }

  static func isName(_ s: String) -> Bool {
    guard let first = s.first, first.isASCII, first.isLetter || first.isNumber else { return false }
    return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
  }

  static func isIPv4(_ s: String) -> Bool {
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts.allSatisfy { p in p.count <= 3 && !p.isEmpty && p.allSatisfy(\.isASCII) && Int(p).map { $0 <= 255 } == true }
  }
}
