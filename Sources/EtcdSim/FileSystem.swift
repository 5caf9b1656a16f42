/// A host's file system: absolute paths to directories and files. Value type, no I/O.
public struct FileSystem: Equatable, Sendable {
  public enum Content: Equatable, Sendable {
    /// Plain bytes (logs, text files, anything a student writes).
    case bytes([UInt8])
    /// A member's write-ahead log: who it is and which cluster it belongs to.
    case wal(WALRecord)
    /// The backend database file of a data dir.
    case database
    /// An executable (`etcd`, `etcdctl`) of a given version.
    case executable(name: String, version: String)
    /// A tar archive: paths relative to where it was made, and what they held.
    indirect case archive([ArchiveEntry])
    /// A snapshot of a member's database (`etcdctl snapshot save`).
    case snapshot(Snapshot)
    /// A PEM certificate.
    case certificate(Certificate)
    /// A PEM private key: the id of its key pair.
    case privateKey(String)
  }

  /// One path of a tar archive.
  public struct ArchiveEntry: Equatable, Sendable {
    public var path: String
    public var node: Node
    public var owner: String
    public var mode: Int
  }

  public enum Node: Equatable, Sendable {
    case directory
    case file(Content)
  }

  public private(set) var nodes: [String: Node] = ["/": .directory]
  /// Modification times, for `ls -l`.
  public private(set) var mtimes: [String: Millis] = [:]
  /// `user:group` of paths that are not `root:root`.
  public private(set) var owners: [String: String] = [:]
  /// Permission bits of paths whose mode is not the default (755 for directories and programs, 644 for files).
  public private(set) var modes: [String: Int] = [:]
  /// Bytes of plain file content held, which `SimLimits.diskBytes` bounds.
  public private(set) var storedBytes = 0

  public init() {}

  /// Joins `path` onto `cwd` and resolves `.`/`..`: an absolute, normalized path.
  public static func resolve(_ path: String, cwd: String) -> String {
    let full = path.hasPrefix("/") ? path : cwd + "/" + path
    var parts: [Substring] = []
    for p in full.split(separator: "/") {
      if p == "." { continue }
      if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
      parts.append(p)
    }
    return "/" + parts.joined(separator: "/")
  }

  public static func parent(_ path: String) -> String {
    guard let i = path.lastIndex(of: "/"), path != "/" else { return "/" }
    return i == path.startIndex ? "/" : String(path[..<i])
  }

  public static func baseName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? "/"
  }

  public func node(_ path: String) -> Node? { nodes[path] }
  public func exists(_ path: String) -> Bool { nodes[path] != nil }
  public func isDirectory(_ path: String) -> Bool { nodes[path] == .directory }

  public func content(_ path: String) -> Content? {
    if case .file(let c)? = nodes[path] { return c }
    return nil
  }

  /// Where a data dir keeps its WAL (etcd's first segment, which holds what the simulation records).
  public static func walPath(dataDir: String) -> String { dataDir + "/member/wal/0000000000000000-0000000000000000.wal" }

  /// The WAL of a data dir, if it has one.
  public func wal(dataDir: String) -> WALRecord? {
    if case .wal(let w)? = content(Self.walPath(dataDir: dataDir)) { return w }
    return nil
  }

  /// The text of a plain file.
  public func text(_ path: String) -> String? {
    if case .bytes(let b)? = content(path) { return String(decoding: b, as: UTF8.self) }
    return nil
  }

  /// Names directly inside a directory, sorted.
  public func children(_ dir: String) -> [String] {
    let prefix = dir == "/" ? "/" : dir + "/"
    return nodes.keys.compactMap { key -> String? in
      guard key.hasPrefix(prefix), key != dir else { return nil }
      let rest = key.dropFirst(prefix.count)
      return rest.contains("/") ? nil : String(rest)
    }.sorted()
  }

  /// Every path at or below `path`.
  public func subtree(_ path: String) -> [String] {
    let prefix = path == "/" ? "/" : path + "/"
    return nodes.keys.filter { $0 == path || $0.hasPrefix(prefix) }.sorted()
  }

  /// `mkdir -p`.
  public mutating func makeDirectories(_ path: String, at time: Millis = 0) {
    var current = ""
    for part in path.split(separator: "/") {
      current += "/" + part
      if nodes[current] == nil { set(current, .directory); mtimes[current] = time }
    }
  }

  /// Writes a file, creating its parent directories.
  public mutating func write(_ path: String, _ content: Content, at time: Millis = 0) {
    makeDirectories(FileSystem.parent(path), at: time)
    set(path, .file(content))
    mtimes[path] = time
  }

  /// Appends text to a plain file (creating it); false, writing nothing, if the disk is full.
  @discardableResult
  public mutating func append(_ path: String, _ text: String, at time: Millis = 0) -> Bool {
    if case .file(.snapshot(var snap))? = nodes[path] {
      snap.resize(to: snap.fileSize.saturatingAdding(text.utf8.count))
      write(path, .snapshot(snap), at: time)
      return true
    }
    guard case .file(.bytes(var bytes))? = nodes[path] else {
      guard fits(path, size: text.utf8.count) else { return false }
      write(path, .bytes(Array(text.utf8)), at: time)
      return true
    }
    guard fits(path, size: bytes.count + text.utf8.count) else { return false }
    set(path, nil)  // release the stored copy so the append happens in place
    bytes.append(contentsOf: text.utf8)
    set(path, .file(.bytes(bytes)))
    mtimes[path] = time
    return true
  }

  /// Whether `path` may hold `size` bytes of plain content without filling the disk.
  public func fits(_ path: String, size: Int) -> Bool {
    storedBytes - FileSystem.stored(nodes[path]) + size <= SimLimits.diskBytes
  }

  /// Plain bytes held at or below `path`.
  public func storedBytes(under path: String) -> Int { subtree(path).reduce(0) { $0 + FileSystem.stored(nodes[$1]) } }

  /// Plain bytes a node holds.
  static func stored(_ node: Node?) -> Int {
    if case .file(.bytes(let b))? = node { return b.count }
    return 0
  }

  /// Every change of a node goes through here, which keeps `storedBytes`.
  private mutating func set(_ path: String, _ node: Node?) {
    storedBytes += FileSystem.stored(node) - FileSystem.stored(nodes[path])
    nodes[path] = node
  }

  /// Removes a path and everything below it.
  public mutating func remove(_ path: String) {
    for p in subtree(path) { set(p, nil); mtimes[p] = nil; owners[p] = nil; modes[p] = nil }
    if nodes["/"] == nil { set("/", .directory) }
  }

  /// Copies a subtree to a new place; `preserve` keeps owners, modes and times (`cp -a`).
  public mutating func copy(_ from: String, to: String, at time: Millis = 0, preserve: Bool = false) {
    makeDirectories(FileSystem.parent(to), at: time)
    for p in subtree(from) {
      let dest = to + p.dropFirst(from.count)
      set(dest, nodes[p])
      mtimes[dest] = preserve ? mtimes[p] : time
      owners[dest] = preserve ? owners[p] : nil
      modes[dest] = preserve ? modes[p] : modes[p]
    }
  }

  /// Packs a subtree into archive entries, relative to `base` (`tar czf`).
  public func archive(_ path: String, relativeTo base: String) -> [ArchiveEntry] {
    let prefix = base == "/" ? "/" : base + "/"
    return subtree(path).map { p in
      ArchiveEntry(path: p.hasPrefix(prefix) ? String(p.dropFirst(prefix.count)) : p, node: nodes[p]!, owner: owner(p), mode: mode(p))
    }
  }

  /// Unpacks archive entries below `dir` (`tar xzf`).
  public mutating func extract(_ entries: [ArchiveEntry], into dir: String, at time: Millis = 0) {
    for e in entries {
      let p = FileSystem.resolve(e.path, cwd: dir)
      makeDirectories(FileSystem.parent(p), at: time)
      set(p, e.node)
      mtimes[p] = time
      setOwner(p, e.owner)
      modes[p] = e.mode
    }
  }

  /// Sets a path's modification time.
  public mutating func touch(_ path: String, at time: Millis) { if nodes[path] != nil { mtimes[path] = time } }

  /// `user:group` of a path.
  public func owner(_ path: String) -> String { owners[path] ?? "root:root" }

  /// Permission bits of a path.
  public func mode(_ path: String) -> Int {
    if let m = modes[path] { return m }
    switch nodes[path] {
    case .directory?, .file(.executable)?: return 0o755
    case .file(.snapshot)?, .file(.privateKey)?: return 0o600
    default: return 0o644
    }
  }

  public mutating func setOwner(_ path: String, _ owner: String) { owners[path] = owner == "root:root" ? nil : owner }
  public mutating func setMode(_ path: String, _ mode: Int) { modes[path] = mode }

  /// Whether `user` may write into the directory `path` (root always may).
  public func canWrite(_ path: String, user: String) -> Bool {
    if user == "root" { return true }
    let m = mode(path)
    let owner = self.owner(path).split(separator: ":").first.map(String.init) ?? "root"
    return owner == user ? m & 0o200 != 0 : m & 0o002 != 0
  }

  /// Truncates a plain file to `size` bytes (zero-filling when it grows); false, changing
  /// nothing, if the disk cannot hold it.
  @discardableResult
  public mutating func truncate(_ path: String, to size: Int, at time: Millis = 0) -> Bool {
    if case .file(.snapshot(var snap))? = nodes[path] {
      snap.resize(to: size)
      write(path, .snapshot(snap), at: time)
      return true
    }
    guard fits(path, size: size) else { return false }
    var bytes: [UInt8] = []
    if case .file(.bytes(let b))? = nodes[path] { bytes = b }
    if bytes.count > size { bytes.removeLast(bytes.count - size) } else { bytes += Array(repeating: 0, count: size - bytes.count) }
    write(path, .bytes(bytes), at: time)
    return true
  }

  /// The size of a file as `ls -l` shows it.
  public func size(_ path: String) -> Int {
    switch nodes[path] {
    case .directory?: return 4096
    case .file(.bytes(let b))?: return b.count
    case .file(.wal)?: return 64_000_000
    case .file(.database)?: return 20480
    case .file(.executable)?: return 23_617_536
    case .file(.snapshot(let snap))?: return snap.fileSize
    case .file(.certificate(let c))?: return c.pem.utf8.count
    case .file(.privateKey(let k))?: return Certificate.keyPEM(k).utf8.count
    case .file(.archive(let entries))?:
      // gzip shrinks the preallocated (zero-filled) WAL to almost nothing.
      return 1024 + entries.reduce(0) { total, e in
        switch e.node {
        case .file(.wal): return total + 65_536
        case .file(.database): return total + 8_192
        case .file(.bytes(let b)): return total + b.count / 3
        case .file(.executable): return total + 9_000_000
        case .file(.snapshot(let snap)): return total + snap.fileSize / 4
        default: return total
        }
      }
    case nil: return 0
    }
  }
}

/// What a member's WAL records about itself.
public struct WALRecord: Equatable, Sendable {
  public var memberID: UInt64
  public var clusterID: UInt64
  /// A data dir made by `snapshot restore`: the cluster it bootstraps at its first start.
  public var restored: RestoredCluster?
  public init(memberID: UInt64, clusterID: UInt64, restored: RestoredCluster? = nil) {
    self.memberID = memberID
    self.clusterID = clusterID
    self.restored = restored
  }
}

/// What `snapshot restore` writes: every listed member a voter, the snapshot's keys and revision,
/// raft term 1 and one log entry per member.
public struct RestoredCluster: Equatable, Sendable {
  public var members: [Member]
  public var kv: KeyValueStore
  public init(members: [Member], kv: KeyValueStore) {
    self.members = members
    self.kv = kv
  }
}
