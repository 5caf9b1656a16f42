import Foundation

/// Lines from standard input, read with read(2): an end of file typed at a terminal (Ctrl-D)
/// ends one read, and the next line can still be read afterwards.
struct LineInput {
  private var buffer: [UInt8] = []
  private var finished = false

  mutating func readLine() -> String? {
    while true {
      if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: buffer[..<nl], as: UTF8.self)
        buffer.removeSubrange(...nl)
        return line
      }
      var chunk = [UInt8](repeating: 0, count: 4096)
      let n = read(STDIN_FILENO, &chunk, chunk.count)
      if n > 0 {
        buffer.append(contentsOf: chunk[..<n])
        continue
      }
      if n < 0 && errno == EINTR { continue }
      // End of input: a last line without a newline, or nothing.
      if !buffer.isEmpty {
        let line = String(decoding: buffer, as: UTF8.self)
        buffer = []
        return line
      }
      return nil
    }
  }
}
