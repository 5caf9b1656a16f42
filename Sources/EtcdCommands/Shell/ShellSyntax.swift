/// The syntax of a bash command line, as far as operators type it at a prompt.
public enum WordPart: Equatable, Sendable {
  case literal(String, quoted: Bool)
  case variable(String, quoted: Bool)
  case commandSubstitution(String, quoted: Bool)
}

public struct Word: Equatable, Sendable {
  public var parts: [WordPart]
  /// The word as typed, for messages.
  public var raw: String
}

public struct Redirection: Equatable, Sendable {
  /// `hereString` is `<<< WORD`: the word, expanded without splitting, and a newline as input.
  public enum Kind: Equatable, Sendable { case output, append, input, duplicate, hereString }
  public var fd: Int
  public var kind: Kind
  public var target: Word
}

public struct SimpleCommand: Equatable, Sendable {
  public var assignments: [(String, Word)] = []
  public var words: [Word] = []
  public var redirections: [Redirection] = []
  /// A loop (`for`, `while`, `until`) in the place of a simple command.
  public var loop: Loop?

  public static func == (a: SimpleCommand, b: SimpleCommand) -> Bool {
    a.words == b.words && a.redirections == b.redirections && a.loop == b.loop
      && a.assignments.map(\.0) == b.assignments.map(\.0) && a.assignments.map(\.1) == b.assignments.map(\.1)
  }
}

/// bash's loops: `for NAME in WORDS; do LIST; done` runs the body once per expanded word with NAME
/// set to it; `while LIST; do LIST; done` while the condition succeeds, `until` while it fails.
public final class Loop: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    case forEach(name: String, words: [Word])
    case whileTrue(CommandList)
    case until(CommandList)
  }

  public let kind: Kind
  public let body: CommandList

  init(kind: Kind, body: CommandList) {
    self.kind = kind
    self.body = body
  }

  public static func == (a: Loop, b: Loop) -> Bool { a.kind == b.kind && a.body == b.body }
}

public struct Pipeline: Equatable, Sendable {
  public var commands: [SimpleCommand]
}

/// A parsed line: pipelines joined by `;`, `&&`, `||` or ended by `&`.
public struct CommandList: Equatable, Sendable {
  public enum Connector: Equatable, Sendable { case sequence, and, or, background }
  public var items: [(Pipeline, Connector)] = []

  public static func == (a: CommandList, b: CommandList) -> Bool {
    a.items.map(\.0) == b.items.map(\.0) && a.items.map(\.1) == b.items.map(\.1)
  }
}

/// A syntax error, worded as bash words it.
public struct ShellSyntaxError: Error, Equatable, Sendable {
  public var lines: [String]
  /// bash's exit status: 2 for a syntax error, 1 for a bad loop variable name.
  public var status: Int32 = 2

  public init(lines: [String], status: Int32 = 2) {
    self.lines = lines
    self.status = status
  }

  /// The text ended inside a command (a loop without `done`, a trailing `|` or `&&`).
  public static let endOfFile = ShellSyntaxError(lines: ["bash: syntax error: unexpected end of file"])
}
