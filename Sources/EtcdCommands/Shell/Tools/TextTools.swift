import EtcdSim

/// The text tools of coreutils, grep, sed and awk that operators pipe etcdctl into.
/// Each takes its arguments and input and writes to `io`; none touches a real file.
enum TextTools {
  /// Splits text into lines (without their newlines).
  static func lines(_ text: String) -> [String] {
    var l = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if l.last == "" { l.removeLast() }
    return l
  }

  static func write(_ lines: [String], _ io: inout IO) {
    io.write(Array(lines.map { $0 + "\n" }.joined().utf8))
  }

  /// Short options as one cluster (`-vic`) or apart, and `-n 5` / `-n5` values.
  struct Options {
    var flags: Set<Character> = []
    var values: [Character: String] = [:]
    var operands: [String] = []
    var bad: String?

    init(_ args: [String], valued: Set<Character> = [], longAliases: [String: Character] = [:]) {
      var i = 0
      var onlyOperands = false
      while i < args.count {
        let a = args[i]
        i += 1
        if onlyOperands || a == "-" || !a.hasPrefix("-") { operands.append(a); continue }
        if a == "--" { onlyOperands = true; continue }
        if a.hasPrefix("--") {
          let name = String(a.dropFirst(2).prefix { $0 != "=" })
          if let c = longAliases[name] {
            if valued.contains(c) {
              if let eq = a.firstIndex(of: "=") { values[c] = String(a[a.index(after: eq)...]) } else if i < args.count { values[c] = args[i]; i += 1 }
            } else { flags.insert(c) }
          } else if bad == nil { bad = a }
          continue
        }
        // The obsolete `-5` of head and tail, read (and refused) as `-n 5` is.
        if valued.contains("n"), a.dropFirst().allSatisfy(\.isASCII), a.dropFirst().allSatisfy(\.isNumber) { values["n"] = String(a.dropFirst()); continue }
        var rest = Substring(a.dropFirst())
        while let c = rest.first {
          rest = rest.dropFirst()
          if valued.contains(c) {
            if !rest.isEmpty { values[c] = String(rest) } else if i < args.count { values[c] = args[i]; i += 1 } else { bad = bad ?? "-\(c)" }
            break
          }
          flags.insert(c)
        }
      }
    }
  }

  // MARK: grep

  static func grep(_ args: [String], input: (String) -> String?, stdin: String, io: inout IO) -> Int32 {
    let o = Options(args, valued: ["e", "m", "A", "B", "C"], longAliases: ["invert-match": "v", "ignore-case": "i", "count": "c", "word-regexp": "w", "extended-regexp": "E", "line-number": "n", "quiet": "q", "only-matching": "o", "max-count": "m"])
    var operands = o.operands
    let pattern: String
    if let e = o.values["e"] { pattern = e } else if !operands.isEmpty { pattern = operands.removeFirst() } else {
      io.err("Usage: grep [OPTION]... PATTERNS [FILE]...")
      io.err("Try 'grep --help' for more information.")
      return 2
    }
    guard let regex = try? Regex(o.flags.contains("E") ? pattern : basicToExtended(pattern)) else {
      io.err("grep: Unmatched ( or \\(")
      return 2
    }
    let re = o.flags.contains("i") ? regex.ignoresCase() : regex
    var sources: [(String?, String)] = []
    if operands.isEmpty { sources = [(nil, stdin)] }
    var status: Int32 = 1
    for f in operands {
      guard let text = input(f) else {
        io.err("grep: \(f): No such file or directory")
        status = 2
        continue
      }
      sources.append((f, text))
    }
    var matchedAny = false
    // `-m N`: the first N selected lines of each file (a count GNU grep reads as a number).
    let limit = o.values["m"].map { Int($0.trimmingCharacters(in: .whitespaces)) ?? -1 }
    if limit == -1 {
      io.err("grep: invalid max count")
      return 2
    }
    for (name, text) in sources {
      var count = 0
      for (n, line) in lines(text).enumerated() {
        if let limit, limit >= 0, count >= limit { break }
        var hit = line.contains(re)
        if hit, o.flags.contains("w") { hit = wordMatch(line, re) }
        if hit != o.flags.contains("v") {
          count += 1
          matchedAny = true
          if o.flags.contains("c") || o.flags.contains("q") { continue }
          let prefix = (sources.count > 1 ? "\(name ?? "(standard input)"):" : "") + (o.flags.contains("n") ? "\(n + 1):" : "")
          // `-o`: each non-empty match on a line of its own (nothing for `-v`'s lines).
          if o.flags.contains("o") {
            if !o.flags.contains("v") { for m in line.matches(of: re) where !m.range.isEmpty { io.out(prefix + line[m.range]) } }
            continue
          }
          io.out(prefix + line)
        }
      }
      if o.flags.contains("c") && !o.flags.contains("q") { io.out((sources.count > 1 ? "\(name ?? "(standard input)"):" : "") + "\(count)") }
    }
    if matchedAny { return status == 2 ? 2 : 0 }
    return status == 2 ? 2 : 1
  }

  /// Whether some match of `re` in `line` stands as a whole word.
  static func wordMatch(_ line: String, _ re: Regex<AnyRegexOutput>) -> Bool {
    for m in line.matches(of: re) {
      let before = m.range.lowerBound > line.startIndex ? line[line.index(before: m.range.lowerBound)] : " "
      let after = m.range.upperBound < line.endIndex ? line[m.range.upperBound] : " "
      func word(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
      if !word(before) && !word(after) { return true }
    }
    return false
  }

  /// POSIX basic regular expressions to extended: `\(`, `\|`, `\+` are the operators there.
  static func basicToExtended(_ p: String) -> String {
    var out = ""
    var chars = Array(p)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == "\\", i + 1 < chars.count {
        let n = chars[i + 1]
        if "(){}|+?".contains(n) { out.append(n) } else { out.append(c); out.append(n) }
        i += 2
        continue
      }
      if "(){}|+?".contains(c) { out += "\\" + String(c) } else { out.append(c) }
      i += 1
    }
    chars = []
    return out
  }

  // MARK: head, tail, wc, sort, uniq, tr, cut

  /// `head`/`tail` with `-n N` lines or `-c N` bytes: head's `-N` leaves out the last N,
  /// tail's `+N` starts at the Nth. Counts are read as coreutils reads them.
  static func head(_ args: [String], text: String, io: inout IO, tail: Bool) -> Int32 {
    let o = Options(args, valued: ["n", "c"], longAliases: ["lines": "n", "bytes": "c", "follow": "f"])
    let bytes = o.values["n"] == nil && o.values["c"] != nil
    var spec = o.values[bytes ? "c" : "n"] ?? "10"
    let fromStart = tail && spec.hasPrefix("+")
    let elide = !tail && spec.hasPrefix("-")
    if spec.hasPrefix("-") { spec.removeFirst() }
    let count: Int
    switch Numbers.coreutils(spec, suffixes: Numbers.countSuffixes, signed: false) {
    case .success(let n): count = Int(n)
    case .failure(let f):
      io.err(Numbers.complaint("\(tail ? "tail" : "head"): invalid number of \(bytes ? "bytes" : "lines")", spec, f))
      return 1
    }
    func pick<C: BidirectionalCollection>(_ all: C) -> C.SubSequence {
      if fromStart { return all.dropFirst(max(0, count - 1)) }
      if tail { return all.suffix(count) }
      return elide ? all.dropLast(count) : all.prefix(count)
    }
    if bytes { io.write(Array(pick(Array(text.utf8)))) } else { write(Array(pick(lines(text))), &io) }
    return 0
  }

  static func wc(_ args: [String], text: String, name: String?, io: inout IO) -> Int32 {
    let o = Options(args)
    var l = 0, w = 0, c = 0
    var inWord = false
    for b in text.utf8 {
      c += 1
      if b == 0x0A { l += 1 }
      let space = b == 0x20 || (0x09...0x0D).contains(b)
      if !space && !inWord { w += 1 }
      inWord = !space
    }
    var parts: [Int] = []
    let chosen = o.flags.isEmpty ? Set<Character>(["l", "w", "c"]) : o.flags
    if chosen.contains("l") { parts.append(l) }
    if chosen.contains("w") { parts.append(w) }
    if chosen.contains("c") || chosen.contains("m") { parts.append(c) }
    var line: String
    if parts.count == 1 && name == nil {
      line = String(parts[0])
    } else {
      let width = max(name == nil ? 7 : 1, parts.map { String($0).count }.max() ?? 1)
      line = parts.map { String(repeating: " ", count: width - String($0).count) + String($0) }.joined(separator: " ")
    }
    if let name { line += " " + name }
    io.out(line)
    return 0
  }

  static func sort(_ args: [String], text: String, io: inout IO) -> Int32 {
    let o = Options(args, valued: ["k", "t"])
    var l = lines(text)
    let key: (String) -> String = { line in
      guard let k = o.values["k"].flatMap({ Int($0.prefix { $0.isNumber }) }) else { return line }
      let fields = o.values["t"].map { line.components(separatedBy: $0) } ?? line.split(separator: " ").map(String.init)
      return k - 1 < fields.count ? fields[(k - 1)...].joined(separator: " ") : ""
    }
    if o.flags.contains("n") {
      l.sort { (Double(key($0).trimmingSpaces().prefix { $0.isNumber || $0 == "." || $0 == "-" }) ?? 0) < (Double(key($1).trimmingSpaces().prefix { $0.isNumber || $0 == "." || $0 == "-" }) ?? 0) }
    } else {
      l.sort { key($0) < key($1) }
    }
    if o.flags.contains("r") { l.reverse() }
    if o.flags.contains("u") {
      var seen = Set<String>()
      l = l.filter { seen.insert($0).inserted }
    }
    write(l, &io)
    return 0
  }

  static func uniq(_ args: [String], text: String, io: inout IO) -> Int32 {
    let o = Options(args)
    var groups: [(String, Int)] = []
    for line in lines(text) {
      if let last = groups.last, last.0 == line { groups[groups.count - 1].1 += 1 } else { groups.append((line, 1)) }
    }
    for (line, n) in groups {
      if o.flags.contains("d") && n < 2 { continue }
      if o.flags.contains("u") && n > 1 { continue }
      io.out(o.flags.contains("c") ? String(repeating: " ", count: max(0, 7 - String(n).count)) + "\(n) \(line)" : line)
    }
    return 0
  }

  static func expandSet(_ s: String) -> [Character] {
    switch s {
    case "[:upper:]", "A-Z": return Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    case "[:lower:]", "a-z": return Array("abcdefghijklmnopqrstuvwxyz")
    case "[:digit:]", "0-9": return Array("0123456789")
    case "[:space:]": return [" ", "\t", "\n"]
    default:
      var out: [Character] = []
      let c = Array(s.replacingEscapes())
      var i = 0
      while i < c.count {
        if i + 2 < c.count, c[i + 1] == "-", let a = c[i].asciiValue, let b = c[i + 2].asciiValue, a <= b {
          for v in a...b { out.append(Character(UnicodeScalar(v))) }
          i += 3
        } else {
          out.append(c[i])
          i += 1
        }
      }
      return out
    }
  }

  static func tr(_ args: [String], text: String, io: inout IO) -> Int32 {
    let o = Options(args)
    guard let first = o.operands.first else {
      io.err("tr: missing operand")
      io.err("Try 'tr --help' for more information.")
      return 1
    }
    let from = expandSet(first)
    if o.flags.contains("d") {
      io.write(Array(String(text.filter { !from.contains($0) }).utf8))
      return 0
    }
    if o.flags.contains("s") && o.operands.count == 1 {
      var out = ""
      for c in text where !(from.contains(c) && out.last == c) { out.append(c) }
      io.write(Array(out.utf8))
      return 0
    }
    guard o.operands.count >= 2 else {
      io.err("tr: missing operand after '\(first)'")
      io.err("Two strings must be given when translating.")
      io.err("Try 'tr --help' for more information.")
      return 1
    }
    let to = expandSet(o.operands[1])
    var out = ""
    for c in text {
      if let i = from.firstIndex(of: c), let last = to.last { out.append(i < to.count ? to[i] : last) } else { out.append(c) }
    }
    if o.flags.contains("s") {
      var squeezed = ""
      for c in out where !(to.contains(c) && squeezed.last == c) { squeezed.append(c) }
      out = squeezed
    }
    io.write(Array(out.utf8))
    return 0
  }

  static func cut(_ args: [String], text: String, io: inout IO) -> Int32 {
    let o = Options(args, valued: ["d", "f", "c"], longAliases: ["delimiter": "d", "fields": "f"])
    let delimiter = o.values["d"].map { $0.isEmpty ? "\t" : String($0.prefix(1)) } ?? "\t"
    guard let spec = o.values["f"] ?? o.values["c"] else {
      io.err("cut: you must specify a list of bytes, characters, or fields")
      io.err("Try 'cut --help' for more information.")
      return 1
    }
    var wanted: [ClosedRange<Int>] = []
    for part in spec.split(separator: ",") {
      let ends = part.split(separator: "-", omittingEmptySubsequences: false)
      if ends.count == 1, let v = Int(ends[0]) { wanted.append(v...v) } else if ends.count == 2 {
        let lo = Int(ends[0]) ?? 1
        let hi = Int(ends[1]) ?? Int.max / 2
        wanted.append(lo...max(lo, hi))
      }
    }
    if wanted.isEmpty || wanted.contains(where: { $0.lowerBound < 1 }) {
      io.err("cut: fields are numbered from 1")
      io.err("Try 'cut --help' for more information.")
      return 1
    }
    for line in lines(text) {
      if o.values["c"] != nil {
        let chars = Array(line)
        io.out(String(chars.indices.filter { i in wanted.contains { $0.contains(i + 1) } }.map { chars[$0] }))
        continue
      }
      let fields = line.components(separatedBy: delimiter)
      if fields.count == 1 { if !o.flags.contains("s") { io.out(line) }; continue }
      io.out(fields.indices.filter { i in wanted.contains { $0.contains(i + 1) } }.map { fields[$0] }.joined(separator: delimiter))
    }
    return 0
  }

  // MARK: sed

  /// `sed 's/a/b/[g]'`, `sed -n '/re/p'`, `sed '/re/d'`, `sed -e ... -e ...`; returns nil text on a bad script.
  static func sed(_ scripts: [String], quiet: Bool, text: String) -> Result<String, Message> {
    var commands: [(String) -> String?] = []
    let input = lines(text)
    let total = input.count
    for script in scripts {
      for raw in script.split(separator: ";").map(String.init) {
        let s = raw.trimmingSpaces()
        if s.isEmpty { continue }
        if s.hasPrefix("s"), s.count >= 2 {
          let delim = s[s.index(after: s.startIndex)]
          let parts = splitUnescaped(String(s.dropFirst(2)), delim)
          guard parts.count >= 2 else { return .failure(Message("sed: -e expression #1, char \(s.count): unterminated `s' command")) }
          let flags = parts.count > 2 ? parts[2] : ""
          guard let re = try? Regex(basicToExtended(parts[0])) else { return .failure(Message("sed: -e expression #1, char \(s.count): Invalid regular expression")) }
          let replacement = parts[1]
          let global = flags.contains("g")
          let printIt = flags.contains("p")
          commands.append { line in
            var out = line
            if global {
              out = line.replacing(re) { m in substitute(replacement, m) }
            } else if let m = line.firstMatch(of: re) {
              out.replaceSubrange(m.range, with: substitute(replacement, m))
            }
            return printIt && out != line ? out + "\n" + out : out
          }
          continue
        }
        if s.hasPrefix("/"), let end = s.dropFirst().firstIndex(of: "/") {
          let pattern = String(s[s.index(after: s.startIndex)..<end])
          let cmd = s[s.index(after: end)...].trimmingSpaces()
          guard let re = try? Regex(basicToExtended(pattern)) else { return .failure(Message("sed: -e expression #1, char \(s.count): Invalid regular expression")) }
          switch cmd {
          case "d": commands.append { $0.contains(re) ? nil : $0 }
          case "p": commands.append { $0.contains(re) ? $0 + "\n" + $0 : $0 }
          default: return .failure(Message("sed: -e expression #1, char \(s.count): unknown command: `\(cmd.first.map(String.init) ?? "")'"))
          }
          continue
        }
        // Line addresses: `N`, `$`, `N,M`, `N,$` before `p` or `d` (`sed -n '5,10p'`).
        if let cmd = s.last, cmd == "p" || cmd == "d" {
          let range = s.dropLast().split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
          func line(_ a: String) -> Int? { a == "$" ? total : Int(a) }
          if (1...2).contains(range.count), let from = line(range[0]), let to = range.count == 2 ? line(range[1]) : from {
            // Line 0 may not start an address (GNU sed reports the character after the command).
            if range[0] == "0" { return .failure(Message("sed: -e expression #1, char \(s.count): invalid usage of line address 0")) }
            var count = 0
            commands.append { l in
              count += 1
              // GNU sed: a range whose end is before its start selects its first line alone.
              let selected = count == from || (count > from && count <= to)
              guard selected else { return l }
              return cmd == "d" ? nil : l + "\n" + l
            }
            continue
          }
        }
        return .failure(Message("sed: -e expression #1, char 1: unknown command: `\(s.first.map(String.init) ?? "")'"))
      }
    }
    var out: [String] = []
    for line in input {
      var current: String? = line
      for c in commands {
        guard let l = current else { break }
        current = c(l)
      }
      guard let result = current else { continue }
      if quiet {
        // With -n only what `p` printed a second time is shown.
        let parts = result.split(separator: "\n", omittingEmptySubsequences: false)
        if parts.count > 1 { out.append(String(parts.last!)) }
      } else {
        out.append(result)
      }
    }
    return .success(out.map { $0 + "\n" }.joined())
  }

  static func splitUnescaped(_ s: String, _ delim: Character) -> [String] {
    var parts: [String] = []
    var cur = ""
    var escaped = false
    for c in s {
      if escaped {
        if c != delim { cur.append("\\") }
        cur.append(c)
        escaped = false
      } else if c == "\\" {
        escaped = true
      } else if c == delim {
        parts.append(cur)
        cur = ""
      } else {
        cur.append(c)
      }
    }
    if escaped { cur.append("\\") }
    parts.append(cur)
    return parts
  }

  /// `&` and `\1`–`\9` in a replacement.
  static func substitute(_ replacement: String, _ m: Regex<AnyRegexOutput>.Match) -> String {
    var out = ""
    var chars = Array(replacement)[...]
    while let c = chars.popFirst() {
      if c == "&" { out += String(m.output[0].substring ?? ""); continue }
      if c == "\\", let n = chars.first {
        chars = chars.dropFirst()
        if let d = n.wholeNumberValue, d < m.output.count { out += String(m.output[d].substring ?? "") } else if n == "n" { out += "\n" } else { out.append(n) }
        continue
      }
      out.append(c)
    }
    return out
  }

  // MARK: awk

  /// The awk programs operators write at a prompt: `{print $N, $M}`, `-F', '`, `/re/ {print}`,
  /// `NR>1`, `$3 == "x" {print $1}`, `END {print NR}`.
  static func awk(_ args: [String], text: String, io: inout IO) -> Int32 {
    var separator: String?
    var program: String?
    var i = 0
    while i < args.count {
      let a = args[i]
      if a == "-F", i + 1 < args.count { separator = args[i + 1]; i += 2; continue }
      if a.hasPrefix("-F") { separator = String(a.dropFirst(2)); i += 1; continue }
      if program == nil { program = a } 
      i += 1
    }
    guard let prog = program else {
      io.err("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]")
      return 2
    }
    let sep = separator?.replacingEscapes()
    guard let parsed = AwkProgram(prog) else {
      io.err("awk: cmd. line:1: \(prog)")
      io.err("awk: cmd. line:1: ^ syntax error")
      return 2
    }
    let all = lines(text)
    for (n, line) in all.enumerated() {
      let fields: [String] = {
        guard let sep, sep != " " else { return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
        return line.components(separatedBy: sep)
      }()
      for rule in parsed.rules where !rule.end {
        if rule.matches(line: line, fields: fields, nr: n + 1) { io.out(rule.output(line: line, fields: fields, nr: n + 1, nf: fields.count)) }
      }
    }
    for rule in parsed.rules where rule.end { io.out(rule.output(line: "", fields: [], nr: all.count, nf: 0)) }
    return 0
  }
}

/// A small awk: rules of an optional pattern and a `print` action.
struct AwkProgram {
  struct Rule {
    enum Pattern { case always, regex(Regex<AnyRegexOutput>), compare(String, String, String) }
    var pattern: Pattern
    var items: [String]
    var end = false

    func value(_ item: String, line: String, fields: [String], nr: Int, nf: Int) -> String {
      let t = item.trimmingSpaces()
      if t == "$0" { return line }
      if t == "NR" { return String(nr) }
      if t == "NF" { return String(nf) }
      if t == "$NF" { return fields.last ?? "" }
      if t.hasPrefix("$"), let k = Int(t.dropFirst()) { return k >= 1 && k <= fields.count ? fields[k - 1] : "" }
      if t.hasPrefix("\""), t.hasSuffix("\""), t.count >= 2 { return String(t.dropFirst().dropLast()).replacingEscapes() }
      return t
    }

    func matches(line: String, fields: [String], nr: Int) -> Bool {
      switch pattern {
      case .always: return true
      case .regex(let re): return line.contains(re)
      case .compare(let l, let op, let r):
        let a = value(l, line: line, fields: fields, nr: nr, nf: fields.count)
        let b = value(r, line: line, fields: fields, nr: nr, nf: fields.count)
        if let x = Double(a), let y = Double(b) {
          switch op { case "==": return x == y; case "!=": return x != y; case ">": return x > y; case "<": return x < y; case ">=": return x >= y; default: return x <= y }
        }
        switch op { case "==": return a == b; case "!=": return a != b; case ">": return a > b; case "<": return a < b; case ">=": return a >= b; default: return a <= b }
      }
    }

    func output(line: String, fields: [String], nr: Int, nf: Int) -> String {
      if items.isEmpty { return line }
      // Items separated by commas print with a space; juxtaposed ones concatenate.
      return items.map { group in
        group.split(separator: "\u{1}").map { value(String($0), line: line, fields: fields, nr: nr, nf: nf) }.joined()
      }.joined(separator: " ")
    }
  }

  var rules: [Rule] = []

  init?(_ source: String) {
    var s = source.trimmingSpaces()[...]
    while !s.isEmpty {
      var end = false
      var pattern = Rule.Pattern.always
      if s.hasPrefix("END") { end = true; s = s.dropFirst(3) }
      s = Substring(s.trimmingSpaces())
      if s.hasPrefix("/") {
        guard let close = s.dropFirst().firstIndex(of: "/"), let re = try? Regex(String(s[s.index(after: s.startIndex)..<close])) else { return nil }
        pattern = .regex(re)
        s = s[s.index(after: close)...]
      } else if !s.hasPrefix("{") {
        let cond = s.prefix { $0 != "{" }
        s = s.dropFirst(cond.count)
        var found = false
        for op in ["==", "!=", ">=", "<=", ">", "<"] {
          if let r = cond.range(of: op) {
            pattern = .compare(String(cond[..<r.lowerBound]), op, String(cond[r.upperBound...]).trimmingSpaces())
            found = true
            break
          }
        }
        if !found { return nil }
      }
      s = Substring(s.trimmingSpaces())
      var items: [String] = []
      if s.hasPrefix("{") {
        guard let close = s.firstIndex(of: "}") else { return nil }
        let body = s[s.index(after: s.startIndex)..<close].trimmingSpaces()
        s = s[s.index(after: close)...]
        guard body.hasPrefix("print") || body.isEmpty else { return nil }
        items = AwkProgram.printItems(String(body.dropFirst(5)))
      }
      rules.append(Rule(pattern: pattern, items: items, end: end))
      s = Substring(s.trimmingSpaces())
      if s.hasPrefix(";") { s = s.dropFirst() }
    }
  }

  /// Splits `$1, $2 "x"` into comma groups of juxtaposed items (joined by \u{1}).
  static func printItems(_ s: String) -> [String] {
    var groups: [String] = []
    var current: [String] = []
    var token = ""
    var inString = false
    func flush() { if !token.isEmpty { current.append(token); token = "" } }
    for c in s {
      if inString { token.append(c); if c == "\"" { inString = false; flush() }; continue }
      switch c {
      case "\"": flush(); token.append(c); inString = true
      case ",": flush(); groups.append(current.joined(separator: "\u{1}")); current = []
      case " ", "\t": flush()
      default: token.append(c)
      }
    }
    flush()
    if !current.isEmpty { groups.append(current.joined(separator: "\u{1}")) }
    return groups.filter { !$0.isEmpty }
  }
}

extension String {
  /// `\t`, `\n`, `\\` as printf and tr read them.
  func replacingEscapes() -> String {
    var out = ""
    var escaped = false
    for c in self {
      if escaped {
        switch c { case "t": out.append("\t"); case "n": out.append("\n"); case "\\": out.append("\\"); default: out.append("\\"); out.append(c) }
        escaped = false
      } else if c == "\\" { escaped = true } else { out.append(c) }
    }
    if escaped { out.append("\\") }
    return out
  }
}
