import EtcdCommands
import EtcdSim

/// Types lines into a fresh sandbox as `etcdlab sandbox --transcript --seed SEED` does: the
/// course's world, the same shell, lines fed one by one until `exit` ends the session.
public enum SandboxReplay {
  /// Runs `lines`; `starting(k)` is called before line `k` is fed. Returns how many were fed.
  @discardableResult
  public static func run(_ lines: [String], seed: UInt64, starting: (Int) -> Void = { _ in }) -> Int {
    var session = Session(sandbox: .course, seed: seed, transcriptMode: true, suggestions: false)
    for (k, line) in lines.enumerated() {
      if session.exitRequested { return k }
      starting(k)
      _ = session.feed(line)
    }
    return lines.count
  }
}
