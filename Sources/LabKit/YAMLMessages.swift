import EtcdSim
import Yams

/// libyaml's problems in plain words, in English and Chinese, at the place an author should look:
/// an unclosed quote or bracket where it opened, not where the scanner gave up.
enum YAMLMessages {
  struct Translated {
    var line: Int
    var column: Int
    var message: Localized
  }

  static func translate(_ error: YamlError, in text: String) -> Translated {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    // libyaml's marks may point past the last line (an error at the end of the file).
    func at(_ mark: Mark, _ key: String, _ args: CustomStringConvertible...) -> Translated {
      let line = min(max(1, mark.line), max(1, lines.count))
      let column = line == mark.line ? max(1, mark.column) : (lines.last.map { $0.unicodeScalars.count + 1 } ?? 1)
      return Translated(line: line, column: column, message: Messages.both(key, args))
    }
    func character(_ mark: Mark) -> Character? {
      guard mark.line >= 1, mark.line <= lines.count else { return nil }
      let scalars = lines[mark.line - 1].unicodeScalars
      guard mark.column >= 1, mark.column <= scalars.count else { return nil }
      return Character(scalars[scalars.index(scalars.startIndex, offsetBy: mark.column - 1)])
    }
    func word(_ mark: Mark) -> String {
      guard mark.line >= 1, mark.line <= lines.count else { return "" }
      return String(lines[mark.line - 1].unicodeScalars.dropFirst(max(0, mark.column - 1)).prefix { !" ,]}\t".unicodeScalars.contains($0) })
    }
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
      let opened = context?.mark
      switch problem {
      case "found character that cannot start any token" where character(mark) == "\t",
        "found a tab character that violates indentation", "found a tab character where an indentation space is expected":
        return at(mark, "yaml.tab")
      case "found character that cannot start any token":
        return at(mark, "yaml.cannot-start", String(character(mark) ?? "?"))
      case "found unexpected end of stream" where context?.text == "while scanning a quoted scalar",
        "found unexpected document indicator" where context?.text == "while scanning a quoted scalar":
        let open = opened ?? mark
        return at(open, "yaml.unclosed-quote", String(character(open) ?? "\""), open.line)
      case "did not find expected ',' or ']'":
        let open = opened ?? mark
        return at(open, "yaml.unclosed-flow", "[", "]", open.line)
      case "did not find expected ',' or '}'":
        let open = opened ?? mark
        return at(open, "yaml.unclosed-flow", "{", "}", open.line)
      case "could not find expected ':'":
        let open = opened ?? mark
        return at(open, "yaml.no-colon", open.line)
      case "mapping values are not allowed in this context":
        return at(mark, "yaml.colon")
      case "did not find expected key":
        return at(mark, "yaml.block-mapping", opened?.line ?? mark.line)
      case "did not find expected '-' indicator":
        return at(mark, "yaml.block-sequence", opened?.line ?? mark.line)
      case "block sequence entries are not allowed in this context":
        return at(mark, "yaml.dash")
      case "but found another document":
        return at(mark, "yaml.second-document")
      case "did not find expected node content":
        return at(mark, "yaml.no-value")
      case "found unknown escape character":
        return at(mark, "yaml.escape")
      case "found undefined alias":
        return at(mark, "yaml.undefined-alias", String(word(mark).drop { $0 == "*" }))
      case "did not find expected alphabetic or numeric character":
        return at(mark, "yaml.anchor-name")
      case let p where p.hasPrefix("Maximum nesting level reached"):
        return at(mark, "limit.nesting-depth", YAMLLimits.Breach.Limit.depth.rawValue, YAMLLimits.depth)
      default:
        return at(mark, "yaml.other", problem)
      }
    case .duplicatedKeysInMapping(let duplicates, let context):
      // The second occurrence of the key is the mistake.
      let names = duplicates.sorted().joined(separator: ", ")
      for key in duplicates.sorted() {
        let hits = lines.indices.filter { lines[$0].trimmingSpaces().hasPrefix(key + ":") }
        if hits.count >= 2 {
          let column = lines[hits[1]].prefix { $0 == " " }.count + 1
          return Translated(line: hits[1] + 1, column: column, message: Messages.both("yaml.duplicate-key", [names]))
        }
      }
      return at(context.mark, "yaml.duplicate-key", names)
    case .reader(let problem, let offset, let value, _):
      // Yams counts the offset in Unicode scalars.
      let before = text.unicodeScalars.prefix(max(0, offset ?? 0))
      let line = before.filter { $0 == "\n" }.count + 1
      let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
      if problem == "control characters are not allowed" {
        let byte = "0x" + String(value, radix: 16, uppercase: true)
        return Translated(line: line, column: column, message: Messages.both("yaml.control", [byte]))
      }
      return Translated(line: line, column: column, message: Messages.both("yaml.other", [problem]))
    default:
      return Translated(line: 1, column: 1, message: Messages.both("yaml.other", ["\(error)"]))
    }
  }
}
