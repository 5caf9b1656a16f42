/// How far the simulation lets time, output and files grow. Real machines have limits of their
/// own (ext4's largest file); where they do, the simulation keeps theirs and says it as Linux
/// does. The rest keep a mistaken or hostile command from hanging etcdlab or filling its memory,
/// and each comes with a notice that names it.
public enum SimLimits {
  /// The last instant the simulated clock can show: 9999-12-31 23:59:59.999 UTC (the loggers'
  /// time stamps have four-digit years). Sleeping past it would never end.
  public static let clockEnd: Millis = 253_402_300_799_999

  /// ext4's largest file with 4 KiB blocks (16 TiB less one block): a larger size fails with EFBIG.
  public static let largestFile = 17_592_186_040_320

  /// Bytes of plain file content one host's file system holds in the simulation (what
  /// students write, logs, copies). A write beyond it fails with `No space left on device`.
  public static let diskBytes = 32 << 20

  /// Bytes one command line may print (to the terminal, a pipe or its redirections).
  public static let commandOutputBytes = 1 << 20

  /// Bytes one session may print in all.
  public static let sessionOutputBytes = 1 << 30

  /// Linux's longest file name (NAME_MAX) and path (PATH_MAX, its terminating NUL included): a
  /// longer one fails with ENAMETOOLONG, `File name too long`.
  public static let nameBytes = 255
  public static let pathBytes = 4096

  public static func nameTooLong(_ path: String) -> Bool {
    path.utf8.count >= pathBytes || path.utf8.split(separator: UInt8(ascii: "/")).contains { $0.count > nameBytes }
  }

  private static func mib(_ bytes: Int) -> String { "\(bytes >> 20) MiB" }

  public static func diskNotice(_ host: String) -> String {
    "etcdlab: the simulated disk of \(host) holds \(mib(diskBytes)) of files; delete some with rm"
  }

  public static func fileNotice(_ path: String, size: Int) -> String {
    "etcdlab: \(path) would hold \(size) bytes; the simulated disk holds \(mib(diskBytes)) of files"
  }

  public static func commandOutputNotice() -> String {
    "etcdlab: the output was cut after \(mib(commandOutputBytes)), the most one command line may print"
  }

  public static func sessionOutputNotice() -> String {
    "etcdlab: the output was cut: this session has printed \(mib(sessionOutputBytes)), the most one session may print"
  }

  public static func clockNotice(_ what: String) -> String {
    "\(what) would never end: it lasts longer than the simulated clock runs (to the end of the year 9999)"
  }
}
