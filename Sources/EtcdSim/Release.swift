/// What the binaries of each etcd release say about themselves, and how a release tarball is laid out.
public enum Release {
  /// The release every host runs unless a setup names another, and the release of etcdctl and
  /// etcdutl: the course's etcd 3.4.23 (Debian 12's etcd-server and etcd-client).
  public static let defaultVersion = "3.4.23"

  /// Debian's build of the default release (the reference's capture).
  static let debianBuild = (sha: "Not provided (use ./build instead of go build)", go: "go1.19.8")

  /// `Git SHA` and `Go Version` of `etcd --version`. 3.4.23 is Debian's build (the reference's
  /// capture); the others are the official release builds: the short commit of the tag
  /// (`build.sh`: `git rev-parse --short HEAD`) and the tag's `.go-version` in etcd-io/etcd.
  static let builds: [String: (sha: String, go: String)] = [
    defaultVersion: debianBuild,
    "3.5.15": ("9a55333", "go1.21.12"), "3.5.16": ("f20bbad", "go1.22.7"), "3.5.17": ("507c0de", "go1.22.9"),
    "3.5.18": ("5bca08e", "go1.22.11"), "3.5.19": ("815eaba", "go1.23.7"), "3.5.20": ("ac31c34", "go1.23.7"),
    "3.5.21": ("a17edfd", "go1.23.7"), "3.6.0": ("f5d605a", "go1.23.9"), "3.6.4": ("5400cdc", "go1.23.11"),
    "3.6.5": ("a061450", "go1.24.7"),
  ]

  /// A release's build: Debian's build of the default release for any release the table does not know.
  public static func build(_ version: String) -> (sha: String, go: String) {
    builds[version] ?? debianBuild
  }

  /// `etcd --version` (`etcdmain/config.go`, the same four lines in 3.4, 3.5 and 3.6).
  public static func etcdVersionText(_ version: String) -> String {
    let b = build(version)
    return "etcd Version: \(version)\nGit SHA: \(b.sha)\nGo Version: \(b.go)\nGo OS/Arch: linux/amd64\n"
  }

  /// Whether a release is `minor` (`3.5`) or later.
  public static func isAtLeast(_ version: String, _ minor: String) -> Bool {
    // Asked on every request: plain `3.4.23` against `3.5` is compared without splitting strings.
    if let v = plainNumbers(version), let m = plainNumbers(minor), m.count <= 2 {
      // `major.minor` of the version against the minor's parts, in order; a shorter one first.
      if v.first != m.first { return v.first > m.first }
      if v.count == 1 || m.count == 1 { return !(v.count == 1 && m.count == 2) }
      return v.second >= m.second
    }
    return !World.versionLess(World.majorMinor(version), minor)
  }

  /// A version of plain digits and dots (`3.4.23`): how many parts and the first two; nil for
  /// anything else (empty parts, signs, letters, numbers too long for an Int), which the general
  /// comparison takes.
  static func plainNumbers(_ s: String) -> (count: Int, first: Int, second: Int)? {
    var count = 0, first = 0, second = 0, current = 0, digits = 0
    for b in s.utf8 {
      if b == UInt8(ascii: ".") {
        guard digits > 0 else { return nil }
        if count == 0 { first = current } else if count == 1 { second = current }
        count += 1
        current = 0
        digits = 0
      } else if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
        guard digits < 18 else { return nil }
        current = current * 10 + Int(b - UInt8(ascii: "0"))
        digits += 1
      } else {
        return nil
      }
    }
    guard digits > 0 else { return nil }
    if count == 0 { first = current } else if count == 1 { second = current }
    return (count + 1, first, second)
  }

  /// The API version the binaries report: the release's major.minor.
  public static func apiVersion(_ version: String) -> String { World.majorMinor(version) }

  /// A release tarball (`scripts/build-binary`, `package`): `etcd-vX-linux-amd64/` with the three
  /// programs (no etcdutl before 3.5), the READMEs and the Documentation folder.
  public static func tarball(_ version: String) -> [FileSystem.ArchiveEntry] {
    let dir = "etcd-v\(version)-linux-amd64"
    var programs = ["etcd", "etcdctl"]
    if isAtLeast(version, "3.5") { programs.append("etcdutl") }
    var entries = [FileSystem.ArchiveEntry(path: dir, node: .directory, owner: "root:root", mode: 0o755)]
    for p in programs {
      entries.append(FileSystem.ArchiveEntry(path: dir + "/" + p, node: .file(.executable(name: p, version: version)), owner: "root:root", mode: 0o755))
    }
    var docs = ["README.md", "README-etcdctl.md", "READMEv2-etcdctl.md"]
    if programs.contains("etcdutl") { docs.append("README-etcdutl.md") }
    for d in docs {
      entries.append(FileSystem.ArchiveEntry(path: dir + "/" + d, node: .file(.bytes(Array("# etcd \(version)\n".utf8))), owner: "root:root", mode: 0o644))
    }
    entries.append(FileSystem.ArchiveEntry(path: dir + "/Documentation", node: .directory, owner: "root:root", mode: 0o755))
    return entries
  }
}
