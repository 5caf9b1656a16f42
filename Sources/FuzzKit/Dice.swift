import EtcdSim

/// The generator's choices, drawn from a `SeededRandom` only (not the standard library's
/// algorithms), so a seed gives the same lines on every build and Swift release.
struct Dice {
  var rng: SeededRandom

  init(seed: UInt64) { rng = SeededRandom(seed: seed) }

  /// A number in `0..<n` (0 when `n` is at most 1).
  mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }

  mutating func between(_ low: Int, _ high: Int) -> Int { low + below(high - low + 1) }

  /// True with probability `p`.
  mutating func chance(_ p: Double) -> Bool { Double(rng.next() >> 11) / 9_007_199_254_740_992.0 < p }

  mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }

  /// One of `xs`, each as likely as its weight. Every alternative is computed first: for
  /// costly ones (text built, a sub-command generated), switch over `choice(weights)` instead.
  mutating func weighted<T>(_ xs: [(Int, T)]) -> T { xs[choice(xs.map(\.0))].1 }

  /// An index into `weights`, each as likely as its weight.
  mutating func choice(_ weights: [Int]) -> Int {
    var n = below(weights.reduce(0, +))
    for (k, w) in weights.enumerated() {
      if n < w { return k }
      n -= w
    }
    return weights.count - 1
  }

  /// A count that is usually small and sometimes very large: 2, 10, 100, ... up to `limit`.
  mutating func repetitions(limit: Int = 60_000) -> Int {
    min(limit, weighted([(8, 2), (6, 10), (4, 100), (3, 1000), (2, 10_000), (1, 60_000)]))
  }
}
