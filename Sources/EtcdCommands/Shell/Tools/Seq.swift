import Foundation

/// GNU seq (coreutils 9.1): `seq [-w] [-s SEP] [FIRST [INCREMENT]] LAST`, integers exactly and
/// decimals with the precision of FIRST and INCREMENT, its own error texts. It stops when the
/// command line's output budget is spent (`seq inf` would never end).
enum Seq {
  static func run(_ args: [String], io: inout IO) -> Int32 {
    var separator = "\n"
    var equalWidth = false
    var operands: [String] = []
    var i = 0
    while i < args.count {
      let a = args[i]
      // A negative number is an operand, not an option (`seq -5 -1`).
      if a.hasPrefix("-"), a.count > 1, Double(a) == nil {
        switch a {
        case "-w", "--equal-width": equalWidth = true
        case "-s", "--separator":
          guard i + 1 < args.count else { return usage("option requires an argument -- 's'", &io) }
          i += 1
          separator = args[i]
        case _ where a.hasPrefix("-s"): separator = String(a.dropFirst(2))
        case _ where a.hasPrefix("--separator="): separator = String(a.dropFirst(12))
        case "-f", "--format", _ where a.hasPrefix("-f") || a.hasPrefix("--format"):
          io.err("etcdlab: seq -f is not simulated; seq -w pads with zeros")
          return 1
        case _ where a.hasPrefix("--"): return usage("unrecognized option '\(a)'", &io)
        default: return usage("invalid option -- '\(a.dropFirst().first.map(String.init) ?? "")'", &io)
        }
      } else {
        operands.append(a)
      }
      i += 1
    }
    guard !operands.isEmpty else { return usage("missing operand", &io) }
    guard operands.count <= 3 else { return usage("extra operand ‘\(operands[3])’", &io) }
    var numbers: [Double] = []
    for o in operands {
      guard let d = Double(o.trimmingCharacters(in: .whitespaces)), !d.isNaN else { return usage("invalid floating point argument: ‘\(o)’", &io) }
      numbers.append(d)
    }
    let first = numbers.count > 1 ? numbers[0] : 1
    let step = numbers.count == 3 ? numbers[1] : 1
    let last = numbers[numbers.count - 1]
    guard step != 0 else { return usage("invalid Zero increment value: ‘\(operands[1])’", &io) }
    // Decimals as FIRST and INCREMENT are written (`0.1` → one); none when they are integers.
    let precision = [numbers.count > 1 ? operands[0] : "1", numbers.count == 3 ? operands[1] : "1"].map(decimals).max() ?? 0
    func text(_ x: Double) -> String { precision == 0 && abs(x) < 9e15 ? String(Int64(x)) : String(format: "%.\(precision)f", x) }
    let width = equalWidth ? max(text(first).count, text(last).count) : 0
    func padded(_ s: String) -> String {
      guard s.count < width else { return s }
      let negative = s.hasPrefix("-")
      return (negative ? "-" : "") + String(repeating: "0", count: width - s.count) + (negative ? String(s.dropFirst()) : s)
    }
    let scale = pow(10, Double(min(precision, 300)))
    var k: Double = 0
    var wrote = false
    while true {
      var x = first + k * step
      // Compared as printed (0.1 + 2 × 0.1 is 0.30000000000000004 in binary, 0.3 to seq).
      if precision > 0, (x * scale).isFinite { x = (x * scale).rounded() / scale }
      guard step > 0 ? x <= last : x >= last, x.isFinite || first.isInfinite else { break }
      let line = (wrote ? separator : "") + padded(text(x))
      io.write(Array(line.utf8))
      wrote = true
      if io.outputCut || io.outputRoom == 0 { break }
      k += 1
      if first.isInfinite { continue }
    }
    if wrote { io.write([0x0A]) }
    return 0
  }

  /// Digits after the point of a number as typed (`1.50` → 2, `1e3` → 0).
  static func decimals(_ s: String) -> Int {
    guard let dot = s.firstIndex(of: "."), !s.lowercased().contains("e") else { return 0 }
    return s[s.index(after: dot)...].prefix { $0.isNumber }.count
  }

  static func usage(_ message: String, _ io: inout IO) -> Int32 {
    io.err("seq: \(message)")
    io.err("Try 'seq --help' for more information.")
    return 1
  }
}
