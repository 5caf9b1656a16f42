import Foundation

/// What one command printed (stdout and stderr interleaved, as lines) and its exit status.
public struct Output: Sendable, Equatable {
  public var lines: [String]
  public var status: Int32

  public init(lines: [String], status: Int32) {
    self.lines = lines
    self.status = status
  }

  /// Splits printed text into lines; a last newline ends the last line, it does not start another.
  public init(text: String, status: Int32) {
    var text = text
    if text.hasSuffix("\n") { text.removeLast() }
    self.init(lines: text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), status: status)
  }
}

/// Where a transcript is replayed: the simulator (`SimBackend`) or real etcd processes
/// (`RealEtcdBackend`). A replay drives it item by item, in the transcript's order.
public protocol ReplayBackend {
  /// How the report names this side: `sim`, `real`.
  var side: String { get }
  /// Runs one command line (the transcript's, with ids already replaced by this side's).
  mutating func run(_ command: Transcript.Command, line: String) -> Output
  /// `# [stop NAME: ...]`: SIGTERM to that member's etcd, and wait until it has ended.
  mutating func stop(_ name: String)
  /// `# (waited until NAME... logged "ready to serve client requests")`.
  mutating func waitReady(_ names: [String])
  /// `# [NAME's etcd process exited by itself ...]`.
  mutating func waitExit(_ name: String)
  /// This side's id (hex) of the member with this peer URL, for an id the capture learned out of
  /// band (never printed before it is typed); nil when the side cannot tell.
  mutating func memberID(peerURL: String) -> String?
}

/// Replays a transcript on a backend, command by command, as conform.py does: ids of added
/// members learned from earlier outputs replace the reference's ids in later commands, and the
/// backend's ids in its outputs are renamed to the reference's, so that normalization numbers
/// both alike.
public enum Replay {
  public struct Result: Sendable {
    /// 1-based position among the transcript's commands (`relaxations.txt` counts so).
    public var index: Int
    /// The command as the transcript has it.
    public var command: String
    public var expected: Output
    /// The backend's output, its ids renamed to the reference's.
    public var actual: Output
  }

  public static func run<B: ReplayBackend>(_ t: Transcript, on backend: inout B) -> [Result] {
    var ids = IDMap()
    var results: [Result] = []
    for item in t.items {
      switch item {
      case .stop(let name): backend.stop(name)
      case .waitReady(let names): backend.waitReady(names)
      case .waitExit(let name): backend.waitExit(name)
      case .command(let c):
        // An id the outputs never showed (the capture learned it out of band): find the member
        // the header names by its peer URL, infraN at 127.0.0.(10+N).
        for reference in Normalize.hexIDs(c.line) where ids.toBackend[reference] == nil {
          guard let label = t.idLabels[reference], label.hasPrefix("infra"), let n = Int(label.dropFirst(5)),
            let id = backend.memberID(peerURL: "http://127.0.0.\(10 + n):2380")
          else { continue }
          ids.toBackend[reference] = id
        }
        let out = backend.run(c, line: ids.substitute(c.line))
        ids.learn(reference: c.output, backend: out.lines)
        results.append(Result(index: results.count + 1, command: c.line, expected: Output(lines: c.output, status: c.exit), actual: Output(lines: ids.toReference(out.lines), status: out.status)))
      }
    }
    return results
  }
}

/// The reference's member and cluster ids and a backend's, as learned from their outputs.
struct IDMap {
  var toBackend: [String: String] = [:]

  /// Learns only from lines that are the same but for their ids and that name a member by its
  /// URL (member lists, `Member ... added`): there, equal lines mean the same member. (Not from
  /// `rafthttp:` lines, which name no URL: in a live run their order is the goroutines'.)
  mutating func learn(reference: [String], backend: [String]) {
    for (r, s) in zip(reference, backend) {
      guard r.contains("://") || r.hasPrefix("Member "), !r.contains("Members:["), Self.alike(r, s) else { continue }
      for (a, b) in zip(Normalize.hexIDs(r), Normalize.hexIDs(s)) where toBackend[a] == nil { toBackend[a] = b }
    }
  }

  /// Equal once normalized, but for blanks: etcdctl pads a 15-digit id to 16 (`Member  93a2...`).
  static func alike(_ a: String, _ b: String) -> Bool {
    Normalize.strict([a])[0].replacing(#/ +/#, with: " ") == Normalize.strict([b])[0].replacing(#/ +/#, with: " ")
  }

  func substitute(_ line: String) -> String {
    var line = line
    for (reference, backend) in toBackend { line = line.replacing(reference, with: backend) }
    return line
  }

  /// Names the backend's ids as the reference named them (one pass, no chains), in hex and in
  /// decimal (`-w json`).
  func toReference(_ lines: [String]) -> [String] {
    var inverse: [String: String] = [:]
    for (reference, backend) in toBackend where reference != backend {
      inverse[backend] = reference
      if let a = UInt64(backend, radix: 16), let b = UInt64(reference, radix: 16) { inverse[String(a)] = String(b) }
    }
    guard !inverse.isEmpty else { return lines }
    return lines.map { line in
      let hex = Normalize.mapRuns(line, inRun: { $0.isASCII && ($0.isLetter || $0.isNumber) }, match: Normalize.isHexID) { inverse[$0] ?? $0 }
      return Self.padded(Normalize.mapRuns(hex, inRun: { $0.isNumber || $0 == "." }, match: Normalize.isDecID) { inverse[$0] ?? $0 })
    }
  }

  /// etcdctl prints the id in `Member ... added/promoted/removed/updated` with %16x: once an id is
  /// renamed, its padding is the renamed id's (a 15-digit id from the clock has one blank more).
  static func padded(_ line: String) -> String {
    guard let m = line.prefixMatch(of: #/Member +([0-9a-f]{1,16}) /#) else { return line }
    return "Member " + String(repeating: " ", count: 16 - m.1.count) + m.1 + " " + line[m.range.upperBound...]
  }
}
