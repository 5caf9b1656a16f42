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
  static func expand(_ pattern: String, in fs: FileSystem, cwd: String) -> [String] {
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
    }
    return candidates.map(\.typed).sorted()
  }

  static func isPattern(_ s: String) -> Bool { s.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

  /// `fnmatch` without flags beyond bash's default: a leading dot must be matched explicitly.
  static func matches(_ name: String, _ pattern: String) -> Bool {
    if name.hasPrefix(".") && !pattern.hasPrefix(".") { return false }
    return match(Array(name), 0, Array(pattern), 0)
  }

  private static func match(_ n: [Character], _ i: Int, _ p: [Character], _ j: Int) -> Bool {
    if j == p.count { return i == n.count }
    switch p[j] {
    case "*":
      var k = i
      while true {
        if match(n, k, p, j + 1) { return true }
        if k == n.count { return false }
        k += 1
      }
    case "?":
      return i < n.count && match(n, i + 1, p, j + 1)
    case "[":
      guard i < n.count, let close = p[(j + 1)...].dropFirst().firstIndex(of: "]") else {
        return i < n.count && n[i] == "[" && match(n, i + 1, p, j + 1)
      }
      var set = Array(p[(j + 1)..<close])
      let negate = set.first == "!" || set.first == "^"
      if negate { set.removeFirst() }
      var found = false
      var k = 0
      while k < set.count {
        if k + 2 < set.count, set[k + 1] == "-" {
          if set[k] <= n[i] && n[i] <= set[k + 2] { found = true }
          k += 3
        } else {
          if set[k] == n[i] { found = true }
          k += 1
        }
      }
      return found != negate && match(n, i + 1, p, close + 1)
    default:
      return i < n.count && n[i] == p[j] && match(n, i + 1, p, j + 1)
    }
  }
}
