import EtcdSim

/// Pathname expansion as bash does it: `*`, `?` and `[...]` in unquoted words match names in the
/// simulated file system; a pattern that matches nothing stays as it was typed.
enum Glob {
  /// Whether a word has a glob character outside quotes.
  static func applies(to word: Word) -> Bool {
    word.parts.contains { part in
      if case .literal(let s, quoted: false) = part { return s.utf8.contains { $0 == 0x2A || $0 == 0x3F || $0 == 0x5B } }  // * ? [
      return false
    }
  }

  /// The paths a pattern matches, sorted; relative patterns match relative to `cwd` and stay relative.
  /// Nil when more than `limit` paths match (or directories on the way do).
  static func expand(_ pattern: String, in fs: FileSystem, cwd: String, limit: Int) -> [String]? {
    let absolute = pattern.hasPrefix("/")
    let parts = pattern.split(separator: "/").map(String.init)
    guard !parts.isEmpty else { return [] }
    // Each candidate: (path as typed, absolute path).
    var candidates: [(typed: String, full: String)] = [("", absolute ? "" : cwd)]
    for (k, part) in parts.enumerated() {
      let last = k == parts.count - 1
      var next: [(String, String)] = []
      for (typed, full) in candidates {
        let dir = full.isEmpty ? "/" : full
        let prefixTyped = typed.isEmpty ? (absolute ? "/" : "") : typed + "/"
        let prefixFull = full == "/" || full.isEmpty ? "/" : full + "/"
        if isPattern(part) {
          guard fs.isDirectory(dir) else { continue }
          for name in fs.children(dir) where matches(name, part) {
            let f = prefixFull + name
            if last || fs.isDirectory(f) { next.append((prefixTyped + name, f)) }
          }
        } else {
          let f = part == "." ? dir : part == ".." ? FileSystem.resolve("..", cwd: dir) : prefixFull + part
          if fs.exists(f) { next.append((prefixTyped + part, f)) }
        }
      }
      candidates = next
      if candidates.isEmpty { return [] }
      if candidates.count > limit { return nil }
    }
    return candidates.map(\.typed).sorted()
  }

  static func isPattern(_ s: String) -> Bool { s.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

  /// `fnmatch` without flags beyond bash's default: a leading dot must be matched explicitly.
  static func matches(_ name: String, _ pattern: String) -> Bool {
    if name.hasPrefix(".") && !pattern.hasPrefix(".") { return false }
    return match(Array(name), Array(pattern))
  }

  /// Every element but `*` matches exactly one character, so a mismatch only needs to go back to
  /// the last `*` and let it take one character more: at most name × pattern steps, no recursion.
  private static func match(_ n: [Character], _ p: [Character]) -> Bool {
    var i = 0, j = 0
    var star: (j: Int, i: Int)?
    while i < n.count {
      if j < p.count {
        if p[j] == "*" {
          while j < p.count && p[j] == "*" { j += 1 }
          star = (j, i)
          continue
        }
        if let next = step(n[i], p, j) {
          i += 1
          j = next
          continue
        }
      }
      guard let s = star else { return false }
      star = (s.j, s.i + 1)
      i = s.i + 1
      j = s.j
    }
    while j < p.count && p[j] == "*" { j += 1 }
    return j == p.count
  }

  /// Where the pattern goes on when its element at `j` (not `*`) matches `c`; nil if it does not.
  private static func step(_ c: Character, _ p: [Character], _ j: Int) -> Int? {
    switch p[j] {
    case "?":
      return j + 1
    case "[":
      guard let close = p[(j + 1)...].dropFirst().firstIndex(of: "]") else { return c == "[" ? j + 1 : nil }
      var set = p[(j + 1)..<close]
      let negate = set.first == "!" || set.first == "^"
      if negate { set = set.dropFirst() }
      var found = false
      var k = set.startIndex
      while k < set.endIndex {
        if k + 2 < set.endIndex, set[k + 1] == "-" {
          if set[k] <= c && c <= set[k + 2] { found = true }
          k += 3
        } else {
          if set[k] == c { found = true }
          k += 1
        }
      }
      return found != negate ? close + 1 : nil
    default:
      return p[j] == c ? j + 1 : nil
    }
  }
}
