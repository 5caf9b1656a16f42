/// How one command's two outputs compare, through the shared normalizer.
public struct Comparison: Sendable {
  public enum Verdict: Sendable, Equatable {
    /// Equal after strict normalization (and the same exit status).
    case matched
    /// A command listed in `relaxations.txt`, equal once its classes are applied to both sides.
    case relaxed([Relaxation])
    /// Different; `classes` are the relaxations that were applied, if any.
    case differed(classes: [Relaxation])
  }

  public var verdict: Verdict
  /// conform.py's scores, relaxations aside: strictly equal, loosely equal (exit status included).
  public var strict: Bool
  public var loose: Bool

  public var differed: Bool { if case .differed = verdict { true } else { false } }

  /// Compares `expected` with `actual`; a listed command (`classes` non-nil) is compared relaxed.
  public init(expected: Output, actual: Output, classes: [Relaxation]?) {
    let sameExit = expected.status == actual.status
    strict = sameExit && Normalize.strict(expected.lines) == Normalize.strict(actual.lines)
    loose = sameExit && Normalize.loose(expected.lines) == Normalize.loose(actual.lines)
    if let classes {
      let a = Normalize.strict(Relaxation.apply(classes, to: expected.lines))
      let b = Normalize.strict(Relaxation.apply(classes, to: actual.lines))
      let alikeExit = Relaxation.status(classes, expected.status) == Relaxation.status(classes, actual.status)
      let alike = a == b || (classes.contains(.rate) && Relaxation.rateAlike(a, b))
      verdict = alikeExit && alike ? .relaxed(classes) : .differed(classes: classes)
    } else {
      verdict = strict ? .matched : .differed(classes: [])
    }
  }

  /// The first lines where the two sides differ once normalized (as compared), at most `limit`.
  public static func firstDifferences(expected: [String], actual: [String], classes: [Relaxation], limit: Int = 4) -> [(Int, String?, String?)] {
    let a = Normalize.strict(classes.isEmpty ? expected : Relaxation.apply(classes, to: expected))
    let b = Normalize.strict(classes.isEmpty ? actual : Relaxation.apply(classes, to: actual))
    var out: [(Int, String?, String?)] = []
    for i in 0..<max(a.count, b.count) where (i < a.count ? a[i] : nil) != (i < b.count ? b[i] : nil) {
      out.append((i + 1, i < a.count ? a[i] : nil, i < b.count ? b[i] : nil))
      if out.count >= limit { break }
    }
    return out
  }
}
