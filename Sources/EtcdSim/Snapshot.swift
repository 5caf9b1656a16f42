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
  public var totalKeys: Int { kv.historyCount + members.count + removed.count + 2 + (clusterVersion == nil ? 0 : 1) }

  /// The CRC-32C `snapshot status` prints, over the buckets in bbolt's order as this model holds
  /// them (bucket names, keys and values; not bbolt's exact bytes).
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
    for e in kv.entries.values.sorted(by: { $0.modRevision < $1.modRevision }) {
      crc.update(bigEndian: UInt64(e.modRevision))
      crc.update(e.key)
      crc.update(e.value)
    }
    crc.update("lease")
    crc.update("members")
    for m in members {
      crc.update(String(m.id, radix: 16))
      crc.update(m.peerURLs.joined(separator: ",") + m.name + m.clientURLs.joined(separator: ","))
    }
    crc.update("members_removed")
    for id in removed { crc.update(String(id, radix: 16)) }
    crc.update("meta")
    crc.update("consistent_index")
    crc.update(bigEndian: consistentIndex)
    return crc.value
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

  public mutating func update(bigEndian v: UInt64) {
    update(bytes: stride(from: 56, through: 0, by: -8).map { UInt8((v >> UInt64($0)) & 0xFF) })
  }

  public var value: UInt32 { crc ^ 0xFFFF_FFFF }
}

extension World {
  /// A data dir's database file frozen as it is now, without a hash: what `cp .../member/snap/db`
  /// copies (nil when no WAL names its cluster).
  public func databaseImage(host: String, path: String) -> Snapshot? {
    let suffix = "/member/snap/db"
    guard path.hasSuffix(suffix), let fs = self.host(host)?.fs else { return nil }
    let dataDir = String(path.dropLast(suffix.count))
    guard case .wal(let w)? = fs.content(dataDir + "/member/wal/0000000000000000-0000000000000000.wal") else { return nil }
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
