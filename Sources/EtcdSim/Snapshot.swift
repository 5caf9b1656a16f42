/// What a snapshot file holds (reference §4): the backend database of one member at the moment of
/// `etcdctl snapshot save` — keys and their revision, membership, the applied index — followed by a
/// 32-byte SHA-256 of it. A copy of a data dir's `member/snap/db` is the same database without it.
public struct Snapshot: Equatable, Sendable {
  /// How the file differs from what etcd wrote, if it was changed afterwards.
  public enum Damage: Equatable, Sendable {
    /// Cut to this many bytes (`truncate -s`).
    case truncated(to: Int)
    /// This many bytes added at the end (`echo ... >>`).
    case appended(Int)
  }

  public var clusterID: UInt64
  public var members: [Member]
  public var removed: [UInt64]
  public var kv: KeyValueStore
  /// The raft index the database had applied (`consistent_index` in the `meta` bucket).
  public var consistentIndex: UInt64
  /// The cluster version stored in the `cluster` bucket, once decided.
  public var clusterVersion: String?
  /// Bytes of the database (bbolt's `tx.Size()`): what `snapshot status` calls the total size.
  public var dbSize: Int
  /// The storage version a 3.6 server keeps in its `meta` bucket (it follows the cluster version);
  /// nil from 3.4 and 3.5 servers. etcdctl 3.6 prints it after a save (`Server version 3.6.0`).
  public var storageVersion: String?
  /// Whether the SHA-256 follows the database (false for a copied `member/snap/db`).
  public var hasHash = true
  public var damage: Damage?

  public init(cluster c: Cluster, consistentIndex: UInt64) {
    clusterID = c.id
    members = c.sortedMembers
    removed = c.removed.sorted()
    kv = c.kv
    self.consistentIndex = consistentIndex
    clusterVersion = c.version.map { $0 + ".0" }
    dbSize = c.kv.databaseSize
  }

  /// Cuts or pads the file to `size` bytes: the hash no longer matches, and a cut into the
  /// database leaves bbolt unable to open it; a file cut once stays damaged.
  public mutating func resize(to size: Int) {
    let intact = dbSize + (hasHash ? 32 : 0)
    if case .truncated? = damage {
      damage = .truncated(to: size)
    } else if size < intact {
      damage = .truncated(to: size)
    } else if size > intact {
      damage = .appended(size - intact)
    }
  }

  /// The file's size in bytes.
  public var fileSize: Int {
    let intact = dbSize + (hasHash ? 32 : 0)
    switch damage {
    case .truncated(let n)?: return n
    case .appended(let n)?: return intact + n
    case nil: return intact
    }
  }

  /// The revision `snapshot status` reports: the main revision of the last entry of the `key` bucket.
  public var revision: Int64 { kv.historyCount == 0 ? 0 : kv.revision }

  /// `snapshot status`'s total keys (etcd 3.4): every pair of every bucket — the key history,
  /// members, removed members, `consistent_index`, `authRevision`, and `clusterVersion` once set.
  public var totalKeys: Int {
    kv.historyCount + members.count + removed.count + 2 + (clusterVersion == nil ? 0 : 1) + (storageVersion == nil ? 0 : 1) + (kv.compactRevision >= 0 ? 2 : 0)
  }

  /// The CRC-32C `snapshot status` prints: over every bucket of the database in bbolt's (byte)
  /// order, its name, then each key and value (`v3_snapshot.go` Status). The buckets hold what
  /// etcd 3.4 writes: auth's revision, the cluster version, the key history as protobuf
  /// `mvccpb.KeyValue`s under 17-byte revision keys, members as JSON under their hex ids, removed
  /// ids, and the applied index. Checked against real etcd 3.4.23 (transcript 06: c8beaa86).
  public var hash: UInt32 {
    var crc = CRC32C()
    crc.update("alarm")
    crc.update("auth")
    crc.update("authRevision")
    crc.update(bigEndian: 1)
    crc.update("authRoles")
    crc.update("authUsers")
    crc.update("cluster")
    if let v = clusterVersion {
      crc.update("clusterVersion")
      crc.update(v)
    }
    crc.update("key")
    for r in kv.history {
      crc.update(bytes: BackendBytes.revisionKey(r))
      crc.update(bytes: BackendBytes.keyValue(r.entry, key: r.key))
    }
    crc.update("lease")
    crc.update("members")
    for m in members.sorted(by: { String($0.id, radix: 16) < String($1.id, radix: 16) }) {
      crc.update(String(m.id, radix: 16))
      crc.update(Snapshot.memberJSON(m))
    }
    crc.update("members_removed")
    for id in removed.sorted(by: { String($0, radix: 16) < String($1, radix: 16) }) {
      crc.update(String(id, radix: 16))
      crc.update("removed")
    }
    crc.update("meta")
    crc.update("consistent_index")
    crc.update(bigEndian: consistentIndex)
    if kv.compactRevision >= 0 {
      // A compaction records itself in `meta` (mvcc's `finishedCompactRev`, `scheduledCompactRev`).
      let rev = BackendBytes.bigEndian(UInt64(kv.compactRevision)) + [UInt8(ascii: "_")] + BackendBytes.bigEndian(0)
      for name in ["finishedCompactRev", "scheduledCompactRev"] {
        crc.update(name)
        crc.update(bytes: rev)
      }
    }
    return crc.value
  }

  /// `json.Marshal` of membership's Member: id, peerURLs, isLearner, name, clientURLs (empty ones left out).
  static func memberJSON(_ m: Member) -> String {
    var s = "{\"id\":\(m.id),\"peerURLs\":[\(m.peerURLs.map(JSON.quote).joined(separator: ","))]"
    if m.isLearner { s += ",\"isLearner\":true" }
    if !m.name.isEmpty { s += ",\"name\":\(JSON.quote(m.name))" }
    if !m.clientURLs.isEmpty { s += ",\"clientURLs\":[\(m.clientURLs.map(JSON.quote).joined(separator: ","))]" }
    return s + "}"
  }

  /// Whether bbolt can open the file: a cut that reaches into the database breaks it.
  public var opens: Bool {
    if case .truncated(let n)? = damage { return n >= dbSize }
    return true
  }

  /// The SHA-256 stored at the end of the file and the one computed over what precedes it, as
  /// `snapshot restore` compares them (modelled bytes, stable for the same file).
  public var sha256Pair: (stored: [UInt8], computed: [UInt8]) {
    var a = CRC32C(), b = CRC32C()
    a.update(bigEndian: UInt64(hash))
    b.update(bigEndian: UInt64(hash) ^ UInt64(fileSize))
    func expand(_ seed: UInt32) -> [UInt8] {
      var x = UInt64(seed) | 1
      return (0..<32).map { _ in x = x &* 6364136223846793005 &+ 1442695040888963407; return UInt8(x >> 56) }
    }
    return (expand(a.value), expand(b.value))
  }

  /// Whether the stored SHA-256 matches the database before it.
  public var hashMatches: Bool { hasHash && damage == nil }
}

/// CRC-32 with the Castagnoli polynomial, as Go's `crc32.MakeTable(crc32.Castagnoli)`.
public struct CRC32C: Sendable {
  private static let table: [UInt32] = (0..<256).map { i -> UInt32 in
    var c = UInt32(i)
    for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
    return c
  }
  private var crc: UInt32 = 0xFFFF_FFFF

  public init() {}

  public mutating func update<C: Collection>(bytes: C) where C.Element == UInt8 {
    for b in bytes { crc = CRC32C.table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
  }

  public mutating func update(_ text: String) { update(bytes: text.utf8) }

  public mutating func update(bigEndian v: UInt64) { update(bytes: BackendBytes.bigEndian(v)) }

  public var value: UInt32 { crc ^ 0xFFFF_FFFF }
}

extension World {
  /// A data dir's database file frozen as it is now, without a hash: what `cp .../member/snap/db`
  /// copies (nil when no WAL names its cluster).
  public func databaseImage(host: String, path: String) -> Snapshot? {
    let suffix = "/member/snap/db"
    guard path.hasSuffix(suffix), let fs = self.host(host)?.fs else { return nil }
    let dataDir = String(path.dropLast(suffix.count))
    guard let w = fs.wal(dataDir: dataDir) else { return nil }
    var image: Snapshot
    if let r = w.restored {
      var c = Cluster(id: w.clusterID, members: r.members)
      c.kv = r.kv
      image = Snapshot(cluster: c, consistentIndex: UInt64(r.members.count))
    } else if let c = clusters[w.clusterID] {
      image = Snapshot(cluster: c, consistentIndex: c.savedMatch[w.memberID] ?? c.index)
    } else {
      return nil
    }
    image.hasHash = false
    return image
  }
}

/// The backend's encodings of a key-history entry.
enum BackendBytes {
  static func bigEndian(_ v: UInt64) -> [UInt8] { stride(from: 56, through: 0, by: -8).map { UInt8((v >> UInt64($0)) & 0xFF) } }

  /// A history entry's key: main and sub revision big-endian around `_`, and `t` for a tombstone.
  static func revisionKey(_ r: KeyValueStore.Revision) -> [UInt8] {
    bigEndian(UInt64(r.main)) + [UInt8(ascii: "_")] + bigEndian(UInt64(r.sub)) + (r.entry == nil ? [UInt8(ascii: "t")] : [])
  }

  /// `mvccpb.KeyValue` (key 1, create_revision 2, mod_revision 3, version 4, value 5); a tombstone
  /// holds the key alone.
  static func keyValue(_ e: KeyValueStore.Entry?, key: String) -> [UInt8] {
    var out = ProtoWire.field(1, bytes: Array(key.utf8))
    guard let e else { return out }
    out += ProtoWire.field(2, varint: UInt64(e.createRevision)) + ProtoWire.field(3, varint: UInt64(e.modRevision))
      + ProtoWire.field(4, varint: UInt64(e.version))
    if !e.value.isEmpty { out += ProtoWire.field(5, bytes: Array(e.value.utf8)) }
    return out + ProtoWire.field(6, varint: UInt64(bitPattern: e.lease))
  }
}
