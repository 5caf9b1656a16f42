/// A failing session written so it can be pasted: the lines to read, and the bash one-liner
/// that types them into `etcdlab sandbox --transcript`.
public enum Reproducer {
  /// A repetition this long or longer is written as `$(yes -- UNIT | head -n N | tr -d '\n')`.
  static let longRun = 64

  /// `printf '...' | etcdlab sandbox --transcript --seed N`, byte for byte the session's lines.
  public static func command(_ lines: [String], seed: UInt64, program: String = "etcdlab") -> String {
    printf(lines) + " | \(program) sandbox --transcript --seed \(seed)"
  }

  /// The bash command that prints `lines`, each ended by a newline.
  public static func printf(_ lines: [String]) -> String { "printf '" + lines.map(format).joined(separator: "\\n") + "\\n'" }

  /// A line as a printf format inside single quotes: `%` doubled, `\` doubled, `'` as `'\''`,
  /// unprintable bytes as three-digit octal escapes, long repetitions as a command substitution.
  static func format(_ line: String) -> String {
    let chars = Array(line)
    var out = ""
    var i = 0
    for run in Repetition.runs(in: chars) where run.length >= longRun && run.unit.allSatisfy({ $0.isASCII && $0 != "'" && !escaped($0) }) {
      out += chars[i..<run.start].map(format).joined()
      out += "'\"$(yes -- '" + run.unit.map(format).joined() + "' | head -n \(run.count) | tr -d '\\n')\"'"
      i = run.start + run.length
    }
    return out + chars[i...].map(format).joined()
  }

  static func format(_ c: Character) -> String {
    switch c {
    case "%": return "%%"
    case "\\": return "\\\\"
    case "'": return "'\\''"
    default: return escaped(c) ? String(c).utf8.map { "\\" + octal($0) }.joined() : String(c)
    }
  }

  /// Whether a character is written as octal bytes: controls and invisible ones.
  static func escaped(_ c: Character) -> Bool {
    c.unicodeScalars.contains { s in s.isASCII ? s.value < 0x20 || s.value == 0x7f : !printable(s) }
  }

  /// A line for reading: control and invisible characters as `\u{...}`.
  public static func readable(_ line: String) -> String {
    var out = ""
    for c in line.unicodeScalars {
      if c == "\t" || (c.value >= 0x20 && c.value < 0x7f) || (!c.isASCII && printable(c)) { out.unicodeScalars.append(c) } else {
        out += "\\u{" + String(c.value, radix: 16) + "}"
      }
    }
    return out.count > 300 ? String(out.prefix(150)) + "…(\(out.count) characters)…" + String(out.suffix(100)) : out
  }

  static func printable(_ c: Unicode.Scalar) -> Bool {
    switch c.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .nonspacingMark, .enclosingMark, .spaceSeparator: false
    default: true
    }
  }

  static func octal(_ b: UInt8) -> String {
    let s = String(b, radix: 8)
    return String(repeating: "0", count: 3 - s.count) + s
  }
}
