import Foundation
import LabKit

/// Where the course is: the labs and lessons the binary runs. Looked up in this order:
/// `--labs DIR` (added to the rest), `$ETCDLAB_COURSE` (a folder with `labs/` and `Course/`),
/// `<binary>/../share/etcdlab`, the source checkout this binary was built from, the current folder.
public struct Course: Sendable {
  public var labDirectories: [URL]
  public var lessonDirectory: URL?

  public static func locate(extraLabs: String?) -> Course {
    let fm = FileManager.default
    var roots: [URL] = []
    if let env = ProcessInfo.processInfo.environment["ETCDLAB_COURSE"] { roots.append(URL(fileURLWithPath: env)) }
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    roots.append(binary.deletingLastPathComponent().appendingPathComponent("../share/etcdlab").standardized)
    roots.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
    roots.append(URL(fileURLWithPath: fm.currentDirectoryPath))
    let root = roots.first { fm.fileExists(atPath: $0.appendingPathComponent("labs").path) }
    var dirs: [URL] = []
    if let extra = extraLabs { dirs.append(URL(fileURLWithPath: extra)) }
    if let root { dirs.append(root.appendingPathComponent("labs")) }
    return Course(labDirectories: dirs, lessonDirectory: root?.appendingPathComponent("Course"))
  }

  /// The YAML files under the given paths (files or folders).
  public static func labFiles(_ paths: [String]) -> [URL] {
    var out: [URL] = []
    for p in paths {
      let url = URL(fileURLWithPath: p)
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else { continue }
      if isDir.boolValue {
        let items = (try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)) ?? []
        out += items.filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }.sorted { $0.path < $1.path }
      } else {
        out.append(url)
      }
    }
    return out
  }

  public var allLabFiles: [URL] { Course.labFiles(labDirectories.map(\.path)) }

  /// Every lab that loads, with its file.
  public func labs() -> [(URL, Lab)] { load().labs }

  /// Every lab file: the labs that load, and for each file that does not, its first error.
  public func load(lang: Language = .en) -> (labs: [(URL, Lab)], broken: [LabProblem]) {
    var labs: [(URL, Lab)] = []
    var broken: [LabProblem] = []
    for url in allLabFiles {
      var loader = LabLoader(file: Course.display(url), lang: lang)
      if let lab = loader.load(bytes: Course.bytes(url)) {
        labs.append((url, lab))
      } else if let first = loader.problems.first(where: { $0.severity == .error }) {
        broken.append(first)
      }
    }
    return (labs, broken)
  }

  /// A file's bytes (empty when it cannot be read), at most one byte past the size limit, so that
  /// a huge file (or /dev/zero) is refused without being read whole.
  public static func bytes(_ url: URL) -> [UInt8] {
    guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
    defer { try? handle.close() }
    return (try? handle.read(upToCount: YAMLLimits.fileBytes + 1)).map { [UInt8]($0) } ?? []
  }

  /// The display of a path relative to the current folder.
  public static func display(_ url: URL) -> String {
    let cwd = FileManager.default.currentDirectoryPath + "/"
    return url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
  }

  public func lesson(_ lang: Language, _ file: String) -> String? {
    guard let dir = lessonDirectory else { return nil }
    return try? String(contentsOf: dir.appendingPathComponent(lang.rawValue).appendingPathComponent(file), encoding: .utf8)
  }
}
