import EtcdCommands
import EtcdSim
import Foundation

/// A foreground etcd that keeps running holds the prompt until Ctrl-C, as in a real shell.
enum Foreground {
  nonisolated(unsafe) static var interrupted = false

  static func hold(pid: Int32, session: inout Session, write: (String, ScreenContext.Stream) -> Void) {
    write("etcdlab: etcd is running in the foreground; press Ctrl-C to stop it (or start it with '> NAME.log 2>&1 &' to keep it running).\n", .stderr)
    interrupted = false
    signal(SIGINT) { _ in Foreground.interrupted = true }
    defer { signal(SIGINT, SIG_DFL) }
    var last = Date()
    while !interrupted {
      usleep(100_000)
      let now = Date()
      session.world.advance(by: Millis(now.timeIntervalSince(last) * 1000))
      last = now
      for l in session.world.drainTerminal(pid: pid) { write(l + "\n", .stderr) }
      if session.world.process(pid: pid)?.isRunning != true { break }
    }
    if interrupted {
      session.world.signal(pid: pid, 2)
      for l in session.world.drainTerminal(pid: pid) { write(l + "\n", .stderr) }
      session.lastStatus = 130
    }
    session.world.reap(pid: pid)
  }
}
