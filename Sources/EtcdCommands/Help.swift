import Foundation

/// The help and usage texts of etcdctl and etcd, copied from the real binaries (data files).
public enum Help {
  /// The text for `name` (`etcdctl`, `etcdctl-member_add`, `etcd`, `etcd-usage`), loaded once.
  public static func text(_ name: String) -> String? { cache[name] }

  private static let cache: [String: String] = {
    var out: [String: String] = [:]
    guard let dir = Bundle.module.url(forResource: "help", withExtension: nil),
      let files = try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
    else { return out }
    for f in files where f.pathExtension == "txt" {
      out[f.deletingPathExtension().lastPathComponent] = try? String(contentsOf: f, encoding: .utf8)
    }
    return out
  }()
}
