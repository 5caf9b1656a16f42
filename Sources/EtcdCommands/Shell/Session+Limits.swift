import EtcdSim

extension Session {
  /// Holds what one command line printed to this session's output budget, and says which
  /// limit cut it (`SimLimits.commandOutputBytes` or `sessionOutputBytes`).
  mutating func limitOutput(_ io: inout IO) {
    let bySession = io.keep(atMost: SimLimits.sessionOutputBytes - printedBytes)
    printedBytes += io.outputBytes
    if bySession {
      io.notice(SimLimits.sessionOutputNotice())
    } else if io.outputCut {
      io.notice(SimLimits.commandOutputNotice())
    }
    io.outputCut = false
  }

  /// A write that found the simulated disk full, said as the writer says it.
  mutating func diskFull(_ writer: String, io: inout IO) {
    let builtin = ["bash", "echo", "printf", "pwd", "kill", "jobs", "type", "test", "["].contains(writer)
    io.err("\(builtin && writer != "bash" ? "bash: " : "")\(writer): write error: No space left on device")
    io.notice(SimLimits.diskNotice(host))
  }
}
