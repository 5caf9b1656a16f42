import EtcdSim
import LabKit

/// `cluster`: each host as a box — member name and id, role, running or not, version, and a bar
/// of its raft index against the leader's — then the quorum and the cluster version.
public enum ClusterPicture {
  public static func render(_ world: World, lang: Language, terminal: Terminal) -> [String] {
    let cluster = world.labCluster
    let boxWidth = 34
    var boxes: [[String]] = []
    for host in world.hosts {
      var lines: [String] = []
      let member = cluster?.sortedMembers.first { m in m.peerURLs.contains { host.addresses.contains(URLList.host($0)) } }
      let process = world.processes.first { $0.isRunning && $0.host == host.name && $0.etcd != nil }
      // A server of another cluster here (started with `new` beside the lab's, restored otherwise).
      let stray = world.strayServers.first { $0.host == host.name }?.etcd
      let strayLine = stray.map { Strings.t("cluster.stray", lang, Hex.string($0.clusterID)) }
      if let m = member, let c = cluster {
        let running = world.server(member: m.id, cluster: c.id) != nil
        // Leader and follower are raft states of a running member; one that is down is just a voter.
        let role = m.isLearner ? Strings.t("cluster.learner", lang)
          : !running ? Strings.t("cluster.voter", lang)
          : c.leader == m.id ? Strings.t("cluster.leader", lang) : Strings.t("cluster.follower", lang)
        let state = !m.isStarted ? Strings.t("cluster.unstarted", lang) : running ? Strings.t("cluster.running", lang) : Strings.t("cluster.stopped", lang)
        lines.append("\(m.name.isEmpty ? "—" : m.name)  \(Hex.string(m.id))")
        let roleText = "\(role) · \(state) · \(process?.etcd?.version ?? host.etcdVersion ?? "-")"
        lines.append(c.leader == m.id ? terminal.paint(roleText, .bold) : roleText)
        let match = world.matchIndex(of: m.id, in: c)
        lines.append(strayLine.map { terminal.paint($0, .red) } ?? bar(match, of: c.index, width: boxWidth - 14, terminal: terminal) + " \(match)/\(c.index)")
      } else if let e = stray, let line = strayLine {
        let own = world.clusters[e.clusterID]?.members[e.memberID]
        lines.append("\(own.map { $0.name.isEmpty ? "—" : $0.name } ?? "—")  \(Hex.string(e.memberID))")
        lines.append(terminal.paint(line, .red))
        lines.append(Strings.t("cluster.running", lang) + " · " + e.version)
      } else {
        lines.append(Strings.t("cluster.none", lang))
        lines.append(process != nil ? Strings.t("cluster.running", lang) : "etcd \(host.etcdVersion ?? "-")")
        lines.append("")
      }
      boxes.append(box(title: "\(host.name) \(host.addresses.first ?? "")", lines: lines, width: boxWidth, terminal: terminal))
    }
    var out: [String] = []
    let perRow = max(1, (terminal.width + 1) / (boxWidth + 3))
    var i = 0
    while i < boxes.count {
      let row = boxes[i..<min(i + perRow, boxes.count)]
      for k in 0..<(row.first?.count ?? 0) { out.append(row.map { $0[k] }.joined(separator: " ")) }
      i += perRow
    }
    if let c = cluster {
      let up = world.runningVoters(of: c).count
      let quorum = up >= Cluster.quorum(c.voters.count) && world.canCommit(c.id)
      let q = Strings.t(quorum ? "cluster.quorum-up" : "cluster.quorum-lost", lang, up, c.voters.count)
      let line = q + " · " + Strings.t("cluster.version", lang, c.version ?? "-")
      out += terminal.wrap(line).map { terminal.paint($0, quorum ? .green : .red) }
    }
    let others = Set(world.strayServers.compactMap { $0.etcd?.clusterID }).sorted()
    for id in others {
      guard let c = world.clusters[id] else { continue }
      let names = c.sortedMembers.map { m in
        m.name.isEmpty ? m.peerURLs.first.flatMap { world.hostOwning(URLList.host($0))?.name } ?? Hex.string(m.id) : m.name
      }.sorted().joined(separator: ", ")
      out += terminal.wrap(Strings.t("cluster.other", lang, Hex.string(id), names)).map { terminal.paint($0, .red) }
    }
    return out
  }

  static func bar(_ value: UInt64, of total: UInt64, width: Int, terminal: Terminal) -> String {
    let filled = total == 0 ? 0 : min(width, Int((Double(value) / Double(total) * Double(width)).rounded()))
    let on = terminal.unicode ? "█" : "#"
    let off = terminal.unicode ? "░" : "."
    return String(repeating: on, count: filled) + String(repeating: off, count: width - filled)
  }

  static func box(title: String, lines: [String], width: Int, terminal: Terminal) -> [String] {
    let (h, v, tl, tr, bl, br) = terminal.unicode ? ("─", "│", "┌", "┐", "└", "┘") : ("-", "|", "+", "+", "+", "+")
    let head = "\(tl)\(h) \(title) "
    var out = [head + String(repeating: h, count: max(0, width - Terminal.displayWidth(head) - 1)) + tr]
    for l in lines { out.append("\(v) " + Terminal.pad(l, width - 4) + " \(v)") }
    out.append(bl + String(repeating: h, count: width - 2) + br)
    return out
  }
}

/// `lesson`: a section of a Markdown lesson rendered for the terminal.
public enum LessonRenderer {
  /// The section that starts at `<a id="anchor">` and ends at the next anchor.
  public static func section(_ markdown: String, anchor: String) -> String? {
    guard let start = markdown.range(of: "<a id=\"\(anchor)\"></a>") else { return nil }
    var rest = markdown[start.upperBound...]
    // Anchors stacked on one section (`<a id="a"></a>` then `<a id="b"></a>`) all open it.
    while true {
      let trimmed = rest.drop { $0 == "\n" || $0 == " " }
      guard trimmed.hasPrefix("<a id=\""), let close = trimmed.range(of: "</a>") else { break }
      rest = trimmed[close.upperBound...]
    }
    let end = rest.range(of: "<a id=\"")?.lowerBound ?? rest.endIndex
    return String(rest[..<end])
  }

  public static func render(_ markdown: String, terminal: Terminal) -> [String] {
    var out: [String] = []
    var inCode = false
    var table: [[String]] = []
    func flushTable() {
      guard !table.isEmpty else { return }
      var widths = [Int](repeating: 0, count: table.map(\.count).max() ?? 0)
      for r in table { for (i, c) in r.enumerated() { widths[i] = max(widths[i], Terminal.displayWidth(c)) } }
      // Too wide for the terminal: each row as a block, its first cell and then the others,
      // named by the header, wrapped and indented.
      if widths.reduce(0, +) + 2 * (widths.count - 1) > terminal.width, widths.count > 1, let header = table.first {
        for r in table.dropFirst() {
          out += terminal.wrap(terminal.paint(r.first ?? "", .bold))
          for (i, cell) in r.enumerated().dropFirst() where !cell.isEmpty {
            out += terminal.wrap((i < header.count ? header[i] + ": " : "") + cell, indent: "    ")
          }
        }
        table = []
        return
      }
      for (k, r) in table.enumerated() {
        out.append(r.enumerated().map { Terminal.pad($0.element, widths[$0.offset]) }.joined(separator: "  "))
        if k == 0 { out.append(widths.map { String(repeating: terminal.unicode ? "─" : "-", count: $0) }.joined(separator: "  ")) }
      }
      table = []
    }
    for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if raw.hasPrefix("```") { inCode.toggle(); continue }
      if inCode { out.append("    " + terminal.paint(raw, .cyan)); continue }
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("|") {
        if line.allSatisfy({ "|-: ".contains($0) }) { continue }
        table.append(line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map { inline(String($0).trimmingCharacters(in: .whitespaces), terminal) })
        continue
      }
      flushTable()
      if line.hasPrefix("<a id=") { continue }
      if line.hasPrefix("#") {
        let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
        out.append(terminal.paint(title, .bold))
        continue
      }
      if line.isEmpty { if out.last != "" { out.append("") }; continue }
      let indent = raw.prefix { $0 == " " }.count > 0 ? "   " : ""
      out += terminal.wrap(inline(line, terminal), indent: indent)
    }
    flushTable()
    return out
  }

  /// `code`, **emphasis**, and [links](file.md#anchor), shown as their text and target.
  static func inline(_ s: String, _ terminal: Terminal) -> String {
    var out = ""
    var code = false
    var bold = false
    var chars = Array(s)[...]
    while let c = chars.popFirst() {
      if c == "[", !code, let close = chars.firstIndex(of: "]"), chars.index(after: close) < chars.endIndex,
        chars[chars.index(after: close)] == "(", let end = chars[close...].firstIndex(of: ")") {
        let text = String(chars[..<close])
        let target = String(chars[chars.index(close, offsetBy: 2)..<end])
        out += text + " (" + target + ")"
        chars = chars[chars.index(after: end)...]
        continue
      }
      if c == "`" { code.toggle(); if terminal.colour { out += code ? "\u{1b}[36m" : "\u{1b}[0m" }; continue }
      if c == "*", chars.first == "*" {
        chars = chars.dropFirst()
        bold.toggle()
        if terminal.colour { out += bold ? "\u{1b}[1m" : "\u{1b}[0m" }
        continue
      }
      out.append(c)
    }
    if terminal.colour && (code || bold) { out += "\u{1b}[0m" }
    return out
  }
}
