/// etcd's MVCC key space, as far as the course needs it: live keys with their revisions.
public struct KeyValueStore: Equatable, Sendable {
  public struct Entry: Equatable, Sendable {
    public var key: String
    public var value: String
    public var createRevision: Int64
    public var modRevision: Int64
    public var version: Int64
  }

  /// The store's current revision (1 for an empty store).
  public private(set) var revision: Int64 = 1
  public private(set) var entries: [String: Entry] = [:]
  /// Bytes written over the store's life: what a learner has to receive.
  public private(set) var bytesWritten: Int = 0
  /// The backend's `key` bucket, in revision order: one entry per put, one tombstone per
  /// deleted key (nothing is compacted in the simulation).
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

  public init() {}

  public mutating func put(_ key: String, _ value: String) {
    revision += 1
    bytesWritten += key.utf8.count + value.utf8.count
    var e = entries[key] ?? Entry(key: key, value: value, createRevision: revision, modRevision: revision, version: 0)
    e.value = value
    e.modRevision = revision
    e.version += 1
    entries[key] = e
    history.append(Revision(main: revision, sub: 0, key: key, entry: e))
  }

  /// Deletes `[key, end)` (or `key` alone); returns how many keys went.
  @discardableResult
  public mutating func delete(_ key: String, end: String? = nil, prefix: Bool = false) -> Int {
    let doomed = range(key, end: end, prefix: prefix).map(\.key)
    if !doomed.isEmpty { revision += 1 }
    for (sub, k) in doomed.enumerated() {
      entries[k] = nil
      history.append(Revision(main: revision, sub: Int64(sub), key: k, entry: nil))
    }
    return doomed.count
  }

  /// Live entries in `[key, end)`, sorted by key.
  public func range(_ key: String, end: String? = nil, prefix: Bool = false) -> [Entry] {
    if prefix {
      return entries.values.filter { $0.key.hasPrefix(key) }.sorted { $0.key < $1.key }
    }
    if let end {
      if end == "\0" { return entries.values.filter { $0.key >= key }.sorted { $0.key < $1.key } }
      return entries.values.filter { $0.key >= key && $0.key < end }.sorted { $0.key < $1.key }
    }
    return entries[key].map { [$0] } ?? []
  }

  /// Data the cluster holds besides its listed keys (a setup's `data-size`), in bytes.
  public var bulkBytes: Int = 0

  /// The size of the backend file: bbolt starts at 20 kB and grows by pages.
  public var databaseSize: Int {
    let raw = bulkBytes + bytesWritten * 2 + entries.count * 64
    return 20480 + max(0, raw - 16384 + 4095) / 4096 * 4096
  }
}
