import EtcdSim
import Foundation
import Testing
@testable import LabKit

/// `etcdlab errors` and the results for CI.
@Suite struct ErrorReferenceTests {
  @Test(arguments: ErrorReference.samples.keys.sorted())
  func eachSampleMeetsItsError(_ id: String) {
    let e = ErrorReference.entry(id)
    #expect(e.output != nil, "\(id): the sample \(e.sample) does not meet it")
    #expect(e.explanation != nil, "\(id): no explanation")
  }

  @Test func everyIDIsListedWithItsPlaceholders() {
    let ids = EtcdError.Kind.allCases.map(\.rawValue)
    #expect(ErrorReference.samples.keys.allSatisfy(ids.contains), "\(ErrorReference.samples.keys.filter { !ids.contains($0) })")
    #expect(ErrorReference.samples.count >= 30)
    #expect(ErrorReference.entry("learner-not-ready").placeholders.contains("learnerIndex"))
  }

  @Test func junitAndJSONCarryEachLab() {
    let bad = LabProblem(file: "labs/x.yaml", line: 3, column: 5, severity: .error, message: "a tab <is> not & allowed")
    let cases = [LabReport.TestCase(file: "labs/a.yaml", id: "a", summary: "ok", seconds: 0.5),
                 LabReport.TestCase(file: "labs/b.yaml", id: "b", failures: ["seed 1: \"x\""]),
                 LabReport.TestCase(file: "labs/x.yaml", id: "x", problems: [bad])]
    let xml = LabReport.junit(cases)
    #expect(xml.contains("tests=\"3\" failures=\"1\" errors=\"1\""))
    #expect(xml.contains("<testcase classname=\"labs\" name=\"a\" file=\"labs/a.yaml\" time=\"0.500\" />"))
    #expect(xml.contains("<failure type=\"lab-test\" message=\"seed 1: &quot;x&quot;\">"))
    #expect(xml.contains("a tab &lt;is&gt; not &amp; allowed"))
    let json = try? JSONSerialization.jsonObject(with: Data(LabReport.testJSON(cases).utf8)) as? [String: Any]
    #expect(json?["passed"] as? Int == 1)
    #expect(json?["failed"] as? Int == 2)
    let lint = try? JSONSerialization.jsonObject(with: Data(LabReport.lintJSON(files: 1, problems: [bad], extra: []).utf8)) as? [String: Any]
    #expect((lint?["problems"] as? [[String: Any]])?.first?["line"] as? Int == 3)
  }
}
