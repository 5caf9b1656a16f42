/// Tables as olekukonko/tablewriter draws them for `-w table` (reference §7.6).
public enum TableWriter {
  public static func render(header: [String], rows: [[String]]) -> String {
    String(decoding: bytes(header: header, rows: rows), as: UTF8.self)
  }

  /// The table as bytes, ready for output.
  public static func bytes(header: [String], rows: [[String]]) -> [UInt8] {
    let head = header.map { $0.uppercased() }
    var widths = head.map(width)
    for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], width(c)) } }
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
    for r in rows { line(r, center: false) }
    border()  // tablewriter closes the table even when it has no rows
    return out
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
