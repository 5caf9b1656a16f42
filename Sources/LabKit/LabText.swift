/// A lab or setup file's bytes as text: UTF-8, or the line and column of the first byte that is not.
public enum LabText {
  /// An encoding problem at a 1-based line and column, in both languages.
  public struct Problem: Error, Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var message: Localized
  }

  public static func decode(_ bytes: [UInt8]) -> Result<String, Problem> {
    if bytes.count > YAMLLimits.fileBytes {
      // Refused before anything reads it all.
      let (line, column) = TextPosition.of(offset: YAMLLimits.fileBytes, in: bytes)
      let breach = YAMLLimits.Breach(limit: .fileSize, line: line, column: column, detail: String(bytes.count))
      return .failure(Problem(line: line, column: column, message: breach.message))
    }
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
      return .failure(Problem(line: 1, column: 1, message: Messages.both("text.utf16", [])))
    }
    if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
    // Not UTF-8: find the first byte that is not, and where it is.
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = 0
    var line = 1
    var column = 1
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let scalar):
        offset += scalar.count
        if scalar.count == 1 && scalar.first == UInt8(ascii: "\n") {
          line += 1
          column = 1
        } else {
          column += 1
        }
      case .error:
        let byte = "0x" + String(bytes[offset], radix: 16, uppercase: true)
        return .failure(Problem(line: line, column: column, message: Messages.both("text.not-utf8", [byte])))
      case .emptyInput:
        return .success(String(decoding: bytes, as: UTF8.self))
      }
    }
  }
}
