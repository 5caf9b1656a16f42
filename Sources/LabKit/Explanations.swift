import EtcdCommands
import EtcdSim
import Foundation
import Yams

/// What an etcd error means, why it usually happens, and how to fix it.
public struct Explanation: Sendable, Equatable {
  public var meaning: Localized
  /// Meanings told apart by the facts, as `causeCases`.
  public var meaningCases: [String: Localized] = [:]
  public var causes: Localized?
  /// Causes told apart by the facts: the one named by the `case` fact replaces `causes`.
  public var causeCases: [String: Localized] = [:]
  /// The same for the fix.
  public var fixCases: [String: Localized] = [:]
  public var fix: Localized?
  /// Older wordings of the same error (documentation, blog posts).
  public var aliases: [String] = []

  /// The explanation in one language, with the facts of the moment in place of `{placeholders}`.
  /// A case's text is used only when the facts fill all its placeholders; `generic` (a pasted
  /// message, no command behind it) writes a missing fact as its kind (`ID`, `URL`) instead of `?`.
  public func render(_ lang: Language, facts: [String: String], generic: Bool = false) -> String {
    func pick(_ cases: [String: Localized], _ plain: Localized?) -> String? {
      if let c = facts["case"].flatMap({ cases[$0] }), Explanation.placeholders(c[lang]).allSatisfy({ facts[$0] != nil }) { return c[lang] }
      return plain?[lang]
    }
    var parts = [pick(meaningCases, meaning) ?? meaning[lang]]
    if let c = pick(causeCases, causes) { parts.append(Messages.t("explanation.why", lang, c)) }
    if let f = pick(fixCases, fix) { parts.append(Messages.t("explanation.fix", lang, f)) }
    return Explanation.fill(parts.joined(separator: "\n"), facts, unknown: generic ? { Explanation.genericNames[$0] ?? "…" } : { _ in "?" })
  }

  /// What a fact is called when a pasted message does not give it.
  static let genericNames = ["member": "ID", "learnerID": "ID", "name": "NAME", "endpoint": "ENDPOINT", "url": "URL", "address": "ADDRESS", "flag": "FLAG"]

  /// The `{names}` a text uses.
  static func placeholders(_ text: String) -> [String] {
    var out: [String] = []
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      out.append(String(rest[rest.index(after: open)..<close]))
      rest = rest[rest.index(after: close)...]
    }
    return out
  }

  static func fill(_ text: String, _ facts: [String: String], unknown: (String) -> String = { _ in "?" }) -> String {
    var out = ""
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{") {
      out += rest[..<open]
      guard let close = rest[open...].firstIndex(of: "}") else { break }
      let key = String(rest[rest.index(after: open)..<close])
      out += facts[key] ?? unknown(key)
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }
}

/// The data files that travel with LabKit: the objectives and the explanation catalog.
public enum Catalogs {
  public struct Objective: Sendable {
    public var id: String
    public var title: Localized
    /// The course's order for this objective's labs; labs it does not name follow, easiest first.
    public var labs: [String]
  }

  /// Labs in course order: by objective, then as the objective lists them, then by difficulty and id.
  public static func courseOrder(_ labs: [Lab]) -> [(Objective, [Lab])] {
    let rank = ["beginner": 0, "intermediate": 1, "advanced": 2]
    return objectives.map { o in
      let mine = labs.filter { $0.objective == o.id }
      let sorted = mine.sorted { a, b in
        let ia = o.labs.firstIndex(of: a.id) ?? Int.max, ib = o.labs.firstIndex(of: b.id) ?? Int.max
        if ia != ib { return ia < ib }
        let ra = rank[a.difficulty] ?? 3, rb = rank[b.difficulty] ?? 3
        return ra != rb ? ra < rb : a.id < b.id
      }
      return (o, sorted)
    }.filter { !$0.1.isEmpty }
  }

  static func resource(_ name: String) -> String {
    guard let url = Bundle.module.url(forResource: name, withExtension: "yaml"),
      let text = try? String(contentsOf: url, encoding: .utf8)
    else { return "" }
    return text
  }

  public static let objectives: [Objective] = {
    guard let node = try? Yams.compose(yaml: resource("objectives")), let items = node.sequence else { return [] }
    return items.compactMap { item in
      guard let id = item["id"]?.string, let t = item["title"], let en = t["en"]?.string, let zh = t["zh"]?.string else { return nil }
      return Objective(id: id, title: Localized(en: en, zh: zh), labs: item["labs"]?.sequence?.compactMap(\.string) ?? [])
    }
  }()

  public static var objectiveIDs: Set<String> { Set(objectives.map(\.id)) }

  /// Every EtcdError id (what `explanations.yaml` must cover).
  public static var errorIDs: Set<String> { EtcdError.allIDs }

  /// The catalog's text (for lint) and its entries.
  public static let explanationsText = resource("explanations")

  public static let explanations: [String: Explanation] = {
    var loader = LabLoader(file: "explanations.yaml")
    guard let node = try? Yams.compose(yaml: explanationsText), let map = node.mapping else { return [:] }
    var out: [String: Explanation] = [:]
    for (k, v) in map {
      if let key = k.string, let e = loader.explanation(v) { out[key] = e }
    }
    return out
  }()

  /// The error an older or pasted wording names (`assign ids error: the member count is unequal`).
  /// The longest wording found in the text wins (`error verifying flags, parse ...: missing
  /// protocol scheme` is a bad URL, not just any flag error).
  public static func errorID(forText text: String) -> String? {
    let lower = text.lowercased()
    var best: (id: String, length: Int)?
    for (id, e) in explanations.sorted(by: { $0.key < $1.key }) {
      for a in e.aliases where lower.contains(a.lowercased()) && a.count > (best?.length ?? 0) { best = (id, a.count) }
    }
    return best?.id
  }
}

/// The facts of the moment an error happened, for the explanation's placeholders.
public enum Facts {
  /// What holds whatever the command: the host, and the lab cluster's voters and quorum.
  static func general(host: String, world: World) -> [String: String] {
    var f: [String: String] = ["host": host]
    if let c = world.labCluster {
      f["voters"] = String(c.voters.count)
      f["votersUp"] = String(world.runningVoters(of: c).count)
      f["quorum"] = String(Cluster.quorum(c.voters.count))
      f["running"] = String(c.members.count)
    }
    return f
  }

  public static func collect(_ event: Event, world: World) -> [String: String] {
    var f = general(host: event.host, world: world)
    let cluster = world.labCluster
    // The member id the command named (member remove/promote/update ID), and its name.
    let words = commandWords(event, world: world)
    // The word after `member remove|promote|update` (flags skipped); else any long hexadecimal word.
    let verb = words.indices.first { i in i > 0 && words[i - 1] == "member" && ["remove", "promote", "update"].contains(words[i]) }
    let named = verb.flatMap { v in words[(v + 1)...].first { !$0.hasPrefix("-") } }
    let idWord = named ?? words.dropFirst().first { w in w.count >= 8 && w.count <= 16 && w.allSatisfy(\.isHexDigit) }
    if let idWord {
      f["member"] = idWord
      f["name"] = "?"
    }
    if let idWord, let id = UInt64(idWord, radix: 16) {
      f["member"] = idWord
      if let c = cluster, let m = c.members[id] {
        f["name"] = m.name.isEmpty ? "(unstarted)" : m.name
        let learner = world.matchIndex(of: id, in: c)
        f["learnerIndex"] = String(learner)
        f["leaderIndex"] = String(c.index)
        f["needed"] = String(Int((0.9 * Double(c.index)).rounded(.up)))
      }
    }
    let endpoint = Facts.endpoint(words)
    f["endpoint"] = endpoint
    switch event.error {
    case .localNameNotFound(let n)?: f["localName"] = n
    case .alreadyBootstrapped(let id)?: f["member"] = id
    case .conflictingEnvironment(let v)?: f["variable"] = v
    case .addressInUse(let a)?, .cannotAssignAddress(let a)?: f["address"] = a
    case .flagUndefined(let fl)?:
      f["flag"] = fl
      // Flags a release removed: 3.6 has no --enable-v2 (the v2 API is gone).
      if fl == "enable-v2" { f["case"] = "removed-in-3.6" }
    case .deadlineExceeded? where event.handshake != nil:
      // The server refused the TLS handshake: which files were missing or wrong.
      switch event.handshake! {
      case .plainToTLS: f["case"] = "tls-plain"
      case .tlsToPlain: f["case"] = "tls-to-plain"
      case .unknownServerAuthority: f["case"] = event.words.contains { $0.hasPrefix("--cacert") } ? "tls-wrong-ca" : "tls-no-ca"
      case .noClientCertificate: f["case"] = "tls-no-client-cert"
      case .unknownClientAuthority: f["case"] = "tls-foreign-client-cert"
      case .hostMismatch(let why):
        f["case"] = "tls-host"
        f["x509"] = why
      }
    case .deadlineExceeded?:
      // Which of the two usual causes it was, seen from the host the command ran on.
      let hostPort = endpoint.split(separator: ",").first.map { String($0.split(separator: "/").last ?? $0) } ?? endpoint
      if let e = world.listener(hostPort, from: event.host, peer: false)?.etcd {
        if let c = world.clusters[e.clusterID], world.runningVoters(of: c).count < Cluster.quorum(c.voters.count) {
          f["voters"] = String(c.voters.count)
          f["votersUp"] = String(world.runningVoters(of: c).count)
          f["quorum"] = String(Cluster.quorum(c.voters.count))
          f["case"] = "no-quorum"
        }
      } else {
        Facts.noListener(hostPort, on: event.host, world: world, into: &f)
      }
    case .notEnoughStartedMembers?:
      // The counts etcd compared: voters after the change, and how many of them have started.
      if let c = cluster {
        let promote = event.command.hasSuffix("promote")
        let removing = event.command.hasSuffix("remove")
        let n = removing ? c.voters.count - 1 : c.voters.count + 1
        let s = c.voters.filter(\.isStarted).count + (promote ? 1 : 0) - (removing ? 1 : 0)
        f["voters"] = String(n)
        f["votersUp"] = String(max(0, s))
        f["quorum"] = String(Cluster.quorum(n))
      }
    case .memberCountUnequal?:
      if let i = words.firstIndex(where: { $0 == "--initial-cluster" || $0.hasPrefix("--initial-cluster=") }) {
        let value = words[i].contains("=") ? String(words[i].drop { $0 != "=" }.dropFirst()) : (i + 1 < words.count ? words[i + 1] : "")
        f["given"] = String(value.split(separator: ",").count)
      } else {
        f["given"] = "?"
      }
    default: break
    }
    diagnose(event, world: world, into: &f)
    if let line = event.fatalLine { f["fatal"] = line }
    return f
  }
}

extension Catalogs {
  /// The catalog's explanations of the failed events, for the sandbox (no lab).
  public static func explain(_ events: ArraySlice<Event>, world: World, lang: Language) -> [String] {
    events.compactMap { e in
      guard e.status != 0, let error = e.error, let x = explanations[error.id] else { return nil }
      return x.render(lang, facts: Facts.collect(e, world: world))
    }
  }
}

extension Facts {
  /// The endpoints etcdctl used: `--endpoints=X` or `--endpoints X`, else its default.
  static func endpoint(_ words: [String]) -> String {
    for (i, w) in words.enumerated() {
      if w.hasPrefix("--endpoints=") { return String(w.dropFirst(12)) }
      if w == "--endpoints", i + 1 < words.count { return words[i + 1] }
    }
    return "127.0.0.1:2379"
  }
}
