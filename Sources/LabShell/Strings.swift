import Foundation
import LabKit

/// The UI strings catalog (`Resources/strings.yaml`): every screen text in both languages, read
/// and filled as LabKit's `TextCatalog` does.
public enum Strings {
  public static let catalog = TextCatalog(resource: "strings", in: .module)
  public static var text: String { catalog.text }
  public static var table: [String: Localized] { catalog.table }

  /// The text of `key` in `lang`, with `{0}`, `{1}`, ... replaced by `args`.
  public static func t(_ key: String, _ lang: Language, _ args: CustomStringConvertible...) -> String { catalog.t(key, lang, args) }

  /// Entries that lack a language or whose two texts use different placeholders (for lint), in
  /// the screens' catalog and in LabKit's.
  public static func problems() -> [String] { catalog.problems() + Messages.catalog.problems() }

  /// The `{0}`, `{1}`, ... a text uses.
  static func placeholders(_ s: String) -> Set<String> { TextCatalog.placeholders(s) }
}
