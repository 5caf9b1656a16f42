/// Tables as olekukonko/tablewriter draws them for `-w table` (reference §7.6).
public enum TableWriter {
  public static func render(header: [String], rows: [[String]]) -> String {
    String(decoding: bytes(header: header, rows: rows), as: UTF8.self)
  }

  /// The table as bytes, ready for output.
  public static func bytes(header: [String], rows: [[String]]) -> [UInt8] {
    let head = header.map { $0.uppercased() }
    // Each cell wrapped as tablewriter's autoWrap does it: at most 30 columns, at spaces.
    let cells = rows.map { $0.map { wrap($0, limit: maxColumnWidth) } }
    var widths = head.map(width)
    for r in cells {
      for (i, c) in r.enumerated() where i < widths.count {
        widths[i] = max(widths[i], c.count > 1 ? max(maxColumnWidth, c.map(width).max() ?? 0) : width(c.first ?? ""))
      }
    }
    var out: [UInt8] = []
    out.reserveCapacity((widths.reduce(0, +) + 3 * widths.count + 2) * (rows.count + 4))
    func pad(_ n: Int) { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n)) }
    func border() {
      out.append(UInt8(ascii: "+"))
      for w in widths {
        out.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: w + 2))
        out.append(UInt8(ascii: "+"))
      }
      out.append(0x0A)
    }
    func line(_ cells: [String], center: Bool) {
      out.append(UInt8(ascii: "|"))
      for (i, w) in widths.enumerated() {
        let c = i < cells.count ? cells[i] : ""
        let gap = w - width(c)
        pad(1 + (center ? gap / 2 : gap))
        out.append(contentsOf: c.utf8)
        pad(center ? gap - gap / 2 : 0)
        out.append(contentsOf: " |".utf8)
      }
      out.append(0x0A)
    }
    border()
    line(head, center: true)
    border()
    for r in cells {
      let height = r.map(\.count).max() ?? 1
      for k in 0..<height { line(r.map { k < $0.count ? $0[k] : "" }, center: false) }
    }
    border()  // tablewriter closes the table even when it has no rows
    return out
  }

  /// tablewriter's `MaxColWidth`.
  static let maxColumnWidth = 30

  /// `WrapString`: a cell wider than `limit` split at spaces into lines of least raggedness
  /// (`WrapWords`, Knuth-style with a penalty for lines still too long); a word wider than the
  /// limit raises it.
  static func wrap(_ cell: String, limit: Int) -> [String] {
    guard width(cell) > limit, cell.contains(" ") else { return [cell] }
    let words = cell.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    let lim = max(limit, words.map(width).max() ?? 0)
    let n = words.count
    let sizes = words.map(width)
    func length(_ i: Int, _ j: Int) -> Int { sizes[i...j].reduce(0, +) + (j - i) }
    var cost = Array(repeating: Int.max, count: n + 1), next = Array(repeating: n, count: n)
    cost[n] = 0
    for i in stride(from: n - 1, through: 0, by: -1) {
      if length(i, n - 1) <= lim {
        cost[i] = 0
        continue
      }
      for j in (i + 1)..<n {
        let d = lim - length(i, j - 1)
        let c = d * d + cost[j] + (length(i, j - 1) > lim ? 100_000 : 0)
        if cost[j] != Int.max, c < cost[i] {
          cost[i] = c
          next[i] = j
        }
      }
    }
    var lines: [String] = []
    var i = 0
    while i < n {
      lines.append(words[i..<next[i]].joined(separator: " "))
      i = next[i]
    }
    return lines
  }

  /// Columns a cell takes on a terminal (go-runewidth): East Asian wide characters take two,
  /// combining marks none.
  static func width(_ s: String) -> Int {
    if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.utf8.count }
    return s.unicodeScalars.reduce(0) { n, u in
      switch u.properties.generalCategory {
      case .nonspacingMark, .enclosingMark, .format: return n
      default: return n + (isWide(u.value) ? 2 : 1)
      }
    }
  }

  /// East Asian wide and full-width code points (go-runewidth's table, in short): also the
  /// terminal's widths where the C library's `wcwidth` cannot be used.
  public static func isWide(_ v: UInt32) -> Bool {
    (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
      || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
      || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
      || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
      || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
  }
}
