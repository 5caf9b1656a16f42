/// Here-documents (`cat > FILE <<EOF` ... `EOF`): their bodies are taken out of the text before
/// parsing, and each `<<WORD` becomes an input redirection from that body.
public struct HereDocuments: Sendable {
  struct Body: Sendable {
    var text: String
    /// Unquoted delimiters expand `$VAR` and `$(...)` in the body.
    var expands: Bool
  }

  /// The command text with every `<<WORD` replaced by `< \u{1}N`.
  public var command: String
  var bodies: [String: Body] = [:]
  /// The delimiter still awaited, when the text ends inside a body.
  var awaiting: Awaited?

  struct Awaited: Sendable {
    var delimiter: String
    /// `<<-`: the delimiter line may start with tabs.
    var stripTabs: Bool
  }

  static let marker = "\u{1}heredoc"

  public init(_ text: String) {
    // Most lines have no here-document: nothing to take apart.
    guard text.utf8.contains(UInt8(ascii: "<")), text.contains("<<") else {
      command = text
      return
    }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
    var out: [String] = []
    var count = 0
    var bodies: [String: Body] = [:]
    var awaiting: Awaited?
    while let line = lines.popFirst() {
      var rewritten = ""
      var pending: [(delimiter: String, stripTabs: Bool, expands: Bool, key: String)] = []
      var rest = Substring(line)
      var quote: Character?
      while let c = rest.first {
        if let q = quote {
          if c == q { quote = nil }
          rewritten.append(c)
          rest = rest.dropFirst()
          continue
        }
        if c == "'" || c == "\"" { quote = c }
        if rest.hasPrefix("<<<") {
          // A here-string: its word is on the line, nothing to take from the lines after it.
          rewritten += "<<<"
          rest = rest.dropFirst(3)
          continue
        }
        if c == "<", rest.hasPrefix("<<") {
          var r = rest.dropFirst(2)
          let stripTabs = r.hasPrefix("-")
          if stripTabs { r = r.dropFirst() }
          while r.first == " " { r = r.dropFirst() }
          var expands = true
          var delimiter = ""
          if let q = r.first, q == "'" || q == "\"" {
            expands = false
            r = r.dropFirst()
            delimiter = String(r.prefix { $0 != q })
            r = r.dropFirst(delimiter.count + 1)
          } else {
            delimiter = String(r.prefix { !" \t;&|<>".contains($0) })
            r = r.dropFirst(delimiter.count)
          }
          if !delimiter.isEmpty {
            count += 1
            let key = "\(HereDocuments.marker)\(count)"
            pending.append((delimiter, stripTabs, expands, key))
            rewritten += "< " + key
            rest = r
            continue
          }
        }
        rewritten.append(c)
        rest = rest.dropFirst()
      }
      out.append(rewritten)
      for p in pending {
        var body: [String] = []
        var closed = false
        while let l = lines.popFirst() {
          let candidate = p.stripTabs ? String(l.drop { $0 == "\t" }) : l
          if candidate == p.delimiter { closed = true; break }
          body.append(candidate)
        }
        bodies[p.key] = Body(text: body.map { $0 + "\n" }.joined(), expands: p.expands)
        if !closed { awaiting = Awaited(delimiter: p.delimiter, stripTabs: p.stripTabs) }
      }
    }
    command = out.joined(separator: "\n")
    self.bodies = bodies
    self.awaiting = awaiting
  }
}
