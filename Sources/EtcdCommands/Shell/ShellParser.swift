import EtcdSim

/// Parses a command line into pipelines, words and redirections (bash's rules for the
/// quoting, `$`-expansions, operators and redirections an operator types).
public struct ShellParser {
  private let chars: [Unicode.Scalar]
  private var i = 0

  public static func parse(_ line: String) -> Result<CommandList, ShellSyntaxError> {
    var p = ShellParser(chars: Array(line.unicodeScalars))
    do { return .success(try p.parseList()) } catch let e as ShellSyntaxError { return .failure(e) } catch {
      return .failure(ShellSyntaxError(lines: ["bash: syntax error"]))
    }
  }

  private init(chars: [Unicode.Scalar]) { self.chars = chars }

  private static let delimiters: Set<Unicode.Scalar> = [" ", "\t", "\n", ";", "&", "|", "<", ">"]

  private enum Token: Equatable {
    case word(Word)
    case op(String)
    case redirect(Redirection.Kind, fd: Int)
  }

  private var peekChar: Unicode.Scalar? { i < chars.count ? chars[i] : nil }

  private static func unexpected(_ token: String) -> ShellSyntaxError {
    ShellSyntaxError(lines: ["bash: syntax error near unexpected token `\(token)'"])
  }

  private mutating func parseList() throws -> CommandList {
    var list = CommandList()
    var current = SimpleCommand()
    var pipeline: [SimpleCommand] = []
    var pendingRedirect: (Redirection.Kind, Int)?

    while let tok = try nextToken() {
      switch tok {
      case .word(let w):
        if let (kind, fd) = pendingRedirect {
          current.redirections.append(Redirection(fd: fd, kind: kind, target: w))
          pendingRedirect = nil
        } else if current.words.isEmpty, let eq = assignment(w) {
          current.assignments.append(eq)
        } else {
          current.words.append(w)
        }
      case .redirect(let kind, let fd):
        if pendingRedirect != nil { throw ShellParser.unexpected(kind == .input ? "<" : ">") }
        pendingRedirect = (kind, fd)
      case .op(let op):
        if pendingRedirect != nil { throw ShellParser.unexpected(op) }
        let empty = current.words.isEmpty && current.assignments.isEmpty && current.redirections.isEmpty
        if op == "|" {
          if empty { throw ShellParser.unexpected("|") }
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
    let empty = current.words.isEmpty && current.assignments.isEmpty && current.redirections.isEmpty
    if empty {
      if !pipeline.isEmpty { throw ShellSyntaxError(lines: ["bash: syntax error: unexpected end of file"]) }
      if let last = list.items.last, last.1 == .and || last.1 == .or {
        throw ShellSyntaxError(lines: ["bash: syntax error: unexpected end of file"])
      }
    } else {
      pipeline.append(current)
      list.items.append((Pipeline(commands: pipeline), .sequence))
    }
    return list
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
    if c == "\n" { i += 1; return .op(";") }
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
    if c == "(" || c == ")" { throw ShellParser.unexpected(String(c)) }
    // Redirections, with an optional fd number in front.
    var j = i
    while j < chars.count, chars[j].isDigit { j += 1 }
    if j < chars.count, chars[j] == ">" || chars[j] == "<" {
      let fdText = String(String.UnicodeScalarView(chars[i..<j]))
      let isIn = chars[j] == "<"
      i = j + 1
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
    var literal = ""
    let start = i
    func flush(quoted: Bool = false) {
      if !literal.isEmpty { parts.append(.literal(literal, quoted: quoted)) }
      literal = ""
    }
    while let c = peekChar, !ShellParser.delimiters.contains(c) {
      switch c {
      case "\\":
        i += 1
        if let n = peekChar {
          if n == "\n" { i += 1; continue }
          flush()
          parts.append(.literal(String(n), quoted: true))
          i += 1
        }
      case "'":
        flush()
        i += 1
        var s = ""
        while let n = peekChar, n != "'" { s.unicodeScalars.append(n); i += 1 }
        if peekChar == nil { throw ShellSyntaxError(lines: ["bash: unexpected EOF while looking for matching `''", "bash: syntax error: unexpected end of file"]) }
        i += 1
        parts.append(.literal(s, quoted: true))
      case "\"":
        flush()
        i += 1
        var closed = false
        while let n = peekChar {
          if n == "\"" { i += 1; closed = true; break }
          if n == "\\", i + 1 < chars.count, "$`\"\\\n".unicodeScalars.contains(chars[i + 1]) {
            if chars[i + 1] != "\n" { literal.unicodeScalars.append(chars[i + 1]) }
            i += 2
            continue
          }
          if n == "$", let part = try readDollar(quoted: true) {
            flush(quoted: true)
            parts.append(part)
            continue
          }
          literal.unicodeScalars.append(n)
          i += 1
        }
        if !closed { throw ShellSyntaxError(lines: ["bash: unexpected EOF while looking for matching `\"'", "bash: syntax error: unexpected end of file"]) }
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
        var s = ""
        while let n = peekChar, n != "`" { s.unicodeScalars.append(n); i += 1 }
        if peekChar == nil { throw ShellSyntaxError(lines: ["bash: unexpected EOF while looking for matching ``'", "bash: syntax error: unexpected end of file"]) }
        i += 1
        parts.append(.commandSubstitution(s, quoted: false))
      default:
        literal.unicodeScalars.append(c)
        i += 1
      }
    }
    flush()
    return Word(parts: parts, raw: String(String.UnicodeScalarView(chars[start..<i])))
  }

  /// `$NAME`, `${NAME}`, `$?`, `$(...)`; nil when `$` stands for itself.
  private mutating func readDollar(quoted: Bool) throws -> WordPart? {
    guard i + 1 < chars.count else { return nil }
    let n = chars[i + 1]
    if n == "(" {
      i += 2
      var depth = 1
      var s = ""
      while let c = peekChar {
        if c == "(" { depth += 1 }
        if c == ")" { depth -= 1; if depth == 0 { break } }
        s.unicodeScalars.append(c)
        i += 1
      }
      if peekChar == nil { throw ShellSyntaxError(lines: ["bash: unexpected EOF while looking for matching `)'", "bash: syntax error: unexpected end of file"]) }
      i += 1
      return .commandSubstitution(s, quoted: quoted)
    }
    if n == "{" {
      i += 2
      var s = ""
      while let c = peekChar, c != "}" { s.unicodeScalars.append(c); i += 1 }
      if peekChar == nil { throw ShellSyntaxError(lines: ["bash: unexpected EOF while looking for matching `}'", "bash: syntax error: unexpected end of file"]) }
      i += 1
      return .variable(s, quoted: quoted)
    }
    if n == "?" || n == "$" || n == "!" || n == "#" || n.isDigit {
      i += 2
      return .variable(String(n), quoted: quoted)
    }
    if n == "_" || n.isNameStart {
      i += 1
      var s = ""
      while let c = peekChar, c == "_" || c.isNameStart || c.isDigit { s.unicodeScalars.append(c); i += 1 }
      return .variable(s, quoted: quoted)
    }
    return nil
  }
}

extension Unicode.Scalar {
  var isDigit: Bool { ("0"..."9").contains(self) }
  /// A letter as bash allows at the start of a variable name.
  var isNameStart: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
