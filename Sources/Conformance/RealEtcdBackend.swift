import Foundation

/// Real etcd 3.4 as a replay backend: the transcript's commands run in a `NamespaceShell` as
/// `shared/tools/capture-real-etcd.sh` ran them when it recorded the reference (members in the
/// background with their log in NAME.log, stops by SIGTERM, waits on the log), so that its
/// outputs compare with the simulator's.
public struct RealEtcdBackend: ReplayBackend {
  public let shell: NamespaceShell
  public var side: String { "real" }

  /// A bound for a command the capture let run to its end (the capture's was 120 s; etcdctl's own
  /// timeouts are 5 s): one that hangs here ends with status 124, as `timeout` reports it.
  public static let bound = 30
  /// How long the capture let a command run that it then sent SIGTERM, when the transcript does not
  /// say (03's restarts that flood with errors, exit 143, were given 4 s).
  public static let sigtermWhenUnsaid = 4

  /// Starts the namespace and runs the commands the capture ran before its first recorded one
  /// (09's OpenSSL commands, from the header).
  public init(for t: Transcript) throws {
    shell = try NamespaceShell()
    for line in t.setupCommands {
      guard let reply = shell.request(["run", "60", "0", NamespaceShell.encode(line)]), reply.status == 0 else {
        throw NamespaceShell.Failure(description: "\(t.name): the header's setup command failed: \(line)")
      }
    }
  }

  public mutating func run(_ command: Transcript.Command, line: String) -> Output {
    let c = Transcript.Command(line: line, output: command.output, exit: command.exit, sigtermAfter: command.sigtermAfter)
    let reply: (status: Int32, output: String)?
    if c.setsEnvironment {
      reply = shell.request(["env", NamespaceShell.encode(line)])
    } else if let bg = c.background, NamespaceShell.isName(bg.log) {
      reply = shell.request(["bg", bg.log, NamespaceShell.encode(bg.command)])
    } else if let seconds = c.sigtermAfter ?? (c.exit == 143 ? Self.sigtermWhenUnsaid : nil) {
      reply = shell.request(["run", String(seconds), "1", NamespaceShell.encode(line)])
    } else {
      reply = shell.request(["run", String(Self.bound), "0", NamespaceShell.encode(line)])
    }
    guard let reply else { return Output(lines: ["etcdlab conform: the namespace's shell has ended"], status: -1) }
    return Output(text: reply.output.replacing(shell.workDirectory, with: "<WORKDIR>"), status: reply.status)
  }

  public mutating func stop(_ name: String) {
    guard NamespaceShell.isName(name) else { return }
    _ = shell.request(["stop", name])
  }

  public mutating func waitReady(_ names: [String]) {
    let names = names.filter(NamespaceShell.isName)
    guard !names.isEmpty else { return }
    _ = shell.request(["ready", names.joined(separator: ",")])
  }

  public mutating func waitExit(_ name: String) {
    guard NamespaceShell.isName(name) else { return }
    _ = shell.request(["exit", name])
  }

  /// Asks the members on 127.0.0.10-15, in turn, with a short timeout.
  public mutating func memberID(peerURL: String) -> String? {
    let endpoints = (10...15).map { "http://127.0.0.\($0):2379" }.joined(separator: ",")
    guard let reply = shell.request(["run", "10", "0", NamespaceShell.encode("ETCDCTL_API=3 etcdctl --command-timeout=3s --endpoints=\(endpoints) member list")]), reply.status == 0 else { return nil }
    return reply.output.split(separator: "\n").first { $0.split(separator: ",").dropFirst(3).first?.trimmingCharacters(in: .whitespaces) == peerURL }
      .map { String($0.prefix { $0 != "," }) }
  }
}
