import Foundation
import Testing

/// The built `etcdlab` binary, driven through standard input as a script would.
@Suite struct BinaryTests {
  static var binary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("etcdlab")
  }

  /// Fails the test (never skips it) when the binary was not built beside the tests.
  static func requireBinary() throws {
    try #require(FileManager.default.fileExists(atPath: binary.path), "no etcdlab binary at \(binary.path): build it with `swift build`")
  }

  /// Runs `etcdlab ARGS`, or with `terminal` the same inside a pseudo-terminal (util-linux `script`).
  static func run(_ args: [String], input: String, home: String? = nil, terminal: Bool = false, env extra: [String: String] = [:]) throws -> (out: String, status: Int32) {
    let p = Process()
    if terminal {
      p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
      p.arguments = ["-qfec", ([binary.path] + args).joined(separator: " "), "/dev/null"]
    } else {
      p.executableURL = binary
      p.arguments = args
    }
    var env = ProcessInfo.processInfo.environment
    env["ETCDLAB_HOME"] = home ?? FileManager.default.temporaryDirectory.appendingPathComponent("etcdlab-test-\(UUID().uuidString)").path
    env["LANG"] = "C.UTF-8"
    if terminal { env["TERM"] = "xterm"; env["NO_COLOR"] = nil }
    for (k, v) in extra { env[k] = v }
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

  @Test func aLabPlaysThroughToTheEndInTranscriptMode() throws {
    try Self.requireBinary()
    let lines = [
      "check", "etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380",
      "ssh infra3 'etcd --name infra3 --data-dir /var/lib/etcd --listen-peer-urls http://10.0.1.13:2380 --initial-advertise-peer-urls http://10.0.1.13:2380 --listen-client-urls http://10.0.1.13:2379 --advertise-client-urls http://10.0.1.13:2379 --initial-cluster infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380,infra3=http://10.0.1.13:2380 --initial-cluster-state existing > /var/log/etcd.log 2>&1 &'",
      "sleep 1", "etcdctl endpoint health --cluster",
    ]
    let (out, status) = try Self.run(["run", "add-voting-member", "--transcript", "--seed", "1"], input: lines.joined(separator: "\n") + "\n")
    #expect(status == 0)
    #expect(out.contains("✗ infra3 is not a member yet"))
    #expect(out.contains("✓ Step 1 passed") && out.contains("✓ Step 3 passed"))
    #expect(out.hasSuffix("# lab add-voting-member: complete\n"), "\(out.suffix(300))")
  }

  @Test func aCorruptProgressFileIsMovedAsideNotFatal() throws {
    try Self.requireBinary()
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("etcdlab-corrupt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    try Data("{ this is not json".utf8).write(to: home.appendingPathComponent("progress.json"))
    let (out, status) = try Self.run(["run", "add-voting-member", "--transcript", "--seed", "1"], input: "quit\n", home: home.path)
    #expect(status == 0)
    #expect(out.contains("could not be used (it is not etcdlab progress") && out.contains("progress starts afresh"))
    let files = try FileManager.default.contentsOfDirectory(atPath: home.path)
    #expect(files.contains("progress.json") && files.contains { $0.hasPrefix("progress.json.corrupt-") })
    let (listing, _) = try Self.run(["progress"], input: "", home: home.path)
    #expect(listing.contains("add-voting-member: step 1"))
  }

  @Test func lintAndTestCommandsEndWithTheirCounts() throws {
    try Self.requireBinary()
    let (lint, ls) = try Self.run(["lint"], input: "")
    #expect(ls == 0 && lint.contains("0 errors"))
    // One lab, one seed: LabPlayTests plays every lab for every seed in process.
    let (test, ts) = try Self.run(["test", CourseTests.root.appendingPathComponent("labs/backup.yaml").path, "--seeds", "1"], input: "")
    #expect(ts == 0 && test.hasPrefix("ok   backup (1 seeds, ") && test.hasSuffix("1 passed, 0 failed\n"), "\(test)")
  }

  @Test func theSetupFixturesLoadAndAPKIEntryIsCheckedLikeTheRest() throws {
    try Self.requireBinary()
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    let tls = fixtures.appendingPathComponent("tls-setup.yaml").path
    let (out, status) = try Self.run(["sandbox", "--setup", tls, "--transcript"], input: "ls pki/etcd other-ca\n")
    #expect(status == 0)
    #expect(out.contains("other-ca:\nca.crt\nca.key\nclient.crt\nclient.key\n"))
    let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-pki-\(UUID().uuidString).yaml")
    try Data("pki:\n  - dir: /root/pki\n    ca: x\n    cert: [a]\n".utf8).write(to: bad)
    let (err, code) = try Self.run(["sandbox", "--setup", bad.path, "--transcript"], input: "")
    #expect(code != 0)
    #expect(err.contains(":4:5: error: unknown key 'cert' in a pki entry"))
  }

  @Test func sandboxTranscriptShowsEachLineItsOutputAndItsExit() throws {
    try Self.requireBinary()
    let (out, status) = try Self.run(["sandbox", "--transcript"], input: "true\nprintf x\nfor i in 1 2; do\necho $i\ndone\n")
    #expect(status == 0)
    #expect(out == "$ true\n# exit 0\n$ printf x\nx\n# exit 0\n$ for i in 1 2; do\n> echo $i\n> done\n1\n2\n# exit 0\n", "\(out)")
  }

  @Test func sandboxExplainAddsExplanationLinesAfterTheExit() throws {
    try Self.requireBinary()
    let (out, _) = try Self.run(["sandbox", "--transcript", "--explain"], input: "etcdctl member remove 1234abcd\n")
    #expect(out.contains("# exit 1\n>> No member with id 1234abcd is in the cluster."))
    let (plain, _) = try Self.run(["sandbox", "--transcript"], input: "etcdctl member remove 1234abcd\n")
    #expect(!plain.contains(">> "))
  }
}
