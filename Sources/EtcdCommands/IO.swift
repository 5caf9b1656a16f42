import EtcdSim

/// A command's standard input and the output it produced, stdout and stderr in order.
public struct IO: Sendable {
  public enum Stream: Sendable, Equatable { case stdout, stderr }
  public struct Chunk: Sendable, Equatable {
    public var stream: Stream
    public var bytes: [UInt8]
  }

  public var stdin: [UInt8]
  public private(set) var chunks: [Chunk] = []
  /// The etcd error the command reported, if it failed with one.
  public var error: EtcdError?
  /// What ran, as `etcdctl member add` or `systemctl start`: set by the command itself.
  public var command: String?
  /// Set by etcdctl when a server answered it over TLS with its client certificate.
  public var authenticatedTLS = false
  /// Set by etcdctl when a server refused its connection in the TLS handshake.
  public var handshake: HandshakeFailure?
  /// Set by a command that would never end by itself (a snapshot stream without a deadline):
  /// why, for the notice the shell prints when it stops it.
  public var waitsForever: String?
  /// Bytes written so far, on both streams.
  public private(set) var outputBytes = 0
  /// Set when a write was cut at `SimLimits.commandOutputBytes`; the shell adds the notice.
  public var outputCut = false

  public init(stdin: [UInt8] = []) { self.stdin = stdin }

  public var stdinText: String { String(decoding: stdin, as: UTF8.self) }

  /// Bytes this output may still take before it is cut.
  public var outputRoom: Int { max(0, SimLimits.commandOutputBytes - outputBytes) }

  public mutating func write(_ bytes: [UInt8], to stream: Stream = .stdout) {
    guard bytes.count <= outputRoom else {
      outputCut = true
      add(bytes.prefix(outputRoom), to: stream)
      return
    }
    add(bytes[...], to: stream)
  }

  /// A line of etcdlab's own (a limit's notice) on stderr, outside the output budget.
  public mutating func notice(_ line: String) {
    let fresh = chunks.last.map { $0.bytes.last == 0x0A } ?? true
    place((fresh ? [] : [0x0A]) + Array(line.utf8)[...] + [0x0A], to: .stderr)
  }

  private mutating func add(_ bytes: ArraySlice<UInt8>, to stream: Stream) {
    outputBytes += bytes.count
    place(bytes, to: stream)
  }

  /// Whether the last chunk is of `stream`, asked without holding a copy of it: a copy would
  /// share its bytes, and the append that follows would then copy them all (quadratic time).
  private func endsWith(_ stream: Stream) -> Bool { !chunks.isEmpty && chunks[chunks.count - 1].stream == stream }

  private mutating func place(_ bytes: ArraySlice<UInt8>, to stream: Stream) {
    guard !bytes.isEmpty else { return }
    if endsWith(stream) {
      chunks[chunks.count - 1].bytes.append(contentsOf: bytes)
    } else {
      chunks.append(Chunk(stream: stream, bytes: Array(bytes)))
    }
  }

  /// Keeps at most `room` bytes of what was written; returns whether that cut anything.
  public mutating func keep(atMost room: Int) -> Bool {
    guard outputBytes > room else { return false }
    var left = max(0, room)
    chunks = chunks.compactMap { c in
      defer { left -= min(left, c.bytes.count) }
      return left == 0 ? nil : Chunk(stream: c.stream, bytes: Array(c.bytes.prefix(left)))
    }
    outputBytes = max(0, room)
    return true
  }

  /// Writes text followed by a newline to stdout.
  public mutating func out(_ line: String) { writeLine(line, to: .stdout) }
  /// Writes text followed by a newline to stderr.
  public mutating func err(_ line: String) { writeLine(line, to: .stderr) }

  private mutating func writeLine(_ line: String, to stream: Stream) {
    let count = line.utf8.count + 1
    guard count <= outputRoom else {
      write(Array(line.utf8) + [0x0A], to: stream)
      return
    }
    outputBytes += count
    if endsWith(stream) {
      chunks[chunks.count - 1].bytes.append(contentsOf: line.utf8)
      chunks[chunks.count - 1].bytes.append(0x0A)
    } else {
      var bytes = Array(line.utf8)
      bytes.append(0x0A)
      chunks.append(Chunk(stream: stream, bytes: bytes))
    }
  }

  public mutating func append(_ other: IO) {
    for c in other.chunks { write(c.bytes, to: c.stream) }
    outputCut = outputCut || other.outputCut
    error = other.error ?? error
    authenticatedTLS = authenticatedTLS || other.authenticatedTLS
    handshake = other.handshake ?? handshake
  }

  /// Everything written to one stream.
  public func bytes(of stream: Stream) -> [UInt8] { chunks.filter { $0.stream == stream }.flatMap(\.bytes) }
  /// Everything written, both streams interleaved.
  public var text: String { String(decoding: chunks.flatMap(\.bytes), as: UTF8.self) }
}
