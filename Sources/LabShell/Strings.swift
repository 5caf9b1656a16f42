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

  /// Keys whose entry lacks a language (for lint).
  public static func problems() -> [String] {
    guard let node = try? Yams.compose(yaml: text), let map = node.mapping else { return ["strings.yaml: not valid YAML"] }
    return map.compactMap { k, v in
      let key = k.string ?? "?"
      if v["en"]?.string == nil { return "strings.yaml:\(k.mark?.line ?? 0): error: '\(key)' has no English text" }
      if v["zh"]?.string == nil { return "strings.yaml:\(k.mark?.line ?? 0): error: '\(key)' has no Chinese text" }
      return nil
    }
  }
}
