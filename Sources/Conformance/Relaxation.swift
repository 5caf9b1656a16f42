import Foundation

/// A named class of difference that real etcd decides by chance. A command listed in
/// `Resources/relaxations.txt` is compared with its classes applied to both sides instead of
/// strictly, and the report names the classes, so nothing is dropped silently.
public enum Relaxation: String, Sendable, CaseIterable {
  /// Which member wins the election is chance: the leader column or field is not compared.
  case leader
  /// How many elections there were is chance when a member that may have been the leader was
  /// stopped (each adds a term and an entry): raft terms and indexes in `endpoint status` are not
  /// compared.
  case election
  /// A request without a quorum ends on whichever deadline fires first — the server's own
  /// (`etcdserver: request timed out`), its context's passed back (`rpc error: code = Unknown desc
  /// = context deadline exceeded`) or the client's (`context deadline exceeded`): one error.
  case timeout
  /// Concurrent answers (endpoint health checks the endpoints at once; a log interleaved with
  /// the peer transport's goroutines) come in completion order: lines are compared as a multiset.
  case concurrent
  /// `member add` derives the new id from the clock, and listings are sorted by id: lines are
  /// compared as a multiset.
  case clockid
  /// `took` durations in a table change the column width.
  case took
  /// Output that repeats an error for seconds: only the lines before the flood are compared,
  /// raft terms aside.
  case flood
  /// bbolt grows its file by a page or not depending on how writes fall into its 100 ms batch
  /// commits: database sizes (`20 kB`/`25 kB`, 20480/24576) are not compared.
  case dbsize
  /// The connection error a client names varies from run to run (etcdctl's balancer error, curl's
  /// for a refused client certificate, which races the server's TLS alert).
  case cause
  /// Whether and how often etcdctl retries an endpoint (a learner) before another answers is
  /// timing: its retry warnings are not compared.
  case retries
  /// Lines a server logs or not depending on which goroutine is first (a restarted member that
  /// learns it was removed: whether it saw its removal committed, fast-forwarding its ticks, its
  /// publish cancelled or aborted).
  case timing
  /// How many lines an error repeated every 100 ms adds in some seconds is timing: numbers are
  /// compared within 20% of each other (the rest of the line exactly).
  case rate

  /// What the class stands for, for the report.
  public var meaning: String {
    switch self {
    case .leader: "which member wins the election is chance"
    case .timeout: "without a quorum, the server's or the client's deadline fires first"
    case .election: "whether a stopped member was the leader decides how many elections there were"
    case .concurrent: "concurrent answers come in completion order"
    case .clockid: "member add derives ids from the clock; listings are sorted by id"
    case .took: "measured durations change a table's width"
    case .flood: "a repeated error floods the output for seconds"
    case .dbsize: "bbolt's batch commits decide the database size"
    case .cause: "the connection error named varies from run to run"
    case .retries: "how often the client retries before another endpoint answers is timing"
    case .timing: "some log lines depend on which goroutine is first"
    case .rate: "how many times a repeated error is logged in some seconds is timing"
    }
  }

  /// The exit status as compared: with `cause`, curl's 55 (send failure) and 56 (receive
  /// failure) are one.
  public static func status(_ classes: [Relaxation], _ status: Int32) -> Int32 {
    classes.contains(.cause) && status == 55 ? 56 : status
  }

  /// Applies the classes to one side's lines (before strict normalization).
  public static func apply(_ classes: [Relaxation], to lines: [String]) -> [String] {
    var l = lines.map(Normalize.time)
    if classes.contains(.flood) {
      // The banner and the raft start-up, before the peer transport's interleaved output.
      // How many vain elections fit in those seconds is random too.
      // Its start-up lines come from several goroutines: compared as a multiset, without the
      // listeners' own lines, which land before or after the cut by chance.
      l = Array(l.filter { !$0.contains("cluster ID mismatch") }.prefix { !$0.contains("rafthttp:") })
        .filter { !$0.contains("embed: listening for peers on") && !$0.contains("embed: listening for client requests on") }
        .map { $0.replacing(#/term:? \d+/#, with: "term N") }.sorted(by: Self.byContent)
    }
    if classes.contains(.leader) {
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
    if classes.contains(.timeout) {
      let forms = ["Error: etcdserver: request timed out", "Error: rpc error: code = Unknown desc = context deadline exceeded", "Error: context deadline exceeded"]
      l = l.map { forms.contains($0) ? "Error: T" : $0 }
        .map { $0.replacing(#/"error":"rpc error: code = (DeadlineExceeded|Unknown) desc = (context deadline exceeded|etcdserver: request timed out)"/#, with: "\"error\":\"T\"") }
    }
    if classes.contains(.election) {
      l = l.map { line in
        if line.hasPrefix("[{\"Endpoint\"") || line.hasPrefix("{") {
          return line.replacing(#/"(raft_term|raftTerm|raftIndex|raftAppliedIndex)":\d+/#) { "\"\($0.1)\":E" }
        }
        if line.hasPrefix("|") {
          var cells = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
          if cells.count > 10, cells[7].trimmingCharacters(in: .whitespaces).allSatisfy(\.isNumber) { cells[7] = " E "; cells[8] = " E "; cells[9] = " E " }
          return cells.joined(separator: "|")
        }
        var f = line.components(separatedBy: ", ")
        if f.count >= 10 { f[6] = "E"; f[7] = "E"; f[8] = "E" }
        return f.joined(separator: ", ")
      }
    }
    if classes.contains(.cause) {
      l = l.map { $0.replacing(#/latest balancer error: [^"]*"/#, with: "latest balancer error: C\"").replacing(#/^curl: \(5[56]\) .*/#, with: "curl: C") }
    }
    if classes.contains(.timing) {
      // Whether the removed member saw its removal committed before it stopped, and how its
      // start-up goroutines met the news.
      let racing = ["as single-node; fast-forwarding", "publish error: etcdserver: request cancelled", "aborting publish because server is stopped", "etcdserver/membership: removed member "]
      l = l.filter { line in !racing.contains { line.contains($0) } }
        .map { $0.replacing(#/commit index \d+/#, with: "commit index N").replacing(#/commit: \d+/#, with: "commit: N") }
    }
    if classes.contains(.retries) {
      l = l.filter { !$0.contains("\"msg\":\"retrying of unary invoker failed\"") }
    }
    if classes.contains(.dbsize) {
      // `20 kB` in every format (a table's width too), and the bytes of -w json.
      l = l.map { line in
        let sized = line.replacing(#/\b\d+(\.\d+)? (B|kB|MB|GB)\b/#.wordBoundaryKind(.simple), with: "S")
          .replacing(#/"totalSize":\d+/#, with: "\"totalSize\":S").replacing(#/"dbSize":\d+/#, with: "\"dbSize\":S").replacing(#/"Size" : \d+/#, with: "\"Size\" : S")
        return line.hasPrefix("|") || line.hasPrefix("+-") ? sized.replacing(#/ +/#, with: " ").replacing(#/-+/#, with: "-") : sized
      }
    }
    if classes.contains(.took) {
      l = l.map {
        $0.replacing(#/[0-9.]+(µs|ms|s|ns)/#, with: "D").replacing(#/ +/#, with: " ").replacing(#/-+/#, with: "-")
      }
    }
    if classes.contains(.clockid) {
      // A clock-derived id may have 15 hex digits: etcdctl pads it (`Member  93a2...`), and a
      // table's ID column is a character narrower.
      l = l.map { $0.replacing(#/ +/#, with: " ").replacing(#/-{2,}/#, with: "-") }
    }
    if classes.contains(.concurrent) || classes.contains(.clockid) {
      l = l.map { line in
        if let r = line.range(of: "\"members\":[{"), line.hasSuffix("}]}") {
          let body = line[r.upperBound..<line.index(line.endIndex, offsetBy: -3)]
          let items = body.components(separatedBy: "},{").sorted(by: Self.byContent)
          return String(line[..<r.upperBound]) + items.joined(separator: "},{") + "}]}"
        }
        guard line.hasPrefix("ETCD_INITIAL_CLUSTER=\"") else { return line }
        let items = line.dropFirst(22).dropLast().split(separator: ",").map(String.init).sorted()
        return "ETCD_INITIAL_CLUSTER=\"" + items.joined(separator: ",") + "\""
      }
      l.sort(by: Self.byContent)
    }
    return l
  }

  /// With `rate`: the lines are alike but for their numbers, and each pair of numbers is within
  /// 20% of the larger.
  public static func rateAlike(_ a: [String], _ b: [String]) -> Bool {
    guard a.count == b.count else { return false }
    func numbers(_ s: String) -> [Double] { s.matches(of: #/\d+/#).compactMap { Double(s[$0.range]) } }
    func skeleton(_ s: String) -> String { s.replacing(#/\d+/#, with: "N") }
    return zip(a, b).allSatisfy { x, y in
      let (m, n) = (numbers(x), numbers(y))
      return skeleton(x) == skeleton(y) && m.count == n.count && zip(m, n).allSatisfy { abs($0 - $1) <= 0.2 * max($0, $1) }
    }
  }

  /// Orders lines by what they say but for their ids: an id the clock derived sorts differently on
  /// each side, and one the replay could not rename to the reference's would sort apart.
  static func byContent(_ a: String, _ b: String) -> Bool {
    let (x, y) = (withoutIDs(a), withoutIDs(b))
    return x != y ? x < y : a < b
  }

  static func withoutIDs(_ s: String) -> String {
    let hex = Normalize.mapRuns(s, inRun: { $0.isASCII && ($0.isLetter || $0.isNumber) }, match: Normalize.isHexID) { _ in "#" }
    return Normalize.mapRuns(hex, inRun: { $0.isNumber || $0 == "." }, match: Normalize.isDecID) { _ in "#" }
  }
}

/// The relaxed commands of the reference transcripts (`Resources/relaxations.txt`), each with
/// its classes and the reason. A class written `live:CLASS` applies only against a live run of
/// real etcd: there the chance falls anew, while the simulator is held to the recorded sample.
public struct Relaxations: Sendable {
  public struct Entry: Sendable {
    public var file: String
    public var index: Int
    public var classes: [Relaxation]
    /// The `live:` classes.
    public var liveClasses: [Relaxation] = []
    public var reason: String

    /// The classes for a comparison with the recording (`live` false) or with real etcd now.
    public func classes(live: Bool) -> [Relaxation] { live ? classes + liveClasses : classes }
  }

  public var entries: [Entry]

  /// The list that ships with etcdlab.
  public static let standard: Relaxations = {
    guard let url = Bundle.module.url(forResource: "relaxations", withExtension: "txt"),
      let text = try? String(contentsOf: url, encoding: .utf8)
    else { return Relaxations(entries: []) }
    return parse(text)
  }()

  /// Lines `FILE #N CLASSES REASON`; `#` lines are comments. An unknown class keeps its entry
  /// (with the classes it does know), so a typo shows as a difference, not as a match.
  public static func parse(_ text: String) -> Relaxations {
    var out: [Entry] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
      let f = line.split(separator: " ", maxSplits: 3).map(String.init)
      guard f.count == 4, let n = Int(f[1].dropFirst()) else { continue }
      let names = f[2].split(separator: ",").map(String.init)
      let classes = names.compactMap { Relaxation(rawValue: $0) }
      let live = names.filter { $0.hasPrefix("live:") }.compactMap { Relaxation(rawValue: String($0.dropFirst(5))) }
      out.append(Entry(file: f[0], index: n, classes: classes, liveClasses: live, reason: f[3]))
    }
    return Relaxations(entries: out)
  }

  /// These and the ones a transcript names in its own header.
  public func adding(_ t: Transcript) -> Relaxations {
    guard !t.relaxed.isEmpty else { return self }
    return Relaxations(entries: entries + t.relaxed.keys.sorted().map { i in
      Entry(file: t.name, index: i, classes: t.relaxed[i] ?? [], reason: "named in the transcript's header")
    })
  }

  public func entry(_ file: String, _ index: Int) -> Entry? { entries.first { $0.file == file && $0.index == index } }

  /// The classes to compare a command with: nil when it is compared strictly.
  public func classes(_ file: String, _ index: Int, live: Bool) -> [Relaxation]? {
    guard let e = entry(file, index) else { return nil }
    let c = e.classes(live: live)
    return c.isEmpty ? nil : c
  }
}
