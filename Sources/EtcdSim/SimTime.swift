/// Milliseconds since the Unix epoch, on the simulated clock.
public typealias Millis = Int64

/// Calendar formatting of simulated instants (UTC), as etcd's loggers print them.
public enum SimTime {
  public struct Civil: Equatable, Sendable {
    public var year, month, day, hour, minute, second, millis: Int
  }

  /// Breaks an instant into calendar fields (Howard Hinnant's days-to-civil).
  public static func civil(_ t: Millis) -> Civil {
    let ms = Int(((t % 1000) + 1000) % 1000)
    let secs = (t - Int64(ms)) / 1000
    var days = Int(secs / 86400)
    var rem = Int(secs % 86400)
    if rem < 0 { rem += 86400; days -= 1 }
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    return Civil(year: y, month: m, day: d, hour: rem / 3600, minute: rem % 3600 / 60, second: rem % 60, millis: ms)
  }

  public static func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return String(repeating: "0", count: max(0, width - s.count)) + s
  }

  /// `2026-11-25 09:46:47.629123` (capnslog).
  public static func capnslog(_ t: Millis, micros: Int) -> String {
    let c = civil(t)
    return stamp([(c.year, 4, "-"), (c.month, 2, "-"), (c.day, 2, " "), (c.hour, 2, ":"), (c.minute, 2, ":"), (c.second, 2, "."), (c.millis * 1000 + micros, 6, nil)])
  }

  /// `2026/11/25 09:46:47` (the raft logger).
  public static func raft(_ t: Millis) -> String {
    let c = civil(t)
    return stamp([(c.year, 4, "/"), (c.month, 2, "/"), (c.day, 2, " "), (c.hour, 2, ":"), (c.minute, 2, ":"), (c.second, 2, nil)])
  }

  /// `2026-11-25T09:46:47.629Z` (zap, etcd 3.4).
  public static func iso(_ t: Millis) -> String {
    let c = civil(t)
    return stamp([(c.year, 4, "-"), (c.month, 2, "-"), (c.day, 2, "T"), (c.hour, 2, ":"), (c.minute, 2, ":"), (c.second, 2, "."), (c.millis, 3, "Z")])
  }

  /// `2026-11-25T09:46:47Z` (zap's RFC3339TimeEncoder, etcdutl's console logs).
  public static func rfc3339(_ t: Millis) -> String {
    let c = civil(t)
    return stamp([(c.year, 4, "-"), (c.month, 2, "-"), (c.day, 2, "T"), (c.hour, 2, ":"), (c.minute, 2, ":"), (c.second, 2, "Z")])
  }

  /// Zero-padded numbers, each followed by its separator: the loggers' time stamps, built as bytes.
  static func stamp(_ fields: [(value: Int, width: Int, separator: Unicode.Scalar?)]) -> String {
    var b: [UInt8] = []
    b.reserveCapacity(32)
    for f in fields {
      var v = f.value
      var width = f.width
      while v >= power(10, width) { width += 1 }
      let start = b.count
      b.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
      var i = b.count - 1
      while v > 0 && i >= start { b[i] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10; i -= 1 }
      if let s = f.separator { b.append(UInt8(s.value)) }
    }
    return String(decoding: b, as: UTF8.self)
  }

  private static func power(_ base: Int, _ exp: Int) -> Int { (0..<exp).reduce(1) { r, _ in r * base } }

  /// `Wed Nov 25 09:46:47 UTC 2026` (date(1)).
  public static func date(_ t: Millis) -> String {
    let c = civil(t)
    let days = Int((t / 1000) / 86400)
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][c.month - 1]
    return "\(weekday) \(month) \(pad(c.day, 2)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) UTC \(c.year)"
  }

  /// Go's `time.Duration.String()` for a duration in nanoseconds (`1.528058ms`, `2.001325228s`).
  public static func goDuration(nanos: Int64) -> String {
    if nanos == 0 { return "0s" }
    if nanos < 1000 { return "\(nanos)ns" }
    if nanos < 1_000_000 { return trim(nanos, 1000) + "µs" }
    if nanos < 1_000_000_000 { return trim(nanos, 1_000_000) + "ms" }
    return trim(nanos, 1_000_000_000) + "s"
  }

  private static func trim(_ v: Int64, _ unit: Int64) -> String {
    let whole = v / unit
    var frac = String(v % unit)
    let width = String(unit).count - 1
    frac = String(repeating: "0", count: width - frac.count) + frac
    while frac.hasSuffix("0") { frac.removeLast() }
    return frac.isEmpty ? "\(whole)" : "\(whole).\(frac)"
  }
}
