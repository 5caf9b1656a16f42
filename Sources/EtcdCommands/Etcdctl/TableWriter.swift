/// Tables as olekukonko/tablewriter draws them for `-w table` (reference §7.6).
public enum TableWriter {
  public static func render(header: [String], rows: [[String]]) -> String {
    let head = header.map { $0.uppercased() }
    var widths = head.map(\.count)
    for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
    let border = "+" + widths.map { String(repeating: "-", count: $0 + 2) + "+" }.joined()
    func line(_ cells: [String], center: Bool) -> String {
      var s = "|"
      for (i, w) in widths.enumerated() {
        let c = i < cells.count ? cells[i] : ""
        let gap = w - c.count
        if center {
          let left = gap / 2
          s += " " + String(repeating: " ", count: left) + c + String(repeating: " ", count: gap - left) + " |"
        } else {
          s += " " + String(repeating: " ", count: gap) + c + " |"
        }
      }
      return s
    }
    var out = [border, line(head, center: true), border]
    for r in rows { out.append(line(r, center: false)) }
    if !rows.isEmpty { out.append(border) }
    return out.joined(separator: "\n") + "\n"
  }
}
