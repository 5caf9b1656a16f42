import Foundation
import Yams

/// A catalog of texts in English and Chinese, read from YAML (`key: {en: ..., zh: ...}`), with
/// `{0}`, `{1}`, ... filled in order: the one mechanism for every text etcdlab shows. LabKit's
/// own texts are `Messages` (`Resources/messages.yaml`); LabShell's screens have theirs.
public struct TextCatalog: Sendable {
  /// The file's name, for lint's positions.
  public let file: String
  public let text: String
  public let table: [String: Localized]

  public init(file: String, text: String) {
    self.file = file
    self.text = text
    var out: [String: Localized] = [:]
    if let node = try? Yams.compose(yaml: text), let map = node.mapping {
      for (k, v) in map {
        if let key = k.string, let en = v["en"]?.string, let zh = v["zh"]?.string { out[key] = Localized(en: en, zh: zh) }
      }
    }
    table = out
  }

  /// A catalog shipped in a target's resources (`Bundle.module` of that target).
  public init(resource name: String, in bundle: Bundle) {
    let url = bundle.url(forResource: name, withExtension: "yaml")
    self.init(file: name + ".yaml", text: url.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? "")
  }

  /// The text of `key` in `lang` (the key itself when the catalog lacks it), with `{0}`, `{1}`, ...
  /// replaced by `args` in one pass (an argument's own braces stay as they are).
  public func t(_ key: String, _ lang: Language, _ args: [CustomStringConvertible]) -> String {
    let s = table[key]?[lang] ?? key
    guard !args.isEmpty else { return s }
    var out = ""
    var rest = Substring(s)
    while let open = rest.firstIndex(of: "{") {
      out += rest[..<open]
      let after = rest[rest.index(after: open)...]
      if let close = after.firstIndex(of: "}"), let i = Int(after[..<close]), i >= 0, i < args.count {
        out += args[i].description
        rest = after[after.index(after: close)...]
      } else {
        out += "{"
        rest = after
      }
    }
    return out + rest
  }

  /// Entries that lack a language or whose two texts use different placeholders (for lint).
  public func problems() -> [String] {
    guard let node = try? Yams.compose(yaml: text), let map = node.mapping else { return ["\(file): error: not valid YAML"] }
    return map.compactMap { k, v in
      let key = k.string ?? "?"
      let at = "\(file):\((k.mark?.line ?? 0)):\((k.mark?.column ?? 0))"
      guard let en = v["en"]?.string else { return "\(at): error: '\(key)' has no English text" }
      guard let zh = v["zh"]?.string else { return "\(at): error: '\(key)' has no Chinese text" }
      if Self.placeholders(en) != Self.placeholders(zh) {
        return "\(at): error: '\(key)' uses \(Self.placeholders(en).sorted()) in English but \(Self.placeholders(zh).sorted()) in Chinese"
      }
      return nil
    }
  }

  /// The `{0}`, `{1}`, ... a text uses.
  public static func placeholders(_ s: String) -> Set<String> {
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

/// LabKit's texts: notices, check descriptions and the explanation's headings
/// (`Resources/messages.yaml`).
public enum Messages {
  public static let catalog = TextCatalog(resource: "messages", in: .module)

  /// The text of `key` in `lang`, with `{0}`, `{1}`, ... replaced by `args`.
  public static func t(_ key: String, _ lang: Language, _ args: CustomStringConvertible...) -> String { catalog.t(key, lang, args) }

  /// The text of `key` in both languages, with `{0}`, `{1}`, ... replaced by `args`.
  public static func both(_ key: String, _ args: [CustomStringConvertible]) -> Localized {
    Localized(en: catalog.t(key, .en, args), zh: catalog.t(key, .zh, args))
  }
}
