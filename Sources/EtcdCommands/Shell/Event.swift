import EtcdSim

/// One command that ran, as checks and explanations see it: never the typed text, but the
/// words after expansion, what command it was, where, and how it ended.
public struct Event: Sendable, Equatable {
  public var time: Millis
  public var host: String
  /// The words after expansion (`$(...)` and variables already replaced).
  public var words: [String]
  /// What ran: `etcdctl member add`, `etcd`, `systemctl start`, `ssh`, ...
  public var command: String
  public var status: Int32
  public var error: EtcdError?
  /// An etcd that ended on its own (in the background or under systemd), noticed afterwards.
  public var ended: Bool = false
  /// An error a server logged in the background, noticed afterwards (it may still run).
  public var logged: Bool = false
  /// The fatal line such an etcd logged.
  public var fatalLine: String?
  /// An etcdctl command a server answered over TLS with the client's certificate.
  public var authenticatedTLS = false
  /// The TLS refusal behind a failed etcdctl command.
  public var handshake: HandshakeFailure?

  public var succeeded: Bool { status == 0 }
}
