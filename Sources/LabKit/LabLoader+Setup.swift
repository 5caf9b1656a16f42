import EtcdSim
import Yams

extension LabLoader {
  /// A setup's addresses and URLs, each where it is written: an address is dotted IPv4
  /// (`10.0.1.300` is refused), a URL is one etcd accepts (`http://ADDRESS:PORT`, no path) on
  /// a port from 1 to 65535.
  mutating func validateAddresses(_ setup: [String: Node]) {
    for host in setup["hosts"]?.sequence ?? [] {
      guard let h = host.mapping else { continue }
      let addresses = (h["address"].map { [$0] } ?? []) + (h["addresses"]?.sequence ?? [])
      for node in addresses {
        guard let a = node.scalar?.string, !WorldSetup.isIPv4(a) else { continue }
        error(node, Messages.both("setup.bad-address", [a])[lang])
      }
      for key in ["peer-url", "client-url"] {
        guard let node = h[key], let value = node.scalar?.string else { continue }
        if let problem = Self.urlProblem(value) { error(node, Messages.both("setup.bad-url", [key, value, problem])[lang]) }
      }
    }
  }

  /// What is wrong with a setup's URL, in etcd's own words where etcd has them; nil when it is good.
  static func urlProblem(_ url: String) -> String? {
    switch URLList.validate(url) {
    case .failure(let f): return f.text
    case .success(let normal):
      guard normal.hasPrefix("http://") || normal.hasPrefix("https://") else { return "the scheme must be http or https" }
      let host = URLList.host(normal)
      let port = Int(URLList.hostPort(normal).split(separator: ":").last ?? "") ?? 0
      if !WorldSetup.isIPv4(host) && host != "localhost" { return "'\(host)' is not an IPv4 address" }
      if !(1...65535).contains(port) { return "port \(port) is not between 1 and 65535" }
      return nil
    }
  }
}
