import EtcdSim

/// The seam between etcdlab's shell and the hosts it runs commands on. The shell keeps its own
/// parser, variables, pipes, `ssh`, `cd`, `exit` and job bookkeeping; what a command does to a
/// host's processes and files goes through here. `SimulatedHosts` (the default) runs the shell's
/// builtins against the simulated world; a real implementation (`RealHosts`, in the RealHosts
/// target) runs some commands as real processes in the host's namespaces, with the parsed words
/// as their argument vector, and leaves the rest to `SimulatedHosts`.
///
/// What it covers: running a command by name (`run`), and the files the shell itself opens for a
/// redirection (`prepareOutput`, `write`, `read`) or enters (`isDirectory`, for `cd`). What it does not: pathname
/// expansion (globs match the simulated files), background job control, the clock.
public protocol HostRunner: Sendable {
  /// Runs a command on the session's current host; nil when this runner has no such command
  /// (the shell then says `command not found`).
  func run(_ call: Session.Invocation, in session: inout Session, io: inout IO) -> Int32?
  /// Creates (or, `append` false, empties) the file an output redirection names, before the
  /// command runs; an error line as bash prints it when it cannot.
  func prepareOutput(_ path: String, append: Bool, in session: inout Session) -> String?
  /// Appends what a command printed to a redirection's file; false when the disk is full.
  func write(_ bytes: [UInt8], to path: String, in session: inout Session) -> Bool
  /// A file's bytes, for an input redirection: nil when there is no such file, `.some(nil)` when
  /// it is not a file of bytes (a program, an archive).
  func read(_ path: String, in session: Session) -> [UInt8]??
  /// Whether a path exists on the host and is a directory (nil: it does not exist).
  func isDirectory(_ path: String, in session: Session) -> Bool?
}

/// The simulated hosts: every command is one of the shell's builtins acting on `session.world`.
public struct SimulatedHosts: HostRunner {
  public init() {}

  public func run(_ call: Session.Invocation, in session: inout Session, io: inout IO) -> Int32? {
    guard let builtin = Session.command(call.name) else { return nil }
    return builtin(&session, call, &io)
  }

  public func prepareOutput(_ path: String, append: Bool, in session: inout Session) -> String? {
    _ = session.world.withFileSystem(of: session.host) { fs, t in
      if !append || !fs.exists(path) { fs.write(path, .bytes([]), at: t) }
    }
    return nil
  }

  public func write(_ bytes: [UInt8], to path: String, in session: inout Session) -> Bool {
    let text = String(decoding: bytes, as: UTF8.self)
    return session.world.withFileSystem(of: session.host) { fs, t in fs.append(path, text, at: t) } != false
  }

  public func read(_ path: String, in session: Session) -> [UInt8]?? {
    guard let data = session.world.host(session.host)?.fs.content(path) else { return nil }
    if case .bytes(let b) = data { return .some(b) }
    return .some(nil)
  }

  public func isDirectory(_ path: String, in session: Session) -> Bool? {
    guard let fs = session.world.host(session.host)?.fs, fs.exists(path) else { return nil }
    return fs.isDirectory(path)
  }
}
