import Testing
@testable import EtcdSim

@Suite struct IDTests {
  @Test func bootstrapIDsMatchRealEtcd() {
    #expect(Hex.string(IDs.member(peerURLs: ["http://127.0.0.10:2380"], clusterName: "etcd-cluster-1")) == "1eee81c0ebacddc")
    #expect(Hex.string(IDs.member(peerURLs: ["http://127.0.0.11:2380"], clusterName: "etcd-cluster-1")) == "54e31805acfe9917")
    #expect(Hex.string(IDs.member(peerURLs: ["http://localhost:2380"], clusterName: "etcd-cluster")) == "8e9e05c52164694d")
    #expect(Hex.string(IDs.member(peerURLs: ["http://127.0.0.1:12380"], clusterName: "etcd-cluster-1")) == "8211f1d0f64f3269")
  }

  @Test func clusterIDsMatchRealEtcd() {
    let ids = (10...12).map { IDs.member(peerURLs: ["http://127.0.0.\($0):2380"], clusterName: "etcd-cluster-1") }
    #expect(Hex.string(IDs.cluster(memberIDs: ids)) == "f28eb4fda84fb6e1")
    #expect(Hex.string(IDs.cluster(memberIDs: [0x8e9e05c52164694d])) == "cdf818194e3a8c32")
  }

  @Test func addedIDsDependOnTheSecond() {
    let a = IDs.addedMember(peerURLs: ["http://10.0.1.13:2380"], unixSeconds: 1_795_597_200)
    #expect(a == IDs.addedMember(peerURLs: ["http://10.0.1.13:2380"], unixSeconds: 1_795_597_200))
    #expect(a != IDs.addedMember(peerURLs: ["http://10.0.1.13:2380"], unixSeconds: 1_795_597_201))
  }

  @Test func paddedIDsAsEtcdctlPrintsThem() {
    #expect(Hex.padded(0x1eee81c0ebacddc) == " 1eee81c0ebacddc")
    #expect(Hex.parseID("zzz") == nil)
  }

  @Test(arguments: [
    ("10.0.0.1:2380", "parse \"10.0.0.1:2380\": first path segment in URL cannot contain colon"),
    ("ftp://a:1", "URL scheme must be http, https, unix, or unixs: ftp://a:1"),
    ("http://a", "URL address does not have the form \"host:port\": http://a"),
    ("http://a:1/", "URL must not contain a path: http://a:1/"),
  ])
  func urlErrorsAsEtcdWordsThem(_ url: String, _ message: String) {
    #expect(URLList.validate(url) == .failure(.message(message)))
  }

  @Test func goDurations() {
    #expect(SimTime.goDuration(nanos: 1_528_058) == "1.528058ms")
    #expect(SimTime.goDuration(nanos: 2_001_325_228) == "2.001325228s")
    #expect(SimTime.goDuration(nanos: 953_126) == "953.126µs")
  }
}
