import EtcdSim
import Testing

/// The release a host runs unless a setup names another.
@Suite struct DefaultReleaseTests {
  @Test func hostsAndTheCourseWorldRunTheDefaultRelease() {
    #expect(Host(name: "h", addresses: []).etcdVersion == Release.defaultVersion)
    #expect(World(setup: .course, seed: 1).hosts.allSatisfy { $0.etcdVersion == Release.defaultVersion })
    #expect(Release.etcdVersionText(Release.defaultVersion).contains("Go Version: go1.19.8"))
  }
}
