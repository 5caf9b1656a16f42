import EtcdCommands
import EtcdSim
import Yams

/// `etcdlab errors`: every error id with etcd's message, a command that produces it, and the facts
/// its explanation can use, played in the course's world so that what it shows is what happens.
public enum ErrorReference {
  public struct Entry: Sendable {
    public var id: String
    /// The sample's command lines (empty: the simulator never produces this error; it is known
    /// to `explain TEXT` by its wording).
    public var sample: [String]
    /// What the last line printed (etcd's own message), when the sample met the error.
    public var output: String?
    /// The facts of the sample's moment, for the explanation's `{placeholders}`.
    public var facts: [String: String]
    /// The placeholders the catalog's explanation uses, and the cases it tells apart.
    public var placeholders: [String]
    public var cases: [String]
    /// The explanation as the sample shows it.
    public var explanation: Localized?
  }

  /// The samples (`Resources/error-samples.yaml`): error id → command lines.
  public static let samples: [String: [String]] = {
    guard let node = try? Yams.compose(yaml: Catalogs.resource("error-samples")), let map = node.mapping else { return [:] }
    var out: [String: [String]] = [:]
    for (k, v) in map { if let id = k.string { out[id] = v["lines"]?.sequence?.compactMap(\.string) ?? [] } }
    return out
  }()

  /// The course's world with the hosts and releases a sample may need.
  static let world: Lab = {
    var setup = WorldSetup.course
    setup.hosts?.append(.init(name: "infra5", address: "10.0.1.15"))
    setup.releases = ["3.5.17", "3.6.5"]
    let never = CheckItem(.cluster(voters: 99, learners: nil, members: nil, healthy: nil, leader: nil))
    return Lab(id: "errors", objective: "add-member", title: Localized(en: "", zh: ""), difficulty: "beginner", minutes: 1, lesson: nil, intro: nil,
               setup: setup, startHost: "infra0", steps: [Lab.Step(text: Localized(en: "", zh: ""), checks: [never], hints: [], solution: [], alternatives: [], mistakes: [])])
  }()

  /// Every error id, in the order of `EtcdError.Kind`.
  public static func entries() -> [Entry] { EtcdError.Kind.allCases.map { entry($0.rawValue) } }

  public static func entry(_ id: String) -> Entry {
    let catalog = Catalogs.explanations[id]
    let texts = catalog.map { x in
      [x.meaning, x.causes, x.fix].compactMap { $0 } + Array(x.meaningCases.values) + Array(x.causeCases.values) + Array(x.fixCases.values)
    } ?? []
    var names: [String] = []
    for t in texts { for p in Explanation.placeholders(t.en) where !names.contains(p) { names.append(p) } }
    let cases = Set((catalog?.meaningCases.keys.map { $0 } ?? []) + (catalog?.causeCases.keys.map { $0 } ?? []) + (catalog?.fixCases.keys.map { $0 } ?? [])).sorted()
    var entry = Entry(id: id, sample: samples[id] ?? [], output: nil, facts: [:], placeholders: names, cases: cases, explanation: nil)
    guard !entry.sample.isEmpty else { return entry }
    var run = LabRun(lab: world, seed: 1)
    var before = 0
    var printed = ""
    for (k, line) in entry.sample.enumerated() {
      if k == entry.sample.count - 1 { before = run.session.events.count }
      if let f = run.submit(line), k == entry.sample.count - 1 {
        printed = f.io.chunks.map { String(decoding: $0.bytes, as: UTF8.self) }.joined()
      }
    }
    // A background server's error is noticed at the next prompt.
    let polled = run.poll()
    guard let event = run.session.events[before...].last(where: { $0.error?.id == id }) else { return entry }
    if printed.isEmpty { printed = polled.notices.joined(separator: "\n") }
    entry.output = printed
    entry.facts = Facts.collect(event, world: run.session.world)
    let en = run.explain(event)
    run.lang = .zh
    entry.explanation = en.flatMap { e in run.explain(event).map { Localized(en: e, zh: $0) } }
    return entry
  }
}
