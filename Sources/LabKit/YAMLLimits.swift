#if compiler(>=6)
internal import CYaml
#else
@_implementationOnly import CYaml
#endif

/// How much a lab or setup file may hold. A few KB of nested anchors can stand for billions of
/// values (a "billion laughs"), and deep nesting exhausts a recursive reader: every file is
/// measured against these limits before Yams builds anything from it, and refused at the place
/// the first limit is crossed, with the limit's name.
public enum YAMLLimits {
  /// Bytes in one file.
  public static let fileBytes = 1 << 20
  /// Aliases (`*name`) in one file.
  public static let aliases = 100
  /// Values (scalars, lists and mappings) in one file, each alias counted as the values it stands for.
  public static let nodes = 100_000
  /// Lists and mappings inside one another.
  public static let depth = 64

  /// A limit crossed, at a 1-based line and column (columns count Unicode scalars, as Yams does).
  public struct Breach: Sendable, Equatable {
    public enum Limit: String, Sendable { case fileSize = "file size", aliases, nodes, depth = "nesting depth" }
    public var limit: Limit
    public var line: Int
    public var column: Int
    /// The file's size for `fileSize`; the alias's name for `aliases` and `nodes` (empty when a value's own count crossed it).
    public var detail: String = ""

    /// The message in both languages.
    public var message: Localized {
      switch limit {
      case .fileSize: Messages.both("limit.file-size", [limit.rawValue, YAMLLimits.fileBytes, detail])
      case .aliases: Messages.both("limit.aliases", [limit.rawValue, YAMLLimits.aliases, detail])
      case .nodes: Messages.both(detail.isEmpty ? "limit.nodes" : "limit.nodes-alias", [limit.rawValue, "100,000", detail])
      case .depth: Messages.both("limit.nesting-depth", [limit.rawValue, YAMLLimits.depth])
      }
    }
  }

  /// The first limit the text crosses, or nil. A text libyaml cannot read is left to Yams, which
  /// reports where and why; libyaml stops at its own nesting limit (1000) long before it could
  /// exhaust anything.
  public static func check(_ text: String) -> Breach? {
    var bytes = Array(text.utf8)
    if bytes.count > fileBytes {
      let (line, column) = TextPosition.of(offset: fileBytes, in: bytes)
      return Breach(limit: .fileSize, line: line, column: column, detail: String(bytes.count))
    }
    bytes.append(0)
    return bytes.withUnsafeBufferPointer { buffer in buffer.baseAddress.flatMap { scan($0, count: buffer.count - 1) } }
  }

  /// Walks libyaml's events, counting aliases, values (aliases expanded) and depth; stops at the first breach.
  static func scan(_ input: UnsafePointer<UInt8>, count: Int) -> Breach? {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else { return nil }
    defer { yaml_parser_delete(&parser) }
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
    yaml_parser_set_input_string(&parser, input, count)
    var aliases = 0
    var nodes = 0
    // Open lists and mappings: each one's anchor and the count of values before it.
    var open: [(anchor: String?, before: Int)] = []
    // Values each anchor stands for.
    var sizes: [String: Int] = [:]
    func name(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? { p.map { String(cString: $0) } }
    while true {
      var event = yaml_event_t()
      guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
      defer { yaml_event_delete(&event) }
      let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
      switch event.type {
      case YAML_STREAM_END_EVENT, YAML_NO_EVENT:
        return nil
      case YAML_ALIAS_EVENT:
        aliases += 1
        let alias = name(event.data.alias.anchor) ?? ""
        if aliases > Self.aliases { return Breach(limit: .aliases, line: line, column: column, detail: alias) }
        nodes += sizes[alias] ?? 1
        if nodes > Self.nodes { return Breach(limit: .nodes, line: line, column: column, detail: alias) }
      case YAML_SCALAR_EVENT:
        nodes += 1
        if nodes > Self.nodes { return Breach(limit: .nodes, line: line, column: column) }
        if let anchor = name(event.data.scalar.anchor) { sizes[anchor] = 1 }
      case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
        let anchor = event.type == YAML_SEQUENCE_START_EVENT ? name(event.data.sequence_start.anchor) : name(event.data.mapping_start.anchor)
        open.append((anchor, nodes))
        nodes += 1
        if open.count > depth { return Breach(limit: .depth, line: line, column: column) }
        if nodes > Self.nodes { return Breach(limit: .nodes, line: line, column: column) }
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        if let top = open.popLast(), let anchor = top.anchor { sizes[anchor] = nodes - top.before }
      default:
        break
      }
    }
  }
}

/// Lines and columns of a position in a file's bytes.
enum TextPosition {
  /// The 1-based line and column (in Unicode scalars) of the byte at `offset`.
  static func of(offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    let end = min(max(0, offset), bytes.count)
    return bytes.withUnsafeBufferPointer { buffer in
      var line = 1
      var column = 1
      for i in 0..<end {
        let b = buffer[i]
        if b == 0x0A {
          line += 1
          column = 1
        } else if b & 0xC0 != 0x80 {
          column += 1
        }
      }
      return (line, column)
    }
  }
}
