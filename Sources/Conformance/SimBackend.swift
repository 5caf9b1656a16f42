import EtcdCommands
import EtcdSim

/// The simulator as a replay backend: one sandbox session on the machine of the reference
/// transcripts (`Tests/Fixtures/loopback-setup.yaml`: host `lab` with 127.0.0.10-25), as
/// `etcdlab sandbox --setup Tests/Fixtures/loopback-setup.yaml --transcript --seed 1` runs it.
public struct SimBackend: ReplayBackend {
  public var session: Session
  public var side: String { "sim" }

  public init(for t: Transcript, seed: UInt64 = 1) {
    session = Session(world: Self.loopbackWorld(seed: seed, tls: t.madeTLSFiles), host: "lab", transcriptMode: true, suggestions: false)
  }

  public static let addresses = (10...25).map { "127.0.0.\($0)" }

  /// The transcripts' machine; with `tls`, the files transcript 09 made with OpenSSL before its
  /// first command (its header lists them).
  public static func loopbackWorld(seed: UInt64 = 1, tls: Bool = false) -> World {
    var setup = WorldSetup()
    var host = WorldSetup.HostSetup(name: "lab", address: "127.0.0.10")
    host.addresses = addresses
    setup.hosts = [host]
    if tls {
      setup.pki = [
        PKISetup(dir: "/root/pki/etcd", ca: "etcd-ca", sans: ["localhost", "127.0.0.1", "127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13"]),
        PKISetup(dir: "/root/other-ca", ca: "other-ca", certs: ["client"]),
      ]
    }
    return World(setup: setup, seed: seed)
  }

  public mutating func run(_ command: Transcript.Command, line: String) -> Output {
    let (io, status) = session.run(line)
    return Output(text: io.text, status: status)
  }

  public mutating func stop(_ name: String) {
    _ = session.run("pkill -f 'name \(name)'")
  }

  public mutating func waitReady(_ names: [String]) {
    let deadline = session.world.now + 10_000
    _ = session.world.wait(until: deadline) { w in
      names.allSatisfy { n in
        w.processes.contains { $0.isRunning && $0.etcd?.config.name == n && $0.etcd?.readyAt != nil }
      }
    }
  }

  public mutating func waitExit(_ name: String) {
    let deadline = session.world.now + 20_000
    _ = session.world.wait(until: deadline) { w in
      !w.processes.contains { $0.isRunning && $0.etcd?.config.name == name }
    }
  }

  public mutating func memberID(peerURL: String) -> String? {
    session.world.labCluster?.sortedMembers.first { $0.peerURLs.contains(peerURL) }.map { String($0.id, radix: 16) }
  }
}
