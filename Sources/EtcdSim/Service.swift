/// A systemd service on a host, as far as `systemctl` and `journalctl` show it.
public struct Service: Equatable, Sendable {
  /// `systemctl enable`d.
  public var enabled = false
  /// The unit file's text as systemd last loaded it (`daemon-reload`, or the first start).
  public var loadedUnit: String?
  /// The running main process.
  public var mainPID: Int32?
  /// When it became active (or failed).
  public var since: Millis?
  /// The last main process's pid and exit status, once it has ended.
  public var lastExit: (pid: Int32, status: Int32)?
  /// The result systemd gave the last run when it is not its exit status's own: `protocol` for a
  /// `Type=notify` main process that exited cleanly before READY=1.
  public var result: String?
  /// A `Type=notify` start waiting for READY=1: a clean exit now is no deactivation but a failed start.
  public var awaitingReady = false
  /// The command line systemd ran (for `systemctl status`).
  public var execStart = ""
  /// A `Type=notify` start not waited for (`--no-block`): when systemd gives up on READY=1
  /// (TimeoutStartSec, 90 s) unless etcd serves clients by then.
  public var startDeadline: Millis?

  public init() {}

  public static func == (a: Service, b: Service) -> Bool {
    a.enabled == b.enabled && a.loadedUnit == b.loadedUnit && a.mainPID == b.mainPID && a.since == b.since
      && a.lastExit?.pid == b.lastExit?.pid && a.lastExit?.status == b.lastExit?.status && a.execStart == b.execStart
      && a.result == b.result && a.awaitingReady == b.awaitingReady
  }
}

/// One line of the systemd journal.
public struct JournalLine: Equatable, Sendable {
  public var time: Millis
  public var unit: String
  /// `etcd[1234]` or `systemd[1]`.
  public var source: String
  public var text: String

  public init(time: Millis, unit: String, source: String, text: String) {
    self.time = time
    self.unit = unit
    self.source = source
    self.text = text
  }
}

/// The etcd unit file a course host has (`/etc/systemd/system/etcd.service`).
public enum UnitFile {
  public static let path = "/etc/systemd/system/etcd.service"

  /// A unit that runs `/usr/local/bin/etcd` with these flags, one per line.
  public static func etcd(flags: [(String, String)]) -> String {
    // A boolean flag takes its value after `=` (`--client-cert-auth=true`), as Go's flag package needs.
    let exec = (["ExecStart=/usr/local/bin/etcd"] + flags.map { $0.1 == "true" ? "  --\($0.0)=true" : "  --\($0.0) \($0.1)" }).joined(separator: " \\\n")
    return """
      [Unit]
      Description=etcd key-value store
      Documentation=https://github.com/etcd-io/etcd
      After=network-online.target
      Wants=network-online.target

      [Service]
      Type=notify
      \(exec)
      Restart=on-failure
      RestartSec=5
      LimitNOFILE=40000

      [Install]
      WantedBy=multi-user.target

      """
  }
}
