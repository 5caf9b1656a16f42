import EtcdSim

/// Sessions of typed lines, from a seed: session `k` of seed `s` is always the same lines, and
/// does not depend on any other session, so one failing session can be generated again alone.
public struct Generator: Sendable {
  public let seed: UInt64
  public let grammar: Grammar
  /// The share of entries mutated after generation.
  public var mutationRate = 0.5

  public init(seed: UInt64, grammar: Grammar = Grammar()) {
    self.seed = seed
    self.grammar = grammar
  }

  /// Session `index`: exactly `lines` typed lines (an entry that would run past is cut).
  public func session(_ index: Int, lines: Int) -> [String] {
    // SplitMix streams from nearby seeds overlap (one's seed is another's state a few steps
    // on): the session's seed goes through the mixer twice instead.
    var mixer = SeededRandom(seed: seed)
    var stream = SeededRandom(seed: mixer.next() ^ UInt64(truncatingIfNeeded: index))
    var d = Dice(seed: stream.next())
    let mutator = Mutator(grammar: grammar)
    var out: [String] = []
    while out.count < lines {
      var entry = grammar.entry(&d)
      if d.chance(mutationRate) {
        let k = d.below(entry.count)
        entry[k] = mutator.mutate(entry[k], &d)
      }
      out += entry.prefix(lines - out.count)
    }
    return out
  }
}
