import EtcdSim

/// bash's `printf` builtin: `%s %b %c %d %i %u %o %x %X` with flags (`-0+ #`), a width and a
/// precision (digits or `*`), widths counted in bytes as C's printf counts them. A width or
/// precision beyond C's int makes that conversion print nothing, as glibc does for bash; one
/// within it prints what it asks, up to the room the output budget leaves.
struct Printf {
  private(set) var out: [UInt8] = []
  private(set) var errors: [String] = []
  private(set) var status: Int32 = 0
  /// Bytes the output may take before the budget cuts it; formatting stops just past it.
  let room: Int
  private var args: ArraySlice<String>
  private var consumed = false

  static func run(_ format: String, _ args: [String], room: Int) -> Printf {
    var p = Printf(room: room, args: args[...])
    let spec = Array(format.replacingEscapes().utf8)
    repeat {
      p.consumed = false
      guard p.format(spec) else { break }
    } while !p.args.isEmpty && p.consumed && p.out.count <= room
    return p
  }

  private var full: Bool { out.count > room }

  private mutating func next() -> String? {
    guard let a = args.popFirst() else { return nil }
    consumed = true
    return a
  }

  /// One pass over the format; false when an error ends the command.
  private mutating func format(_ f: [UInt8]) -> Bool {
    var i = 0
    while i < f.count, !full {
      let c = f[i]
      i += 1
      guard c == UInt8(ascii: "%") else { out.append(c); continue }
      let start = i - 1
      if i < f.count, f[i] == UInt8(ascii: "%") { out.append(c); i += 1; continue }
      var flags = Set<UInt8>()
      while i < f.count, "#'-+ 0".utf8.contains(f[i]) { flags.insert(f[i]); i += 1 }
      var width: Int64?
      if i < f.count, f[i] == UInt8(ascii: "*") {
        i += 1
        var w = starValue()
        if w < 0 { flags.insert(UInt8(ascii: "-")); w = w == Int64(Int32.min) ? Int64(Int32.max) : -w }
        width = w
      } else {
        width = Printf.digits(f, &i)
      }
      var precision: Int64?
      if i < f.count, f[i] == UInt8(ascii: ".") {
        i += 1
        if i < f.count, f[i] == UInt8(ascii: "*") {
          i += 1
          let p = starValue()
          precision = p < 0 ? nil : p
        } else {
          precision = Printf.digits(f, &i) ?? 0
        }
      }
      while i < f.count, "hjlLtz".utf8.contains(f[i]) { i += 1 }
      guard i < f.count else {
        fail("`\(String(decoding: f[start...], as: UTF8.self))': missing format character")
        return false
      }
      let kind = Unicode.Scalar(f[i])
      i += 1
      guard "sbcdiouxXeEfFgGaAqQ".unicodeScalars.contains(kind) else {
        fail("`\(Character(kind))': invalid format character")
        return false
      }
      let arg = next()
      // C's printf refuses a width or precision beyond int and prints nothing for it.
      let overflow = (width ?? 0) > Int64(Int32.max) || (precision ?? 0) > Int64(Int32.max)
      var body: [UInt8]
      switch kind {
      case "b":
        var text = Array((arg ?? "").replacingEscapes().utf8)
        if let p = precision { text = Array(text.prefix(Int(min(p, Int64(Int32.max))))) }
        pad(text, width: min(width ?? 0, Int64(Int32.max)), flags: flags)
        continue
      case "c":
        body = Array((arg ?? "").utf8.prefix(1))
        if body.isEmpty { body = [0] }
      case "d", "i", "o", "u", "x", "X": body = integer(arg ?? "", kind: kind, flags: flags, precision: precision)
      default:
        body = Array((arg ?? "").utf8)
        if let p = precision, kind == "s" { body = Array(body.prefix(Int(min(p, Int64(Int32.max))))) }
      }
      if overflow { continue }
      pad(body, width: width ?? 0, flags: flags, zeros: "diouxX".unicodeScalars.contains(kind) && precision == nil)
    }
    return true
  }

  /// Decimal digits of a width or precision, saturating; nil if there are none.
  private static func digits(_ f: [UInt8], _ i: inout Int) -> Int64? {
    var v: Int64?
    while i < f.count, f[i] >= 48, f[i] <= 57 {
      v = (v ?? 0).saturatingMultiplied(by: 10).saturatingAdding(Int64(f[i] - 48))
      i += 1
    }
    return v
  }

  /// A `*` width or precision from the arguments, held to C's int with bash's warning.
  private mutating func starValue() -> Int64 {
    let v = integerArgument(next() ?? "")
    let clamped = min(max(v, Int64(Int32.min)), Int64(Int32.max))
    if clamped != v { warnRange(args.first ?? "") }
    return clamped
  }

  private mutating func pad(_ body: [UInt8], width: Int64, flags: Set<UInt8>, zeros: Bool = false) {
    let fill = max(0, Int(width) - body.count)
    let left = flags.contains(UInt8(ascii: "-"))
    let padding = Array(repeating: zeros && !left && flags.contains(UInt8(ascii: "0")) ? UInt8(ascii: "0") : UInt8(ascii: " "), count: min(fill, room + 1 - min(out.count, room + 1)))
    if left {
      out += body
      out += padding
    } else if zeros && flags.contains(UInt8(ascii: "0")), let sign = body.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
      out.append(sign)
      out += padding
      out += Array(body.dropFirst())
    } else {
      out += padding
      out += body
    }
  }

  /// An integer conversion of `arg` (bash's getintmax: C prefixes, `'c` for a character's code).
  private mutating func integer(_ arg: String, kind: Unicode.Scalar, flags: Set<UInt8>, precision: Int64?) -> [UInt8] {
    let v = integerArgument(arg)
    var digits: String
    var sign = ""
    switch kind {
    case "d", "i":
      digits = String(v.magnitude)
      sign = v < 0 ? "-" : flags.contains(UInt8(ascii: "+")) ? "+" : flags.contains(UInt8(ascii: " ")) ? " " : ""
    case "o": digits = String(UInt64(bitPattern: v), radix: 8)
    case "x": digits = String(UInt64(bitPattern: v), radix: 16)
    case "X": digits = String(UInt64(bitPattern: v), radix: 16).uppercased()
    default: digits = String(UInt64(bitPattern: v))
    }
    if let p = precision {
      if p == 0 && v == 0 { digits = "" }
      let wanted = Int(min(p, Int64(Int32.max)))
      if digits.count < wanted { digits = String(repeating: "0", count: min(wanted - digits.count, room + 1)) + digits }
    }
    if flags.contains(UInt8(ascii: "#")) && v != 0 {
      if kind == "x" { sign = "0x" } else if kind == "X" { sign = "0X" } else if kind == "o" && !digits.hasPrefix("0") { digits = "0" + digits }
    }
    return Array((sign + digits).utf8)
  }

  /// bash's reading of a numeric argument: blanks, a sign, `0x`/`0` prefixes, or `'c`; a bad
  /// tail is an error (the digits before it count), a value beyond 64 bits a warning.
  private mutating func integerArgument(_ arg: String) -> Int64 {
    if let q = arg.unicodeScalars.first, q == "'" || q == "\"" {
      return Int64(arg.unicodeScalars.dropFirst().first?.value ?? 0)
    }
    let s = Array(arg.unicodeScalars)
    var i = 0
    while i < s.count, Numbers.isSpace(s[i]) { i += 1 }
    if i == s.count { return 0 }
    var negative = false
    if s[i] == "+" || s[i] == "-" { negative = s[i] == "-"; i += 1 }
    var radix: UInt64 = 10
    if i + 1 < s.count, s[i] == "0", s[i + 1] == "x" || s[i + 1] == "X", i + 2 < s.count, s[i + 2].properties.isASCIIHexDigit {
      radix = 16
      i += 2
    } else if i < s.count, s[i] == "0" {
      radix = 8
    }
    var magnitude: UInt64 = 0
    var overflow = false
    let first = i
    while i < s.count, let d = s[i].properties.isASCIIHexDigit ? UInt64(String(s[i]), radix: 16) : nil, d < radix {
      let (m, o1) = magnitude.multipliedReportingOverflow(by: radix)
      let (a, o2) = m.addingReportingOverflow(d)
      if o1 || o2 { overflow = true } else { magnitude = a }
      i += 1
    }
    if i == first || i < s.count { fail("\(arg): invalid number") }
    let limit: UInt64 = negative ? 1 << 63 : UInt64(Int64.max)
    if overflow || magnitude > limit {
      warnRange(arg)
      return negative ? .min : .max
    }
    return negative ? (magnitude == 1 << 63 ? .min : -Int64(magnitude)) : Int64(magnitude)
  }

  private mutating func fail(_ message: String) {
    errors.append("bash: printf: \(message)")
    status = 1
  }

  private mutating func warnRange(_ word: String) {
    errors.append("bash: printf: warning: \(word): Numerical result out of range")
  }
}
