import EtcdCommands
import Foundation
import Testing
@testable import LabKit

@Suite struct LabPlayTests {
  @Test(arguments: LabFixtures.labFiles().map(\.lastPathComponent))
  func everyLabPassesItsOwnTest(_ name: String) {
    let (lab, problems) = LabFixtures.load(LabFixtures.labsDirectory.appendingPathComponent(name))
    #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems)")
    guard let lab else { return }
    let result = LabTester.test(lab)
    #expect(result.passed, "\(result.failures.joined(separator: "\n"))")
  }
}
