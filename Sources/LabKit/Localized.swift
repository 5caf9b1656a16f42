/// A text in English and Chinese.
public struct Localized: Equatable, Sendable, Codable {
  public var en: String
  public var zh: String

  public init(en: String, zh: String) {
    self.en = en
    self.zh = zh
  }

  public subscript(_ lang: Language) -> String { lang == .zh ? zh : en }
}

/// The languages of the course.
public enum Language: String, Sendable, CaseIterable, Codable {
  case en, zh

  /// From `LANG`/`LC_ALL`: `zh_*` is Chinese, anything else English.
  public static func from(locale: String?) -> Language {
    (locale ?? "").lowercased().hasPrefix("zh") ? .zh : .en
  }
}
