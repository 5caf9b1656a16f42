import EtcdSim

/// `find` as GNU findutils 4.9 does the part operators use: start points, then `-name`,
/// `-iname`, `-type f|d`, `-maxdepth`, `-mindepth`, `-newer`-less tests ANDed together, and
/// `-print`. Directories are walked depth-first, their entries in name order.
extension Session {
  mutating func find(_ args: [String], io: inout IO) -> Int32 {
    var starts: [String] = []
    var i = 0
    while i < args.count, !args[i].hasPrefix("-") || args[i] == "-" { starts.append(args[i]); i += 1 }
    if starts.isEmpty { starts = ["."] }
    var names: [(pattern: String, fold: Bool)] = []
    var type: Character?
    var maxDepth = Int.max, minDepth = 0
    while i < args.count {
      let a = args[i]
      let value: String? = i + 1 < args.count ? args[i + 1] : nil
      switch a {
      case "-print":
        i += 1
        continue
      case "-name", "-iname", "-type", "-maxdepth", "-mindepth":
        guard let v = value else {
          io.err("find: missing argument to `\(a)'")
          return 1
        }
        switch a {
        case "-name", "-iname": names.append((v, a == "-iname"))
        case "-type":
          guard v.count == 1, let c = v.first, "fdl".contains(c) else {
            io.err("find: Unknown argument to -type: \(v)")
            return 1
          }
          type = c
        default:
          guard let n = Int(v), n >= 0 else {
            io.err("find: Expected a positive decimal integer argument to \(a), but got ‘\(v)’")
            return 1
          }
          if a == "-maxdepth" { maxDepth = n } else { minDepth = n }
        }
        i += 2
      default:
        io.err(a.hasPrefix("-") ? "find: unknown predicate `\(a)'" : "find: paths must precede expression: `\(a)'")
        return 1
      }
    }
    guard let fs = world.host(host)?.fs else { return 1 }
    var status: Int32 = 0
    for start in starts {
      let root = path(start)
      guard fs.exists(root) else {
        io.err("find: ‘\(start)’: No such file or directory")
        status = 1
        continue
      }
      func walk(_ p: String, shown: String, depth: Int) {
        let isDir = fs.isDirectory(p)
        let base = depth == 0 ? FileSystem.baseName(shown.hasSuffix("/") && shown.count > 1 ? String(shown.dropLast()) : shown) : FileSystem.baseName(p)
        let typeOK = type.map { $0 == "d" ? isDir : $0 == "f" ? !isDir : false } ?? true
        let nameOK = names.allSatisfy { n in n.fold ? Glob.matches(base.lowercased(), n.pattern.lowercased()) : Glob.matches(base, n.pattern) }
        if depth >= minDepth, typeOK, nameOK { io.out(shown) }
        guard isDir, depth < maxDepth else { return }
        for child in fs.children(p) {
          walk(p == "/" ? "/" + child : p + "/" + child, shown: (shown.hasSuffix("/") ? shown : shown + "/") + child, depth: depth + 1)
        }
      }
      walk(root, shown: start, depth: 0)
    }
    return status
  }
}
