import Foundation
import Testing

/// The course's labs on real etcd, through the built binary: `etcdlab test --backend real` plays
/// the solutions on both backends and the checks read the real cluster; `etcdlab run --backend
/// real` completes a lab typed as a student types it. Runs only with ETCDLAB_REAL_ETCD=1; with it
/// set and etcd missing, every test here fails: none skips.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ETCDLAB_REAL_ETCD"] == "1", "set ETCDLAB_REAL_ETCD=1 to run real etcd"), .serialized)
struct RealLabTests {
  static var binary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("etcdlab")
  }

  static var labs: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("labs")
  }

  static func run(_ args: [String], input: String = "") throws -> (out: String, status: Int32) {
    try #require(FileManager.default.fileExists(atPath: binary.path), "no etcdlab binary at \(binary.path): build it with `swift build`")
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["ETCDLAB_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("etcdlab-real-\(UUID().uuidString)").path
    p.environment = env
    let stdin = Pipe(), stdout = Pipe()
    p.standardInput = stdin
    p.standardOutput = stdout
    p.standardError = stdout
    try p.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (String(decoding: data, as: UTF8.self), p.terminationStatus)
  }

  /// The add-member and backup labs pass with their solutions on real etcd, each with its wall
  /// time beside the simulator's.
  @Test func theAddMemberAndBackupLabsPassOnRealEtcd() throws {
    let files = ["add-voting-member", "backup"].map { Self.labs.appendingPathComponent("\($0).yaml").path }
    let (out, status) = try Self.run(["test", "--backend", "real", "--compare"] + files)
    print(out)
    #expect(status == 0, "\(out)")
    for id in ["add-voting-member", "backup"] {
      let line = out.split(separator: "\n").first { $0.hasPrefix("ok   \(id) sim ") }
      #expect(line != nil, "\(out)")
      #expect(line?.contains(", real ") == true && line?.contains(" s, R/S ") == true, "\(out)")
    }
    #expect(out.contains("2 passed, 0 failed, 0 refused on real etcd"), "\(out)")
  }

  /// A lab typed as a student: `etcdlab run add-voting-member --backend real` completes.
  @Test func aLabRunsToTheEndOnRealEtcd() throws {
    let lines = [
      "etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380",
      "ssh infra3",
      "etcd --name infra3 --data-dir /var/lib/etcd --listen-peer-urls http://10.0.1.13:2380 --initial-advertise-peer-urls http://10.0.1.13:2380 --listen-client-urls http://10.0.1.13:2379 --advertise-client-urls http://10.0.1.13:2379 --initial-cluster infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380,infra3=http://10.0.1.13:2380 --initial-cluster-state existing > /var/log/etcd.log 2>&1 &",
      "sleep 3",
      "exit",
      "check",
      "etcdctl endpoint health --cluster",
    ]
    let (out, status) = try Self.run(["run", "add-voting-member", "--backend", "real", "--transcript", "--seed", "1"], input: lines.joined(separator: "\n") + "\n")
    #expect(status == 0, "\(out)")
    #expect(out.contains("# lab add-voting-member: complete"), "\(out)")
    #expect(out.contains("http://10.0.1.13:2379 is healthy"), "\(out)")
  }

  /// A lab the real backend cannot run is refused with the reason.
  @Test func aSimulatedOnlyLabIsRefused() throws {
    let (out, status) = try Self.run(["run", "rolling-upgrade", "--backend", "real", "--transcript"])
    #expect(status == 1)
    #expect(out.hasPrefix("etcdlab: the real backend cannot run rolling-upgrade: "), "\(out)")
  }
}
