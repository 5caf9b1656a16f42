import EtcdSim

/// Parses a command line into pipelines, words and redirections (bash's rules for the
/// quoting, `$`-expansions, operators and redirections an operator types).
public struct ShellParser {
  private let chars: [Ch]
  private var i = 0
  /// Loops open around the token being read.
  private var nesting = 0

  public static func parse(_ line: String) -> Result<CommandList, ShellSyntaxError> {
    var p = ShellParser(chars: line.utf8.map(Ch.init))
    do { return .success(try p.parseList()) } catch let e as ShellSyntaxError { return .failure(e) } catch {
      return .failure(ShellSyntaxError(lines: ["bash: syntax error"]))
    }
  }

  private init(chars: [Ch]) { self.chars = chars }

  /// Characters that end a word outside quotes.
  private static func isDelimiter(_ c: Ch) -> Bool {
    switch c {
    case " ", "\t", "\n", ";", "&", "|", "<", ">": return true
    default: return false
    }
  }

  /// Characters a backslash escapes inside double quotes.
  private static func isEscapableInDoubleQuotes(_ c: Ch) -> Bool {
    switch c {
    case "$", "`", "\"", "\\", "\n": return true
    default: return false
    }
  }

  /// Characters with a meaning inside a word.
  private static func isSpecial(_ c: Ch) -> Bool {
    switch c {
    case "\\", "'", "\"", "$", "`": return true
    default: return isDelimiter(c)
    }
  }

  private enum Token: Equatable {
    case word(Word)
    case op(String)
    case redirect(Redirection.Kind, fd: Int)
  }

  private var peekChar: Ch? { i < chars.count ? chars[i] : nil }

  private static func unexpected(_ token: String) -> ShellSyntaxError {
    ShellSyntaxError(lines: ["bash: syntax error near unexpected token `\(token)'"])
  }

  /// A list up to the end of the line, or up to the keyword `terminator` (`done`) at a command's start.
  private mutating func parseList(until terminator: String? = nil) throws -> CommandList {
    var list = CommandList()
    var current = SimpleCommand()
    var pipeline: [SimpleCommand] = []
    var pendingRedirect: (Redirection.Kind, Int)?
    var terminated = false

    loop: while let tok = try nextToken() {
      switch tok {
      case .word(let w):
        let atStart = pendingRedirect == nil && current.words.isEmpty && current.assignments.isEmpty && current.redirections.isEmpty && current.loop == nil
        if atStart, let keyword = ShellParser.plain(w) {
          if keyword == terminator {
            if !pipeline.isEmpty || list.items.isEmpty { throw ShellParser.unexpected(keyword) }
            terminated = true
            break loop
          }
          if keyword == "for" || keyword == "while" || keyword == "until" {
            // Each level costs the parser (and the run) stack: a limit, not a crash, on deep input.
            nesting += 1
            guard nesting <= ShellLimits.nesting else { throw ShellSyntaxError(lines: [ShellLimits.nestingNotice()]) }
            if keyword == "for" {
              current.loop = try parseFor()
            } else {
              let condition = try parseList(until: "do")
              let body = try parseList(until: "done")
              current.loop = Loop(kind: keyword == "while" ? .whileTrue(condition) : .until(condition), body: body)
            }
            nesting -= 1
            continue
          }
          if keyword == "do" || keyword == "done" { throw ShellParser.unexpected(keyword) }
        }
        if current.loop != nil && pendingRedirect == nil { throw ShellParser.unexpected(w.raw) }
        if let (kind, fd) = pendingRedirect {
          current.redirections.append(Redirection(fd: fd, kind: kind, target: w))
          pendingRedirect = nil
        } else if current.words.isEmpty, let eq = assignment(w) {
          current.assignments.append(eq)
        } else {
          current.words.append(w)
        }
      case .redirect(let kind, let fd):
        if pendingRedirect != nil { throw ShellParser.unexpected(kind == .input ? "<" : kind == .hereString ? "<<<" : ">") }
        pendingRedirect = (kind, fd)
      case .op(let op):
        if pendingRedirect != nil { throw ShellParser.unexpected(op == "\n" ? "newline" : op) }
        let empty = current.words.isEmpty && current.assignments.isEmpty && current.redirections.isEmpty && current.loop == nil
        // A line break where no command has begun (after `do`, `&&`, `|`, or a blank line) is nothing.
        if op == "\n" && empty { continue }
        if op == "|" {
          if empty { throw ShellParser.unexpected("|") }
          guard pipeline.count + 1 < ShellLimits.pipelineCommands else { throw ShellSyntaxError(lines: [ShellLimits.pipelineNotice()]) }
          pipeline.append(current)
          current = SimpleCommand()
          continue
        }
        if empty {
          if !pipeline.isEmpty { throw ShellParser.unexpected(op) }
          throw ShellParser.unexpected(op)
        }
        pipeline.append(current)
        let connector: CommandList.Connector = op == "&&" ? .and : op == "||" ? .or : op == "&" ? .background : .sequence
        list.items.append((Pipeline(commands: pipeline), connector))
        pipeline = []
        current = SimpleCommand()
      }
    }
    if pendingRedirect != nil { throw ShellParser.unexpected("newline") }
    if terminator != nil && !terminated { throw ShellSyntaxError.endOfFile }
    let empty = current.words.isEmpty && current.assignments.isEmpty && current.redirections.isEmpty && current.loop == nil
    if empty {
      if !pipeline.isEmpty { throw ShellSyntaxError.endOfFile }
      if let last = list.items.last, last.1 == .and || last.1 == .or {
        throw ShellSyntaxError.endOfFile
      }
    } else {
      pipeline.append(current)
      list.items.append((Pipeline(commands: pipeline), .sequence))
    }
    return list
  }

  /// Whether the text starts more loops than it ends (a line that needs its `done`).
  public static func opensCompound(_ text: String) -> Bool {
    // Most lines hold none of the loop words at all: a scan of their bytes says so without
    // splitting the text into characters and words.
    guard mentionsLoop(text.utf8) else { return false }
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == ";" })
    return words.filter { $0 == "for" || $0 == "while" || $0 == "until" }.count > words.filter { $0 == "done" }.count
  }

  /// Whether `for`, `while` or `until` occurs anywhere in the bytes (in a word or not).
  static func mentionsLoop(_ bytes: String.UTF8View) -> Bool {
    let f = UInt8(ascii: "f"), w = UInt8(ascii: "w"), u = UInt8(ascii: "u")
    var i = bytes.startIndex
    while i != bytes.endIndex {
      let b = bytes[i]
      if b == f || b == w || b == u {
        let word: StaticString = b == f ? "for" : b == w ? "while" : "until"
        if bytes[i...].starts(with: UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)) { return true }
      }
      i = bytes.index(after: i)
    }
    return false
  }

  /// A word typed without quotes or expansions: a keyword candidate.
  private static func plain(_ w: Word) -> String? {
    guard w.parts.count == 1, case .literal(let s, quoted: false) = w.parts[0] else { return nil }
    return s
  }

  /// `for NAME in WORDS ; do LIST ; done` (after `for`).
  private mutating func parseFor() throws -> Loop {
    guard case .word(let nameWord)? = try nextToken() else { throw ShellParser.unexpected("newline") }
    let name = ShellParser.plain(nameWord) ?? nameWord.raw
    guard let c = name.first, c == "_" || c.isLetter, name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) else {
      throw ShellSyntaxError(lines: ["bash: `\(name)': not a valid identifier"], status: 1)
    }
    var words: [Word] = []
    var tok = try nextToken()
    if case .word(let w)? = tok, ShellParser.plain(w) == "in" {
      tok = try nextToken()
      while case .word(let w)? = tok {
        words.append(w)
        tok = try nextToken()
      }
    }
    switch tok {
    case .op(";")?, .op("\n")?: break
    case nil: throw ShellSyntaxError.endOfFile
    case .op(let op)?: throw ShellParser.unexpected(op)
    case .redirect?: throw ShellParser.unexpected(">")
    case .word(let w)?: throw ShellParser.unexpected(w.raw)
    }
    var next = try nextToken()
    while case .op("\n")? = next { next = try nextToken() }  // line breaks before `do`
    guard case .word(let d)? = next, ShellParser.plain(d) == "do" else {
      if next == nil { throw ShellSyntaxError.endOfFile }
      if case .word(let w)? = next { throw ShellParser.unexpected(w.raw) }
      throw ShellParser.unexpected(";")
    }
    let body = try parseList(until: "done")
    return Loop(kind: .forEach(name: name, words: words), body: body)
  }

  private func assignment(_ w: Word) -> (String, Word)? {
    guard case .literal(let first, quoted: false)? = w.parts.first, let eq = first.firstIndex(of: "=") else { return nil }
    let name = String(first[..<eq])
    guard let c = name.first, c == "_" || c.isLetter, name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) else { return nil }
    var parts = w.parts
    parts[0] = .literal(String(first[first.index(after: eq)...]), quoted: false)
    return (name, Word(parts: parts, raw: String(w.raw.dropFirst(name.count + 1))))
  }

  private mutating func nextToken() throws -> Token? {
    while let c = peekChar, c == " " || c == "\t" { i += 1 }
    guard let c = peekChar else { return nil }
    if c == "#" { i = chars.count; return nil }
    if c == "\n" { i += 1; return .op("\n") }
    if c == ";" { i += 1; if peekChar == ";" { throw ShellParser.unexpected(";;") }; return .op(";") }
    if c == "&" {
      i += 1
      if peekChar == "&" { i += 1; return .op("&&") }
      if peekChar == ">" { i += 1; if peekChar == ">" { i += 1 }; return .redirect(.output, fd: -1) }
      return .op("&")
    }
    if c == "|" {
      i += 1
      if peekChar == "|" { i += 1; return .op("||") }
      return .op("|")
    }
    if c == "(" || c == ")" { throw ShellParser.unexpected(String([c])) }
    // Redirections, with an optional fd number in front.
    var j = i
    while j < chars.count, chars[j].isDigit { j += 1 }
    if j < chars.count, chars[j] == ">" || chars[j] == "<" {
      let fdText = String(chars[i..<j])
      let isIn = chars[j] == "<"
      i = j + 1
      if isIn, i + 1 < chars.count, chars[i] == "<", chars[i + 1] == "<" {
        i += 2
        return .redirect(.hereString, fd: Int(fdText) ?? 0)
      }
      if isIn { return .redirect(.input, fd: Int(fdText) ?? 0) }
      let fd = Int(fdText) ?? 1
      if peekChar == ">" { i += 1; return .redirect(.append, fd: fd) }
      if peekChar == "&" { i += 1; return .redirect(.duplicate, fd: fd) }
      return .redirect(.output, fd: fd)
    }
    return .word(try readWord())
  }

  private mutating func readWord() throws -> Word {
    var parts: [WordPart] = []
    var literal: [Ch] = []
    let start = i
    func flush(quoted: Bool = false) {
      if !literal.isEmpty { parts.append(.literal(String(literal), quoted: quoted)) }
      literal = []
    }
    while let c = peekChar, !ShellParser.isDelimiter(c) {
      switch c {
      case "\\":
        i += 1
        if let n = peekChar {
          if n == "\n" { i += 1; continue }
          flush()
          // The whole character, however many bytes it takes.
          var j = i + 1
          while j < chars.count, chars[j].isContinuation { j += 1 }
          parts.append(.literal(String(chars[i..<j]), quoted: true))
          i = j
        }
      case "'":
        flush()
        i += 1
        var s: [Ch] = []
        while let n = peekChar, n != "'" { s.append(n); i += 1 }
        if peekChar == nil { throw ShellSyntaxError(lines: ["bash: unexpected EOF while looking for matching `''"]) }
        i += 1
        parts.append(.literal(String(s), quoted: true))
      case "\"":
        flush()
        i += 1
        var closed = false
        while let n = peekChar {
          if n == "\"" { i += 1; closed = true; break }
          if n == "\\", i + 1 < chars.count, ShellParser.isEscapableInDoubleQuotes(chars[i + 1]) {
            if chars[i + 1] != "\n" { literal.append(chars[i + 1]) }
            i += 2
            continue
          }
          if n == "$", let part = try readDollar(quoted: true) {
            flush(quoted: true)
            parts.append(part)
            continue
          }
          literal.append(n)
          i += 1
        }
        if !closed { throw ShellSyntaxError(lines: ["bash: unexpected EOF while looking for matching `\"'"]) }
        if literal.isEmpty && (parts.last.map { if case .literal(_, true) = $0 { return false }; return true } ?? true) {
          parts.append(.literal("", quoted: true))
        }
        flush(quoted: true)
      case "$":
        if let part = try readDollar(quoted: false) {
          flush()
          parts.append(part)
        } else {
          literal.append("$")
          i += 1
        }
      case "`":
        flush()
        i += 1
        var s: [Ch] = []
        while let n = peekChar, n != "`" { s.append(n); i += 1 }
        if peekChar == nil { throw ShellSyntaxError(lines: ["bash: unexpected EOF while looking for matching ``'"]) }
        i += 1
        parts.append(.commandSubstitution(String(s), quoted: false))
      default:
        // A run of plain characters at once.
        var j = i + 1
        while j < chars.count, !ShellParser.isSpecial(chars[j]) { j += 1 }
        literal.append(contentsOf: chars[i..<j])
        i = j
      }
    }
    flush()
    return Word(parts: parts, raw: String(chars[start..<i]))
  }

  /// `$NAME`, `${NAME}`, `$?`, `$(...)`; nil when `$` stands for itself.
  private mutating func readDollar(quoted: Bool) throws -> WordPart? {
    guard i + 1 < chars.count else { return nil }
    let n = chars[i + 1]
    if n == "(" {
      i += 2
      var depth = 1
      var s: [Ch] = []
      while let c = peekChar {
        if c == "(" {
          depth += 1
          // Each level is parsed and run again inside the one around it.
          guard depth <= ShellLimits.substitutionDepth else { throw ShellSyntaxError(lines: [ShellLimits.substitutionNotice()]) }
        }
        if c == ")" { depth -= 1; if depth == 0 { break } }
        s.append(c)
        i += 1
      }
      if peekChar == nil { throw ShellSyntaxError(lines: ["bash: unexpected EOF while looking for matching `)'"]) }
      i += 1
      return .commandSubstitution(String(s), quoted: quoted)
    }
    if n == "{" {
      i += 2
      var s: [Ch] = []
      while let c = peekChar, c != "}" { s.append(c); i += 1 }
      if peekChar == nil { throw ShellSyntaxError(lines: ["bash: unexpected EOF while looking for matching `}'"]) }
      i += 1
      return .variable(String(s), quoted: quoted)
    }
    if n == "?" || n == "$" || n == "!" || n == "#" || n.isDigit {
      i += 2
      return .variable(String([n]), quoted: quoted)
    }
    if n == "_" || n.isNameStart {
      i += 1
      var s: [Ch] = []
      while let c = peekChar, c == "_" || c.isNameStart || c.isDigit { s.append(c); i += 1 }
      return .variable(String(s), quoted: quoted)
    }
    return nil
  }
}

/// One UTF-8 byte of a command line. Every character the shell gives a meaning is ASCII, and
/// no byte of a multi-byte character is, so the parser reads bytes and decodes only the text it keeps.
struct Ch: Equatable, ExpressibleByUnicodeScalarLiteral {
  let byte: UInt8
  init(_ byte: UInt8) { self.byte = byte }
  init(unicodeScalarLiteral s: Unicode.Scalar) { byte = UInt8(s.value) }

  var isDigit: Bool { byte >= 0x30 && byte <= 0x39 }
  /// A letter as bash allows at the start of a variable name.
  var isNameStart: Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
  /// A byte inside a multi-byte character, after its first.
  var isContinuation: Bool { byte & 0xC0 == 0x80 }
}

extension String {
  init(_ bytes: ArraySlice<Ch>) {
    self = bytes.withUnsafeBufferPointer { $0.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) } }
  }
  init(_ bytes: [Ch]) { self.init(bytes[...]) }
}
