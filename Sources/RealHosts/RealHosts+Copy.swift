import EtcdCommands
import EtcdSim

/// `scp` between the real hosts: each file read in its host and written in the other, as the
/// simulator's scp copies (files; a directory needs -r, which the real backend does not copy).
extension RealHosts {
  func scp(_ call: Session.Invocation, session: inout Session, io: inout IO) -> Int32 {
    let args = call.args
    var operands: [String] = []
    var i = 0
    while i < args.count {
      let a = args[i]
      i += 1
      if a.hasPrefix("-") && a.count > 1 {
        if a == "-P" || a == "-i" { i += 1 }
        continue
      }
      operands.append(a)
    }
    guard operands.count >= 2 else { return SimulatedHosts().run(call, in: &session, io: &io) ?? 1 }
    let session = session
    func split(_ spec: String) -> (host: String, path: String)? {
      guard let colon = spec.firstIndex(of: ":"), !spec[..<colon].contains("/") else { return (session.host, FileSystem.resolve(spec, cwd: session.cwd)) }
      let name = String(spec[..<colon]).split(separator: "@").last.map(String.init) ?? ""
      guard let h = session.world.hosts.first(where: { $0.name == name || $0.addresses.contains(name) }) else { return nil }
      let p = String(spec[spec.index(after: colon)...])
      return (h.name, FileSystem.resolve(p.isEmpty ? "." : p, cwd: "/root"))
    }
    func unresolved(_ spec: String) -> Int32 {
      let name = String(spec.prefix { $0 != ":" }).split(separator: "@").last.map(String.init) ?? ""
      io.err("ssh: Could not resolve hostname \(name): Name or service not known")
      io.err("scp: Connection closed")
      return 255
    }
    guard let last = operands.last, let to = split(last) else { return unresolved(operands.last ?? "") }
    var status: Int32 = 0
    for src in operands.dropLast() {
      guard let from = split(src) else { return unresolved(src) }
      if isDirectory(from.path, host: from.host) == true {
        io.err("scp: \(from.path): not a regular file")
        status = 1
        continue
      }
      guard let read = run(["cat", "--", from.path], host: from.host, cwd: "/", env: [:]), read.status == 0 else {
        io.err("scp: \(from.path): No such file or directory")
        status = 1
        continue
      }
      let target = isDirectory(to.path, host: to.host) == true ? to.path + "/" + FileSystem.baseName(from.path) : to.path
      guard run(["cat"], host: to.host, cwd: "/", out: ">" + target, env: [:], input: read.bytes(of: .stdout))?.status == 0 else {
        io.err("scp: \(target): No such file or directory")
        status = 1
        continue
      }
    }
    return status
  }
}
