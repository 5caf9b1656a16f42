import EtcdSim

/// How far the shell lets one command line grow before it stops it with a notice that names the
/// limit. bash has none of these; they keep a hostile or mistaken line from hanging the sandbox
/// or filling its memory.
public enum ShellLimits {
  /// Bytes of one command line, here-document bodies aside.
  public static let lineBytes = 100_000
  /// Rounds of loop bodies in one command line, counted across every loop and nesting level.
  public static let loopRounds = 1000
  /// Commands one command line may run, counted across loops, `$(...)`, pipelines and `ssh HOST
  /// COMMAND` (a loop round with a long body, or a long pipeline, runs many).
  public static let commands = 5000
  /// etcd servers one command line may start (`etcd`, `systemctl start` or `restart`): each one
  /// boots and logs as a real server does, the costliest thing a command does.
  public static let serverStarts = 100
  /// Bytes the commands inside loops may write in one command line (to the terminal or files).
  public static let loopOutputBytes = SimLimits.commandOutputBytes
  /// Paths one glob pattern may expand to.
  public static let globResults = 10_000
  /// Bytes of one here-document body.
  public static let hereDocumentBytes = 1 << 20
  /// Lines a command still open at the end of a line (a loop without `done`) may take.
  public static let continuationLines = 1000
  /// Bytes of an unfinished command read again as its lines come (the sum over its lines of all
  /// the text so far): a few hundred KB for any loop a person types.
  public static let continuationScanBytes = 4 << 20
  /// Loops nested inside loops, as the parser reads them.
  public static let nesting = 100
  /// `$(...)` nested inside `$(...)`.
  public static let substitutionDepth = 32
  /// Commands joined by `|` in one pipeline.
  public static let pipelineCommands = 1000

  static func lineNotice() -> String { "etcdlab: that line is too long (over \(lineBytes) bytes)" }
  static func loopRoundsNotice() -> String { "etcdlab: the loop was stopped after \(loopRounds) rounds" }
  static func commandsNotice() -> String { "etcdlab: the command line was stopped after \(commands) commands" }
  static func serverStartsNotice() -> String { "etcdlab: the command line was stopped after it started etcd \(serverStarts) times" }
  static func loopOutputNotice() -> String { "etcdlab: the loop was stopped after \(loopOutputBytes) bytes of output" }
  static func globNotice(_ pattern: String) -> String {
    "etcdlab: \(pattern) matches more than \(globResults) paths; the command was not run"
  }
  static func hereDocumentNotice() -> String {
    "etcdlab: the here-document is longer than \(hereDocumentBytes) bytes; the command was not run"
  }
  static func continuationScanNotice() -> String {
    "etcdlab: the command went on for too many lines (\(continuationScanBytes >> 20) MiB read again); it was run as it stood"
  }
  static func nestingNotice() -> String { "etcdlab: loops nest more than \(nesting) deep; the command was not run" }
  static func substitutionNotice() -> String { "etcdlab: $(...) nests more than \(substitutionDepth) deep; the command was not run" }
  static func pipelineNotice() -> String { "etcdlab: the pipeline has more than \(pipelineCommands) commands; it was not run" }
}
