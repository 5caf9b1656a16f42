import EtcdCommands
import EtcdSim
import Foundation
@testable import RealHosts
import Testing

/// `etcdlab sandbox --backend real`: the course's world on real etcd 3.4 processes, each host in
/// namespaces of its own. Runs only with ETCDLAB_REAL_ETCD=1 (as RealEtcdConformTests); with it
/// set and etcd missing, every test here fails: none skips.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ETCDLAB_REAL_ETCD"] == "1", "set ETCDLAB_REAL_ETCD=1 to run real etcd"), .serialized)
struct RealSandboxTests {
  static func start(_ setup: WorldSetup = .course) throws -> (Session, RealHosts) {
    try RealSandbox.start(setup: setup, seed: 1, transcriptMode: true, suggestions: false)
  }

  static func simulated(_ lines: [String]) -> [String] {
    var s = Session(sandbox: .course, seed: 1, transcriptMode: true, suggestions: false)
    return lines.map { s.run($0).io.text }
  }

  /// The same addresses and token give the same ids: `member list` is byte for byte the simulator's.
  @Test func theCourseWorldHasTheSimulatorsMemberIDs() throws {
    var (session, hosts) = try Self.start()
    defer { hosts.close() }
    let line = "etcdctl member list"
    let real = session.run(line)
    #expect(real.status == 0)
    #expect(real.io.text.contains("e25938377bdd2340, started, infra1, http://10.0.1.11:2380, http://10.0.1.11:2379, false"), "\(real.io.text)")
    #expect(real.io.text == Self.simulated([line])[0])
    // Another host reaches infra1 over its address; the unit file is where the simulator has it.
    #expect(session.run("ssh infra3").status == 0)
    #expect(session.run("hostname").io.text == "infra3\n")
    let health = session.run("etcdctl --endpoints=http://10.0.1.11:2379 endpoint health")
    #expect(health.status == 0 && health.io.text.hasPrefix("http://10.0.1.11:2379 is healthy"), "\(health.io.text)")
    #expect(session.run("exit").status == 0)
    #expect(session.run("cat /etc/systemd/system/etcd.service").io.text.contains("--name infra0"))
  }

  /// Every host has its own 127.0.0.1: infra0's member answers there, infra3 has none.
  @Test func eachHostHasItsOwnLoopback() throws {
    var (session, hosts) = try Self.start()
    defer { hosts.close() }
    let line = "etcdctl --endpoints=http://127.0.0.1:2379 --dial-timeout=1s --command-timeout=2s endpoint health"
    #expect(session.run(line).status == 0)
    #expect(session.run("ssh infra3").status == 0)
    let there = session.run(line)
    #expect(there.status == 1 && there.io.text.contains("is unhealthy"), "\(there.io.text)")
  }

  /// File commands act on the host's own folders; the rest of the machine is read-only, and a
  /// student's words are arguments, never a shell's command line.
  @Test func fileCommandsActOnTheHostsOwnFolders() throws {
    var (session, hosts) = try Self.start()
    defer { hosts.close() }
    #expect(session.run("ls /var/lib/etcd").io.text == "member\n")
    #expect(session.run("ssh infra4").status == 0)
    #expect(session.run("ls /var/lib").io.text == "")
    #expect(session.run("mkdir -p /var/lib/etcd/member && cd /var/lib/etcd && pwd").io.text == "/var/lib/etcd\n")
    #expect(session.run("echo hello > note && cat note").io.text == "hello\n")
    #expect(session.run("cat < note").io.text == "hello\n")
    #expect(session.run("echo more >> note; wc -l note").io.text == "2 note\n")
    #expect(session.run("rm -rf /var/lib/etcd && cd /").status == 0)
    #expect(session.run("ls /var/lib").io.text == "")
    let outside = session.run("touch /etc/etcdlab-probe")
    #expect(outside.status == 1 && outside.io.text == "touch: cannot touch '/etc/etcdlab-probe': Read-only file system\n", "\(outside.io.text)")
    let redirect = session.run("echo x > /etc/etcdlab-probe")
    #expect(redirect.status == 1 && redirect.io.text == "bash: /etc/etcdlab-probe: Read-only file system\n", "\(redirect.io.text)")
    #expect(!FileManager.default.fileExists(atPath: "/etc/etcdlab-probe"))
    let words = session.run("ls '/root; touch /root/pwned' '$(touch /root/pwned2)'")
    #expect(words.status == 2)
    #expect(session.run("ls /root").io.text == "")
    // infra0's files are its own: infra4 sees none of them.
    #expect(session.run("exit").status == 0)
    #expect(session.run("ls /var/lib/etcd").io.text == "member\n")
  }

  /// A background etcd started by hand on a spare host joins as real etcd does, and the
  /// redirection of its output lands in the host's file.
  @Test func aBackgroundEtcdWritesItsLogWhereTheRedirectionSays() throws {
    var (session, hosts) = try Self.start()
    defer { hosts.close() }
    #expect(session.run("ssh infra3").status == 0)
    let start = session.run("etcd --name infra3 --listen-client-urls http://10.0.1.13:2379 --advertise-client-urls http://10.0.1.13:2379 > /var/log/etcd.log 2>&1 &")
    #expect(start.status == 0)
    var ready = false
    for _ in 0..<100 where !ready {
      Thread.sleep(forTimeInterval: 0.1)
      ready = session.run("grep -c 'ready to serve client requests' /var/log/etcd.log").io.text == "1\n"
    }
    #expect(ready)
    #expect(session.run("etcdctl --endpoints=http://10.0.1.13:2379 put k v").io.text == "OK\n")
  }

  /// Leaving ends every process of the hosts and removes their files; `keep` keeps the files.
  @Test func leavingLeavesNothingRunning() throws {
    let (_, hosts) = try Self.start()
    let ours = Self.processes(in: hosts.topology)
    #expect(ours.filter { $0.argv.first == "etcd" }.count == 3, "\(ours)")
    hosts.topology.keep = true
    let begun = Date()
    hosts.close()
    print("closing took \(Int(Date().timeIntervalSince(begun) * 1000)) ms")
    let left = ours.filter { kill($0.pid, 0) == 0 && (try? String(contentsOfFile: "/proc/\($0.pid)/cmdline", encoding: .utf8))?.replacingOccurrences(of: "\0", with: " ").hasPrefix($0.argv.joined(separator: " ")) == true }
    #expect(left.isEmpty, "\(left)")
    let directory = hosts.topology.directory
    #expect(FileManager.default.fileExists(atPath: directory + "/hosts/infra1/var/lib/etcd/member"))
    #expect(!FileManager.default.fileExists(atPath: directory + "/owner"))
    try FileManager.default.removeItem(atPath: directory)
  }

  /// The directory of a run whose etcdlab was killed goes at the next start; a kept one stays.
  @Test func staleDirectoriesAreSweptAtTheNextStart() throws {
    let dead = try Spawn.start(["/bin/true"], environment: [:], stdin: 0, stdout: 1, stderr: 2)
    _ = Spawn.wait(dead)
    let base = HostTopology.base
    let stale = base + "/\(HostTopology.prefix)test\(UUID().uuidString.prefix(6))"
    let kept = stale + "kept"
    for d in [stale, kept] { try FileManager.default.createDirectory(atPath: d + "/hosts", withIntermediateDirectories: true) }
    try Data("\(dead)\n".utf8).write(to: URL(fileURLWithPath: stale + "/owner"))
    defer { try? FileManager.default.removeItem(atPath: kept) }
    let topology = try HostTopology(hosts: [("solo", ["10.0.9.1"])])
    topology.close()
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(FileManager.default.fileExists(atPath: kept))
    #expect(!FileManager.default.fileExists(atPath: topology.directory))
  }

  /// Setups that cannot run on real etcd here are refused, with the reason.
  @Test func simulatedOnlySetupsAreRefused() {
    var newer = WorldSetup.course
    newer.version = "3.5.17"
    #expect(RealSandbox.refusal(newer) == "etcd 3.5.17 is not installed here (only etcd 3.4 is)")
    var slow = WorldSetup.course
    slow.syncRate = "1MB"
    #expect(RealSandbox.refusal(slow) == "the setup's `sync-rate` exists only in the simulator")
    #expect(RealSandbox.refusal(.course) == nil)
  }

  /// Processes in the hosts' network namespaces, with their argument vectors.
  static func processes(in topology: HostTopology) -> [(pid: pid_t, argv: [String])] {
    let namespaces = Set(topology.keepers.values.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\($0)/ns/net") })
    let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { pid_t($0) } ?? []
    return pids.compactMap { pid in
      guard let ns = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net"), namespaces.contains(ns),
        let line = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)
      else { return nil }
      return (pid, line.split(separator: "\0").map(String.init))
    }
  }
}
