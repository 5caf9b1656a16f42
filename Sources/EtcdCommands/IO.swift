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

  public init(stdin: [UInt8] = []) { self.stdin = stdin }

  public var stdinText: String { String(decoding: stdin, as: UTF8.self) }

  public mutating func write(_ bytes: [UInt8], to stream: Stream = .stdout) {
    guard !bytes.isEmpty else { return }
    if let last = chunks.last, last.stream == stream {
      chunks[chunks.count - 1].bytes.append(contentsOf: bytes)
    } else {
      chunks.append(Chunk(stream: stream, bytes: bytes))
    }
  }

  /// Writes text followed by a newline to stdout.
  public mutating func out(_ line: String) { writeLine(line, to: .stdout) }
  /// Writes text followed by a newline to stderr.
  public mutating func err(_ line: String) { writeLine(line, to: .stderr) }

  private mutating func writeLine(_ line: String, to stream: Stream) {
    if let last = chunks.last, last.stream == stream {
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
    error = other.error ?? error
    authenticatedTLS = authenticatedTLS || other.authenticatedTLS
    handshake = other.handshake ?? handshake
  }

  /// Everything written to one stream.
  public func bytes(of stream: Stream) -> [UInt8] { chunks.filter { $0.stream == stream }.flatMap(\.bytes) }
  /// Everything written, both streams interleaved.
  public var text: String { String(decoding: chunks.flatMap(\.bytes), as: UTF8.self) }
}
