/// Turns a well-formed line into a hostile one: numbers past every boundary, negative and
/// empty values, unicode and binary bytes, unbalanced quotes, deep nesting, long repetitions.
/// A mutated line never holds a newline (the sandbox reads one line per newline).
struct Mutator {
  let grammar: Grammar

  /// Lines longer than this are not grown further (the shell refuses lines over 100,000 bytes).
  static let maxLength = 120_000

  func mutate(_ line: String, _ d: inout Dice) -> String {
    var s = line
    for _ in 0..<d.weighted([(6, 1), (3, 2), (1, 4)]) { s = once(s, &d) }
    return s.utf8.contains(10) ? s.replacingOccurrences(of: ["\n"], with: " ") : s
  }

  func once(_ line: String, _ d: inout Dice) -> String {
    var chars = Array(line)
    let at = d.between(0, chars.count)
    switch d.below(100) {
    case 0..<22: return replacingNumber(chars, &d)
    case 22..<28:
      // A value made negative or empty: `-5`, `--flag=-x`, `--flag=`.
      guard let k = chars.indices.filter({ chars[$0] == "=" || chars[$0] == " " }).randomElement(&d) else { return line }
      chars.insert(contentsOf: d.pick(["-", "-", "", "+", "--"]), at: k + 1)
      if d.chance(0.3) { chars.removeSubrange((k + 1)..<(chars[(k + 1)...].firstIndex(of: " ") ?? chars.count)) }
    case 28..<38: chars.insert(contentsOf: d.pick(Hostile.fragments), at: at)
    case 38..<50: chars.insert(contentsOf: d.pick(Hostile.syntax), at: at)
    case 50..<56 where !chars.isEmpty:
      let end = min(chars.count, at + d.between(1, 12))
      chars.removeSubrange(min(at, end)..<end)
    case 56..<64 where !chars.isEmpty:
      // A piece of the line repeated: 2, 10, ... 60,000 times.
      let start = min(at, chars.count - 1), end = min(chars.count, start + d.between(1, 6))
      let piece = chars[start..<end]
      let times = min(d.repetitions(), Mutator.maxLength / max(1, piece.count))
      chars.insert(contentsOf: repeatElement(piece, count: times).joined(), at: end)
    case 64..<67: chars = Array(line.prefix(d.below(chars.count + 1)))
    case 67..<75: return nested(line, &d)
    case 75..<81:
      // Globs that cost a naive matcher exponential time, or match half the file system.
      let n = d.repetitions(limit: 60_000)
      chars.insert(contentsOf: d.pick(["/tmp/" + String(repeating: "*a", count: min(n, 40)) + "*b", "/" + String(repeating: "*/", count: min(n, 30)),
                                       "/" + String(repeating: "*", count: n), "/var/lib/etcd/**/*", "[", "[!a-z]*", "*[", "/*" + String(repeating: "?", count: min(n, 300))]) + " ",
                     at: at)
    case 81..<88:
      let other = grammar.list(&d, depth: 1)
      return line + d.pick([" | ", "; ", " && ", " || ", " & ", " ", ""]) + other
    case 88..<94:
      // A flag's spelling changed: `--name=v` as `--name v`, upper case, one dash.
      let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
      guard let k = words.indices.filter({ words[$0].hasPrefix("-") }).randomElement(&d) else { return line }
      var w = words
      w[k] = d.weighted([(2, w[k].replacingOccurrences(of: ["="], with: " ")), (1, w[k].uppercased()), (1, String(w[k].dropFirst())), (1, "-" + w[k]),
                         (1, w[k] + "=" + Hostile.number(&d)), (2, w[k] + " " + Hostile.number(&d))])
      return w.joined(separator: " ")
    default: chars.insert(contentsOf: Hostile.number(&d), at: at)
    }
    return String(chars)
  }

  /// One number in the line replaced by a hostile one.
  func replacingNumber(_ chars: [Character], _ d: inout Dice) -> String {
    let starts = chars.indices.filter { chars[$0].isASCII && chars[$0].isNumber && ($0 == 0 || !(chars[$0 - 1].isASCII && chars[$0 - 1].isNumber)) }
    guard let start = starts.randomElement(&d) else { return String(chars) + " " + Hostile.number(&d) }
    let end = chars[start...].firstIndex { !($0.isASCII && $0.isNumber) } ?? chars.count
    var out = chars
    out.replaceSubrange(start..<end, with: Hostile.number(&d))
    return String(out)
  }

  /// The line inside `$(...)`, quotes, or loops, many levels deep (loops fewer: nested loops
  /// multiply their rounds, one finding that would crowd out the others).
  func nested(_ line: String, _ d: inout Dice) -> String {
    let loop = d.chance(0.2)
    let depth = loop ? d.weighted([(6, 2), (3, 3), (1, 30), (1, 1000)]) : d.weighted([(4, 3), (3, 10), (2, 30), (1, 200), (1, 2000)])
    let (open, close) = loop
      ? d.pick([("for i in 1; do ", "; done"), ("while :; do ", "; done"), ("until false; do ", "; done"), ("for i in 1 2 3; do ", "; done")])
      : d.pick([("echo $(", ")"), ("\"$(", ")\""), ("`", "`"), ("(", ")"), ("{ ", "; }"), ("$((", "))"), ("echo \"", "\""), ("${X:-", "}")])
    let times = min(depth, Mutator.maxLength / max(1, open.count + close.count + 1))
    return String(repeating: open, count: times) + line + String(repeating: close, count: d.chance(0.9) ? times : d.below(times + 1))
  }
}

extension Array {
  func randomElement(_ d: inout Dice) -> Element? { isEmpty ? nil : self[d.below(count)] }
}
