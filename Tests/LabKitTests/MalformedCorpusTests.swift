import Foundation
import Testing
@testable import LabKit

/// `Malformed/`: lab files with one defect each (broken YAML, other encodings, limits crossed,
/// bad addresses, the lab format's own mistakes). Each first line says where the error must be and
/// words it must have in English and in Chinese: `# expect LINE:COLUMN | english | chinese`.
/// Every file is refused within a second, at that position, in both languages.
@Suite struct MalformedCorpusTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var line: Int
    var column: Int
    var en: String
    var zh: String
    var testDescription: String { name }
  }

  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Malformed")

  static let cases: [Case] = {
    let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
    return files.filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }.compactMap { url in
      guard let data = try? Data(contentsOf: url) else { return nil }
      let bytes = [UInt8](data)
      // The header is ASCII in every file; a UTF-16 file's is read without its zero bytes.
      let head = String(decoding: bytes.prefix(400).filter { $0 != 0 && $0 != 0xFF && $0 != 0xFE }, as: UTF8.self)
      guard let first = head.split(separator: "\n").first, first.hasPrefix("# expect ") else { return nil }
      let parts = first.dropFirst("# expect ".count).split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      let lc = parts[0].split(separator: ":").compactMap { Int($0) }
      guard parts.count == 3, lc.count == 2 else { return nil }
      return Case(name: url.deletingPathExtension().lastPathComponent, bytes: bytes, line: lc[0], column: lc[1], en: parts[1], zh: parts[2])
    }
  }()

  @Test func theCorpusHasFortyFilesOrMore() {
    #expect(Self.cases.count >= 40, "\(Self.cases.count) files")
  }

  @Test(arguments: cases)
  func eachFileIsRefusedInASecondAtItsPosition(_ c: Case) {
    for lang in Language.allCases {
      var loader = LabLoader(file: c.name + ".yaml", lang: lang)
      let clock = ContinuousClock()
      var lab: Lab?
      let took = clock.measure { lab = loader.load(bytes: c.bytes) }
      #expect(lab == nil, "\(c.name) loads")
      #expect(took < .seconds(1), "\(c.name): \(took)")
      let first = loader.problems.first { $0.severity == .error }
      #expect(first.map { "\($0.line):\($0.column)" } == "\(c.line):\(c.column)", "\(c.name) (\(lang)): \(loader.problems.map(\.description))")
      // Messages of the lab format itself are English only: their Chinese column is empty.
      let words = lang == .en || c.zh.isEmpty ? c.en : c.zh
      #expect(first?.message.contains(words) == true, "\(c.name) (\(lang)): '\(words)' not in \(first?.message ?? "no error")")
    }
  }

  /// The limits on a file's size and its count of values hold for files too large to keep in the corpus.
  @Test func aFileOverOneMebibyteIsRefusedWhereItCrossesTheLimit() {
    let line = "# " + String(repeating: "x", count: 1021) + "\n"   // 1 KiB a line
    let bytes = Array(String(repeating: line, count: 1025).utf8)
    var loader = LabLoader(file: "big.yaml")
    let took = ContinuousClock().measure { #expect(loader.load(bytes: bytes) == nil) }
    #expect(took < .seconds(1))
    #expect(loader.problems.first.map { "\($0.line):\($0.column)" } == "1025:1")
    #expect(loader.problems.first?.message.contains("the limit 'file size'") == true, "\(loader.problems)")
  }

  @Test func aHundredThousandValuesWithoutAliasesAreRefused() {
    let text = "schema: 1\nkeys: [" + String(repeating: "1,", count: 100_000) + "1]\n"
    var loader = LabLoader(file: "many.yaml")
    let took = ContinuousClock().measure { #expect(loader.load(text) == nil) }
    #expect(took < .seconds(1))
    #expect(loader.problems.first?.message.contains("the limit 'nodes' allows at most 100,000") == true, "\(loader.problems)")
  }

  @Test func limitsLeaveTheCourseAlone() {
    for url in LabFixtures.labFiles() {
      let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
      #expect(YAMLLimits.check(text) == nil, "\(url.lastPathComponent)")
    }
  }
}
