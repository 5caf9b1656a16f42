import EtcdSim
import Testing

/// `Release.isAtLeast` compares plain versions without splitting strings; it answers as the
/// general comparison (`majorMinor`, then `versionLess`) does for every shape of version.
@Suite struct ReleaseComparisonTests {
  static let versions = ["3.4.23", "3.5.17", "3.6.0", "3.4", "3.5", "3.6", "3", "4.0.0", "2.3.8", "3.10.1", "10.0", "03.05",
                         "3.5.0-rc.1", "v3.5.0", "3..5", ".3.5", "3.5.", "", "abc", "3.x.1", "+3.5", "-1.2", "99999999999999999999.1", "3.4.23.7"]
  static let minors = ["3.5", "3.6", "3.4", "3", "3.0", "4", "3.5.1", "", "x", "3..6"]

  @Test(arguments: versions)
  func answersAsTheGeneralComparison(_ version: String) {
    for minor in Self.minors {
      #expect(Release.isAtLeast(version, minor) == !World.versionLess(World.majorMinor(version), minor), "\(version) against \(minor)")
    }
  }
}
