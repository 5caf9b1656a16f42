import EtcdSim

/// Numbers a student types, read as the real tool reads them: coreutils' counts and sizes (gnulib
/// `xstrtol`), GNU sleep's intervals, Go's `time.ParseDuration` (etcdctl), bash's integers and
/// signal names, systemd's integers. Nothing here traps: what a tool refuses comes back as a
/// failure for the caller to word as that tool does; what it accepts beyond Int64 saturates.
enum Numbers {
  enum Failure: Error, Equatable {
    case invalid
    /// The number does not fit (coreutils adds `Value too large for defined data type`).
    case tooLarge
  }

  /// C's `isspace` in the C locale.
  static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || ("\t"..."\r").contains(c) }
  static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

  /// Decimal digits from `i` on, as a magnitude that saturates (with `overflow` set).
  private static func digits(_ s: [Unicode.Scalar], from i: inout Int) -> (value: UInt64, count: Int, overflow: Bool) {
    var v: UInt64 = 0
    var overflow = false
    let start = i
    while i < s.count, isDigit(s[i]) {
      let (m, o1) = v.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(UInt64(s[i].value - 48))
      if o1 || o2 { overflow = true; v = .max } else { v = a }
      i += 1
    }
    return (v, i - start, overflow)
  }

  // MARK: coreutils

  /// Suffixes `head` and `tail` accept after a count (coreutils 9.1).
  static let countSuffixes = "bkKmMGTPEZY0"
  /// Suffixes `truncate` accepts after a size.
  static let sizeSuffixes = "EgGkKmMPtTYZ0"

  /// gnulib's `xstrtoimax` (`signed`) or `xstrtoumax` in base 10 with the multiplier suffixes
  /// `valid` lists (`K` 1024, `KB` 1000, `KiB` 1024 when `valid` holds `0`; `b` 512). A suffix
  /// alone counts one of it (`K` is 1024). Unsigned values above Int64.max saturate.
  static func coreutils(_ text: String, suffixes valid: String, signed: Bool) -> Result<Int64, Failure> {
    let s = Array(text.unicodeScalars)
    let allowed = Set(valid.unicodeScalars)
    var i = 0
    while i < s.count, isSpace(s[i]) { i += 1 }
    if !signed, i < s.count, s[i] == "-" { return .failure(.invalid) }
    var negative = false
    if i < s.count, s[i] == "+" || s[i] == "-" { negative = s[i] == "-"; i += 1 }
    var (magnitude, count, overflow) = digits(s, from: &i)
    if count == 0 {
      // strtol read nothing; a valid suffix at the very start stands for one of it.
      guard let first = s.first, allowed.contains(first) else { return .failure(.invalid) }
      i = 0
      magnitude = 1
      negative = false
    }
    let limit: UInt64 = signed ? (negative ? 1 << 63 : UInt64(Int64.max)) : .max
    if magnitude > limit { overflow = true; magnitude = limit }
    if i < s.count {
      let c = s[i]
      guard allowed.contains(c) else { return .failure(.invalid) }
      var base: UInt64 = 1024
      var length = 1
      if "EGgkKMmPQRTtYZ".unicodeScalars.contains(c), allowed.contains("0"), i + 1 < s.count {
        if s[i + 1] == "i", i + 2 < s.count, s[i + 2] == "B" { length = 3 } else if s[i + 1] == "B" || s[i + 1] == "D" { base = 1000; length = 2 }
      }
      let power: [Unicode.Scalar: Int] = ["k": 1, "K": 1, "m": 2, "M": 2, "g": 3, "G": 3, "t": 4, "T": 4, "P": 5, "E": 6, "Z": 7, "Y": 8, "R": 9, "Q": 10]
      var factor: UInt64
      switch c {
      case "b": factor = 512
      case "B": factor = 1024
      case "c": factor = 1
      case "w": factor = 2
      default:
        guard let p = power[c] else { return .failure(.invalid) }
        factor = 1
        for _ in 0..<p { factor = factor.multipliedReportingOverflow(by: base).overflow ? .max : factor * base }
      }
      let (scaled, o) = magnitude.multipliedReportingOverflow(by: factor)
      if o || scaled > limit { overflow = true; magnitude = limit } else { magnitude = scaled }
      i += length
      if i < s.count { return .failure(.invalid) }
    }
    if overflow { return .failure(.tooLarge) }
    if negative { return .success(magnitude == 1 << 63 ? .min : -Int64(magnitude)) }
    return .success(Int64(min(magnitude, UInt64(Int64.max))))
  }

  /// coreutils' complaint about a number: `head: invalid number of lines: ‘x’`, with
  /// `: Value too large for defined data type` when it did not fit.
  static func complaint(_ prefix: String, _ text: String, _ failure: Failure) -> String {
    "\(prefix): ‘\(text)’" + (failure == .tooLarge ? ": Value too large for defined data type" : "")
  }

  // MARK: GNU sleep

  /// One operand of GNU sleep: a C `strtod` number (leading blanks, `+`, hex, `inf`) and an
  /// optional unit `s`, `m`, `h` or `d`, in seconds; nil for what sleep calls an invalid time interval.
  static func sleepSeconds(_ text: String) -> Double? {
    let t = Substring(text.unicodeScalars.drop(while: isSpace).map(Character.init))
    let seconds: Double
    if let v = Double(t) {
      seconds = v
    } else if let unit = t.last.flatMap({ ["s": 1.0, "m": 60, "h": 3600, "d": 86400][$0] }), let v = Double(t.dropLast()) {
      seconds = v * unit
    } else {
      return nil
    }
    return seconds >= 0 ? seconds : nil  // NaN is refused too
  }

  // MARK: Go

  struct GoError: Error, Equatable {
    var message: String
  }

  /// Go's `time.ParseDuration` (Go 1.19), in nanoseconds, with its error text.
  static func goDuration(_ orig: String) -> Result<Int64, GoError> {
    let invalid = GoError(message: "time: invalid duration " + goQuote(orig))
    var s = Array(orig.utf8)[...]
    var neg = false
    if let c = s.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
      neg = c == UInt8(ascii: "-")
      s = s.dropFirst()
    }
    if Array(s) == [UInt8(ascii: "0")] { return .success(0) }
    if s.isEmpty { return .failure(invalid) }
    func digit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    let units: [String: UInt64] = ["ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": 1_000_000, "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000]
    var d: UInt64 = 0
    while let first = s.first {
      guard first == UInt8(ascii: ".") || digit(first) else { return .failure(invalid) }
      // leadingInt
      var v: UInt64 = 0
      var pre = false
      while let c = s.first, digit(c) {
        if v > (1 << 63) / 10 { return .failure(invalid) }
        v = v * 10 + UInt64(c - 48)
        if v > 1 << 63 { return .failure(invalid) }
        s = s.dropFirst()
        pre = true
      }
      // leadingFraction
      var f: UInt64 = 0
      var scale = 1.0
      var post = false
      if s.first == UInt8(ascii: ".") {
        s = s.dropFirst()
        var overflow = false
        while let c = s.first, digit(c) {
          s = s.dropFirst()
          post = true
          if overflow { continue }
          if f > (UInt64(Int64.max)) / 10 { overflow = true; continue }
          let y = f * 10 + UInt64(c - 48)
          if y > 1 << 63 { overflow = true; continue }
          f = y
          scale *= 10
        }
      }
      if !pre && !post { return .failure(invalid) }
      let unitBytes = s.prefix { $0 != UInt8(ascii: ".") && !digit($0) }
      if unitBytes.isEmpty { return .failure(GoError(message: "time: missing unit in duration " + goQuote(orig))) }
      s = s.dropFirst(unitBytes.count)
      let u = String(decoding: unitBytes, as: UTF8.self)
      guard let unit = units[u] else {
        return .failure(GoError(message: "time: unknown unit " + goQuote(u) + " in duration " + goQuote(orig)))
      }
      if v > (1 << 63) / unit { return .failure(invalid) }
      v *= unit
      if f > 0 {
        // As Go: f * (unit / scale) in floating point, which stays below 3.6e12 per unit.
        guard let part = UInt64(checked: Double(f) * (Double(unit) / scale)) else { return .failure(invalid) }
        v = v.saturatingAdding(part)
        if v > 1 << 63 { return .failure(invalid) }
      }
      d = d.saturatingAdding(v)
      if d > 1 << 63 { return .failure(invalid) }
    }
    if neg { return .success(d == 1 << 63 ? .min : -Int64(d)) }
    if d > UInt64(Int64.max) { return .failure(invalid) }
    return .success(Int64(d))
  }

  /// The `time` package's own quoting of a value in its errors.
  static func goQuote(_ s: String) -> String {
    let hex = Array("0123456789abcdef")
    var out = "\""
    let bytes = Array(s.utf8)
    var i = 0
    for scalar in s.unicodeScalars {
      let width = String(scalar).utf8.count
      if scalar.value >= 0x80 || scalar.value < 0x20 {
        for b in bytes[i..<i + width] { out += "\\x" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 0xF)]) }
      } else {
        if scalar == "\"" || scalar == "\\" { out += "\\" }
        out.unicodeScalars.append(scalar)
      }
      i += width
    }
    return out + "\""
  }

  // MARK: bash

  /// bash's `legal_number`: blanks around an optionally signed decimal that fits in 64 bits.
  static func bashInteger(_ text: String) -> Int64? {
    let s = Array(text.unicodeScalars)
    var i = 0
    while i < s.count, isSpace(s[i]) { i += 1 }
    var negative = false
    if i < s.count, s[i] == "+" || s[i] == "-" { negative = s[i] == "-"; i += 1 }
    let (magnitude, count, overflow) = digits(s, from: &i)
    while i < s.count, isSpace(s[i]) { i += 1 }
    guard count > 0, i == s.count, !overflow, magnitude <= (negative ? 1 << 63 : UInt64(Int64.max)) else { return nil }
    return negative ? (magnitude == 1 << 63 ? .min : -Int64(magnitude)) : Int64(magnitude)
  }

  /// Linux's signals by number, as `kill -l` names them (without `SIG`); bash calls 0 `EXIT`.
  static let signalNames: [Int32: String] = {
    let classic = ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
                   "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"]
    var names: [Int32: String] = [0: "EXIT"]
    for (k, n) in classic.enumerated() { names[Int32(k + 1)] = n }
    names[34] = "RTMIN"
    for k in 1...15 { names[Int32(34 + k)] = "RTMIN+\(k)" }
    for k in 1...14 { names[Int32(64 - k)] = "RTMAX-\(k)" }
    names[64] = "RTMAX"
    return names
  }()

  /// bash's `decode_signal` for `kill`: a number 0–64, or a name with or without `SIG` in any case.
  static func signal(_ spec: String) -> Int32? {
    if let n = bashInteger(spec) { return (0...64).contains(n) ? Int32(n) : nil }
    let upper = spec.uppercased()
    return signalNames.first { $0.value == upper || ($0.key != 0 && "SIG" + $0.value == upper) }?.key
  }

  // MARK: systemd

  /// systemd's `safe_atoi`: blanks, a sign, `0x`/`0o`/`0b` or decimal digits, within 32 bits.
  static func systemdInt(_ text: String) -> Int32? {
    var s = Substring(text.unicodeScalars.drop(while: isSpace).map(Character.init))
    var negative = false
    if let c = s.first, c == "+" || c == "-" { negative = c == "-"; s = s.dropFirst() }
    var radix = 10
    for (prefix, r) in [("0x", 16), ("0X", 16), ("0o", 8), ("0b", 2)] where s.hasPrefix(prefix) {
      radix = r
      s = s.dropFirst(2)
    }
    guard !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isHexDigit }), let v = Int64(s, radix: radix) else { return nil }
    return Int32(exactly: negative ? -v : v)
  }
}
