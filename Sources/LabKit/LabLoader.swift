import EtcdCommands
import EtcdSim
import Yams

/// A problem in a lab file, at `file:line:column`.
public struct LabProblem: Sendable, Equatable, CustomStringConvertible {
  public enum Severity: String, Sendable { case error, warning }
  public var file: String
  public var line: Int
  public var column: Int
  public var severity: Severity
  public var message: String

  public var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }
}

/// Reads lab files (YAML) into `Lab` values, reporting every problem with its position.
public struct LabLoader {
  public let file: String
  public private(set) var problems: [LabProblem] = []
  let objectives: Set<String>
  /// The language of the messages that have both (the file's limits, its encoding, YAML's syntax).
  public var lang: Language

  public init(file: String, objectives: Set<String> = Catalogs.objectiveIDs, lang: Language = .en) {
    self.file = file
    self.objectives = objectives
    self.lang = lang
  }

  /// Parses a lab file's bytes: UTF-8 text, else the position of the first byte that is not.
  public mutating func load(bytes: [UInt8]) -> Lab? {
    guard let text = text(bytes) else { return nil }
    return load(text)
  }

  /// A file's bytes as text, or nil with the problem recorded (not UTF-8, too large).
  mutating func text(_ bytes: [UInt8]) -> String? {
    switch LabText.decode(bytes) {
    case .success(let text): return text
    case .failure(let p):
      error(p.line, p.column, p.message[lang])
      return nil
    }
  }

  /// Parses a lab file's text; nil when it has errors (see `problems`).
  public mutating func load(_ text: String) -> Lab? {
    guard case .node(let root) = document(text) else {
      if problems.isEmpty { error(1, 1, "the file is empty") }
      return nil
    }
    guard let map = mapping(root, allowed: ["schema", "id", "objective", "title", "difficulty", "minutes", "lesson", "intro", "setup", "start", "prepare", "steps", "explanations"], at: "lab") else { return nil }
    if let s = map["schema"] {
      if int(s) != Lab.schemaVersion { error(s, "unsupported schema \(s.string ?? "?"): this etcdlab reads schema \(Lab.schemaVersion)") }
    } else {
      error(root, "missing required key 'schema' (the format version, \(Lab.schemaVersion))")
    }
    let id = required(map, "id", in: root).flatMap({ string($0) }) ?? ""
    if !id.isEmpty {
      let base = file.split(separator: "/").last.map(String.init) ?? file
      let stem = base.hasSuffix(".yaml") ? String(base.dropLast(5)) : base.hasSuffix(".yml") ? String(base.dropLast(4)) : base
      if stem != id && !file.isEmpty && file != "-" { error(map["id"]!, "id '\(id)' does not match the file name '\(base)'") }
    }
    let objective = required(map, "objective", in: root).flatMap({ string($0) }) ?? ""
    if !objective.isEmpty && !objectives.contains(objective) {
      error(map["objective"]!, "unknown objective '\(objective)'\(Self.didYouMean(objective, objectives)) (known: \(objectives.sorted().joined(separator: ", ")))")
    }
    let title = required(map, "title", in: root).flatMap { localized($0, "title") }
    let difficulty = map["difficulty"].flatMap({ string($0) }) ?? "beginner"
    if let d = map["difficulty"], !["beginner", "intermediate", "advanced"].contains(difficulty) {
      error(d, "difficulty must be beginner, intermediate or advanced")
    }
    let minutes = map["minutes"].flatMap({ int($0) }) ?? 10
    let lesson = map["lesson"].flatMap({ string($0) })
    if let l = map["lesson"], let text = lesson, !text.contains("#") || !text.hasSuffix("") {
      if !text.contains("#") { warning(l, "lesson link '\(text)' has no #anchor") }
    }
    let intro = map["intro"].flatMap { localized($0, "intro") }
    let setup = map["setup"].flatMap({ setupValue($0) }) ?? .course
    let hostNames = Set((setup.hosts ?? WorldSetup.course.hosts!).map(\.name))
    let start = map["start"].flatMap({ string($0) })
    if let s = map["start"], let name = start, !hostNames.contains(name) { error(s, "start host '\(name)' is not a host of the setup\(Self.didYouMean(name, hostNames))") }
    var steps: [Lab.Step] = []
    if let seq = required(map, "steps", in: root) {
      if let items = seq.sequence, !items.isEmpty {
        for (k, item) in items.enumerated() { if let s = step(item, index: k, hosts: hostNames) { steps.append(s) } }
      } else {
        error(seq, "steps must be a non-empty list")
      }
    }
    var explanations: [String: Explanation] = [:]
    if let ex = map["explanations"] {
      for (k, v) in ex.mapping ?? [:] {
        guard let key = k.string else { continue }
        if !Catalogs.errorIDs.contains(key) { error(k, "unknown error id '\(key)'\(Self.didYouMean(key, Catalogs.errorIDs))") }
        if let e = explanation(v) { explanations[key] = e }
      }
    }
    let prepare = commands(map["prepare"], "prepare") ?? []
    guard !problems.contains(where: { $0.severity == .error }), let title else { return nil }
    var lab = Lab(id: id, objective: objective, title: title, difficulty: difficulty, minutes: minutes, lesson: lesson, intro: intro,
                  setup: setup, startHost: start, steps: steps, explanations: explanations)
    lab.prepare = prepare
    return lab
  }

  // MARK: Parts

  mutating func step(_ node: Node, index: Int, hosts: Set<String>) -> Lab.Step? {
    guard let map = mapping(node, allowed: ["text", "checks", "hints", "solution", "alternatives", "mistakes"], at: "steps[\(index)]") else { return nil }
    let text = required(map, "text", in: node).flatMap { localized($0, "text") }
    var checks: [CheckItem] = []
    if let c = map["checks"], let items = c.sequence, !items.isEmpty {
      checks = items.compactMap { checkItem($0, hosts: hosts) }
    } else {
      error(map["checks"] ?? node, "step \(index + 1) has no checks: a step passes only when its checks hold")
    }
    var hints: [Lab.Hint] = []
    for h in map["hints"]?.sequence ?? [] {
      if let m = h.mapping, m["text"] != nil {
        guard let hm = mapping(h, allowed: ["text", "when"], at: "hint") else { continue }
        if let t = hm["text"].flatMap({ localized($0, "hint") }) {
          hints.append(Lab.Hint(text: t, when: hm["when"].flatMap { checkItem($0, hosts: hosts) }))
        }
      } else if let t = localized(h, "hint") {
        hints.append(Lab.Hint(text: t, when: nil))
      }
    }
    if hints.isEmpty { warning(node, "step \(index + 1) has no hints") }
    let solution = commands(map["solution"], "solution") ?? []
    if map["solution"] == nil { error(node, "step \(index + 1) has no solution") }
    let alternatives = (map["alternatives"]?.sequence ?? []).compactMap { commands($0, "alternative") }
    var mistakes: [Lab.Mistake] = []
    for m in map["mistakes"]?.sequence ?? [] {
      guard let mm = mapping(m, allowed: ["commands", "error", "explanation", "host"], at: "mistake") else { continue }
      let cmds = commands(required(mm, "commands", in: m), "commands") ?? []
      let err = mm["error"].flatMap({ string($0) })
      if let e = mm["error"], let id = err, !Catalogs.errorIDs.contains(id) {
        error(e, "unknown error id '\(id)'\(Self.didYouMean(id, Catalogs.errorIDs))")
      }
      let on = mm["host"].flatMap { string($0) }
      if let n = mm["host"], let on, !hosts.contains(on) { error(n, "host '\(on)' is not defined by the setup\(Self.didYouMean(on, hosts))") }
      let mistake = Lab.Mistake(commands: cmds, error: err, explanation: mm["explanation"].flatMap { localized($0, "explanation") }, host: on, line: m.mark?.line ?? 0)
      if let why = mistake.neverMatches { warning(m, "this mistake can never match: \(why)") }
      mistakes.append(mistake)
    }
    guard let text else { return nil }
    return Lab.Step(text: text, checks: checks, hints: hints, solution: solution, alternatives: alternatives, mistakes: mistakes, line: node.mark?.line ?? 0)
  }

  mutating func commands(_ node: Node?, _ what: String) -> [String]? {
    guard let node else { return nil }
    if let s = node.string { return [s] }
    guard let items = node.sequence else {
      error(node, "\(what) must be a list of command lines")
      return nil
    }
    return items.compactMap { item in
      guard let s = item.string else { error(item, "\(what): a command line must be a string"); return nil }
      return s
    }
  }

  mutating func checkItem(_ node: Node, hosts: Set<String>) -> CheckItem? {
    guard let map = node.mapping else {
      error(node, "a check is a mapping such as {member: {name: infra3, is: started}}")
      return nil
    }
    var kinds: [(String, Node, Node)] = []
    var message: Localized?
    for (k, v) in map {
      guard let key = k.string else { continue }
      if key == "message" { message = localized(v, "message"); continue }
      if Check.kinds.contains(key) { kinds.append((key, k, v)) } else {
        error(k, "unknown check '\(key)'\(Self.didYouMean(key, Set(Check.kinds + ["message"]))) (checks: \(Check.kinds.joined(separator: ", ")))")
      }
    }
    guard kinds.count == 1, let (kind, keyNode, value) = kinds.first else {
      if kinds.count > 1 { error(node, "one check per item: found \(kinds.map(\.0).joined(separator: " and ")); wrap them in all: [...]") }
      else if !problems.contains(where: { $0.line == (node.mark?.line ?? 0) }) { error(node, "a check needs one of: \(Check.kinds.joined(separator: ", "))") }
      return nil
    }
    var item: CheckItem?
    func host(_ n: Node?, _ name: String?) {
      if let n, let name, !hosts.contains(name) { error(n, "host '\(name)' is not defined by the setup\(Self.didYouMean(name, hosts))") }
    }
    switch kind {
    case "member":
      guard let m = mapping(value, allowed: ["name", "peer-url", "id", "is"], at: "member") else { return nil }
      let state = m["is"].flatMap({ string($0) }).flatMap(Check.MemberState.init) 
      if state == nil { error(m["is"] ?? value, "member needs is: one of \(Check.MemberState.allCases.map(\.rawValue).joined(separator: ", "))") }
      let name = m["name"].flatMap({ string($0) })
      if name == nil && m["peer-url"] == nil && m["id"] == nil { error(value, "member needs name, peer-url or id") }
      if let n = m["name"], let nm = name, !hosts.contains(nm) {
        warning(n, "member '\(nm)' is not a host of the setup: the check matches only a member that publishes this name\(Self.didYouMean(nm, hosts))")
      }
      item = state.map { CheckItem(.member(name: name, peerURL: m["peer-url"].flatMap({ string($0) }), id: m["id"].flatMap({ string($0) }), state: $0)) }
    case "cluster":
      guard let m = mapping(value, allowed: ["voters", "learners", "members", "healthy", "leader"], at: "cluster") else { return nil }
      item = CheckItem(.cluster(voters: m["voters"].flatMap({ int($0) }), learners: m["learners"].flatMap({ int($0) }), members: m["members"].flatMap({ int($0) }),
                                healthy: m["healthy"].flatMap({ bool($0) }), leader: m["leader"].flatMap({ bool($0) })))
    case "key":
      guard let m = mapping(value, allowed: ["name", "value", "absent"], at: "key") else { return nil }
      guard let name = required(m, "name", in: value).flatMap({ string($0) }) else { return nil }
      item = CheckItem(.key(name, value: m["value"].flatMap({ string($0) }), absent: m["absent"].flatMap({ bool($0) }) ?? false))
    case "file":
      guard let m = mapping(value, allowed: ["host", "path", "exists"], at: "file") else { return nil }
      guard let h = required(m, "host", in: value).flatMap({ string($0) }), let p = required(m, "path", in: value).flatMap({ string($0) }) else { return nil }
      host(m["host"], h)
      item = CheckItem(.file(host: h, path: p, exists: m["exists"].flatMap({ bool($0) }) ?? true))
    case "snapshot":
      guard let m = mapping(value, allowed: ["host", "path", "keys", "revision"], at: "snapshot") else { return nil }
      guard let h = required(m, "host", in: value).flatMap({ string($0) }), let p = required(m, "path", in: value).flatMap({ string($0) }) else { return nil }
      host(m["host"], h)
      item = CheckItem(.snapshot(host: h, path: p, keys: m["keys"].flatMap({ int($0) }), revision: m["revision"].flatMap({ int($0) }).map(Int64.init)))
    case "version":
      guard let m = mapping(value, allowed: ["host", "binary", "cluster"], at: "version") else { return nil }
      let h = m["host"].flatMap({ string($0) })
      if let h { host(m["host"], h) }
      let binary = m["binary"].flatMap({ string($0) }), cluster = m["cluster"].flatMap({ string($0) })
      if binary == nil && cluster == nil { error(value, "version needs binary or cluster") }
      item = CheckItem(.version(host: h, binary: binary, cluster: cluster))
    case "tls":
      guard let m = mapping(value, allowed: ["host"], at: "tls") else { return nil }
      let h = m["host"].flatMap({ string($0) })
      if let h { host(m["host"], h) }
      item = CheckItem(.tls(host: h))
    case "process":
      guard let m = mapping(value, allowed: ["host", "running", "flags"], at: "process") else { return nil }
      guard let h = required(m, "host", in: value).flatMap({ string($0) }) else { return nil }
      host(m["host"], h)
      let flags = commands(m["flags"], "flags") ?? []
      if case .failure(let f) = EtcdFlagSettings.parse(flags, version: "3.4.23"), case .failure = EtcdFlagSettings.parse(flags, version: "3.6.0") {
        error(m["flags"] ?? value, "flags: \(f.message) (write etcd flags: --data-dir /var/lib/etcd-restored)")
      }
      item = CheckItem(.process(host: h, running: m["running"].flatMap({ bool($0) }) ?? true, flags: flags))
    case "restored":
      guard let m = mapping(value, allowed: ["host", "data-dir", "name", "token", "initial-cluster"], at: "restored") else { return nil }
      let fields = ["host", "data-dir", "name", "token", "initial-cluster"].map { required(m, $0, in: value).flatMap { string($0) } }
      guard case let (h?, dir?, name?, token?, initial?) = (fields[0], fields[1], fields[2], fields[3], fields[4]) else { return nil }
      host(m["host"], h)
      let check = Check.restored(host: h, dataDir: dir, name: name, token: token, initialCluster: initial)
      if RestoreFinding(check, in: World(seed: 0)) == .invalid {
        error(m["initial-cluster"] ?? value, "restored: --initial-cluster '\(initial)' must list '\(name)' with valid URLs, as snapshot restore requires")
      }
      item = CheckItem(check)
    case "service":
      guard let m = mapping(value, allowed: ["host", "unit", "active"], at: "service") else { return nil }
      guard let h = required(m, "host", in: value).flatMap({ string($0) }) else { return nil }
      host(m["host"], h)
      item = CheckItem(.service(host: h, unit: m["unit"].flatMap({ string($0) }) ?? "etcd", active: m["active"].flatMap({ bool($0) }) ?? true))
    case "event":
      guard let m = mapping(value, allowed: ["command", "succeeded", "error", "host"], at: "event") else { return nil }
      guard let cmd = required(m, "command", in: value).flatMap({ string($0) }) else { return nil }
      let err = m["error"].flatMap({ string($0) })
      if let e = m["error"], let id = err, !Catalogs.errorIDs.contains(id) { error(e, "unknown error id '\(id)'\(Self.didYouMean(id, Catalogs.errorIDs))") }
      host(m["host"], m["host"].flatMap({ string($0) }))
      item = CheckItem(.event(command: cmd, succeeded: m["succeeded"].flatMap({ bool($0) }) ?? (err == nil), error: err, host: m["host"].flatMap({ string($0) })))
    case "all", "any":
      guard let items = value.sequence, !items.isEmpty else { error(value, "\(kind) needs a list of checks"); return nil }
      let inner = items.compactMap { checkItem($0, hosts: hosts) }
      item = CheckItem(kind == "all" ? .all(inner) : .any(inner))
    default:  // not
      guard let inner = checkItem(value, hosts: hosts) else { return nil }
      item = CheckItem(.not(inner))
    }
    item?.message = message
    item?.line = keyNode.mark?.line ?? 0
    item?.column = keyNode.mark?.column ?? 0
    return item
  }

  mutating func explanation(_ node: Node) -> Explanation? {
    guard let m = mapping(node, allowed: ["meaning", "causes", "fix", "aliases"], at: "explanation") else { return nil }
    guard let given = required(m, "meaning", in: node) else { return nil }
    let (plain, meaningCases) = byCase(given, "meaning")
    guard let meaning = plain else { return nil }
    let (causes, causeCases) = byCase(m["causes"], "causes")
    let (fix, fixCases) = byCase(m["fix"], "fix")
    var x = Explanation(meaning: meaning, causes: causes, fix: fix, aliases: (m["aliases"]?.sequence ?? []).compactMap(\.string))
    x.meaningCases = meaningCases
    x.causeCases = causeCases
    x.fixCases = fixCases
    return x
  }

  /// `meaning`, `causes` and `fix` are one text, or texts per case (`no-listener: {en, zh}`, ...) with a `default`.
  mutating func byCase(_ node: Node?, _ what: String) -> (Localized?, [String: Localized]) {
    guard let node else { return (nil, [:]) }
    guard let map = node.mapping, !map.keys.contains(where: { $0.string == "en" || $0.string == "zh" }) else {
      return (localized(node, what), [:])
    }
    var plain: Localized?
    var cases: [String: Localized] = [:]
    for (k, v) in map {
      guard let key = k.string, let text = localized(v, what + "." + key) else { continue }
      if key == "default" { plain = text } else { cases[key] = text }
    }
    if plain == nil { error(node, "\(what) by case needs a default") }
    return (plain, cases)
  }

  /// A YAML file's document: empty, a node, or broken (the problem recorded at its position).
  enum Document { case empty, node(Node), broken }

  mutating func document(_ text: String) -> Document {
    // Measured before Yams builds anything: a file past a limit could hang or exhaust it.
    if let breach = YAMLLimits.check(text) {
      error(breach.line, breach.column, breach.message[lang])
      return .broken
    }
    do {
      return try Yams.compose(yaml: text).map(Document.node) ?? .empty
    } catch let e as YamlError {
      let t = YAMLMessages.translate(e, in: text)
      error(t.line, t.column, t.message[lang])
    } catch {
      self.error(1, 1, "\(error)")
    }
    return .broken
  }

  /// Reads a world setup file (`etcdlab sandbox --setup FILE`) exactly as a lab's `setup:` is
  /// read: the one setup loader. An empty file is the course's world; nil when it has errors
  /// (see `problems`).
  public mutating func loadSetup(bytes: [UInt8]) -> WorldSetup? {
    guard let text = text(bytes) else { return nil }
    return loadSetup(text)
  }

  public mutating func loadSetup(_ text: String) -> WorldSetup? {
    switch document(text) {
    case .empty: return WorldSetup()
    case .broken: return nil
    case .node(let root):
      let setup = setupValue(root)
      return problems.contains { $0.severity == .error } ? nil : setup
    }
  }

  mutating func setupValue(_ node: Node) -> WorldSetup? {
    guard let m = mapping(node, allowed: WorldSetup.keys, at: "setup") else { return nil }
    for h in m["hosts"]?.sequence ?? [] { _ = mapping(h, allowed: WorldSetup.hostKeys, at: "a host") }
    for p in m["pki"]?.sequence ?? [] { _ = mapping(p, allowed: WorldSetup.pkiKeys, at: "a pki entry") }
    validateAddresses(m)
    do {
      return try YAMLDecoder().decode(WorldSetup.self, from: node)
    } catch let DecodingError.typeMismatch(_, ctx), let DecodingError.keyNotFound(_, ctx), let DecodingError.valueNotFound(_, ctx), let DecodingError.dataCorrupted(ctx) {
      var at = node
      for key in ctx.codingPath {
        if let i = key.intValue, let seq = at.sequence, i < seq.count { at = seq[i] } else if let next = at[key.stringValue] { at = next }
      }
      error(at, "setup: \(ctx.debugDescription)")
      return nil
    } catch {
      self.error(node, "setup: \(error)")
      return nil
    }
  }

  // MARK: Reading nodes

  /// A mapping's entries; unknown keys are reported with a did-you-mean.
  mutating func mapping(_ node: Node, allowed: [String], at what: String) -> [String: Node]? {
    guard let map = node.mapping else {
      error(node, "\(what) must be a mapping")
      return nil
    }
    var out: [String: Node] = [:]
    for (k, v) in map {
      guard let key = k.string else { continue }
      if !allowed.contains(key) {
        error(k, "unknown key '\(key)' in \(what)\(Self.didYouMean(key, Set(allowed))) (expected one of: \(allowed.joined(separator: ", ")))")
        continue
      }
      out[key] = v
    }
    return out
  }

  mutating func required(_ map: [String: Node], _ key: String, in parent: Node) -> Node? {
    if let v = map[key] { return v }
    error(parent, "missing required key '\(key)'")
    return nil
  }

  mutating func localized(_ node: Node, _ what: String) -> Localized? {
    if node.string != nil && node.mapping == nil {
      error(node, "\(what) needs both languages: {en: ..., zh: ...}")
      return nil
    }
    guard let m = mapping(node, allowed: ["en", "zh"], at: what) else { return nil }
    let en = m["en"].flatMap({ string($0) })
    let zh = m["zh"].flatMap({ string($0) })
    if en == nil { error(node, "\(what) has no English text (en)") }
    if zh == nil { error(node, "\(what) has no Chinese text (zh)") }
    guard let en, let zh else { return nil }
    if en.trimmingSpaces().isEmpty || zh.trimmingSpaces().isEmpty { warning(node, "\(what) has an empty text") }
    return Localized(en: en, zh: Self.unfoldCJK(zh))
  }

  /// YAML folds a line break into a space, which Chinese does not put between its characters:
  /// a space with a CJK character or CJK punctuation on both sides is dropped.
  static func unfoldCJK(_ text: String) -> String {
    func isCJK(_ c: Character) -> Bool {
      guard let v = c.unicodeScalars.first?.value else { return false }
      return (0x3000...0x303F).contains(v) || (0x3400...0x9FFF).contains(v) || (0xFF00...0xFFEF).contains(v)
    }
    let chars = Array(text)
    var out = ""
    for (i, c) in chars.enumerated() {
      if c == " ", i > 0, i + 1 < chars.count, isCJK(chars[i - 1]), isCJK(chars[i + 1]) { continue }
      out.append(c)
    }
    return out
  }

  mutating func string(_ node: Node) -> String? {
    guard let s = node.scalar?.string else {
      error(node, "expected a text")
      return nil
    }
    return s
  }

  mutating func int(_ node: Node) -> Int? {
    guard let s = node.scalar?.string, let v = Int(s) else {
      error(node, "expected a whole number")
      return nil
    }
    return v
  }

  mutating func bool(_ node: Node) -> Bool? {
    switch node.scalar?.string.lowercased() {
    case "true", "yes", "on"?: return true
    case "false", "no", "off"?: return false
    default:
      error(node, "expected true or false")
      return nil
    }
  }

  mutating func error(_ node: Node, _ message: String) { error(node.mark?.line ?? 1, node.mark?.column ?? 1, message) }
  mutating func warning(_ node: Node, _ message: String) {
    problems.append(LabProblem(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, severity: .warning, message: message))
  }
  mutating func error(_ line: Int, _ column: Int, _ message: String) {
    problems.append(LabProblem(file: file, line: line, column: column, severity: .error, message: message))
  }

  /// ` (did you mean 'x'?)` when one name is close.
  public static func didYouMean(_ typed: String, _ names: Set<String>) -> String {
    Levenshtein.nearest(typed, among: names, atMost: max(2, typed.count / 3)).map { " (did you mean '\($0)'?)" } ?? ""
  }
}
