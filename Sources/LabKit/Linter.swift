import EtcdSim
import Yams

/// `etcdlab lint`: every problem of every lab file, and of the explanation catalog.
public enum Linter {
  /// Lints lab files handed in as text. `lesson(lang, file)` returns a lesson's text, or nil.
  public static func lint(files: [(path: String, text: String)], lesson: (Language, String) -> String?) -> [LabProblem] {
    lint(sources: files.map { ($0.path, Array($0.text.utf8)) }, lesson: lesson)
  }

  /// Lints lab files handed in as bytes (not UTF-8, too large: reported at their position);
  /// messages that have both languages in `lang`.
  public static func lint(sources: [(path: String, bytes: [UInt8])], lang: Language = .en, lesson: (Language, String) -> String?) -> [LabProblem] {
    var problems: [LabProblem] = []
    var seen: [String: String] = [:]
    for (path, bytes) in sources {
      var loader = LabLoader(file: path, lang: lang)
      let lab = loader.load(bytes: bytes)
      problems += loader.problems
      guard let lab else { continue }
      let text = String(decoding: bytes, as: UTF8.self)
      let idLine = line(of: "id:", in: text)
      if let other = seen[lab.id] {
        problems.append(LabProblem(file: path, line: idLine, column: 5, severity: .error, message: "duplicate lab id '\(lab.id)' (also in \(other))"))
      }
      seen[lab.id] = path
      if let link = lab.lesson {
        let parts = link.split(separator: "#", maxSplits: 1).map(String.init)
        let file = parts[0]
        let anchor = parts.count > 1 ? parts[1] : ""
        let at = line(of: "lesson:", in: text)
        for lang in Language.allCases {
          guard let body = lesson(lang, file) else {
            problems.append(LabProblem(file: path, line: at, column: 9, severity: .error, message: "lesson link '\(link)': Course/\(lang.rawValue)/\(file) does not exist"))
            continue
          }
          if !anchor.isEmpty && !body.contains("id=\"\(anchor)\"") {
            problems.append(LabProblem(file: path, line: at, column: 9, severity: .error, message: "lesson link '\(link)': Course/\(lang.rawValue)/\(file) has no anchor <a id=\"\(anchor)\">"))
          }
        }
      } else {
        problems.append(LabProblem(file: path, line: 1, column: 1, severity: .warning, message: "the lab links to no lesson (lesson: FILE.md#anchor)"))
      }
    }
    return problems
  }

  /// The explanation catalog: an entry for every error id, in both languages.
  public static func lintCatalog() -> [LabProblem] {
    var loader = LabLoader(file: "explanations.yaml")
    var problems: [LabProblem] = []
    guard let node = try? Yams.compose(yaml: Catalogs.explanationsText), let map = node.mapping else {
      return [LabProblem(file: "explanations.yaml", line: 1, column: 1, severity: .error, message: "the explanation catalog is missing or not valid YAML")]
    }
    var ids: Set<String> = []
    for (k, v) in map {
      guard let key = k.string else { continue }
      ids.insert(key)
      if !Catalogs.errorIDs.contains(key) {
        problems.append(LabProblem(file: "explanations.yaml", line: k.mark?.line ?? 1, column: k.mark?.column ?? 1, severity: .error, message: "unknown error id '\(key)'\(LabLoader.didYouMean(key, Catalogs.errorIDs))"))
      }
      _ = loader.explanation(v)
    }
    problems += loader.problems
    for missing in Catalogs.errorIDs.subtracting(ids).sorted() {
      problems.append(LabProblem(file: "explanations.yaml", line: 1, column: 1, severity: .error, message: "no explanation for error id '\(missing)'"))
    }
    return problems
  }

  static func line(of key: String, in text: String) -> Int {
    for (i, l) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where l.hasPrefix(key) { return i + 1 }
    return 1
  }
}
