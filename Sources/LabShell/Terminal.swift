import Foundation

/// Colour and display width: colour only on a terminal, never with NO_COLOR, --no-color or
/// TERM=dumb; widths that count East Asian wide characters as two columns.
public struct Terminal: Sendable {
  public var colour: Bool
  public var width: Int
  public var unicode: Bool
  /// Rows on screen; long texts are paged to fit.
  public var height: Int

  public init(colour: Bool, width: Int = 80, unicode: Bool = true, height: Int = 24) {
    self.colour = colour
    self.width = width
    self.unicode = unicode
    self.height = height
  }

  /// The terminal this process writes to.
  public static func current(noColor: Bool, ascii: Bool) -> Terminal {
    let env = ProcessInfo.processInfo.environment
    let tty = isatty(STDOUT_FILENO) != 0
    let colour = tty && !noColor && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    var ws = winsize()
    let sized = tty && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0
    let width = sized && ws.ws_col > 20 ? Int(ws.ws_col) : 80
    let height = sized && ws.ws_row > 5 ? Int(ws.ws_row) : 24
    let locale = (env["LC_ALL"] ?? env["LC_CTYPE"] ?? env["LANG"] ?? "").uppercased()
    let utf8 = locale.contains("UTF-8") || locale.contains("UTF8") || locale.isEmpty
    return Terminal(colour: colour, width: width, unicode: utf8 && !ascii, height: height)
  }

  public enum Style: String, Sendable { case red = "31", green = "32", yellow = "33", bold = "1", dim = "2", cyan = "36" }

  public func paint(_ s: String, _ style: Style) -> String { colour ? "\u{1b}[\(style.rawValue)m\(s)\u{1b}[0m" : s }

  /// Columns a string takes on screen, as the terminal counts them (`ScalarWidth`); colour
  /// escapes take none.
  public static func displayWidth(_ s: String) -> Int {
    ScalarWidth.measuring { width in
      var w = 0
      var inEscape = false
      for u in s.unicodeScalars {
        if inEscape { if u == "m" { inEscape = false }; continue }
        if u == "\u{1b}" { inEscape = true; continue }
        w += width(u)
      }
      return w
    }
  }

  static func isWide(_ u: Unicode.Scalar) -> Bool { ScalarWidth.measuring { $0(u) } == 2 }

  /// Wraps text to the width, by words for Latin text and by characters for CJK.
  public func wrap(_ text: String, indent: String = "") -> [String] {
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      var lineWidth = 0
      func flush() { lines.append(line); line = ""; lineWidth = 0 }
      for token in Terminal.tokens(String(paragraph)) {
        let w = Terminal.displayWidth(token)
        if lineWidth + w > width - indent.count, lineWidth > 0 {
          flush()
          if token == " " { continue }
        }
        line += token
        lineWidth += w
      }
      flush()
    }
    return lines.map { indent + $0.trimmingCharacters(in: .init(charactersIn: " ")) }
  }

  /// Punctuation that never starts a line, and punctuation that never ends one.
  static let closing: Set<Character> = ["）", "。", "，", "、", "：", "；", "！", "？", "」", "』", "》", "】", ")", ",", ".", ":", ";"]
  static let opening: Set<Character> = ["（", "「", "『", "《", "【"]

  /// Words, spaces, and single wide characters; closing punctuation stays with what it follows,
  /// opening punctuation with what comes after.
  static func tokens(_ s: String) -> [String] {
    var out: [String] = []
    var word = ""
    func push(_ t: String) {
      if let last = out.last, last != " ", let first = t.first, closing.contains(first) || (last.count == 1 && opening.contains(last.first!)) {
        out[out.count - 1] += t
      } else {
        out.append(t)
      }
    }
    for ch in s {
      let wide = ch.unicodeScalars.first.map(Terminal.isWide) ?? false
      if ch == " " || wide {
        if !word.isEmpty { push(word); word = "" }
        if ch == " " { out.append(" ") } else { push(String(ch)) }
      } else {
        word.append(ch)
      }
    }
    if !word.isEmpty { push(word) }
    return out
  }

  /// Pads to a display width.
  /// `s` cut to `width` columns, its last column `…` when anything was cut.
  public static func truncate(_ s: String, _ width: Int) -> String {
    guard displayWidth(s) > width else { return s }
    var out = ""
    var used = 0
    for c in s {
      let w = displayWidth(String(c))
      if used + w > width - 1 { break }
      out.append(c)
      used += w
    }
    return out + "…"
  }

  public static func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - displayWidth(s))) }
}
