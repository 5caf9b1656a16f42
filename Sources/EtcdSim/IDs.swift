import Crypto

/// Member and cluster ids, derived exactly as etcd derives them (reference §1.2, §1.3).
public enum IDs {
  /// `computeMemberId`: SHA-1 over the sorted peer URLs, the cluster name and a time suffix.
  public static func member(peerURLs: [String], clusterName: String, now: String = "") -> UInt64 {
    let text = peerURLs.sorted().joined() + clusterName + now
    return first8(Insecure.SHA1.hash(data: Array(text.utf8)))
  }

  /// The id of a member added with `member add` at Unix second `unixSeconds`.
  public static func addedMember(peerURLs: [String], unixSeconds: Int64) -> UInt64 {
    member(peerURLs: peerURLs, clusterName: "", now: String(unixSeconds))
  }

  /// `genID`: SHA-1 over the member ids sorted ascending, 8 big-endian bytes each.
  public static func cluster(memberIDs: [UInt64]) -> UInt64 {
    var bytes = [UInt8]()
    for id in memberIDs.sorted() {
      for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((id >> UInt64(shift)) & 0xFF)) }
    }
    return first8(Insecure.SHA1.hash(data: bytes))
  }

  private static func first8(_ digest: Insecure.SHA1.Digest) -> UInt64 {
    var value: UInt64 = 0
    for (i, b) in digest.enumerated() where i < 8 { value = value << 8 | UInt64(b) }
    return value
  }
}
