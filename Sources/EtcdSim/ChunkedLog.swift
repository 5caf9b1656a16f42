/// An append-only list kept in chunks of a fixed size. A copy shares the chunks, and appending
/// to a copy that shares them copies the last chunk and the list of chunks — never the whole
/// list — so a snapshot (an undo point) costs nothing that grows with the session.
public struct ChunkedLog<Element: Sendable>: Sendable, RandomAccessCollection {
  static var chunkSize: Int { 256 }

  private var chunks: [[Element]] = []
  public private(set) var count = 0

  public init() {}

  public var startIndex: Int { 0 }
  public var endIndex: Int { count }

  public subscript(i: Int) -> Element { chunks[i / Self.chunkSize][i % Self.chunkSize] }

  public mutating func append(_ element: Element) {
    if chunks.isEmpty || chunks[chunks.count - 1].count == Self.chunkSize {
      var chunk: [Element] = []
      chunk.reserveCapacity(Self.chunkSize)
      chunk.append(element)
      chunks.append(chunk)
    } else {
      chunks[chunks.count - 1].append(element)
    }
    count += 1
  }
}

extension ChunkedLog: Equatable where Element: Equatable {
  /// Chunks still shared compare by identity (Array's own fast path): O(chunks), not O(count).
  public static func == (a: ChunkedLog, b: ChunkedLog) -> Bool { a.count == b.count && a.chunks == b.chunks }
}
