import Foundation
import Testing

@testable import LabKit
@testable import LabShell

/// The progress file on a real disk: every save kept, two writers merged, and a file that is not
/// progress set aside, never lost.
@Suite struct ProgressFileTests {
  static func home() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("etcdlab-progress-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  static func files(_ dir: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
  }

  /// One sitting of a lab: `attempts` commands, `seconds` seconds.
  static func sitting(_ lab: String, attempts: Int, seconds: Int) -> (inout StudentProgress) -> Void {
    { p in
      var l = p.labs[lab] ?? StudentProgress.LabProgress()
      l.attempts += attempts
      l.seconds += seconds
      p.labs[lab] = l
      p.last = lab
    }
  }

  @Test func everySaveIsKeptAndReadBack() throws {
    let store = ProgressFile(directory: try Self.home())
    for n in 1...5 {
      let save = store.update(Self.sitting("backup", attempts: 1, seconds: 10))
      #expect(save.failure == nil && save.notices.isEmpty)
      // A fresh reader (another run of etcdlab) sees each save.
      let (read, notices) = ProgressFile(directory: store.directory).load()
      #expect(notices.isEmpty)
      #expect(read.labs["backup"]?.attempts == n && read.labs["backup"]?.seconds == 10 * n)
    }
    // Nothing but the file and its lock is left behind: no temporary file, no backup copy.
    #expect(Self.files(store.directory) == [".progress.lock", "progress.json"])
  }

  @Test func writersAtOnceBothKeepTheirLabs() async throws {
    let dir = try Self.home()
    let labs = (0..<8).map { "lab-\($0)" }
    await withTaskGroup(of: Void.self) { group in
      for lab in labs {
        group.addTask {
          // Each writer has its own store, as each etcdlab process does.
          let store = ProgressFile(directory: dir)
          for _ in 0..<25 { _ = store.update(Self.sitting(lab, attempts: 1, seconds: 1)) }
        }
      }
    }
    let (p, _) = ProgressFile(directory: dir).load()
    #expect(p.labs.keys.sorted() == labs)
    #expect(labs.allSatisfy { p.labs[$0]?.attempts == 25 })
  }

  @Test(arguments: [
    ("garbage", Data("{ this is not json".utf8), "it is not etcdlab progress"),
    ("empty", Data(), "it is empty"),
    ("binary", Data([0xff, 0xfe, 0x00, 0x01]), "it is not etcdlab progress"),
  ])
  func aFileThatIsNotProgressIsSetAsideWithOneLine(_ kind: String, _ content: Data, _ why: String) throws {
    let dir = try Self.home()
    let store = ProgressFile(directory: dir)
    try content.write(to: store.url)
    let (p, notices) = store.load()
    #expect(p == StudentProgress())
    #expect(notices.count == 1)
    #expect(notices.first?.contains(why) == true, "\(kind): \(notices)")
    #expect(notices.first?.contains("set aside as progress.json.corrupt-") == true)
    let aside = try #require(Self.files(dir).first { $0.hasPrefix("progress.json.corrupt-") })
    #expect(try Data(contentsOf: dir.appendingPathComponent(aside)) == content)
    // The next save starts afresh beside it.
    #expect(store.update(Self.sitting("backup", attempts: 1, seconds: 1)).failure == nil)
    #expect(store.load().0.labs["backup"]?.attempts == 1)
  }

  @Test func aNewerEtcdlabsFileIsLeftInPlaceAndNotOverwritten() throws {
    let dir = try Self.home()
    let store = ProgressFile(directory: dir)
    let newer = Data(#"{"schema": 99, "labs": {}}"#.utf8)
    try newer.write(to: store.url)
    let (_, notices) = store.load()
    #expect(notices == ["etcdlab: \(store.url.path) was written by a newer etcdlab (schema 99); it was left as it is and this sitting's progress is not saved"])
    #expect(store.update(Self.sitting("backup", attempts: 1, seconds: 1)).failure != nil)
    #expect(try Data(contentsOf: store.url) == newer)
    #expect(Self.files(dir) == [".progress.lock", "progress.json"])
  }

  @Test func twoFilesSetAsideInTheSameSecondKeepBoth() throws {
    let dir = try Self.home()
    let store = ProgressFile(directory: dir)
    for text in ["first", "second", "third"] {
      try Data(text.utf8).write(to: store.url)
      #expect(store.load().notices.count == 1)
    }
    let aside = Self.files(dir).filter { $0.hasPrefix("progress.json.corrupt-") }
    #expect(aside.count == 3)
    let kept = Set(try aside.map { String(decoding: try Data(contentsOf: dir.appendingPathComponent($0)), as: UTF8.self) })
    #expect(kept == ["first", "second", "third"])
  }

  @Test func aFolderInPlaceOfTheFileIsRefusedAndLeftAlone() throws {
    let dir = try Self.home()
    let store = ProgressFile(directory: dir)
    try FileManager.default.createDirectory(at: store.url, withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: store.url.appendingPathComponent("notes.txt"))
    let (_, notices) = store.load()
    #expect(notices.count == 1 && notices[0].contains("is a folder, not a progress file"))
    let save = store.update(Self.sitting("backup", attempts: 1, seconds: 1))
    #expect(save.failure?.contains("is a folder") == true)
    #expect(try String(contentsOf: store.url.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
    #expect(!Self.files(dir).contains { $0.hasSuffix(".tmp") })
  }

  @Test func aHomeThatCannotBeWrittenSaysSo() throws {
    // A regular file where the folder should be: no one, root included, can write below it.
    let blocker = try Self.home().appendingPathComponent("file")
    try Data("x".utf8).write(to: blocker)
    let store = ProgressFile(directory: blocker.appendingPathComponent("etcdlab"))
    let save = store.update(Self.sitting("backup", attempts: 1, seconds: 1))
    #expect(save.failure?.hasPrefix("progress could not be saved: ") == true, "\(save)")
    // The student's work of this sitting is still in hand for the rest of the run.
    #expect(save.progress.labs["backup"]?.attempts == 1)
  }

  @Test func theScreenSavesWhenAStepPassesNotAfterEveryCommand() throws {
    let rec = Recorder()
    let lab = Fixtures.lab("add-voting-member")
    var screen = LabScreen(lab: lab, seed: 1, lang: .en, context: rec.context(), progress: StudentProgress())
    var reader = ScriptedReader(["hostname", "etcdctl member list", "date", "etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380"])
    _ = screen.play(reader: &reader)
    // Three commands that change nothing a student would miss: no save. The step passed: one.
    // Leaving (end of input): one more.
    #expect(rec.saved.count == 2, "\(rec.saved.count) saves")
    #expect(rec.saved.first?.labs[lab.id]?.steps.first?.done == true)
    #expect(rec.saved.last?.labs[lab.id]?.attempts == 4)
  }
}
