import Foundation
import Testing

/// Progress as students keep it: through the built binary, run after run, and two runs at once.
@Suite struct ProgressBinaryTests {
  static func home() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("etcdlab-progress-\(UUID().uuidString)").path
  }

  @Test func everySittingIsKeptRunAfterRun() throws {
    try BinaryTests.requireBinary()
    let home = Self.home()
    for _ in 1...3 {
      let (out, status) = try BinaryTests.run(["run", "backup", "--transcript", "--seed", "1"], input: "hostname\nhint\nquit\n", home: home)
      #expect(status == 0 && out.contains("Progress saved. Bye!"))
    }
    let (listing, _) = try BinaryTests.run(["progress"], input: "", home: home)
    // Three sittings of one command each, and the hint asked once per sitting (the most asked is kept).
    #expect(listing.contains("backup: step 1, 0/"), "\(listing)")
    #expect(listing.contains("1 hints, 0 solutions shown, 3 commands"), "\(listing)")
  }

  @Test func twoRunsAtOnceBothKeepTheirLabs() async throws {
    try BinaryTests.requireBinary()
    for trial in 1...5 {
      let home = Self.home()
      // An earlier lab is on disk before the two runs start; neither may lose it.
      _ = try BinaryTests.run(["run", "quorum", "--transcript", "--seed", "1"], input: "hint\nquit\n", home: home)
      async let a = Task.detached { try BinaryTests.run(["run", "backup", "--transcript", "--seed", "1"], input: "hint\nhint\nhostname\nquit\n", home: home) }.value
      async let b = Task.detached { try BinaryTests.run(["run", "learner-flow", "--transcript", "--seed", "1"], input: "hint\nhostname\nhint\nquit\n", home: home) }.value
      _ = try await (a, b)
      let (json, _) = try BinaryTests.run(["progress", "--json"], input: "", home: home)
      for lab in ["quorum", "backup", "learner-flow"] {
        #expect(json.contains("\"\(lab)\""), "trial \(trial): \(lab) lost\n\(json)")
      }
    }
  }

  @Test func aHomeThatCannotBeWrittenDoesNotClaimProgressWasSaved() throws {
    try BinaryTests.requireBinary()
    let file = Self.home()
    try Data("x".utf8).write(to: URL(fileURLWithPath: file))
    let (out, status) = try BinaryTests.run(["run", "backup", "--transcript", "--seed", "1"], input: "hint\nquit\n", home: file + "/etcdlab")
    #expect(status == 0)
    #expect(out.contains("progress could not be saved: "), "\(out)")
    #expect(out.contains("Progress NOT saved (see above). Bye!") && !out.contains("Progress saved. Bye!"))
  }

  @Test func aFolderInPlaceOfTheProgressFileIsNeverDeleted() throws {
    try BinaryTests.requireBinary()
    let home = Self.home()
    let folder = URL(fileURLWithPath: home).appendingPathComponent("progress.json")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data("keep me".utf8).write(to: folder.appendingPathComponent("notes.txt"))
    let (out, _) = try BinaryTests.run(["run", "backup", "--transcript", "--seed", "1"], input: "hint\nquit\n", home: home)
    #expect(out.contains("is a folder, not a progress file"))
    #expect(out.contains("Progress NOT saved"))
    #expect(try String(contentsOf: folder.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep me")
  }
}
