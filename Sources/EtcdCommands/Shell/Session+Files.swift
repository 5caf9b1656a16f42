import EtcdSim

extension Session {
  static let users = ["root": 0, "etcd": 998, "nobody": 65534]

  static let fileCommands: [String: Builtin] = [
    "ls": { s, c, io in s.ls(c.args, io: &io) },
    "rm": { s, c, io in s.rm(c.args, io: &io) },
    "mkdir": { s, c, io in
      let o = TextTools.Options(c.args, valued: ["m"], longAliases: ["parents": "p"])
      var status: Int32 = 0
      for a in o.operands {
        let p = s.path(a)
        guard let fs = s.world.host(s.host)?.fs else { return 1 }
        if fs.exists(p) {
          if !o.flags.contains("p") { io.err("mkdir: cannot create directory ‘\(a)’: File exists"); status = 1 }
          continue
        }
        if !o.flags.contains("p") && !fs.isDirectory(FileSystem.resolve("..", cwd: p)) {
          io.err("mkdir: cannot create directory ‘\(a)’: No such file or directory")
          status = 1
          continue
        }
        _ = s.world.withFileSystem(of: s.host) { fs, t in
          fs.makeDirectories(p, at: t)
          if let m = o.values["m"], let mode = Int(m, radix: 8) { fs.setMode(p, mode) }
        }
      }
      if o.operands.isEmpty {
        io.err("mkdir: missing operand")
        io.err("Try 'mkdir --help' for more information.")
        return 1
      }
      return status
    },
    "touch": { s, c, io in
      let o = TextTools.Options(c.args)
      for a in o.operands {
        let p = s.path(a)
        guard s.world.host(s.host)?.fs.isDirectory(FileSystem.resolve("..", cwd: p)) == true else {
          io.err("touch: cannot touch '\(a)': No such file or directory")
          return 1
        }
        _ = s.world.withFileSystem(of: s.host) { fs, t in
          if fs.exists(p) { fs.touch(p, at: t) } else { fs.write(p, .bytes([]), at: t) }
        }
      }
      return 0
    },
    "truncate": { s, c, io in s.truncate(c.args, io: &io) },
    "chmod": { s, c, io in
      let rest = c.args.filter { $0 != "-R" }
      guard rest.count >= 2 else {
        io.err("chmod: missing operand")
        io.err("Try 'chmod --help' for more information.")
        return 1
      }
      let spec = rest[0]
      guard Session.applyMode(spec, to: 0, directory: false) != nil else {
        io.err("chmod: invalid mode: ‘\(spec)’")
        io.err("Try 'chmod --help' for more information.")
        return 1
      }
      return s.eachPath(Array(rest.dropFirst()), tool: "chmod", recursive: c.args.contains("-R"), io: &io) { fs, q in
        fs.setMode(q, Session.applyMode(spec, to: fs.mode(q), directory: fs.isDirectory(q)) ?? fs.mode(q))
      }
    },
    "chown": { s, c, io in
      let rest = c.args.filter { $0 != "-R" }
      guard rest.count >= 2 else {
        io.err("chown: missing operand")
        io.err("Try 'chown --help' for more information.")
        return 1
      }
      let parts = rest[0].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      let user = parts[0]
      let group = parts.count > 1 && !parts[1].isEmpty ? parts[1] : user
      guard Session.users[user] != nil else {
        io.err("chown: invalid user: ‘\(rest[0])’")
        return 1
      }
      guard Session.users[group] != nil else {
        io.err("chown: invalid group: ‘\(rest[0])’")
        return 1
      }
      return s.eachPath(Array(rest.dropFirst()), tool: "chown", recursive: c.args.contains("-R"), io: &io) { fs, q in
        fs.setOwner(q, "\(user):\(group)")
      }
    },
    "cp": { s, c, io in s.copyOrMove(c.args, move: false, io: &io) },
    "find": { s, c, io in s.find(c.args, io: &io) },
    "mv": { s, c, io in s.copyOrMove(c.args, move: true, io: &io) },
    "du": { s, c, io in
      let o = TextTools.Options(c.args)
      let human = o.flags.contains("h")
      var status: Int32 = 0
      for a in o.operands.isEmpty ? ["."] : o.operands {
        let p = s.path(a)
        guard let fs = s.world.host(s.host)?.fs, fs.exists(p) else {
          io.err("du: cannot access '\(a)': No such file or directory")
          status = 1
          continue
        }
        let bytes = fs.subtree(p).reduce(0) { $0 + (fs.isDirectory($1) ? 4096 : (fs.size($1) + 4095) / 4096 * 4096) }
        io.out("\(human ? Session.humanSize(bytes) : String(bytes / 1024))\t\(a)")
      }
      return status
    },
    "df": { _, c, io in
      let human = c.args.contains { $0.hasPrefix("-") && $0.contains("h") }
      io.out("Filesystem      \(human ? "Size  Used Avail" : "1K-blocks    Used Available") Use% Mounted on")
      io.out(human ? "/dev/vda1        20G  3.1G   16G  17% /" : "/dev/vda1        20466256 3215680  16186120  17% /")
      io.out(human ? "tmpfs           2.0G     0  2.0G   0% /dev/shm" : "tmpfs            2022692       0   2022692   0% /dev/shm")
      return 0
    },
    "stat": { s, c, io in
      var status: Int32 = 0
      for a in c.args where !a.hasPrefix("-") {
        let p = s.path(a)
        guard let fs = s.world.host(s.host)?.fs, fs.exists(p) else {
          io.err("stat: cannot statx '\(a)': No such file or directory")
          status = 1
          continue
        }
        let dir = fs.isDirectory(p)
        let size = fs.size(p)
        let owner = fs.owner(p).split(separator: ":").map(String.init)
        let uid = Session.users[owner[0]] ?? 0, gid = Session.users[owner.count > 1 ? owner[1] : owner[0]] ?? 0
        let mode = fs.mode(p)
        let time = SimTime.civil(fs.mtimes[p] ?? s.world.now)
        let stamp = "\(SimTime.pad(time.year, 4))-\(SimTime.pad(time.month, 2))-\(SimTime.pad(time.day, 2)) \(SimTime.pad(time.hour, 2)):\(SimTime.pad(time.minute, 2)):\(SimTime.pad(time.second, 2)).\(SimTime.pad(time.millis, 3))000000 +0000"
        io.out("  File: \(a)")
        io.out("  Size: \(size.description.padding(10))\tBlocks: \(((size + 511) / 512).description.padding(10)) IO Block: 4096   \(dir ? "directory" : size == 0 ? "regular empty file" : "regular file")")
        io.out("Device: 254,1\tInode: \((abs(p.hashValue) % 900_000 + 100_000).description.padding(11)) Links: \(dir ? 2 : 1)")
        io.out("Access: (\(Session.octal(mode))/\(Session.permissionString(mode, directory: dir)))  Uid: (\(String(uid).leftPad(5))/\(owner[0].leftPad(8)))   Gid: (\(String(gid).leftPad(5))/\((owner.count > 1 ? owner[1] : owner[0]).leftPad(8)))")
        io.out("Access: \(stamp)")
        io.out("Modify: \(stamp)")
        io.out("Change: \(stamp)")
        io.out(" Birth: -")
      }
      return status
    },
    "tar": { s, c, io in s.tar(c.args, io: &io) },
    "scp": { s, c, io in s.scp(c.args, io: &io) },
    "curl": { s, c, io in s.curl(c.args, io: &io) },
  ]

  /// Applies `body` to each named path (and, recursively, everything below it).
  mutating func eachPath(_ names: [String], tool: String, recursive: Bool, io: inout IO, _ body: (inout FileSystem, String) -> Void) -> Int32 {
    var status: Int32 = 0
    for a in names {
      let p = path(a)
      guard let fs = world.host(host)?.fs, fs.exists(p) else {
        io.err("\(tool): cannot access '\(a)': No such file or directory")
        status = 1
        continue
      }
      let paths = recursive ? fs.subtree(p) : [p]
      _ = world.withFileSystem(of: host) { fs, _ in for q in paths { body(&fs, q) } }
    }
    return status
  }

  static func humanSize(_ bytes: Int) -> String {
    if bytes < 1024 { return "\(bytes)" }
    let units = ["K", "M", "G", "T"]
    var v = Double(bytes) / 1024
    var i = 0
    while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
    if v < 10 {
      let tenths = Int((v * 10).rounded(.up))
      return tenths % 10 == 0 && tenths >= 100 ? "\(tenths / 10)\(units[i])" : "\(tenths / 10).\(tenths % 10)\(units[i])"
    }
    return "\(Int(v.rounded(.up)))\(units[i])"
  }

  static func octal(_ mode: Int) -> String {
    let s = String(mode, radix: 8)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
  }

  static func permissionString(_ mode: Int, directory: Bool) -> String {
    var out = directory ? "d" : "-"
    for shift in [6, 3, 0] {
      let bits = (mode >> shift) & 7
      out += (bits & 4 != 0 ? "r" : "-") + (bits & 2 != 0 ? "w" : "-") + (bits & 1 != 0 ? "x" : "-")
    }
    return out
  }

  /// An octal mode, or a symbolic one (`u+x`, `go-rwx`, `a=r`).
  static func applyMode(_ spec: String, to mode: Int, directory: Bool) -> Int? {
    if let v = Int(spec, radix: 8), spec.allSatisfy({ $0.isNumber }) { return v & 0o7777 }
    var result = mode
    for clause in spec.split(separator: ",") {
      guard let opIndex = clause.firstIndex(where: { "+-=".contains($0) }) else { return nil }
      let who = clause[..<opIndex].isEmpty ? "a" : String(clause[..<opIndex])
      let op = clause[opIndex]
      var bits = 0
      for p in clause[clause.index(after: opIndex)...] {
        switch p {
        case "r": bits |= 4
        case "w": bits |= 2
        case "x", "X": bits |= 1
        default: return nil
        }
      }
      var mask = 0
      for w in who {
        switch w {
        case "u": mask |= bits << 6
        case "g": mask |= bits << 3
        case "o": mask |= bits
        case "a": mask |= bits << 6 | bits << 3 | bits
        default: return nil
        }
      }
      switch op {
      case "+": result |= mask
      case "-": result &= ~mask
      default:
        var clear = 0
        for w in who { clear |= w == "u" ? 0o700 : w == "g" ? 0o070 : w == "o" ? 0o007 : 0o777 }
        result = (result & ~clear) | mask
      }
    }
    return result
  }

  mutating func ls(_ args: [String], io: inout IO) -> Int32 {
    let o = TextTools.Options(args, longAliases: ["all": "a", "human-readable": "h", "recursive": "R"])
    let all = o.flags.contains("a")
    let long = o.flags.contains("l")
    let recursive = o.flags.contains("R")
    let human = o.flags.contains("h")
    let names = o.operands.isEmpty ? ["."] : o.operands
    guard let fs = world.host(host)?.fs else { return 1 }
    var status: Int32 = 0
    var blocks: [String] = []
    var files: [String] = []
    func listing(_ p: String, _ shown: String, header: Bool) -> String {
      var entries = fs.children(p)
      if !all { entries = entries.filter { !$0.hasPrefix(".") } }
      var lines: [String] = []
      if long {
        let total = entries.reduce(0) { $0 + (fs.size(p == "/" ? "/" + $1 : p + "/" + $1) + 4095) / 4096 * 4 }
        lines.append("total \(human ? Session.humanSize(total * 1024) : String(total))")
        if all { lines += [".", ".."].map { longLine(fs, p, $0, human: human) } }
      } else if all {
        lines += [".", ".."]
      }
      lines += entries.map { long ? longLine(fs, p == "/" ? "/" + $0 : p + "/" + $0, $0, human: human) : $0 }
      var text = (header ? "\(shown):\n" : "") + lines.map { $0 + "\n" }.joined()
      if recursive {
        for e in entries where fs.isDirectory(p == "/" ? "/" + e : p + "/" + e) {
          text += "\n" + listing(p == "/" ? "/" + e : p + "/" + e, shown == "." ? "./" + e : shown + "/" + e, header: true)
        }
      }
      return text
    }
    for n in names {
      let p = path(n)
      guard let node = fs.node(p) else {
        io.err("ls: cannot access '\(n)': No such file or directory")
        status = 2
        continue
      }
      if node == .directory && !o.flags.contains("d") {
        blocks.append(listing(p, n, header: names.count > 1 || recursive))
      } else {
        files.append(long ? longLine(fs, p, n, human: human) : n)
      }
    }
    var out = files.map { $0 + "\n" }.joined()
    if !files.isEmpty && !blocks.isEmpty { out += "\n" }
    out += blocks.joined(separator: "\n")
    io.write(Array(out.utf8))
    return status
  }

  func longLine(_ fs: FileSystem, _ p: String, _ name: String, human: Bool = false) -> String {
    let dir = fs.isDirectory(p)
    let c = SimTime.civil(fs.mtimes[p] ?? world.now)
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][c.month - 1]
    let size = human ? Session.humanSize(fs.size(p)) : String(fs.size(p))
    let owner = fs.owner(p).split(separator: ":").map(String.init)
    let perms = Session.permissionString(fs.mode(p), directory: dir)
    return "\(perms) \(dir ? 2 : 1) \(owner[0]) \(owner.count > 1 ? owner[1] : owner[0]) \(size.leftPad(human ? 4 : 8)) \(month) \(c.day < 10 ? " " : "")\(c.day) \(SimTime.pad(c.hour, 2)):\(SimTime.pad(c.minute, 2)) \(name)"
  }

  mutating func rm(_ args: [String], io: inout IO) -> Int32 {
    let o = TextTools.Options(args, longAliases: ["recursive": "r", "force": "f"])
    let recursive = o.flags.contains("r") || o.flags.contains("R")
    let force = o.flags.contains("f")
    var status: Int32 = 0
    if o.operands.isEmpty && !force {
      io.err("rm: missing operand")
      io.err("Try 'rm --help' for more information.")
      return 1
    }
    for t in o.operands {
      let p = path(t)
      guard let fs = world.host(host)?.fs, let node = fs.node(p) else {
        if !force { io.err("rm: cannot remove '\(t)': No such file or directory"); status = 1 }
        continue
      }
      if node == .directory && !recursive {
        io.err("rm: cannot remove '\(t)': Is a directory")
        status = 1
        continue
      }
      if p == "/" {
        io.err("rm: it is dangerous to operate recursively on '/'")
        io.err("rm: use --no-preserve-root to override this failsafe")
        status = 1
        continue
      }
      _ = world.withFileSystem(of: host) { fs, _ in fs.remove(p) }
    }
    return status
  }

  mutating func copyOrMove(_ args: [String], move: Bool, io: inout IO) -> Int32 {
    let tool = move ? "mv" : "cp"
    let o = TextTools.Options(args, longAliases: ["recursive": "r", "archive": "a", "force": "f"])
    let recursive = move || o.flags.contains("r") || o.flags.contains("R") || o.flags.contains("a")
    let preserve = move || o.flags.contains("a") || o.flags.contains("p")
    guard o.operands.count >= 2 else {
      io.err(o.operands.isEmpty ? "\(tool): missing file operand" : "\(tool): missing destination file operand after '\(o.operands[0])'")
      io.err("Try '\(tool) --help' for more information.")
      return 1
    }
    let sources = o.operands.dropLast()
    let dest = path(o.operands.last!)
    guard let fs = world.host(host)?.fs else { return 1 }
    if sources.count > 1 && !fs.isDirectory(dest) {
      io.err("\(tool): target '\(o.operands.last!)' is not a directory")
      return 1
    }
    var status: Int32 = 0
    for src in sources {
      let p = path(src)
      guard let node = world.host(host)?.fs.node(p) else {
        io.err("\(tool): cannot stat '\(src)': No such file or directory")
        status = 1
        continue
      }
      if node == .directory && !recursive {
        io.err("cp: -r not specified; omitting directory '\(src)'")
        status = 1
        continue
      }
      let target = world.host(host)?.fs.isDirectory(dest) == true ? (dest == "/" ? "" : dest) + "/" + FileSystem.baseName(p) : dest
      if target == p || target.hasPrefix(p + "/") {
        io.err("\(tool): cannot \(move ? "move" : "copy") '\(src)' to a subdirectory of itself, '\(o.operands.last!)'")
        status = 1
        continue
      }
      // A running program's file cannot be opened for writing (ETXTBSY); cp -f removes it and
      // writes a new file instead, which the running process does not see.
      let busy = !move && world.processes.contains { $0.isRunning && $0.host == host && $0.executable == target }
      if busy && !o.flags.contains("f") {
        let shown = fs.isDirectory(dest) ? o.operands.last!.hasSuffix("/") ? o.operands.last! + FileSystem.baseName(p) : o.operands.last! + "/" + FileSystem.baseName(p) : o.operands.last!
        io.err("cp: cannot create regular file '\(shown)': Text file busy")
        status = 1
        continue
      }
      if !move, fs.storedBytes + fs.storedBytes(under: p) - fs.storedBytes(under: target) > SimLimits.diskBytes {
        io.err("cp: error writing '\(o.operands.last!)': No space left on device")
        io.notice(SimLimits.diskNotice(host))
        status = 1
        continue
      }
      // A data dir's database copied alone keeps what it holds now (a snapshot without a hash).
      let image = node == .file(.database) ? world.databaseImage(host: host, path: p) : nil
      _ = world.withFileSystem(of: host) { fs, t in
        if fs.exists(target) && fs.isDirectory(target) == (node == .directory) { fs.remove(target) }
        fs.copy(p, to: target, at: t, preserve: preserve)
        if let image { fs.write(target, .snapshot(image), at: t) }
        if move { fs.remove(p) }
      }
    }
    return status
  }

  mutating func tar(_ args: [String], io: inout IO) -> Int32 {
    guard let first = args.first else {
      io.err("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options")
      io.err("Try 'tar --help' or 'tar --usage' for more information.")
      return 2
    }
    var letters = first.hasPrefix("-") ? String(first.dropFirst()) : first
    var rest = Array(args.dropFirst())
    var archive: String?
    var directory = cwd
    var operands: [String] = []
    while let a = rest.first {
      rest.removeFirst()
      if a == "-C", let d = rest.first { directory = path(d); rest.removeFirst(); continue }
      if a.hasPrefix("-") { letters += a.dropFirst(); if a.contains("f"), archive == nil, let f = rest.first { archive = f; rest.removeFirst() }; continue }
      if archive == nil && letters.contains("f") { archive = a; continue }
      operands.append(a)
    }
    guard let file = archive else {
      io.err("tar: Refusing to read archive contents from terminal (missing -f option?)")
      io.err("tar: Error is not recoverable: exiting now")
      return 2
    }
    let archivePath = path(file)
    if letters.contains("c") {
      guard !operands.isEmpty else {
        io.err("tar: Cowardly refusing to create an empty archive")
        io.err("Try 'tar --help' or 'tar --usage' for more information.")
        return 2
      }
      var entries: [FileSystem.ArchiveEntry] = []
      guard let fs = world.host(host)?.fs else { return 2 }
      for o in operands {
        let p = FileSystem.resolve(o, cwd: directory)
        guard fs.exists(p) else {
          io.err("tar: \(o): Cannot stat: No such file or directory")
          io.err("tar: Exiting with failure status due to previous errors")
          return 2
        }
        let base = o.hasPrefix("/") ? "/" : directory
        entries += fs.archive(p, relativeTo: base)
        if o.hasPrefix("/") && !transcriptMode { io.err("tar: Removing leading `/' from member names") }
        if letters.contains("v") { for e in entries { io.out(e.path + (e.node == .directory ? "/" : "")) } }
      }
      _ = world.withFileSystem(of: host) { fs, t in fs.write(archivePath, .archive(entries), at: t) }
      return 0
    }
    guard let content = world.host(host)?.fs.content(archivePath) else {
      io.err("tar: \(file): Cannot open: No such file or directory")
      io.err("tar: Error is not recoverable: exiting now")
      return 2
    }
    guard case .archive(let entries) = content else {
      io.err("")
      io.err("gzip: stdin: not in gzip format")
      io.err("tar: Child returned status 1")
      io.err("tar: Error is not recoverable: exiting now")
      return 2
    }
    if letters.contains("t") {
      for e in entries { io.out(e.path + (e.node == .directory ? "/" : "")) }
      return 0
    }
    if letters.contains("x") {
      guard world.host(host)?.fs.isDirectory(directory) == true else {
        io.err("tar: \(directory): Cannot open: No such file or directory")
        io.err("tar: Error is not recoverable: exiting now")
        return 2
      }
      if letters.contains("v") { for e in entries { io.out(e.path + (e.node == .directory ? "/" : "")) } }
      _ = world.withFileSystem(of: host) { fs, t in fs.extract(entries, into: directory, at: t) }
      return 0
    }
    io.err("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options")
    io.err("Try 'tar --help' or 'tar --usage' for more information.")
    return 2
  }

  /// `scp [-r] SRC... DEST`, where either side may be `HOST:PATH`.
  mutating func scp(_ args: [String], io: inout IO) -> Int32 {
    let o = TextTools.Options(args, valued: ["P", "i"])
    guard o.operands.count >= 2 else {
      io.err("usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] [-F ssh_config]")
      io.err("           [-i identity_file] [-J destination] [-l limit] [-o ssh_option]")
      io.err("           [-P port] [-S program] [-X sftp_option] source ... target")
      return 1
    }
    func split(_ spec: String) -> (host: String, path: String)? {
      guard let colon = spec.firstIndex(of: ":"), !spec[..<colon].contains("/") else { return (host, path(spec)) }
      let dest = String(spec[..<colon])
      guard let h = resolveHost(dest) else { return nil }
      let p = String(spec[spec.index(after: colon)...])
      return (h.name, FileSystem.resolve(p.isEmpty ? "." : p, cwd: "/root"))
    }
    guard let to = split(o.operands.last!) else {
      let name = String(o.operands.last!.prefix { $0 != ":" }).split(separator: "@").last.map(String.init) ?? ""
      io.err("ssh: Could not resolve hostname \(name): Name or service not known")
      io.err("scp: Connection closed")
      return 255
    }
    var status: Int32 = 0
    for src in o.operands.dropLast() {
      guard let from = split(src) else {
        let name = String(src.prefix { $0 != ":" }).split(separator: "@").last.map(String.init) ?? ""
        io.err("ssh: Could not resolve hostname \(name): Name or service not known")
        io.err("scp: Connection closed")
        return 255
      }
      guard let fsFrom = world.host(from.host)?.fs, let node = fsFrom.node(from.path) else {
        io.err("scp: \(from.path): No such file or directory")
        status = 1
        continue
      }
      if node == .directory && !o.flags.contains("r") {
        io.err("scp: \(from.path): not a regular file")
        status = 1
        continue
      }
      let entries = fsFrom.archive(from.path, relativeTo: FileSystem.resolve("..", cwd: from.path))
      let destIsDir = world.host(to.host)?.fs.isDirectory(to.path) == true
      let targetDir = destIsDir ? to.path : FileSystem.resolve("..", cwd: to.path)
      if !destIsDir, let problem = Self.scpTargetProblem(o.operands.last!, src: src, parentExists: world.host(to.host)?.fs.isDirectory(targetDir) == true) {
        problem.forEach { io.err($0) }
        status = 1
        continue
      }
      let renamed = destIsDir ? entries : entries.map { e in
        var e = e
        let base = FileSystem.baseName(from.path)
        e.path = FileSystem.baseName(to.path) + e.path.dropFirst(base.count)
        return e
      }
      world.advance(by: 50 + Millis(fsFrom.size(from.path) / 50_000))
      _ = world.withFileSystem(of: to.host) { fs, t in fs.extract(renamed, into: targetDir, at: t) }
    }
    return status
  }

  /// What scp says when its target is neither a directory nor a file it can create: a target
  /// ending in `/` that is no directory, or one whose folder is missing. A local target is
  /// copied by `cp` (its words); a remote one is opened over SFTP (OpenSSH 9.2's words).
  static func scpTargetProblem(_ target: String, src: String, parentExists: Bool) -> [String]? {
    let slash = target.hasSuffix("/")
    guard slash || !parentExists else { return nil }
    guard let colon = target.firstIndex(of: ":"), !target[..<colon].contains("/") else {
      return ["cp: cannot create regular file '\(target)': \(slash ? "Not a directory" : "No such file or directory")"]
    }
    let typed = String(target[target.index(after: colon)...])
    let absolute = typed.hasPrefix("/") ? typed : "/root/" + typed
    // open(2) of a missing path ending in `/` with O_CREAT is EISDIR, which sftp-server reports as a bare failure.
    return ["scp: dest open \"\(absolute)\": \(slash && parentExists ? "Failure" : "No such file or directory")",
            "scp: failed to upload file \(src) to \(typed)"]
  }
}

extension String {
  /// Right-aligned in `width` columns.
  func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }

  func trimmingCharacters(in set: String) -> String {
    var s = Substring(self)
    while let f = s.first, set.contains(f) { s = s.dropFirst() }
    while let l = s.last, set.contains(l) { s = s.dropLast() }
    return String(s)
  }
}
