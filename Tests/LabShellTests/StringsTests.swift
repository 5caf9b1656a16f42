import Foundation
import LabKit
import Testing
@testable import LabShell

@Suite struct StringsTests {
  @Test func catalogIsCompleteInBothLanguages() {
    #expect(!Strings.table.isEmpty)
    #expect(Strings.problems().isEmpty, "\(Strings.problems())")
  }

  @Test func placeholdersAreFilledInBothLanguages() {
    #expect(Strings.t("lab.passed", .en, 2) == "✓ Step 2 passed")
    #expect(Strings.t("cluster.quorum-up", .zh, 2, 3).contains("3 个投票成员中 2 个"))
    #expect(Strings.placeholders("{0} of {1}, {x}") == ["0", "1"])
  }

  /// Every key the screens ask for is in the catalog (a missing one would show its key).
  @Test func everyKeyInTheSourcesIsInTheCatalog() throws {
    let dir = Fixtures.root.appendingPathComponent("Sources/LabShell")
    var keys: Set<String> = []
    for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".swift") {
      let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
      // `t("key"` as a call of its own, not the end of another name (`appendingPathComponent("...")`).
      var rest = Substring(text)
      while let r = rest.range(of: "t(\"") {
        let after = rest[r.upperBound...]
        let before = rest[..<r.lowerBound].last
        let key = after.prefix { $0 != "\"" }
        if before.map({ !$0.isLetter && !$0.isNumber }) ?? true, key.contains("."), key.allSatisfy({ $0.isLowercase || $0 == "." || $0 == "-" }) {
          keys.insert(String(key))
        }
        rest = after
      }
    }
    #expect(keys.count > 20)
    let missing = keys.filter { Strings.table[$0] == nil }
    #expect(missing.isEmpty, "\(missing.sorted())")
  }
}
