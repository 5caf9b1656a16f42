import EtcdCommands
import EtcdSim
import Foundation

/// A reference transcript (`Tests/Reference/real-etcd-3.4/*.txt`), parsed as conform.py parses it,
/// plus the capture's waits, which the replay honours.
struct Transcript {
  enum Item {
    case command(line: String, output: [String], exit: Int32)
    /// `# [stop NAME: ...]`: the capture stopped a member.
    case stop(String)
    /// `# (waited until A, B logged "ready to serve client requests" ...)`.
    case waitReady([String])
    /// `# [NAME's etcd process exited by itself ...]`: the capture waited for it.
    case waitExit(String)
  }

  var name: String
  var items: [Item]
  /// The header's table of member ids: hex id → label (`infra3`), as the capture named them.
  var idLabels: [String: String] = [:]

  /// The course's reference transcripts of real etcd 3.4.23, copied into the repository
  /// (`Tests/Reference/real-etcd-3.4`), so a plain clone runs every golden test.
  static let referenceDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Reference/real-etcd-3.4")

  /// Transcripts this project captured itself for cases the reference lacks (`Tests/Captures`).
  static let capturesDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Captures")

  static func load(_ name: String) throws -> Transcript {
    let dir = name.hasPrefix("1") ? capturesDirectory : referenceDirectory
    guard let text = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) else {
      throw MissingTranscript(path: dir.appendingPathComponent(name).path)
    }
    var items: [Item] = []
    var current: String?
    var output: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if line.hasPrefix("$ ") {
        current = String(line.dropFirst(2))
        output = []
        continue
      }
      if let cmd = current, line.hasPrefix("# exit "), let code = Int32(line.dropFirst(7)) {
        items.append(.command(line: cmd, output: output, exit: code))
        current = nil
        continue
      }
      if current == nil {
        if line.hasPrefix("# [stop "), let colon = line.firstIndex(of: ":") {
          items.append(.stop(String(line[line.index(line.startIndex, offsetBy: 8)..<colon])))
        } else if line.hasPrefix("# ["), let end = line.range(of: "'s etcd process exited by itself") {
          items.append(.waitExit(String(line[line.index(line.startIndex, offsetBy: 3)..<end.lowerBound])))
        } else if line.hasPrefix("# (waited until "), let end = line.range(of: " logged \"ready") {
          let names = line[line.index(line.startIndex, offsetBy: 16)..<end.lowerBound]
          items.append(.waitReady(names.components(separatedBy: ", ")))
        }
        continue
      }
      if line.hasPrefix("#| ") || (line.hasPrefix("# (") && line.hasSuffix(")")) || (line.hasPrefix("# [") && line.hasSuffix("]")) {
        continue
      }
      output.append(line)
    }
    var labels: [String: String] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("#   ") && line.contains(" = ") {
      let f = line.split(separator: " ")
      if f.count >= 5, f[2] == "=", !line.contains("cluster id") { labels[String(f[1])] = String(f[4]) }
    }
    return Transcript(name: name, items: items, idLabels: labels)
  }
}

struct MissingTranscript: Error, CustomStringConvertible {
  var path: String
  var description: String { "no transcript at \(path): the golden tests read the copies in Tests/Reference and Tests/Captures" }
}

/// conform.py's strict normalization: timestamps, client UUIDs, durations, ids by first appearance,
/// the random order inside etcd's `Members:[...]`.
enum Normalize {
  static func time(_ s: String) -> String {
    var s = s
    s = s.replacing(#/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+/#, with: "YYYY-MM-DD hh:mm:ss.uuuuuu")
    s = s.replacing(#/raft\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}/#, with: "raftYYYY/MM/DD hh:mm:ss")
    s = s.replacing(#/"ts":"[^"]*"/#, with: "\"ts\":\"T\"")
    s = s.replacing(#/"ts":\d+(\.\d+)?/#, with: "\"ts\":T")
    // The reference already replaced float Unix times with this placeholder.
    s = s.replacing(#/"ts":SSSSSSSSSS\.ffffff/#, with: "\"ts\":T")
    s = s.replacing(#/client-[0-9a-f-]{36}/#, with: "client-U")
    s = s.replacing(#/client-<UUID>/#, with: "client-U")
    s = s.replacing(#/took = [0-9.]+[µmn]?s/#, with: "took = D")
    s = s.replacing(#/"took":"[^"]*"/#, with: "\"took\":\"D\"")
    s = s.replacing(#/"took":[0-9.]+/#, with: "\"took\":D")
    return s
  }

  /// conform.py's HEXID: 13–16 hex digits not touching other letters or digits.
  static func isHexID(_ run: Substring) -> Bool { (13...16).contains(run.count) && run.allSatisfy { $0.isHexDigit && !$0.isUppercase } }
  /// conform.py's DECID: 16–20 digits not touching digits or dots.
  static func isDecID(_ run: Substring) -> Bool { (16...20).contains(run.count) && run.allSatisfy(\.isNumber) }

  /// Replaces maximal runs of `inRun` characters that satisfy `match`.
  static func mapRuns(_ s: String, inRun: (Character) -> Bool, match: (Substring) -> Bool, _ f: (String) -> String) -> String {
    var out = ""
    var i = s.startIndex
    while i < s.endIndex {
      if inRun(s[i]) {
        var j = i
        while j < s.endIndex, inRun(s[j]) { j = s.index(after: j) }
        let run = s[i..<j]
        out += match(run) ? f(String(run)) : String(run)
        i = j
      } else {
        out.append(s[i])
        i = s.index(after: i)
      }
    }
    return out
  }

  static func hexIDs(_ s: String) -> [String] {
    var found: [String] = []
    _ = mapRuns(s, inRun: { $0.isASCII && ($0.isLetter || $0.isNumber) }, match: isHexID) { found.append($0); return $0 }
    return found
  }

  static func strict(_ lines: [String]) -> [String] {
    var ids: [String: String] = [:]
    func label(_ key: String) -> String {
      if let v = ids[key] { return v }
      let v = "ID\(ids.count + 1)"
      ids[key] = v
      return v
    }
    return lines.map { line in
      // The random order inside `Members:[...]` goes before ids are numbered, so that it cannot
      // shift the numbers of the ids after it (conform.py numbers first).
      var l = time(line).replacing(#/Members:\[.*\] RemovedMemberIDs/#, with: "Members:[...] RemovedMemberIDs")
      l = mapRuns(l, inRun: { $0.isASCII && ($0.isLetter || $0.isNumber) }, match: isHexID, label)
      l = mapRuns(l, inRun: { $0.isNumber || $0 == "." }, match: isDecID, label)
      l = l.replacing(#/Members:\[.*\] RemovedMemberIDs/#, with: "Members:[...] RemovedMemberIDs")
      while l.hasSuffix(" ") { l.removeLast() }
      return l
    }
  }
}
