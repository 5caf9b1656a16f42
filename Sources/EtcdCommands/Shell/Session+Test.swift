import EtcdSim

/// `test` and `[`: the conditions loops and `&&` chains use (bash's builtin, the common operators).
extension Session {
  mutating func test(_ args: [String], bracket: Bool, io: inout IO) -> Int32 {
    var a = args
    if bracket {
      guard a.last == "]" else {
        io.err("bash: [: missing `]'")
        return 2
      }
      a.removeLast()
    }
    let name = bracket ? "[" : "test"
    var negate = false
    if a.first == "!" && a.count > 1 {
      negate = true
      a.removeFirst()
    }
    let fs = world.host(host)?.fs
    let result: Bool
    switch a.count {
    case 0: result = false
    case 1: result = !a[0].isEmpty
    case 2:
      let p = path(a[1])
      switch a[0] {
      case "-z": result = a[1].isEmpty
      case "-n": result = !a[1].isEmpty
      case "-e": result = fs?.exists(p) ?? false
      case "-f": result = fs?.exists(p) == true && fs?.isDirectory(p) == false
      case "-d": result = fs?.isDirectory(p) ?? false
      case "-s": result = (fs?.exists(p) ?? false) && (fs?.size(p) ?? 0) > 0
      default:
        io.err("bash: \(name): \(a[0]): unary operator expected")
        return 2
      }
    case 3:
      let (x, op, y) = (a[0], a[1], a[2])
      switch op {
      case "=", "==": result = x == y
      case "!=": result = x != y
      case "-eq", "-ne", "-lt", "-le", "-gt", "-ge":
        guard let l = Int(x), let r = Int(y) else {
          io.err("bash: \(name): \(Int(x) == nil ? x : y): integer expression expected")
          return 2
        }
        switch op {
        case "-eq": result = l == r
        case "-ne": result = l != r
        case "-lt": result = l < r
        case "-le": result = l <= r
        case "-gt": result = l > r
        default: result = l >= r
        }
      default:
        io.err("bash: \(name): \(op): binary operator expected")
        return 2
      }
    default:
      io.err("bash: \(name): too many arguments")
      return 2
    }
    return result != negate ? 0 : 1
  }
}
