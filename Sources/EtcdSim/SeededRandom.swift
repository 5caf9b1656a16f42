/// SplitMix64: the only source of randomness in the world, seeded by `--seed`.
public struct SeededRandom: RandomNumberGenerator, Sendable, Equatable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A value in `range`, uniformly.
  public mutating func int(in range: ClosedRange<Int64>) -> Int64 {
    let span = UInt64(range.upperBound - range.lowerBound) &+ 1
    return range.lowerBound + Int64(span == 0 ? next() : next() % span)
  }

  /// A random RFC 4122 version-4 UUID string, as Go's google/uuid prints it.
  public mutating func uuid() -> String {
    var bytes = [UInt8]()
    for _ in 0..<2 { withUnsafeBytes(of: next()) { bytes.append(contentsOf: $0) } }
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    let hex = bytes.map { Hex.byte($0) }.joined()
    let h = Array(hex)
    return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-"
      + String(h[16..<20]) + "-" + String(h[20..<32])
  }
}
