import EtcdCommands
import EtcdSim
import Foundation
@testable import RealHosts
import Testing

/// systemd on the real backend: the unit file a host has starts a real etcd there (its argv from
/// the parsed unit, its Environment= and EnvironmentFile=), `systemctl status` shows the real
/// process and `journalctl -u etcd` its real output. Runs only with ETCDLAB_REAL_ETCD=1; with it
/// set and etcd missing, every test here fails: none skips.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ETCDLAB_REAL_ETCD"] == "1", "set ETCDLAB_REAL_ETCD=1 to run real etcd"), .serialized)
struct RealUnitsTests {
  /// The setup's members run as units: status shows the real main pid, stop ends the process and
  /// the member stops answering, start brings it back with the same id.
  @Test func theSetupsMembersAreUnitsThatStopAndStart() throws {
    var (session, hosts) = try RealSandboxTests.start()
    defer { hosts.close() }
    let status = session.run("systemctl status etcd")
    #expect(status.status == 0, "\(status.io.text)")
    let lines = status.io.text.split(separator: "\n").map(String.init)
    #expect(lines.first == "● etcd.service - etcd key-value store", "\(status.io.text)")
    #expect(lines.contains { $0.hasPrefix("     Active: active (running) since ") })
    let main = lines.first { $0.hasPrefix("   Main PID: ") }.flatMap { $0.dropFirst(13).split(separator: " ").first }.flatMap { Int32($0) }
    #expect(main != nil, "\(status.io.text)")
    #expect(lines.contains { $0.contains("etcd[\(main ?? 0)]: ") && $0.contains("ready to serve client requests") }, "\(status.io.text)")
    // The main pid is the real etcd in infra0's pid namespace.
    #expect(session.run("ps -o args= -p \(main ?? 0)").io.text.hasPrefix("etcd --name infra0"))

    #expect(session.run("systemctl stop etcd").status == 0)
    #expect(session.run("systemctl is-active etcd").io.text == "inactive\n")
    let down = session.run("etcdctl --endpoints=http://10.0.1.10:2379 --dial-timeout=1s --command-timeout=2s endpoint health")
    #expect(down.status == 1, "\(down.io.text)")
    let stopped = session.run("systemctl status etcd")
    #expect(stopped.status == 3 && stopped.io.text.contains("     Active: inactive (dead) since "), "\(stopped.io.text)")
    #expect(stopped.io.text.contains("systemd[1]: Stopped etcd.service - etcd key-value store."))

    let start = session.run("systemctl start etcd")
    #expect(start.status == 0, "\(start.io.text)")
    #expect(session.run("systemctl is-active etcd").io.text == "active\n")
    let list = session.run("etcdctl member list")
    #expect(list.io.text.contains(", started, infra0, http://10.0.1.10:2380"), "\(list.io.text)")
    let journal = session.run("journalctl -u etcd")
    let starts = journal.io.text.split(separator: "\n").filter { $0.hasSuffix("systemd[1]: Started etcd.service - etcd key-value store.") }
    #expect(starts.count == 2, "\(journal.io.text)")
    #expect(session.run("journalctl -u etcd -n 1").io.text.split(separator: "\n").count == 1)
    #expect(session.run("journalctl -u etcd -nx").io.text == "Failed to parse lines 'x'\n")
  }

  /// A unit written by hand on a spare host: its Environment= and EnvironmentFile= reach the real
  /// etcd (here its name and data dir), its words are arguments, and a failing start says so.
  @Test func aUnitWrittenByHandRunsWithItsEnvironment() throws {
    var (session, hosts) = try RealSandboxTests.start()
    defer { hosts.close() }
    #expect(session.run("ssh infra4").status == 0)
    #expect(session.run("systemctl start etcd").io.text == "Failed to start etcd.service: Unit etcd.service not found.\n")
    let unit = """
      cat > /etc/systemd/system/etcd.service <<'EOF'
      [Unit]
      Description=solo etcd
      [Service]
      Type=notify
      Environment="ETCD_NAME=solo" ETCD_LISTEN_CLIENT_URLS=http://10.0.1.14:2379
      EnvironmentFile=/etc/systemd/system/etcd.env
      EnvironmentFile=-/etc/systemd/system/missing.env
      ExecStart=/usr/local/bin/etcd --advertise-client-urls http://10.0.1.14:2379 --listen-peer-urls http://10.0.1.14:2380 --initial-advertise-peer-urls http://10.0.1.14:2380 --initial-cluster solo=http://10.0.1.14:2380
      EOF
      """
    #expect(session.run(unit).status == 0)
    #expect(session.run("echo '# the data dir' > /etc/systemd/system/etcd.env; echo 'ETCD_DATA_DIR=\"/var/lib/solo\"' >> /etc/systemd/system/etcd.env").status == 0)
    let start = session.run("systemctl start etcd")
    #expect(start.status == 0, "\(start.io.text)")
    #expect(session.run("ls /var/lib").io.text == "solo\n")
    let list = session.run("etcdctl --endpoints=http://10.0.1.14:2379 member list")
    #expect(list.io.text.contains(", started, solo, http://10.0.1.14:2380, http://10.0.1.14:2379, false"), "\(list.io.text)")
    #expect(session.run("systemctl status etcd").io.text.contains("             └─"))
    // A second etcd on the same ports fails: the unit shows the real exit.
    #expect(session.run("systemctl stop etcd").status == 0)
    #expect(session.run("etcd --name other --data-dir /var/lib/other --listen-client-urls http://10.0.1.14:2379 --advertise-client-urls http://10.0.1.14:2379 --listen-peer-urls http://10.0.1.14:2380 > /var/log/other.log 2>&1 &").status == 0)
    Thread.sleep(forTimeInterval: 1)
    let busy = session.run("systemctl start etcd")
    #expect(busy.status == 1, "\(busy.io.text)")
    #expect(busy.io.text.hasPrefix("Job for etcd.service failed because the control process exited with error code."), "\(busy.io.text)")
    let failed = session.run("systemctl status etcd")
    #expect(failed.io.text.contains("     Active: failed (Result: exit-code) since "), "\(failed.io.text)")
    #expect(failed.io.text.contains("address already in use"), "\(failed.io.text)")
    #expect(session.run("systemctl is-active etcd").io.text == "failed\n")
  }
}
