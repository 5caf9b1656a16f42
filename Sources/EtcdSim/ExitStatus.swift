/// systemd 252's names of exit statuses (`src/basic/exit-status.c`): the one table the journal and
/// `systemctl status` print from.
public enum ExitStatus {
  /// The classes systemd groups the names in: libc's two, systemd's own (200 and up), the LSB's
  /// init-script codes (2–7) and BSD's `sysexits.h` (64–78).
  public struct Class: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let libc = Class(rawValue: 1 << 0)
    public static let systemd = Class(rawValue: 1 << 1)
    public static let lsb = Class(rawValue: 1 << 2)
    public static let bsd = Class(rawValue: 1 << 3)
    public static let full: Class = [.libc, .systemd, .lsb, .bsd]
  }

  static let table: [Int32: (name: String, class: Class)] = {
    var t: [Int32: (String, Class)] = [0: ("SUCCESS", .libc), 1: ("FAILURE", .libc)]
    for (i, n) in ["INVALIDARGUMENT", "NOTIMPLEMENTED", "NOPERMISSION", "NOTINSTALLED", "NOTCONFIGURED", "NOTRUNNING"].enumerated() {
      t[Int32(2 + i)] = (n, .lsb)
    }
    let bsd = ["USAGE", "DATAERR", "NOINPUT", "NOUSER", "NOHOST", "UNAVAILABLE", "SOFTWARE", "OSERR", "OSFILE", "CANTCREAT",
               "IOERR", "TEMPFAIL", "PROTOCOL", "NOPERM", "CONFIG"]
    for (i, n) in bsd.enumerated() { t[Int32(64 + i)] = (n, .bsd) }
    let own = ["CHDIR", "NICE", "FDS", "EXEC", "MEMORY", "LIMITS", "OOM_ADJUST", "SIGNAL_MASK", "STDIN", "STDOUT", "CHROOT",
               "IOPRIO", "TIMERSLACK", "SECUREBITS", "SETSCHEDULER", "CPUAFFINITY", "GROUP", "USER", "CAPABILITIES", "CGROUP",
               "SETSID", "CONFIRM", "STDERR", "", "PAM", "NETWORK", "NAMESPACE", "NO_NEW_PRIVILEGES", "SECCOMP",
               "SELINUX_CONTEXT", "PERSONALITY", "APPARMOR", "ADDRESS_FAMILIES", "RUNTIME_DIRECTORY", "", "CHOWN",
               "SMACK_PROCESS_LABEL", "KEYRING", "STATE_DIRECTORY", "CACHE_DIRECTORY", "LOGS_DIRECTORY",
               "CONFIGURATION_DIRECTORY", "NUMA_POLICY", "CREDENTIALS", "BPF"]
    for (i, n) in own.enumerated() where !n.isEmpty { t[Int32(200 + i)] = (n, .systemd) }
    t[255] = ("EXCEPTION", .systemd)
    return t
  }()

  /// The name of `status` in the given classes (`exit_status_to_string`), nil when it has none there.
  public static func name(_ status: Int32, in classes: Class = .full) -> String? {
    guard let e = table[status], !e.class.isDisjoint(with: classes) else { return nil }
    return e.name
  }

  /// The journal's `Main process exited, code=exited, status=N/NAME` (every class; `n/a` when unnamed).
  public static func journalText(_ status: Int32) -> String { "\(status)/\(name(status) ?? "n/a")" }

  /// `systemctl status`'s `status=N/NAME` (only libc's and systemd's own names: `2`, not `2/INVALIDARGUMENT`).
  public static func statusText(_ status: Int32) -> String {
    name(status, in: [.libc, .systemd]).map { "\(status)/\($0)" } ?? "\(status)"
  }
}
