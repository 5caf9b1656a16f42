import Foundation

/// Commands whose reference output depends on chance in real etcd, and how they are compared
/// instead (`Golden/exclusions.txt`, one line each, with the reason).
struct Exclusions {
  enum Relaxation: String {
    /// The lines may come in another order (concurrent checks, or a listing sorted by an id
    /// that `member add` derived from the clock).
    case unordered
    /// Which member won the election is random: the IS LEADER column is not compared.
    case leader
    /// `took` durations in a table change the column width.
    case took
    /// Output that repeats an error for seconds: only the lines before the flood are compared,
    /// raft terms aside.
    case flood
    /// bbolt grows its file by a page or not depending on how writes fall into its 100 ms batch
    /// commits: database sizes (`20 kB`/`25 kB`, 20480/24576) are not compared.
    case dbsize
    /// The connection error a one-endpoint client names varies from run to run.
    case cause
  }

  struct Entry {
    var file: String
    var index: Int
    var relaxations: [Relaxation]
    var reason: String
  }

  var entries: [Entry]

  static func load() throws -> Exclusions {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("exclusions.txt")
    let text = try String(contentsOf: url, encoding: .utf8)
    var out: [Entry] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
      let f = line.split(separator: " ", maxSplits: 3).map(String.init)
      guard f.count == 4, let n = Int(f[1].dropFirst()) else { continue }
      let rel = f[2].split(separator: ",").compactMap { Relaxation(rawValue: String($0)) }
      out.append(Entry(file: f[0], index: n, relaxations: rel, reason: f[3]))
    }
    return Exclusions(entries: out)
  }

  func entry(_ file: String, _ index: Int) -> Entry? { entries.first { $0.file == file && $0.index == index } }

  /// Applies the relaxations to strict-normalized lines.
  static func relax(_ lines: [String], _ rel: [Relaxation]) -> [String] {
    var l = lines.map(Normalize.time)
    if rel.contains(.flood) {
      // The banner and the raft start-up, before the peer transport's interleaved output.
      // How many vain elections fit in those seconds is random too.
      l = Array(l.filter { !$0.contains("cluster ID mismatch") }.prefix { !$0.contains("rafthttp:") })
        .map { $0.replacing(#/term:? \d+/#, with: "term N") }
    }
    if rel.contains(.leader) {
      l = l.map { line in
        if line.hasPrefix("[{\"Endpoint\"") { return line.replacing(#/"leader":\d+/#, with: "\"leader\":B") }
        if line.hasPrefix("|") {
          var cells = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
          if cells.count > 6 { cells[5] = " B " }
          return cells.joined(separator: "|")
        }
        var f = line.components(separatedBy: ", ")
        if f.count >= 10 { f[4] = "B" }
        return f.joined(separator: ", ")
      }
    }
    if rel.contains(.cause) {
      l = l.map { $0.replacing(#/latest balancer error: [^"]*"/#, with: "latest balancer error: C\"") }
    }
    if rel.contains(.dbsize) {
      l = l.map {
        $0.replacing(#/"size":"\d+ kB"/#, with: "\"size\":\"S\"").replacing(#/"totalSize":\d+/#, with: "\"totalSize\":S").replacing(#/"dbSize":\d+/#, with: "\"dbSize\":S")
          .replacing(#/, \d+ kB$/#, with: ", S")
      }
    }
    if rel.contains(.took) {
      l = l.map {
        $0.replacing(#/[0-9.]+(µs|ms|s|ns)/#, with: "D").replacing(#/ +/#, with: " ").replacing(#/-+/#, with: "-")
      }
    }
    if rel.contains(.unordered) {
      l = l.map { line in
        if let r = line.range(of: "\"members\":[{"), line.hasSuffix("}]}") {
          let body = line[r.upperBound..<line.index(line.endIndex, offsetBy: -3)]
          let items = body.components(separatedBy: "},{").sorted()
          return String(line[..<r.upperBound]) + items.joined(separator: "},{") + "}]}"
        }
        guard line.hasPrefix("ETCD_INITIAL_CLUSTER=\"") else { return line }
        let items = line.dropFirst(22).dropLast().split(separator: ",").map(String.init).sorted()
        return "ETCD_INITIAL_CLUSTER=\"" + items.joined(separator: ",") + "\""
      }
      l.sort()
    }
    return l
  }
}
