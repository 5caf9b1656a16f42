@preconcurrency import CReadline
import Foundation

/// Where typed lines come from: readline on a terminal, plain reads otherwise.
public protocol LineReader {
  /// One line, or nil at end of input (Ctrl-D).
  mutating func readLine(prompt: String) -> String?
}

/// Lines from standard input with read(2): an end of file typed at a terminal ends one read,
/// and the next line can still be read afterwards. Prompts go to stdout when asked for.
public struct PlainLineReader: LineReader {
  private var buffer: [UInt8] = []
  let showPrompts: Bool

  public init(showPrompts: Bool) { self.showPrompts = showPrompts }

  public mutating func readLine(prompt: String) -> String? {
    if showPrompts { FileHandle.standardOutput.write(Data(prompt.utf8)) }
    while true {
      if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: buffer[..<nl], as: UTF8.self)
        buffer.removeSubrange(...nl)
        return line
      }
      var chunk = [UInt8](repeating: 0, count: 4096)
      let n = read(STDIN_FILENO, &chunk, chunk.count)
      if n > 0 { buffer.append(contentsOf: chunk[..<n]); continue }
      if n < 0 && errno == EINTR { continue }
      if !buffer.isEmpty {
        let line = String(decoding: buffer, as: UTF8.self)
        buffer = []
        return line
      }
      return nil
    }
  }
}

/// GNU readline: line editing, history (saved after every line), Tab completion from a
/// completer, Ctrl-C clearing the line instead of quitting.
public final class ReadlineLineReader: LineReader {
  nonisolated(unsafe) static var completer: (@Sendable (_ text: String, _ lineBefore: String) -> [String])?
  nonisolated(unsafe) static var pending: [String] = []
  let historyFile: String?

  public init(historyFile: String?, completer: @escaping @Sendable (String, String) -> [String]) {
    self.historyFile = historyFile
    Self.completer = completer
    rl_readline_name = UnsafePointer(strdup("etcdlab"))
    // Break words only at spaces and = so that `--endpoints=http://...` completes as one value.
    rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n="))
    rl_attempted_completion_function = { text, start, _ in
      rl_attempted_completion_over = 1
      let prefix = text.map { String(cString: $0) } ?? ""
      let before = String(decoding: Array(String(cString: rl_line_buffer).utf8.prefix(Int(start))), as: UTF8.self)
      ReadlineLineReader.pending = ReadlineLineReader.completer?(prefix, before) ?? []
      // No space after a directory or a flag that takes a value: the word goes on.
      let only = ReadlineLineReader.pending.count == 1 ? ReadlineLineReader.pending[0] : ""
      rl_completion_append_character = only.hasSuffix("/") || only.hasSuffix("=") ? 0 : 32
      return rl_completion_matches(text) { _, _ in
        ReadlineLineReader.pending.isEmpty ? nil : strdup(ReadlineLineReader.pending.removeFirst())
      }
    }
    // A parent may have left SIGINT blocked (a test runner, some IDEs); Ctrl-C must still reach us.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
    signal(SIGINT) { _ in
      // Ctrl-C clears the line and gives a fresh prompt; it never quits.
      write(STDOUT_FILENO, "^C\n", 3)
      rl_replace_line("", 0)
      rl_on_new_line()
      rl_redisplay()
    }
    using_history()
    stifle_history(1000)
    if let historyFile {
      if !FileManager.default.fileExists(atPath: historyFile) {
        try? FileManager.default.createDirectory(atPath: (historyFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        write_history(historyFile)
      }
      read_history(historyFile)
    }
  }

  public func readLine(prompt: String) -> String? {
    guard let raw = readline(prompt) else { return nil }
    defer { free(raw) }
    if raw.pointee != 0 {
      add_history(raw)
      if let historyFile { append_history(1, historyFile) }
    }
    return String(cString: raw)
  }
}

/// readline when standard input and output are terminals, plain reading otherwise.
public func makeLineReader(historyFile: String?, completer: @escaping @Sendable (String, String) -> [String]) -> any LineReader {
  if isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0 {
    return ReadlineLineReader(historyFile: historyFile, completer: completer)
  }
  return PlainLineReader(showPrompts: false)
}

/// The screens' reader: plain lines for a transcript, else readline on a terminal with the
/// history kept beside the progress and completion from the screen of the moment.
public func standardLineReader(transcript: Bool) -> any LineReader {
  if transcript { return PlainLineReader(showPrompts: false) }
  return makeLineReader(historyFile: ProgressFile.standard().directory.appendingPathComponent("history").path, completer: LiveCompletion.complete)
}
