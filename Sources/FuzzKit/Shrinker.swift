/// Shrinks a failing session to a small one that still fails: drops lines, then halves the
/// repetitions in each line (all at once, so nested loops keep their `do` and `done` paired),
/// then deletes chunks of it (halves, quarters, ... single characters, a repetition counting as
/// one), and repeats while that helps. `stillFails` runs a candidate (in a fresh world) and
/// says whether it fails the same way, or nil when time is up; it is called at most `maxTests` times.
public struct Shrinker {
  public var maxTests: Int
  public private(set) var tests = 0

  public init(maxTests: Int = 1000) { self.maxTests = maxTests }

  public mutating func shrink(_ lines: [String], stillFails: ([String]) -> Bool?) -> [String] {
    var best = lines
    var tests = self.tests
    defer { self.tests = tests }
    var stopped = false
    func check(_ candidate: [String]) -> Bool? {
      guard !stopped, tests < maxTests else { return nil }
      tests += 1
      let answer = stillFails(candidate)
      stopped = answer == nil
      return answer
    }
    while true {
      let before = best
      best = Shrinker.minimize(best) { check($0) }
      for k in best.indices.reversed() {
        func checkLine(_ chars: [Character]) -> Bool? {
          var candidate = best
          candidate[k] = String(chars)
          return check(candidate)
        }
        let thinner = Shrinker.thinRepetitions(Array(best[k]), fails: checkLine)
        best[k] = String(Shrinker.minimize(Shrinker.pieces(thinner)) { checkLine($0.flatMap { $0 }) }.flatMap { $0 })
      }
      if best == before || tests >= maxTests || stopped { return best }
    }
  }

  /// A line as pieces to delete: each repetition whole, every other character alone.
  static func pieces(_ chars: [Character]) -> [[Character]] {
    var out: [[Character]] = []
    var i = 0
    for run in Repetition.runs(in: chars) {
      out += chars[i..<run.start].map { [$0] }
      out.append(Array(chars[run.start..<(run.start + run.length)]))
      i = run.start + run.length
    }
    return out + chars[i...].map { [$0] }
  }

  /// Halves (or cuts by a quarter) the count of every repetition in `chars` while `fails`
  /// holds; then halves each one alone, while that helps.
  public static func thinRepetitions(_ chars: [Character], fails: ([Character]) -> Bool?) -> [Character] {
    var current = chars
    var alone = false
    while true {
      let runs = Repetition.runs(in: current)
      var candidates: [[Character]] = []
      if alone {
        for run in runs { candidates.append(Repetition.rewrite(current, runs: [run]) { $0.count / 2 }) }
      } else {
        // Halved, else a quarter off (a stack that overflows at 40,000 levels holds at 30,000).
        candidates.append(Repetition.rewrite(current, runs: runs) { $0.count / 2 })
        candidates.append(Repetition.rewrite(current, runs: runs) { $0.count - $0.count / 4 })
      }
      var shrunk = false
      for c in candidates where c.count < current.count {
        guard let failed = fails(c) else { return current }
        if failed {
          current = c
          shrunk = true
          break
        }
      }
      if !shrunk {
        if alone || runs.count < 2 { return current }
        alone = true
      }
    }
  }

  /// The greedy half of ddmin: tries removing chunks of `items`, from half the length down to
  /// single items, keeping each removal after which `fails` still holds; stops when `fails`
  /// answers nil.
  public static func minimize<T>(_ items: [T], fails: ([T]) -> Bool?) -> [T] {
    var current = items
    var size = max(1, current.count / 2)
    while !current.isEmpty {
      var start = current.count - size
      var removed = false
      while start > -size {
        let range = max(0, start)..<min(current.count, start + size)
        if !range.isEmpty {
          var candidate = current
          candidate.removeSubrange(range)
          guard let failed = fails(candidate) else { return current }
          if failed {
            current = candidate
            removed = true
          }
        }
        start -= size
      }
      if size == 1 && !removed { break }
      if !removed || size > current.count { size = max(1, size / 2) }
    }
    return current
  }
}
