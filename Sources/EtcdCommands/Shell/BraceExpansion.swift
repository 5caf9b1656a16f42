/// bash's brace expansion, the first expansion of a word: `k{1..3}` → `k1 k2 k3`,
/// `infra{0,1,2}.etcd`, `{01..10}`, `{a..e..2}`, `{10..1}`, nested `{a,b{1,2}}`. Only unquoted
/// braces count, a brace pair needs a comma or a valid `..` sequence inside (`{}`, `{a}`, `{1..a}`
/// stay as typed), and `${...}` is a variable, not a brace.
extension ShellLimits {
  /// Words one brace expansion may produce (`{1..100000}` is refused with a notice).
  public static let braceResults = 10_000

  static func braceNotice(_ word: String) -> String {
    "etcdlab: \(word) expands to more than \(braceResults) words; the command was not run"
  }
}

enum BraceExpansion {
  struct TooMany: Error {}

  /// The words `word` expands to, in order; nil when they would be more than the limit.
  static func expand(_ word: Word, limit: Int = ShellLimits.braceResults) -> [Word]? {
    try? expanding(word, limit: limit)
  }

  static func expanding(_ word: Word, limit: Int) throws -> [Word] {
    var out: [Word] = []
    var pending = [word]
    // Depth first, keeping order: the first brace of a word is expanded, then each result again.
    while let w = pending.popLast() {
      guard let (at, range, alternatives) = try firstBrace(in: w, limit: limit) else {
        out.append(w)
        guard out.count <= limit else { throw TooMany() }
        continue
      }
      guard case .literal(let text, _) = w.parts[at], alternatives.count <= limit else { throw TooMany() }
      let before = String(text[..<range.lowerBound]), after = String(text[range.upperBound...])
      for alt in alternatives.reversed() {
        var parts = w.parts
        parts[at] = .literal(before + alt + after, quoted: false)
        pending.append(Word(parts: parts, raw: w.raw))
      }
      guard pending.count + out.count <= limit * 2 else { throw TooMany() }
    }
    return out
  }

  /// The first expandable brace pair of an unquoted literal part: the part's index, the pair's
  /// range, and what it stands for. One pass with a stack finds every pair and its top-level
  /// commas (linear, however many braces are left open).
  static func firstBrace(in word: Word, limit: Int) throws -> (Int, Range<String.Index>, [String])? {
    for (i, part) in word.parts.enumerated() {
      guard case .literal(let text, quoted: false) = part, text.contains("{") else { continue }
      var open: [(at: String.Index, commas: [String.Index])] = []
      var pairs: [(open: String.Index, close: String.Index, commas: [String.Index])] = []
      var k = text.startIndex
      while k < text.endIndex {
        let c = text[k]
        if c == "\\" {
          k = text.index(after: k)
          if k < text.endIndex { k = text.index(after: k) }
          continue
        }
        if c == "{" { open.append((k, [])) }
        if c == ",", !open.isEmpty { open[open.count - 1].commas.append(k) }
        if c == "}", let o = open.popLast() { pairs.append((o.at, k, o.commas)) }
        k = text.index(after: k)
      }
      // The leftmost pair that expands (an outer pair before the pairs inside it).
      for p in pairs.sorted(by: { $0.open < $1.open }) {
        let inner = text.index(after: p.open)..<p.close
        if p.commas.isEmpty {
          // A sequence is short (`-100..100..5`): longer insides are never one.
          guard text.distance(from: inner.lowerBound, to: inner.upperBound) <= 64,
            let items = try sequence(String(text[inner]), limit: limit)
          else { continue }
          return (i, p.open..<text.index(after: p.close), items)
        }
        var items: [String] = []
        var from = inner.lowerBound
        for comma in p.commas {
          items.append(String(text[from..<comma]))
          from = text.index(after: comma)
        }
        items.append(String(text[from..<inner.upperBound]))
        return (i, p.open..<text.index(after: p.close), items)
      }
    }
    return nil
  }

  /// `x..y[..step]` with integers (zero-padded when either end is) or single letters.
  static func sequence(_ s: String, limit: Int) throws -> [String]? {
    let f = s.components(separatedBy: "..")
    guard f.count == 2 || f.count == 3 else { return nil }
    var step = 1
    if f.count == 3 {
      guard let n = Int(f[2]), n != Int.min else { return nil }
      step = n == 0 ? 1 : abs(n)
    }
    if let a = Int(f[0]), let b = Int(f[1]) {
      let count = a <= b ? b.subtractingReportingOverflow(a) : a.subtractingReportingOverflow(b)
      guard !count.overflow, count.partialValue / step < limit else { throw TooMany() }
      let padded = [f[0], f[1]].contains { $0.hasPrefix("0") && $0.count > 1 || $0.hasPrefix("-0") }
      let width = padded ? max(f[0].count, f[1].count) : 0
      return stride(from: a, through: b, by: a <= b ? step : -step).map { n in
        let digits = String(abs(n))
        let pad = String(repeating: "0", count: max(0, width - digits.count - (n < 0 ? 1 : 0)))
        return (n < 0 ? "-" : "") + pad + digits
      }
    }
    guard f[0].count == 1, f[1].count == 1, let a = f[0].unicodeScalars.first, let b = f[1].unicodeScalars.first, a.isASCII, b.isASCII,
      Character(a).isLetter, Character(b).isLetter
    else { return nil }
    let (x, y) = (Int(a.value), Int(b.value))
    return stride(from: x, through: y, by: x <= y ? step : -step).compactMap { Unicode.Scalar($0).map { String(Character($0)) } }
  }
}
