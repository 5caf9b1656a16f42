/// URL lists as etcd parses them (`pkg/types/urls.go`, reference §1.1).
public enum URLList {
  public enum Failure: Error, Equatable, Sendable {
    case message(String)
    public var text: String { if case .message(let m) = self { return m }; return "" }
  }

  /// Parses a comma-separated list; returns the URLs sorted, or etcd's error text.
  public static func parse(_ list: String) -> Result<[String], Failure> {
    var out: [String] = []
    for raw in list.split(separator: ",", omittingEmptySubsequences: false) {
      let item = raw.trimmingSpaces()
      if item.isEmpty && list.split(separator: ",").isEmpty { break }
      switch validate(item) {
      case .success(let u): out.append(u)
      case .failure(let f): return .failure(f)
      }
    }
    if out.isEmpty { return .failure(.message("no valid URLs given")) }
    return .success(out.sorted())
  }

  /// One URL, checked in etcd's order: Go's `url.Parse`, then scheme, `host:port`, no path.
  public static func validate(_ s: String) -> Result<String, Failure> {
    var scheme = ""
    var rest = Substring(s)
    for (i, c) in s.enumerated() {
      if c.isASCII && c.isLetter { continue }
      if c.isASCII && (c.isNumber || "+-.".contains(c)) { if i == 0 { break }; continue }
      if c == ":" {
        if i == 0 { return .failure(.message("parse \"\(s)\": missing protocol scheme")) }
        scheme = String(s.prefix(i))
        rest = s.dropFirst(i + 1)
      }
      break
    }
    if scheme.isEmpty, s.prefix(while: { $0 != "/" }).contains(":") {
      return .failure(.message("parse \"\(s)\": first path segment in URL cannot contain colon"))
    }
    let lower = scheme.lowercased()
    guard ["http", "https", "unix", "unixs"].contains(lower) else {
      return .failure(.message("URL scheme must be http, https, unix, or unixs: \(s)"))
    }
    let authority: Substring
    let path: Substring
    if rest.hasPrefix("//") {
      let a = rest.dropFirst(2)
      let end = a.firstIndex(where: { "/?#".contains($0) }) ?? a.endIndex
      authority = a[..<end]
      path = a[end...]
    } else {
      authority = ""
      path = rest
    }
    let port = authority.lastIndex(of: ":").map { authority[authority.index(after: $0)...] } ?? ""
    if port.isEmpty || !port.allSatisfy(\.isNumber) {
      return .failure(.message("URL address does not have the form \"host:port\": \(s)"))
    }
    if !path.isEmpty { return .failure(.message("URL must not contain a path: \(s)")) }
    return .success(lower + "://" + authority)
  }

  /// `host:port` of a URL (`http://10.0.1.10:2379` → `10.0.1.10:2379`).
  public static func hostPort(_ url: String) -> String {
    // scheme://host:port[/path]; anything else is taken as host:port already.
    guard let sep = url.utf8.firstIndex(of: UInt8(ascii: "/")), sep > url.startIndex,
          url.utf8[url.utf8.index(before: sep)] == UInt8(ascii: ":") else { return url }
    let afterFirst = url.utf8.index(after: sep)
    guard afterFirst < url.endIndex, url.utf8[afterFirst] == UInt8(ascii: "/") else { return url }
    let start = url.utf8.index(after: afterFirst)
    let end = url.utf8[start...].firstIndex(of: UInt8(ascii: "/")) ?? url.endIndex
    return String(url[start..<end])
  }

  /// The host part of a URL, without the port.
  public static func host(_ url: String) -> String {
    let hp = hostPort(url)
    guard let c = hp.lastIndex(of: ":") else { return hp }
    return String(hp[..<c])
  }
}

extension StringProtocol {
  /// The string without leading and trailing spaces and tabs.
  public func trimmingSpaces() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\n" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\n" { s = s.dropLast() }
    return String(s)
  }
}
