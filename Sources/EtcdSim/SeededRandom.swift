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
    let digits = Array("0123456789abcdef".utf8)
    var a = next(), b = next()
    a = (a & ~(0xF << 12)) | (0x4 << 12)  // version 4
    b = (b & ~(0x3 << 62)) | (0x2 << 62)  // RFC 4122 variant
    var out = [UInt8]()
    out.reserveCapacity(36)
    for (i, word) in [a, b].enumerated() {
      for k in 0..<16 {
        let pos = i * 16 + k
        if pos == 8 || pos == 12 || pos == 16 || pos == 20 { out.append(UInt8(ascii: "-")) }
        out.append(digits[Int((word >> UInt64(60 - 4 * k)) & 0xF)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
