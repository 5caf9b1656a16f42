import Conformance
import EtcdCommands
import EtcdSim

/// A sandbox session on the course world or the transcripts' loopback machine.
enum Sandbox {
  static func course(seed: UInt64 = 1, transcript: Bool = true) -> Session {
    Session(world: World(setup: .course, seed: seed), host: "infra0", transcriptMode: transcript, suggestions: !transcript)
  }

  static func loopback(seed: UInt64 = 1) -> Session {
    Session(world: SimBackend.loopbackWorld(seed: seed), host: "lab", transcriptMode: true, suggestions: false)
  }

  /// Bootstraps infra0–infra2 on the loopback machine as the transcripts do, and waits 6 s.
  static func loopbackCluster(seed: UInt64 = 1) -> Session {
    var s = loopback(seed: seed)
    let cluster = "infra0=http://127.0.0.10:2380,infra1=http://127.0.0.11:2380,infra2=http://127.0.0.12:2380"
    for n in 0...2 {
      _ = s.run("etcd --name infra\(n) --data-dir infra\(n).etcd --initial-advertise-peer-urls http://127.0.0.1\(n):2380 --listen-peer-urls http://127.0.0.1\(n):2380 --listen-client-urls http://127.0.0.1\(n):2379 --advertise-client-urls http://127.0.0.1\(n):2379 --initial-cluster-token etcd-cluster-1 --initial-cluster \(cluster) --initial-cluster-state new > infra\(n).log 2>&1 &")
    }
    _ = s.run("sleep 6")
    return s
  }
}

extension Session {
  /// Runs a line; returns stdout and stderr interleaved, and the exit status.
  mutating func text(_ line: String) -> (String, Int32) {
    let (io, status) = run(line)
    return (io.text, status)
  }
}
