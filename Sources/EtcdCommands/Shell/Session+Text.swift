import EtcdSim

extension Session {
  /// The text of a file on this host, for tools that read files.
  func readText(_ name: String) -> String? {
    guard let fs = world.host(host)?.fs else { return nil }
    switch fs.node(path(name)) {
    case .file(.bytes(let b))?: return String(decoding: b, as: UTF8.self)
    case .file(.certificate(let c))?: return c.pem
    case .file(.privateKey(let k))?: return Certificate.keyPEM(k)
    case .file?: return "\u{7f}ELF\u{2}\u{1}\u{1}"
    default: return nil
    }
  }

  /// Input for a filter: its file operands, concatenated, or stdin.
  func filterInput(_ operands: [String], stdin: String, tool: String, io: inout IO) -> String? {
    if operands.isEmpty { return stdin }
    var text = ""
    for f in operands {
      if f == "-" { text += stdin; continue }
      if world.host(host)?.fs.isDirectory(path(f)) == true {
        io.err(Self.unreadable(tool, f, directory: true))
        return nil
      }
      guard let t = readText(f) else {
        io.err(Self.unreadable(tool, f, directory: false))
        return nil
      }
      text += t
    }
    return text
  }

  /// How each GNU tool (coreutils 9.1, gawk's awk) says it cannot read a file operand.
  static func unreadable(_ tool: String, _ f: String, directory: Bool) -> String {
    switch (tool, directory) {
    case ("head", false), ("tail", false): "\(tool): cannot open '\(f)' for reading: No such file or directory"
    case ("head", true), ("tail", true): "\(tool): error reading '\(f)': Is a directory"
    case ("sort", false): "sort: cannot read: \(f): No such file or directory"
    case ("sort", true): "sort: read failed: \(f): Is a directory"
    case ("uniq", true): "uniq: error reading '\(f)'"
    case ("awk", false): "awk: cannot open \(f) (No such file or directory)"
    case ("awk", true): "awk: read error (Is a directory)"
    default: "\(tool): \(f): \(directory ? "Is a directory" : "No such file or directory")"
    }
  }

  static let textCommands: [String: Builtin] = [
    "grep": { s, c, io in
      let snapshot = s
      return TextTools.grep(c.args, input: { snapshot.readText($0) }, stdin: io.stdinText, io: &io)
    },
    "head": { s, c, io in
      let o = TextTools.Options(c.args, valued: ["n", "c"])
      guard let text = s.filterInput(o.operands, stdin: io.stdinText, tool: "head", io: &io) else { return 1 }
      return TextTools.head(c.args.filter { !o.operands.contains($0) }, text: text, io: &io, tail: false)
    },
    "tail": { s, c, io in
      let o = TextTools.Options(c.args, valued: ["n", "c"], longAliases: ["follow": "f", "lines": "n"])
      guard let text = s.filterInput(o.operands, stdin: io.stdinText, tool: "tail", io: &io) else { return 1 }
      let status = TextTools.head(c.args.filter { !o.operands.contains($0) }, text: text, io: &io, tail: true)
      if o.flags.contains("f") || o.flags.contains("F") { s.followNotice("tail -f", io: &io) }
      return status
    },
    "wc": { s, c, io in
      let o = TextTools.Options(c.args)
      if o.operands.isEmpty { return TextTools.wc(c.args, text: io.stdinText, name: nil, io: &io) }
      var status: Int32 = 0
      for f in o.operands {
        guard let t = s.filterInput([f], stdin: "", tool: "wc", io: &io) else { status = 1; continue }
        _ = TextTools.wc(c.args.filter { !o.operands.contains($0) }, text: t, name: f, io: &io)
      }
      return status
    },
    "sort": { s, c, io in
      let o = TextTools.Options(c.args, valued: ["k", "t"])
      guard let text = s.filterInput(o.operands, stdin: io.stdinText, tool: "sort", io: &io) else { return 2 }
      return TextTools.sort(c.args.filter { !o.operands.contains($0) }, text: text, io: &io)
    },
    "uniq": { s, c, io in
      let o = TextTools.Options(c.args)
      guard let text = s.filterInput(Array(o.operands.prefix(1)), stdin: io.stdinText, tool: "uniq", io: &io) else { return 1 }
      return TextTools.uniq(c.args.filter { !o.operands.contains($0) }, text: text, io: &io)
    },
    "tr": { _, c, io in TextTools.tr(c.args, text: io.stdinText, io: &io) },
    "seq": { _, c, io in Seq.run(c.args, io: &io) },
    "od": { _, c, io in
      // `od -An -tx1` (the transcripts' view of `-w protobuf`); other formats say so.
      guard c.args.contains("-An"), c.args.contains("-tx1") || c.args.contains("-t") && c.args.contains("x1") else {
        io.err("etcdlab: only 'od -An -tx1' is simulated")
        return 1
      }
      let b = io.stdin
      var k = 0
      while k < b.count {
        io.out(b[k..<min(k + 16, b.count)].map { " " + Hex.byte($0) }.joined())
        k += 16
      }
      return 0
    },
    "cut": { s, c, io in
      let o = TextTools.Options(c.args, valued: ["d", "f", "c"], longAliases: ["delimiter": "d", "fields": "f"])
      guard let text = s.filterInput(o.operands, stdin: io.stdinText, tool: "cut", io: &io) else { return 1 }
      return TextTools.cut(c.args.filter { !o.operands.contains($0) }, text: text, io: &io)
    },
    "awk": { s, c, io in
      var args = c.args
      var files: [String] = []
      // Operands after the program are files.
      if let progIndex = args.firstIndex(where: { !$0.hasPrefix("-") && !(args.firstIndex(of: $0).map { $0 > 0 && args[$0 - 1] == "-F" } ?? false) }) {
        files = Array(args[(progIndex + 1)...])
        args = Array(args[...progIndex])
      }
      guard let text = s.filterInput(files, stdin: io.stdinText, tool: "awk", io: &io) else { return 2 }
      return TextTools.awk(args, text: text, io: &io)
    },
    "sed": { s, c, io in s.sed(c.args, io: &io) },
    "cat": { s, c, io in
      let o = TextTools.Options(c.args)
      if o.operands.isEmpty { io.write(io.stdin); return 0 }
      var status: Int32 = 0
      for f in o.operands {
        if f == "-" { io.write(io.stdin); continue }
        let p = s.path(f)
        switch s.world.host(s.host)?.fs.node(p) {
        case .file(.bytes(let b))?:
          if o.flags.contains("n") {
            for (k, l) in TextTools.lines(String(decoding: b, as: UTF8.self)).enumerated() { io.out(String(repeating: " ", count: max(0, 6 - String(k + 1).count)) + "\(k + 1)\t\(l)") }
          } else {
            io.write(b)
          }
        case .file?: io.write(Array((s.readText(f) ?? "").utf8))
        case .directory?: io.err("cat: \(f): Is a directory"); status = 1
        case nil: io.err("cat: \(f): No such file or directory"); status = 1
        }
      }
      return status
    },
    "less": { s, c, io in s.page(c.args, tool: "less", io: &io) },
    "more": { s, c, io in s.page(c.args, tool: "more", io: &io) },
    "tee": { s, c, io in
      let o = TextTools.Options(c.args, longAliases: ["append": "a"])
      io.write(io.stdin)
      let text = io.stdinText
      var status: Int32 = 0
      for f in o.operands {
        let p = s.path(f)
        let append = o.flags.contains("a")
        let written = s.world.withFileSystem(of: s.host) { fs, t in
          if append { return fs.append(p, text, at: t) }
          guard fs.fits(p, size: text.utf8.count) else { return false }
          fs.write(p, .bytes(Array(text.utf8)), at: t)
          return true
        }
        if written == false {
          io.err("tee: \(f): No space left on device")
          io.notice(SimLimits.diskNotice(s.host))
          status = 1
        }
      }
      return status
    },
    "xargs": { s, c, io in
      var args = c.args
      var perCall = Int.max
      while let f = args.first, f.hasPrefix("-") {
        args.removeFirst()
        if f == "-n", let n = args.first.flatMap(Int.init) { perCall = max(1, n); args.removeFirst() } else if f.hasPrefix("-n"), let n = Int(f.dropFirst(2)) { perCall = max(1, n) }
      }
      if args.isEmpty { args = ["echo"] }
      let words = io.stdinText.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
      var status: Int32 = 0
      var chunks: [[String]] = []
      var i = 0
      repeat {
        chunks.append(Array(words[i..<min(words.count, i + perCall)]))
        i += perCall == Int.max ? words.count : perCall
      } while i < words.count
      for chunk in chunks {
        var sub = IO()
        let r = s.execute(args + chunk, env: c.env, targets: Targets(), background: false, io: &sub)
        io.append(sub)
        if r != 0 { status = 123 }
      }
      return status
    },
  ]

  mutating func page(_ args: [String], tool: String, io: inout IO) -> Int32 {
    let operands = args.filter { !$0.hasPrefix("-") && !$0.hasPrefix("+") }
    guard let text = filterInput(operands, stdin: io.stdinText, tool: tool, io: &io) else { return 1 }
    io.write(Array(text.utf8))
    return 0
  }

  /// `tail -f`, `journalctl -f`: the simulation shows what is there and ends at once.
  func followNotice(_ what: String, io: inout IO) {
    if suggestions { io.err("etcdlab: '\(what)' ends at once in the simulation; run it again to see new lines") }
  }

  /// `sed [-n] [-i] [-e SCRIPT]... [SCRIPT] [FILE...]`.
  mutating func sed(_ args: [String], io: inout IO) -> Int32 {
    var scripts: [String] = []
    var files: [String] = []
    var quiet = false
    var inPlace = false
    var i = 0
    while i < args.count {
      let a = args[i]
      i += 1
      switch a {
      case "-n", "--quiet", "--silent": quiet = true
      case "-i", "--in-place": inPlace = true
      case "-e", "--expression":
        if i < args.count { scripts.append(args[i]); i += 1 }
      case "-E", "-r": break
      default:
        if a.hasPrefix("-i") { inPlace = true; continue }
        if scripts.isEmpty && !args.contains("-e") { scripts.append(a) } else { files.append(a) }
      }
    }
    guard !scripts.isEmpty else {
      io.err("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...")
      return 1
    }
    // The script is compiled before any file is opened.
    if case .failure(let m) = TextTools.sed(scripts, quiet: quiet, text: "") {
      io.err(m.text)
      return 1
    }
    let fs = world.host(host)?.fs
    if inPlace {
      guard !files.isEmpty else {
        io.err("sed: no input files")
        return 1
      }
      for f in files {
        if fs?.isDirectory(path(f)) == true {
          io.err("sed: couldn't edit \(f): not a regular file")
          return 4
        }
        guard let text = readText(f) else {
          io.err("sed: can't read \(f): No such file or directory")
          return 2
        }
        switch TextTools.sed(scripts, quiet: quiet, text: text) {
        case .success(let out):
          let p = path(f)
          _ = world.withFileSystem(of: host) { fs, t in fs.write(p, .bytes(Array(out.utf8)), at: t) }
        case .failure(let m):
          io.err(m.text)
          return 1
        }
      }
      return 0
    }
    var text = ""
    if files.isEmpty { text = io.stdinText } else {
      for f in files {
        if fs?.isDirectory(path(f)) == true {
          io.err("sed: read error on \(f): Is a directory")
          return 4
        }
        guard let t = readText(f) else {
          io.err("sed: can't read \(f): No such file or directory")
          return 2
        }
        text += t
      }
    }
    switch TextTools.sed(scripts, quiet: quiet, text: text) {
    case .success(let out):
      io.write(Array(out.utf8))
      return 0
    case .failure(let m):
      io.err(m.text)
      return 1
    }
  }
}
