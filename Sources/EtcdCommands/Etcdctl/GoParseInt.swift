import EtcdSim

/// Go's `strconv.ParseInt(s, base, 64)`: an optional sign, then digits of the base (no prefix,
/// no underscores), with Go's error text.
enum GoParseInt {
  static func parse(_ s: String, base: Int) -> Result<Int64, Message> {
    var digits = Substring(s)
    var negative = false
    if let sign = digits.first, sign == "+" || sign == "-" {
      negative = sign == "-"
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.hexDigitValue.map { $0 < base } == true }) else {
      return .failure(Message("strconv.ParseInt: parsing \(Go.quote(s)): invalid syntax"))
    }
    guard let magnitude = UInt64(digits, radix: base), magnitude <= (negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)) else {
      return .failure(Message("strconv.ParseInt: parsing \(Go.quote(s)): value out of range"))
    }
    return .success(negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude))
  }
}
