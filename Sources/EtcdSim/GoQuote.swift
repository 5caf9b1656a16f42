/// Go's `%q` verb (`strconv.Quote`), which etcd and etcdctl use for names, URLs and flag values in
/// their plain-text messages; JSON output uses `JSON.quote` instead.
public enum Go {
  public static func quote(_ s: String) -> String {
    if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) { return "\"" + s + "\"" }
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\u{07}": out += "\\a"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{0B}": out += "\\v"
      default:
        if isPrint(u) {
          out.unicodeScalars.append(u)
        } else if u.value < 0x20 || u.value == 0x7F {
          out += "\\x" + hex(u.value, width: 2)
        } else if u.value > 0xFFFF {
          out += "\\U" + hex(u.value, width: 8)
        } else {
          out += "\\u" + hex(u.value, width: 4)
        }
      }
    }
    return out + "\""
  }

  /// `unicode.IsPrint`: graphic characters and the ASCII space.
  static func isPrint(_ u: Unicode.Scalar) -> Bool {
    if u.value < 0x80 { return u.value >= 0x20 && u.value < 0x7F }
    switch u.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator: return false
    default: return true
    }
  }

  static func hex(_ v: UInt32, width: Int) -> String {
    let h = String(v, radix: 16)
    return String(repeating: "0", count: max(0, width - h.count)) + h
  }
}
