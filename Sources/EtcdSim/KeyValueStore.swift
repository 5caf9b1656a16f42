/// etcd's MVCC key space, as far as the course needs it: live keys with their revisions.
public struct KeyValueStore: Equatable, Sendable {
  public struct Entry: Equatable, Sendable {
    public var key: String
    public var value: String
    public var createRevision: Int64
    public var modRevision: Int64
    public var version: Int64
    /// The lease the key is attached to (0: none).
    public var lease: Int64 = 0
  }

  /// The store's current revision (1 for an empty store).
  public private(set) var revision: Int64 = 1
  public private(set) var entries: [String: Entry] = [:]
  /// Bytes written over the store's life: what a learner has to receive.
  public private(set) var bytesWritten: Int = 0
  /// The backend's `key` bucket, in revision order: one entry per put, one tombstone per
  /// deleted key; a compaction keeps, of the revisions up to it, each live key's last.
  public private(set) var history = ChunkedLog<Revision>()
  public var historyCount: Int { history.count }

  /// One entry of the `key` bucket: the key-value as written at revision `main`.`sub`, or a
  /// tombstone (only the key) when it was deleted.
  public struct Revision: Equatable, Sendable {
    public var main: Int64
    public var sub: Int64
    public var key: String
    /// What the put wrote; nil for a tombstone.
    public var entry: Entry?
  }

  /// The revision the history was last compacted at (`compact_revision`; -1 before the first).
  public private(set) var compactRevision: Int64 = -1

  public init() {}

  /// Writes `key`; returns the pair it replaced.
  @discardableResult
  public mutating func put(_ key: String, _ value: String, lease: Int64 = 0) -> Entry? {
    let previous = entries[key]
    revision += 1
    bytesWritten += key.utf8.count + value.utf8.count
    var e = previous ?? Entry(key: key, value: value, createRevision: revision, modRevision: revision, version: 0)
    e.value = value
    e.modRevision = revision
    e.version += 1
    e.lease = lease
    entries[key] = e
    history.append(Revision(main: revision, sub: 0, key: key, entry: e))
    return previous
  }

  /// Deletes `[key, end)` (or `key` alone); returns the pairs that went, sorted by key.
  @discardableResult
  public mutating func delete(_ key: String, end: String? = nil, prefix: Bool = false) -> [Entry] {
    let doomed = range(key, end: end, prefix: prefix)
    if !doomed.isEmpty { revision += 1 }
    for (sub, e) in doomed.enumerated() {
      entries[e.key] = nil
      history.append(Revision(main: revision, sub: Int64(sub), key: e.key, entry: nil))
    }
    return doomed
  }

  /// Live entries in `[key, end)`, sorted by key; at an earlier `revision` (above 0), the entries
  /// as they were then (the caller checks the revision with `readable(at:)`).
  public func range(_ key: String, end: String? = nil, prefix: Bool = false, revision at: Int64 = 0) -> [Entry] {
    func inRange(_ k: String) -> Bool {
      if prefix { return k.hasPrefix(key) }
      guard let end else { return k == key }
      return k >= key && (end == "\0" || k < end)
    }
    if at > 0, at < revision {
      var then: [String: Entry] = [:]
      for r in history where r.main <= at && inRange(r.key) { then[r.key] = r.entry }
      return then.values.sorted { $0.key < $1.key }
    }
    if !prefix, end == nil { return entries[key].map { [$0] } ?? [] }
    return entries.values.filter { inRange($0.key) }.sorted { $0.key < $1.key }
  }

  /// Why a read at `revision` is refused (mvcc's `rangeKeys`): beyond the store, or compacted away.
  /// A compaction's own revision is still readable.
  public func readable(at rev: Int64) -> EtcdError? {
    if rev > revision { return .futureRevision }
    if rev > 0, rev < compactRevision { return .compacted }
    return nil
  }

  /// Compacts the history at `rev` (mvcc's `compact` and `scheduleCompaction`): of the revisions
  /// up to it, only each key's last one stays, unless it deleted the key.
  public mutating func compact(_ rev: Int64) -> EtcdError? {
    if rev <= compactRevision { return .compacted }
    if rev > revision { return .futureRevision }
    compactRevision = rev
    let kept = Set(lastRevisions(upTo: rev))
    var left = ChunkedLog<Revision>()
    for r in history where r.main > rev || kept.contains(RevisionKey(main: r.main, sub: r.sub)) { left.append(r) }
    history = left
    return nil
  }

  private struct RevisionKey: Hashable {
    var main: Int64
    var sub: Int64
  }

  /// Each key's last revision up to `rev`, unless that revision deleted it (the index's `Keep`).
  private func lastRevisions(upTo rev: Int64) -> [RevisionKey] {
    var last: [String: Revision] = [:]
    for r in history where r.main <= rev { last[r.key] = r }
    return last.values.filter { $0.entry != nil }.map { RevisionKey(main: $0.main, sub: $0.sub) }
  }

  /// `HashKV` (mvcc's `hashByRev`): CRC-32C over the bucket's name and every revision key and
  /// value up to `rev` (0: the current revision); of those at or below the compaction, only the
  /// ones the index still keeps. Checked against real etcd 3.4.23 (capture 16).
  public func hash(revision rev: Int64 = 0) -> Result<UInt32, EtcdError> {
    if rev > 0, rev <= compactRevision { return .failure(.compacted) }
    if rev > revision { return .failure(.futureRevision) }
    let upTo = rev == 0 ? revision : rev
    let keep = Set(lastRevisions(upTo: upTo))
    var crc = CRC32C()
    crc.update("key")
    for r in history where r.main <= upTo {
      if r.main <= compactRevision, !keep.isEmpty, !keep.contains(RevisionKey(main: r.main, sub: r.sub)) { continue }
      crc.update(bytes: BackendBytes.revisionKey(r))
      crc.update(bytes: BackendBytes.keyValue(r.entry, key: r.key))
    }
    return .success(crc.value)
  }

  /// Data the cluster holds besides its listed keys (a setup's `data-size`), in bytes.
  public var bulkBytes: Int = 0

  /// The size of the backend file: bbolt starts at 20 kB and grows by pages.
  public var databaseSize: Int { KeyValueStore.fileSize(bulkBytes + bytesWritten * 2 + entries.count * 64) }

  /// The size a defrag leaves: the file rewritten with the history the store still keeps.
  public var defragmentedSize: Int {
    KeyValueStore.fileSize(bulkBytes + history.reduce(0) { $0 + $1.key.utf8.count + ($1.entry?.value.utf8.count ?? 0) } * 2 + entries.count * 64)
  }

  static func fileSize(_ raw: Int) -> Int { 20480 + max(0, raw - 16384 + 4095) / 4096 * 4096 }
}
