import EtcdCommands
import EtcdSim
import Foundation

/// Replays a transcript through the sandbox, command by command, as conform.py does: ids of
/// added members learned from earlier outputs are substituted into later commands.
struct Replay {
  struct Result {
    var index: Int
    var command: String
    var expected: [String]
    var expectedExit: Int32
    var actual: [String]
    var actualExit: Int32
  }

  static let setupLines = [
    "127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14", "127.0.0.15", "127.0.0.16", "127.0.0.17",
    "127.0.0.18", "127.0.0.19", "127.0.0.20", "127.0.0.21", "127.0.0.22", "127.0.0.23", "127.0.0.24", "127.0.0.25",
  ]

  static func loopbackWorld(seed: UInt64 = 1, tls: Bool = false) -> World {
    var setup = WorldSetup()
    var host = WorldSetup.HostSetup(name: "lab", address: "127.0.0.10")
    host.addresses = setupLines
    setup.hosts = [host]
    if tls {
      // The files transcript 09 made with OpenSSL before its first command (its header lists them).
      setup.pki = [
        PKISetup(dir: "/root/pki/etcd", ca: "etcd-ca", sans: ["localhost", "127.0.0.1", "127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13"]),
        PKISetup(dir: "/root/other-ca", ca: "other-ca", certs: ["client"]),
      ]
    }
    return World(setup: setup, seed: seed)
  }

  static func run(_ t: Transcript, seed: UInt64 = 1) -> [Result] {
    var session = Session(world: loopbackWorld(seed: seed, tls: t.name.hasPrefix("09")), host: "lab", transcriptMode: true, suggestions: false)
    var idmap: [String: String] = [:]
    var results: [Result] = []
    for item in t.items {
      switch item {
      case .stop(let name):
        _ = session.run("pkill -f 'name \(name)'")
      case .waitReady(let names):
        let deadline = session.world.now + 10_000
        _ = session.world.wait(until: deadline) { w in
          names.allSatisfy { n in
            w.processes.contains { $0.isRunning && $0.etcd?.config.name == n && $0.etcd?.readyAt != nil }
          }
        }
      case .waitExit(let name):
        let deadline = session.world.now + 20_000
        _ = session.world.wait(until: deadline) { w in
          !w.processes.contains { $0.isRunning && $0.etcd?.config.name == name }
        }
      case .command(let line, let expected, let exit):
        // An id the outputs never showed (the capture learned it out of band): find the member the
        // header names by its peer URL, infraN at 127.0.0.(10+N).
        for real in Normalize.hexIDs(line) where idmap[real] == nil {
          guard let label = t.idLabels[real], let n = Int(label.dropFirst(5)) else { continue }
          let url = "http://127.0.0.\(10 + n):2380"
          if let m = session.world.labCluster?.sortedMembers.first(where: { $0.peerURLs.contains(url) }) {
            idmap[real] = String(m.id, radix: 16)
          }
        }
        var cmd = line
        for (real, sim) in idmap { cmd = cmd.replacing(real, with: sim) }
        let (io, status) = session.run(cmd)
        var text = io.text
        if text.hasSuffix("\n") { text.removeLast() }
        let actual = text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (r, s) in zip(expected, actual) {
          // Learn only from lines that are the same but for their ids and that name a member by
          // its URL (member lists, `Member ... added`): there, equal lines mean the same member.
          guard r.contains("http") || r.hasPrefix("Member "), !r.contains("Members:["), Normalize.strict([r]) == Normalize.strict([s]) else { continue }
          for (a, b) in zip(Normalize.hexIDs(r), Normalize.hexIDs(s)) where idmap[a] == nil { idmap[a] = b }
        }
        // Name the simulator's ids as the reference named them (one pass, no chains), so that
        // normalization numbers them alike.
        var inverse: [String: String] = [:]
        for (real, sim) in idmap where real != sim {
          inverse[sim] = real
          if let a = UInt64(sim, radix: 16), let b = UInt64(real, radix: 16) { inverse[String(a)] = String(b) }
        }
        let named = actual.map { line in
          let hex = Normalize.mapRuns(line, inRun: { $0.isASCII && ($0.isLetter || $0.isNumber) }, match: Normalize.isHexID) { inverse[$0] ?? $0 }
          return Normalize.mapRuns(hex, inRun: { $0.isNumber || $0 == "." }, match: Normalize.isDecID) { inverse[$0] ?? $0 }
        }
        results.append(Result(index: results.count + 1, command: line, expected: expected, expectedExit: exit, actual: named, actualExit: status))
      }
    }
    return results
  }
}
