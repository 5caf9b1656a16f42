/// A piece of text repeated back to back: `unit` `count` times from `start`.
public struct Repetition: Equatable, Sendable {
  public var start: Int
  public var unit: [Character]
  public var count: Int

  public var length: Int { unit.count * count }

  /// The runs of `chars` where a unit of up to `maxPeriod` characters repeats at least
  /// `minCount` times, left to right, each the longest found where it starts.
  public static func runs(in chars: [Character], maxPeriod: Int = 16, minCount: Int = 3) -> [Repetition] {
    var out: [Repetition] = []
    var i = 0
    while i < chars.count {
      var best: Repetition?
      for p in 1...maxPeriod where i + p * minCount <= chars.count {
        var count = 1
        while i + (count + 1) * p <= chars.count && chars[(i + count * p)..<(i + (count + 1) * p)] == chars[i..<(i + p)] { count += 1 }
        if count >= minCount, p * count > (best?.length ?? 0) { best = Repetition(start: i, unit: Array(chars[i..<(i + p)]), count: count) }
      }
      if let b = best {
        out.append(b)
        i += b.length
      } else {
        i += 1
      }
    }
    return out
  }

  /// `chars` with each run repeated `newCount(run)` times instead.
  public static func rewrite(_ chars: [Character], runs: [Repetition], newCount: (Repetition) -> Int) -> [Character] {
    var out: [Character] = []
    var i = 0
    for r in runs {
      out += chars[i..<r.start]
      for _ in 0..<newCount(r) { out += r.unit }
      i = r.start + r.length
    }
    return out + chars[i...]
  }
}
