/// Command-line flags with spf13/pflag's rules: `--name=value`, `--name value`, `-w json`,
/// `-wjson`, bool flags without a value, `--` ending the flags, flags among the arguments.
struct FlagSpec: Sendable {
  enum Kind: Sendable { case string, bool, duration, stringSlice, int }
  var name: String
  var short: Character?
  var kind: Kind
}

struct ParsedFlags: Sendable {
  /// Values by flag name; repeated slice flags are joined with commas.
  var values: [String: String] = [:]
  /// Flags in the order given on the command line.
  var given: [String] = []
  var positionals: [String] = []

  func string(_ name: String) -> String? { values[name] }
  func bool(_ name: String) -> Bool { values[name].map { $0 == "true" || $0 == "1" || $0 == "t" || $0 == "TRUE" || $0 == "True" } ?? false }
  func has(_ name: String) -> Bool { values[name] != nil }
}

enum FlagError: Error, Equatable {
  case unknown(String)
  case needsArgument(String)
  case invalid(String)

  var message: String {
    switch self {
    case .unknown(let f): "unknown flag: \(f)"
    case .needsArgument(let f): "flag needs an argument: \(f)"
    case .invalid(let m): m
    }
  }
}

enum FlagParser {
  static func parse(_ args: [String], specs: [FlagSpec]) -> Result<ParsedFlags, FlagError> {
    var out = ParsedFlags()
    var i = 0
    func spec(long: String) -> FlagSpec? { specs.first { $0.name == long } }
    func spec(short: Character) -> FlagSpec? { specs.first { $0.short == short } }
    func set(_ s: FlagSpec, _ value: String, as typed: String) -> FlagError? {
      switch s.kind {
      case .bool:
        guard ["true", "false", "1", "0", "t", "f", "TRUE", "FALSE", "True", "False"].contains(value) else {
          return .invalid("invalid argument \"\(value)\" for \"\(typed)\" flag: strconv.ParseBool: parsing \"\(value)\": invalid syntax")
        }
      case .duration:
        if case .failure(let e) = Numbers.goDuration(value) {
          return .invalid("invalid argument \"\(value)\" for \"\(typed)\" flag: \(e.message)")
        }
      case .int:
        if Int(value) == nil {
          return .invalid("invalid argument \"\(value)\" for \"\(typed)\" flag: strconv.ParseInt: parsing \"\(value)\": invalid syntax")
        }
      case .stringSlice:
        if let old = out.values[s.name], out.given.contains(s.name) {
          out.values[s.name] = old + "," + value
          return nil
        }
      case .string:
        break
      }
      out.values[s.name] = value
      if !out.given.contains(s.name) { out.given.append(s.name) }
      return nil
    }
    while i < args.count {
      let a = args[i]
      i += 1
      if a == "--" { out.positionals.append(contentsOf: args[i...]); break }
      if a.hasPrefix("--") {
        let body = a.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        guard let s = spec(long: name) else { return .failure(.unknown("--" + name)) }
        let typed = "--" + name
        if let eq = body.firstIndex(of: "=") {
          if let e = set(s, String(body[body.index(after: eq)...]), as: typed) { return .failure(e) }
        } else if s.kind == .bool {
          _ = set(s, "true", as: typed)
        } else {
          guard i < args.count else { return .failure(.needsArgument(typed)) }
          if let e = set(s, args[i], as: typed) { return .failure(e) }
          i += 1
        }
      } else if a.hasPrefix("-"), a.count > 1 {
        var rest = Substring(a.dropFirst())
        while let c = rest.first {
          rest = rest.dropFirst()
          guard let s = spec(short: c) else { return .failure(.invalid("unknown shorthand flag: '\(c)' in \(a)")) }
          let typed = "-\(c), --\(s.name)"
          if s.kind == .bool {
            if rest.hasPrefix("=") { if let e = set(s, String(rest.dropFirst()), as: typed) { return .failure(e) }; break }
            _ = set(s, "true", as: typed)
            continue
          }
          var value = String(rest)
          if value.hasPrefix("=") { value.removeFirst() }
          if value.isEmpty {
            guard i < args.count else { return .failure(.needsArgument("'\(c)' in -\(c)")) }
            value = args[i]
            i += 1
          }
          if let e = set(s, value, as: typed) { return .failure(e) }
          break
        }
      } else {
        out.positionals.append(a)
      }
    }
    return .success(out)
  }
}
