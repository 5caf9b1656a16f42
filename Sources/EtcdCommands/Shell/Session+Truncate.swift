import EtcdSim

extension Session {
  /// How `truncate -s` sets a size: absolute, `+`/`-` relative, `<` at most, `>` at least,
  /// `/` rounded down or `%` rounded up to a multiple.
  enum SizeMode: Character { case absolute = "=", relative = "+", atMost = "<", atLeast = ">", roundDown = "/", roundUp = "%" }

  /// GNU truncate: `-s SIZE` (coreutils suffixes), `-c`; refuses sizes beyond ext4's largest
  /// file as Linux does, and plain content beyond the simulated disk.
  mutating func truncate(_ args: [String], io: inout IO) -> Int32 {
    func usage(_ line: String) -> Int32 {
      io.err(line)
      io.err("Try 'truncate --help' for more information.")
      return 1
    }
    let o = TextTools.Options(args, valued: ["s"], longAliases: ["size": "s", "no-create": "c"])
    guard var spec = o.values["s"].map({ Substring($0.unicodeScalars.drop(while: Numbers.isSpace).map(Character.init)) }) else {
      return usage("truncate: you must specify either ‘--size’ or ‘--reference’")
    }
    var mode = SizeMode.absolute
    if let c = spec.first, let m = SizeMode(rawValue: c), "<>/%".contains(c) {
      mode = m
      spec = Substring(spec.dropFirst().unicodeScalars.drop(while: Numbers.isSpace).map(Character.init))
    }
    if spec.hasPrefix("+") || spec.hasPrefix("-") {
      if mode != .absolute {
        return usage("truncate: multiple relative modifiers specified")
      }
      mode = .relative
    }
    let size: Int64
    switch Numbers.coreutils(String(spec), suffixes: Numbers.sizeSuffixes, signed: true) {
    case .success(let v): size = v
    case .failure(let f):
      io.err(Numbers.complaint("truncate: Invalid number", String(spec), f))
      return 1
    }
    if (mode == .roundDown || mode == .roundUp) && size == 0 {
      io.err("truncate: division by zero")
      return 1
    }
    if o.operands.isEmpty { return usage("truncate: missing file operand") }
    var status: Int32 = 0
    for a in o.operands {
      let p = path(a)
      guard let fs = world.host(host)?.fs else { return 1 }
      if fs.isDirectory(p) {
        io.err("truncate: cannot open '\(a)' for writing: Is a directory")
        status = 1
        continue
      }
      if !fs.exists(p) {
        if o.flags.contains("c") { continue }
        guard fs.isDirectory(FileSystem.parent(p)) else {
          io.err("truncate: cannot open '\(a)' for writing: No such file or directory")
          status = 1
          continue
        }
      }
      let current = Int64(fs.size(p))
      var target: Int64
      switch mode {
      case .absolute: target = size
      case .relative: target = current.saturatingAdding(size)
      case .atMost: target = min(current, size)
      case .atLeast: target = max(current, size)
      case .roundDown: target = current / size * size
      case .roundUp: target = (current / size).saturatingAdding(current % size == 0 ? 0 : 1).saturatingMultiplied(by: size)
      }
      target = max(0, target)
      guard target <= SimLimits.largestFile else {
        io.err("truncate: failed to truncate '\(a)' at \(target) bytes: File too large")
        status = 1
        continue
      }
      let done = world.withFileSystem(of: host) { fs, t in fs.truncate(p, to: Int(target), at: t) } ?? false
      if !done {
        io.err("truncate: failed to truncate '\(a)' at \(target) bytes: No space left on device")
        io.notice(SimLimits.diskNotice(host))
        status = 1
      }
    }
    return status
  }
}
