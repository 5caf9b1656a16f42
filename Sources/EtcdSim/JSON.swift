/// JSON string quoting as Go's encoding/json writes it.
public enum JSON {
  /// A JSON array of strings (zap's `Strings` field).
  public static func list(_ items: [String]) -> String { "[" + items.map(quote).joined(separator: ",") + "]" }

  public static func quote(_ s: String) -> String {
    // Most strings need no escape at all.
    let plain = s.utf8.allSatisfy { b in
      b >= 0x20 && b < 0x80 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") && b != UInt8(ascii: "<") && b != UInt8(ascii: ">") && b != UInt8(ascii: "&")
    }
    if plain { return "\"" + s + "\"" }
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "<": out += "\\u003c"
      case ">": out += "\\u003e"
      case "&": out += "\\u0026"
      case "\u{2028}": out += "\\u2028"
      case "\u{2029}": out += "\\u2029"
      default:
        if u.value < 0x20 {
          let h = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }
}
