/// Arithmetic that stops at the type's bounds instead of trapping, for numbers a student typed.
extension FixedWidthInteger {
  public func saturatingAdding(_ other: Self) -> Self {
    let (v, overflow) = addingReportingOverflow(other)
    return overflow ? (other < 0 ? .min : .max) : v
  }

  public func saturatingMultiplied(by other: Self) -> Self {
    let (v, overflow) = multipliedReportingOverflow(by: other)
    return overflow ? ((self < 0) != (other < 0) ? .min : .max) : v
  }

  /// `d` rounded toward zero if it fits, else nil (NaN and infinities never fit).
  public init?(checked d: Double) {
    guard d.isFinite, let v = Self(exactly: d.rounded(.towardZero)) else { return nil }
    self = v
  }
}
