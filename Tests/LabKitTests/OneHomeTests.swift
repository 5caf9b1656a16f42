import EtcdCommands
import EtcdSim
import Foundation
import Testing
@testable import LabKit

/// Facts with one home (issue 18 §5): the error ids, the setup loader and the texts LabKit shows.
@Suite struct OneHomeTests {
  @Test func errorIDsComeFromTheErrorType() {
    #expect(Catalogs.errorIDs == Set(EtcdError.Kind.allCases.map(\.rawValue)))
    #expect(EtcdError.Kind.allCases.count == 50)
    #expect(EtcdError.memberNotFound.id == "member-not-found")
    #expect(EtcdError.noSuchFile(operation: "open", path: "/x").kind == .noSuchFile)
  }

  @Test func aSetupFileIsReadAsALabsSetupIs() throws {
    var loader = LabLoader(file: "s.yaml")
    #expect(loader.loadSetup("hosts:\n  - {name: a, adress: 10.0.0.1}\n") == nil)
    #expect(loader.problems.map(\.description) == ["s.yaml:2:15: error: unknown key 'adress' in a host (did you mean 'address'?) (expected one of: \(WorldSetup.hostKeys.joined(separator: ", ")))"])
    var empty = LabLoader(file: "e.yaml")
    #expect(empty.loadSetup("") == WorldSetup() && empty.problems.isEmpty)
    var good = LabLoader(file: "g.yaml")
    let loaded = good.loadSetup("version: 3.5.17\nhosts:\n  - {name: a, address: 10.0.0.1, member: true}\n")
    let setup = try #require(loaded)
    #expect(setup.version == "3.5.17" && setup.hosts?.first?.member == true)
  }

  @Test func labKitsTextsAreInItsCatalogInBothLanguages() throws {
    #expect(Messages.catalog.problems().isEmpty, "\(Messages.catalog.problems())")
    let dir = LabFixtures.root.appendingPathComponent("Sources/LabKit")
    var keys: Set<String> = []
    for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".swift") {
      let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
      for part in text.components(separatedBy: "t(\"").dropFirst() {
        let key = part.prefix { $0 != "\"" }
        if key.contains("."), key.allSatisfy({ $0.isLowercase || $0 == "." || $0 == "-" }) { keys.insert(String(key)) }
      }
    }
    #expect(keys.count >= 25)
    #expect(keys.filter { Messages.catalog.table[$0] == nil }.isEmpty, "\(keys.filter { Messages.catalog.table[$0] == nil }.sorted())")
    // The texts are those the Swift code held before the catalog.
    let check = CheckItem(.cluster(voters: 3, learners: nil, members: nil, healthy: true, leader: nil))
    #expect(check.message(.zh) == "集群应有：3 个投票成员，所有成员健康")
    #expect(check.message(.en) == "the cluster should have 3 voting members, every member healthy")
    #expect(CheckItem(.process(host: "infra3", running: false, flags: ["--a"])).message(.zh) == "infra3 上应没有运行中的 etcd（带 --a）")
    #expect(Messages.t("notice.server-exited", .en, "infra3", 1, "boom") == "etcdlab: the etcd running in the background on infra3 has exited (status 1): boom")
  }

  @Test func aCatalogFillsPlaceholdersInOnePass() {
    let c = TextCatalog(file: "t.yaml", text: "k: {en: \"{0} and {1}\", zh: \"{1} 和 {0}\"}\n")
    #expect(c.t("k", .en, ["{1}", "b"]) == "{1} and b")
    #expect(c.t("k", .zh, ["a", "b"]) == "b 和 a")
    #expect(c.t("missing", .en, []) == "missing")
  }
}
