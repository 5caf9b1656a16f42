import Foundation

/// The shared scorer's (`conform.py`) normalization. Strict: time stamps, client UUIDs, durations,
/// ids numbered by first appearance, the random order inside etcd's `Members:[...]`. Loose: on top
/// of strict, every number, 8-digit hex and boolean, runs of blanks and dashes, and line order.
public enum Normalize {
  public static func time(_ s: String) -> String {
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
  public static func isHexID(_ run: Substring) -> Bool { (13...16).contains(run.count) && run.allSatisfy { $0.isHexDigit && !$0.isUppercase } }
  /// conform.py's DECID: 16–20 digits not touching digits or dots.
  public static func isDecID(_ run: Substring) -> Bool { (16...20).contains(run.count) && run.allSatisfy(\.isNumber) }

  /// Replaces maximal runs of `inRun` characters that satisfy `match`.
  public static func mapRuns(_ s: String, inRun: (Character) -> Bool, match: (Substring) -> Bool, _ f: (String) -> String) -> String {
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

  public static func hexIDs(_ s: String) -> [String] {
    var found: [String] = []
    _ = mapRuns(s, inRun: { $0.isASCII && ($0.isLetter || $0.isNumber) }, match: isHexID) { found.append($0); return $0 }
    return found
  }

  public static func strict(_ lines: [String]) -> [String] {
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

  /// conform.py's loose score: what strict leaves, with every value blurred and lines sorted.
  public static func loose(_ lines: [String]) -> [String] {
    strict(lines).map { line in
      // Python's \b: between a word character and another (not Unicode's word segmentation).
      line.replacing(#/ID\d+/#, with: "ID").replacing(#/\b[0-9a-f]{8}\b/#.wordBoundaryKind(.simple), with: "H").replacing(#/\d+(\.\d+)?/#, with: "N")
        .replacing(#/\b(true|false)\b/#.wordBoundaryKind(.simple), with: "B").replacing(#/ +/#, with: " ").replacing(#/-{2,}/#, with: "-")
    }.sorted()
  }
}
