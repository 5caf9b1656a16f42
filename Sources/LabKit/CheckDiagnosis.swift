import EtcdCommands
import EtcdSim

/// What the world tells about a check that does not hold: what differs (a member serving another
/// cluster, a data dir restored with another token or name), and whether it can still hold at all
/// without going back.
extension CheckContext {
  /// The simulated world, when the facts are the simulator's (nil on the real backend).
  var world: World? { (facts as? WorldFacts)?.world }
}

extension CheckItem {
  /// The message with what the world tells: the lab's or etcdlab's words, then what differs.
  public func message(_ lang: Language, in ctx: CheckContext) -> String {
    message(lang) + (diagnosis(ctx, lang) ?? "")
  }

  /// What differs in the world, as a clause added to the message; nil when nothing more is known.
  func diagnosis(_ ctx: CheckContext, _ lang: Language) -> String? {
    guard let world = ctx.world else { return nil }
    switch check {
    case .restored(let host, let dataDir, _, _, _):
      return RestoreFinding(check, in: world).detail(lang, host: host, dataDir: dataDir)
    case .member(let name, let url, _, let state) where state != .absent:
      let host = name.flatMap { world.host($0)?.name } ?? url.flatMap { world.hostOwning(URLList.host($0))?.name }
        ?? ctx.member(name: name, peerURL: url, id: nil).flatMap { m in m.peerURLs.first.flatMap { world.hostOwning(URLList.host($0))?.name } }
      return Self.strays(world, lang) { $0.host == host }
    case .cluster, .key, .process:
      return Self.strays(world, lang) { _ in true }
    case .all(let items), .any(let items):
      var seen: [String] = []
      for item in items where !item.holds(in: ctx) {
        if let d = item.diagnosis(ctx, lang), !seen.contains(d) { seen.append(d) }
      }
      return seen.isEmpty ? nil : seen.joined()
    default:
      return nil
    }
  }

  /// A clause per server of another cluster that `which` selects.
  static func strays(_ w: World, _ lang: Language, _ which: (SimProcess) -> Bool) -> String? {
    let clauses = w.strayServers.filter(which).compactMap { p -> String? in
      guard let e = p.etcd, let c = w.clusters[e.clusterID] else { return nil }
      let names = c.sortedMembers.map { Facts.display($0, world: w) }.sorted().joined(separator: ", ")
      return Messages.t("check.stray", lang, p.host, Hex.string(c.id), names)
    }
    return clauses.isEmpty ? nil : clauses.joined()
  }

  /// Why the check can no longer hold without going back (`undo`, `reset`), or nil while it can.
  func impossibility(_ ctx: CheckContext, _ lang: Language) -> String? {
    guard let world = ctx.world else { return nil }
    switch check {
    case .restored:
      // A restore needs a snapshot: with none left on any machine, only going back brings one.
      let finding = RestoreFinding(check, in: world)
      guard finding != .holds, finding != .invalid else { return nil }
      let anySnapshot = world.hosts.contains { h in
        h.fs.nodes.keys.contains { path in
          if case .snapshot(let s)? = h.fs.content(path) { return s.hashMatches && s.opens }
          return false
        }
      }
      return anySnapshot ? nil : Messages.t("check.stuck.no-snapshot", lang)
    case .member(_, _, let id?, let state) where state != .absent:
      // Member ids are never given again: a member removed during the step is gone for good.
      guard let v = UInt64(id, radix: 16), world.labCluster?.members[v] == nil else { return nil }
      let removed = ctx.events.contains { e in e.succeeded && e.command == "etcdctl member remove" && e.words.contains { UInt64($0, radix: 16) == v } }
      return removed ? Messages.t("check.stuck.removed", lang, id) : nil
    case .all(let items):
      return items.lazy.compactMap { $0.holds(in: ctx) ? nil : $0.impossibility(ctx, lang) }.first
    case .any(let items):
      let reasons = items.map { $0.impossibility(ctx, lang) }
      return reasons.allSatisfy { $0 != nil } ? reasons.first ?? nil : nil
    default:
      return nil
    }
  }
}
