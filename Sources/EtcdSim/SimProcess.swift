/// Where a process's output goes.
public enum LogSink: Equatable, Sendable {
  /// A file on the process's host (`> infra0.log 2>&1`).
  case file(String)
  /// The terminal: collected until the shell shows it.
  case terminal
  /// `/dev/null`.
  case discard
  /// The systemd journal, under a unit's name.
  case journal(String)
}

/// A running etcd server: the process's view of its member.
public struct EtcdServer: Equatable, Sendable {
  public var config: EtcdConfig
  public var version: String
  public var memberID: UInt64
  public var clusterID: UInt64
  /// Absolute path of the data dir on the host.
  public var dataDirPath: String
  /// When it has published its attributes and serves clients.
  public var readyAt: Millis?
  /// Whether a server of another cluster answers one of its peers' URLs: their peer transports
  /// reject each other (`cluster ID mismatch`) every 100 ms while both run.
  public var foreignPeers: Bool = false
  /// When it will stop because it was removed from the cluster.
  public var stopAt: Millis?
  /// When it last logged a cluster-id mismatch.
  public var lastMismatchLog: Millis = 0
  /// `host:port` of its client and peer listeners.
  public var clientListeners: [String] = []
  public var peerListeners: [String] = []
  /// TLS of its https client listeners (`secureClientListeners`), if it has any.
  public var clientTLS: ServerTLS?
  public var secureClientListeners: [String] = []

  init(config: EtcdConfig, version: String, memberID: UInt64, clusterID: UInt64, dataDirPath: String) {
    self.config = config
    self.version = version
    self.memberID = memberID
    self.clusterID = clusterID
    self.dataDirPath = dataDirPath
    clientListeners = config.listenClientURLs.split(separator: ",").map { URLList.hostPort(String($0)) }
    peerListeners = config.listenPeerURLs.split(separator: ",").map { URLList.hostPort(String($0)) }
  }
}

/// A process on a simulated host.
public struct SimProcess: Equatable, Sendable {
  public let pid: Int32
  public let host: String
  /// The command line, as `ps` and `pkill -f` see it.
  public var commandLine: String
  /// The file it executes (Linux refuses to open it for writing: ETXTBSY).
  public var executable = "/usr/local/bin/etcd"
  public var startedAt: Millis
  public var etcd: EtcdServer?
  public var sink: LogSink
  /// Output meant for the terminal, not yet shown.
  public var terminalOutput: [String] = []
  /// Exit status once it has ended.
  public var exitStatus: Int32?
  /// The error etcd ended with, and the fatal line it logged.
  public var failure: EtcdError?
  public var fatalLine: String?
  /// Errors it logged while it ran (first of each kind, in order): what the student never saw
  /// on a terminal but should be told about (`request cluster ID mismatch`, `permanently removed`).
  public var loggedErrors: [EtcdError] = []
  /// Whether it was started in the background (`&`).
  public var background: Bool

  public var isRunning: Bool { exitStatus == nil }
}
