import Foundation
@testable import LabKit

enum LabFixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let labsDirectory = root.appendingPathComponent("labs")

  static func labFiles() -> [URL] {
    ((try? FileManager.default.contentsOfDirectory(at: labsDirectory, includingPropertiesForKeys: nil)) ?? [])
      .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
  }

  static func load(_ url: URL) -> (Lab?, [LabProblem]) {
    var loader = LabLoader(file: "labs/" + url.lastPathComponent)
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    let lab = loader.load(text)
    return (lab, loader.problems)
  }
}
