import EtcdSim
import Foundation
import Yams

/// Reads a world setup file, with `file:line:column` in every error.
enum SetupFile {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func load(path: String) -> Result<WorldSetup, Failure> {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      return .failure(Failure(description: "\(path): error: cannot read the file"))
    }
    return parse(text, name: path)
  }

  static func parse(_ text: String, name: String) -> Result<WorldSetup, Failure> {
    let node: Node
    do {
      guard let n = try Yams.compose(yaml: text) else { return .success(WorldSetup()) }
      node = n
    } catch let e as YamlError {
      return .failure(Failure(description: "\(name):\(e.locationDescription): error: \(e.problemDescription)"))
    } catch {
      return .failure(Failure(description: "\(name): error: \(error)"))
    }
    if let unknown = unknownKey(node, allowed: Set(WorldSetup.keys)) {
      return .failure(Failure(description: "\(name):\(unknown.mark.map { "\($0.line):\($0.column)" } ?? "1:1"): error: unknown key '\(unknown.key)'"))
    }
    for (list, allowed, what) in [("hosts", WorldSetup.hostKeys, "a host"), ("pki", WorldSetup.pkiKeys, "a pki entry")] {
      for item in node[list]?.sequence ?? [] {
        if let unknown = unknownKey(item, allowed: Set(allowed)) {
          return .failure(Failure(description: "\(name):\(unknown.mark.map { "\($0.line):\($0.column)" } ?? "1:1"): error: unknown key '\(unknown.key)' in \(what)"))
        }
      }
    }
    do {
      return .success(try YAMLDecoder().decode(WorldSetup.self, from: node))
    } catch let DecodingError.typeMismatch(_, ctx), let DecodingError.valueNotFound(_, ctx), let DecodingError.keyNotFound(_, ctx), let DecodingError.dataCorrupted(ctx) {
      let at = mark(of: ctx.codingPath, in: node)
      let where_ = ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().drop(while: { $0 == "." })
      return .failure(Failure(description: "\(name):\(at.line):\(at.column): error: \(ctx.debugDescription) at '\(where_)'"))
    } catch {
      return .failure(Failure(description: "\(name): error: \(error)"))
    }
  }

  static func unknownKey(_ node: Node, allowed: Set<String>) -> (key: String, mark: Mark?)? {
    guard let map = node.mapping else { return nil }
    for (k, _) in map {
      if let s = k.string, !allowed.contains(s) { return (s, k.mark) }
    }
    return nil
  }

  static func mark(of path: [CodingKey], in root: Node) -> (line: Int, column: Int) {
    var node = root
    for key in path {
      if let i = key.intValue, let seq = node.sequence, i < seq.count { node = seq[i] } else if let next = node[key.stringValue] { node = next } else { break }
    }
    return (node.mark?.line ?? 1, node.mark?.column ?? 1)
  }
}

extension YamlError {
  var locationDescription: String {
    switch self {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return "\(mark.line):\(mark.column)"
    default: return "1:1"
    }
  }

  var problemDescription: String {
    switch self {
    case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
    default: return "\(self)"
    }
  }
}
