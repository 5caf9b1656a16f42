import CReadline
import EtcdCommands

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The columns a character takes on the terminal: the C library's `wcwidth` in a UTF-8 locale of
/// its own (CJK, full-width punctuation and emoji take two, combining marks none), so widths
/// follow the Unicode tables the system's terminal uses. The process's own locale is left alone:
/// the locale is set for the calling thread only while a string is measured. Where no UTF-8
/// locale exists or `wcwidth` does not know CJK, a built-in table of wide ranges stands in.
enum ScalarWidth {
  /// A UTF-8 `LC_CTYPE` locale (`C.UTF-8`, built into glibc 2.35 and later), nil when there is none.
  nonisolated(unsafe) static let locale: locale_t? = {
    for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"] {
      if let l = newlocale(LC_CTYPE_MASK, name, nil) { return l }
    }
    return nil
  }()

  /// Whether `wcwidth` in that locale knows CJK and emoji as wide.
  static let usable: Bool = {
    guard let locale else { return false }
    let old = uselocale(locale)
    defer { uselocale(old) }
    return wcwidth(0x4E00) == 2 && wcwidth(0xFF0C) == 2 && wcwidth(0x1F600) == 2 && wcwidth(0x0301) == 0
  }()

  /// Runs `body` with a measuring function for scalars.
  static func measuring<T>(_ body: ((Unicode.Scalar) -> Int) -> T) -> T {
    guard usable, let locale else { return body(fallback) }
    let old = uselocale(locale)
    defer { uselocale(old) }
    return body { u in
      let w = wcwidth(wchar_t(bitPattern: u.value))
      // A control character has no width of its own; it counts one, as it always has here.
      return w < 0 ? 1 : Int(w)
    }
  }

  /// The built-in table: wide ranges two, combining marks none, the rest one.
  static func fallback(_ u: Unicode.Scalar) -> Int {
    TableWriter.isWide(u.value) ? 2 : (u.properties.generalCategory == .nonspacingMark ? 0 : 1)
  }
}
