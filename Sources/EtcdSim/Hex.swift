/// Hexadecimal formatting as Go's fmt prints it.
public enum Hex {
  private static let digits = Array("0123456789abcdef")

  /// `%x`: lower-case, no padding.
  public static func string(_ value: UInt64) -> String { String(value, radix: 16) }

  /// `%16x`: lower-case, space-padded to 16 columns.
  public static func padded(_ value: UInt64) -> String {
    let s = string(value)
    return String(repeating: " ", count: max(0, 16 - s.count)) + s
  }

  /// Two hex digits of one byte.
  public static func byte(_ b: UInt8) -> String {
    String([digits[Int(b >> 4)], digits[Int(b & 0x0F)]])
  }

  /// Parses a member id as etcdctl does (`strconv.ParseUint(s, 16, 64)`).
  public static func parseID(_ s: String) -> UInt64? {
    guard !s.isEmpty, s.count <= 16 else { return nil }
    return UInt64(s, radix: 16)
  }
}
