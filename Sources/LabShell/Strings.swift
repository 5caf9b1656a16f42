import Foundation
import LabKit
import Yams

/// The UI strings catalog (`Resources/strings.yaml`): every screen text in both languages.
public enum Strings {
  public static let text: String = {
    guard let url = Bundle.module.url(forResource: "strings", withExtension: "yaml"),
      let s = try? String(contentsOf: url, encoding: .utf8)
    else { return "" }
    return s
  }()

  public static let table: [String: Localized] = {
    guard let node = try? Yams.compose(yaml: text), let map = node.mapping else { return [:] }
    var out: [String: Localized] = [:]
    for (k, v) in map {
      if let key = k.string, let en = v["en"]?.string, let zh = v["zh"]?.string { out[key] = Localized(en: en, zh: zh) }
    }
    return out
  }()

  /// The text of `key` in `lang`, with `{0}`, `{1}`, ... replaced by `args`.
  public static func t(_ key: String, _ lang: Language, _ args: CustomStringConvertible...) -> String {
    var s = table[key]?[lang] ?? key
    for (i, a) in args.enumerated() { s = s.replacingOccurrences(of: "{\(i)}", with: a.description) }
    return s
  }

  /// Entries that lack a language or whose two texts use different placeholders (for lint).
  public static func problems() -> [String] {
    guard let node = try? Yams.compose(yaml: text), let map = node.mapping else { return ["strings.yaml: error: not valid YAML"] }
    return map.compactMap { k, v in
      let key = k.string ?? "?"
      let at = "strings.yaml:\((k.mark?.line ?? 0)):\((k.mark?.column ?? 0))"
      guard let en = v["en"]?.string else { return "\(at): error: '\(key)' has no English text" }
      guard let zh = v["zh"]?.string else { return "\(at): error: '\(key)' has no Chinese text" }
      if placeholders(en) != placeholders(zh) {
        return "\(at): error: '\(key)' uses \(placeholders(en).sorted()) in English but \(placeholders(zh).sorted()) in Chinese"
      }
      return nil
    }
  }

  /// The `{0}`, `{1}`, ... a text uses.
  static func placeholders(_ s: String) -> Set<String> {
    var out: Set<String> = []
    var rest = Substring(s)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      let inner = rest[rest.index(after: open)..<close]
      if !inner.isEmpty, inner.allSatisfy(\.isNumber) { out.insert(String(inner)) }
      rest = rest[rest.index(after: close)...]
    }
    return out
  }
}
