import EtcdSim

/// `etcdctl snapshot save|status|restore` as etcdctl 3.4.23 does them (reference §4;
/// `etcdctl/ctlv3/command/snapshot_command.go`, `clientv3/snapshot/v3_snapshot.go`).
extension Etcdctl {
  mutating func snapshotSave<B: EtcdBackend>(env: [String: String], io: inout IO, backend: inout B) -> Int32 {
    if args.count != 1 { return Etcdctl.fail(&io, 128, "snapshot save expects one argument") }
    if let code = prepare(env, io: &io, backend: &backend) { return code }
    if endpoints.count != 1 {
      return Etcdctl.fail(&io, 5, EtcdError.snapshotMultipleEndpoints(endpoints))
    }
    let name = args[0]
    let path = FileSystem.resolve(name, cwd: cwd)
    let part = path + ".part"
    // os.OpenFile(partpath, O_WRONLY|O_CREATE|O_TRUNC, 0600)
    let fs = backend.fileSystem(of: host)
    guard let fs, fs.isDirectory(FileSystem.parent(path)), !fs.isDirectory(part) else {
      let why = fs?.isDirectory(part) == true ? "is a directory" : "no such file or directory"
      return Etcdctl.fail(&io, 5, "could not open \(name).part (open \(name).part: \(why))")
    }
    _ = backend.withFileSystem(of: host) { fs, t in
      fs.write(part, .bytes([]), at: t)
      fs.setMode(part, 0o600)
    }
    let start = backend.now
    let log = SaveLog(binaryVersion)
    io.err(log.line(&self, &backend, 0, "created temporary db file", [("path", JSON.quote(name + ".part"))]))
    let ep = endpoints[0]
    // A stream, not a unary call: no retry warnings, only the streamer's error below.
    let r = backend.call(.snapshot, endpoints: [ep], from: host, timeout: commandTimeout, tls: clientTLS)
    noteTLS(r, endpoints: [ep], io: &io)
    guard case .snapshot(let snap)? = r.response else {
      // Without --command-timeout the stream has no deadline: a connection that never comes up waits for ever.
      if !timeoutGiven(env), r.error == .deadlineExceeded {
        let why = backend.reachable(ep, from: host) ? "the connection to \(ep) is refused (TLS: check --cacert, --cert and --key)" : "nothing answers at \(ep)"
        io.waitsForever = "etcdctl snapshot save waits for ever: \(why), and without --command-timeout the snapshot stream has no deadline"
        return 0
      }
      let status = r.attempts.last?.status ?? "rpc error: code = DeadlineExceeded desc = context deadline exceeded"
      io.err("{\"level\":\"error\",\"ts\":\"\(SimTime.iso(backend.now))\",\"caller\":\"clientv3/retry_interceptor.go:129\",\"msg\":\"streamer failed to create ClientStream\",\"error\":\(JSON.quote(status)),\"stacktrace\":\(JSON.quote(Etcdctl.streamerStack))}")
      _ = backend.withFileSystem(of: host) { fs, _ in fs.remove(part) }
      io.error = r.error ?? .deadlineExceeded
      return Etcdctl.fail(&io, 5, (r.error ?? .deadlineExceeded).message)
    }
    io.err(log.line(&self, &backend, 1, "opened snapshot stream; downloading", []))
    io.err(log.line(&self, &backend, 2, "fetching snapshot", [("endpoint", JSON.quote(ep))]))
    // Streaming takes time in proportion to the size (about 1 ms per 100 kB on loopback).
    backend.advance(by: Millis(1 + snap.dbSize / 100_000))
    io.err(log.line(&self, &backend, 3, "completed snapshot read; closing", []))
    let tookNanos = Int64(backend.now - start) * 1_000_000 + Int64(backend.random(in: 1...999_999))
    var fetched = [("endpoint", JSON.quote(ep)), ("size", JSON.quote(Humanize.bytes(snap.dbSize))), ("took", log.took(nanos: tookNanos))]
    if log.series == 6 { fetched.append(("etcd-version", JSON.quote(snap.storageVersion ?? ""))) }
    io.err(log.line(&self, &backend, 4, "fetched snapshot", fetched))
    let replaced = backend.withFileSystem(of: host) { fs, t -> Bool in
      if fs.isDirectory(path) { return false }
      fs.remove(part)
      fs.write(path, .snapshot(snap), at: t)
      return true
    } ?? false
    if !replaced {
      _ = backend.withFileSystem(of: host) { fs, _ in fs.remove(part) }
      return Etcdctl.fail(&io, 5, "could not rename \(name).part to \(name) (rename \(name).part \(name): file exists)")
    }
    io.err(log.line(&self, &backend, 5, "saved", [("path", JSON.quote(name))]))
    io.out("Snapshot saved at \(name)")
    // 3.6 (`snapshotSaveCommandFunc`): the server's storage version, which only 3.6 servers send.
    if log.series == 6, let v = snap.storageVersion, !v.isEmpty { io.out("Server version \(v)") }
    return 0
  }

  /// The six log lines of a save, as each release's client writes them: 3.4's zap with a float
  /// time; 3.5 and 3.6's `CreateDefaultZapLogger` with `2006-01-02T15:04:05.000000Z0700`, the
  /// client's own lines under the logger name "client" (`client/v3/maintenance.go`,
  /// `client/v3/snapshot/v3_snapshot.go` v3.5.17 and v3.6.5, for the callers' line numbers).
  struct SaveLog {
    let series: Int
    init(_ version: String) { series = Release.isAtLeast(version, "3.6") ? 6 : Release.isAtLeast(version, "3.5") ? 5 : 4 }

    static let callers: [Int: [String]] = [
      4: ["snapshot/v3_snapshot.go:119", "clientv3/maintenance.go:200", "snapshot/v3_snapshot.go:127",
          "clientv3/maintenance.go:208", "snapshot/v3_snapshot.go:142", "snapshot/v3_snapshot.go:152"],
      5: ["snapshot/v3_snapshot.go:65", "v3/maintenance.go:212", "snapshot/v3_snapshot.go:73",
          "v3/maintenance.go:220", "snapshot/v3_snapshot.go:88", "snapshot/v3_snapshot.go:97"],
      6: ["snapshot/v3_snapshot.go:83", "v3/maintenance.go:236", "snapshot/v3_snapshot.go:96",
          "v3/maintenance.go:302", "snapshot/v3_snapshot.go:111", "snapshot/v3_snapshot.go:121"],
    ]

    /// Line `n` of the six; lines 1 and 3 are the client's.
    func line<B: EtcdBackend>(_ ctl: inout Etcdctl, _ backend: inout B, _ n: Int, _ msg: String, _ fields: [(String, String)]) -> String {
      let caller = SaveLog.callers[series]![n]
      if series == 4 {
        if n == 1 || n == 3 { return "{\"level\":\"info\",\"ts\":\"\(SimTime.iso(backend.now))\",\"caller\":\"\(caller)\",\"msg\":\"\(msg)\"}" }
        return ctl.zapLine(&backend, caller: caller, msg, fields)
      }
      let micros = ctl.nextLogMicros(&backend)
      let stamp = SimTime.iso(micros / 1000).dropLast(1) + SimTime.pad(Int(micros % 1000), 3) + "Z"
      var s = "{\"level\":\"info\",\"ts\":\"\(stamp)\","
      if n == 1 || n == 3 { s += "\"logger\":\"client\"," }
      s += "\"caller\":\"\(caller)\",\"msg\":\"\(msg)\""
      for (k, v) in fields { s += ",\"\(k)\":\(v)" }
      return s + "}"
    }

    /// 3.4: float seconds; 3.5: go-humanize's `Time(start)`, "now" for a save under a second;
    /// 3.6: a Go duration.
    func took(nanos: Int64) -> String {
      switch series {
      case 4: return String(Double(nanos) / 1e9)
      case 5:
        let secs = nanos / 1_000_000_000
        return JSON.quote(secs == 0 ? "now" : secs == 1 ? "1 second ago" : "\(secs) seconds ago")
      default: return JSON.quote(SimTime.goDuration(nanos: nanos))
      }
    }
  }

  /// `withVersion`: etcdutl 3.6 adds the snapshot's storage version (`etcdutl/etcdutl/printer.go` v3.6.5),
  /// empty for snapshots of servers before 3.6.
  mutating func snapshotStatus<B: EtcdBackend>(withVersion: Bool = false, io: inout IO, backend: inout B) -> Int32 {
    if args.count != 1 { return Etcdctl.fail(&io, 128, "snapshot status requires exactly one argument") }
    // No client is built: ETCDCTL_* variables do not apply (3.4), only the flag.
    let format = flags.string("write-out") ?? "simple"
    let name = args[0]
    let path = FileSystem.resolve(name, cwd: cwd)
    guard let fs = backend.fileSystem(of: host), fs.exists(path) else {
      return Etcdctl.fail(&io, 1, EtcdError.noSuchFile(operation: "stat", path: name))
    }
    let snap: Snapshot
    switch fs.content(path) {
    case .snapshot(let s)?: snap = s
    case .database? where backend.databaseImage(host: host, path: path) != nil: snap = backend.databaseImage(host: host, path: path)!
    default:
      return Etcdctl.fail(&io, 1, EtcdError.invalidDatabase)
    }
    guard snap.opens else {
      // bbolt reads past the end of the mapped file: Go's runtime dies with SIGBUS (exit 2).
      io.err(Etcdctl.busErrorTrace)
      return 2
    }
    let hash = snap.hash
    let version = snap.storageVersion ?? ""
    // 3.6 counts the distinct live user keys; 3.4 and 3.5 every pair in every bucket.
    let keys = withVersion ? snap.kv.entries.count : snap.totalKeys
    let row = [Hex.string(UInt64(hash)), "\(snap.revision)", "\(keys)", Humanize.bytes(snap.dbSize)] + (withVersion ? [version] : [])
    switch format {
    case "json":
      io.out("{\"hash\":\(hash),\"revision\":\(snap.revision),\"totalKey\":\(keys),\"totalSize\":\(snap.dbSize)" + (withVersion ? ",\"version\":\(JSON.quote(version))}" : "}"))
    case "table":
      io.write(TableWriter.bytes(header: ["hash", "revision", "total keys", "total size"] + (withVersion ? ["version"] : []), rows: [row]))
    case "fields":
      io.out("\"Hash\" : \(hash)")
      io.out("\"Revision\" : \(snap.revision)")
      io.out("\"Keys\" : \(keys)")
      io.out("\"Size\" : \(snap.dbSize)")
      if withVersion { io.out("\"Version\" : \(version)") }
    case "simple":
      io.out(row.joined(separator: ", "))
    default:
      return Etcdctl.fail(&io, 4, EtcdError.unsupportedOutputFormat)
    }
    return 0
  }

  /// Who runs a restore: etcdctl 3.4 (zap JSON logs, any existing data dir refused) or etcdutl
  /// 3.5 (console logs, only a non-empty data dir refused, the WAL dir always checked).
  enum RestoreDialect { case etcdctl34, etcdutl35 }

  mutating func snapshotRestore<B: EtcdBackend>(dialect: RestoreDialect = .etcdctl34, io: inout IO, backend: inout B) -> Int32 {
    if args.count != 1 { return Etcdctl.fail(&io, 128, "snapshot restore requires exactly one argument") }
    let name = flags.string("name") ?? "default"
    let cluster = flags.string("initial-cluster") ?? "default=http://localhost:2380"
    let token = flags.string("initial-cluster-token") ?? "etcd-cluster"
    let advertise = flags.string("initial-advertise-peer-urls") ?? "http://localhost:2380"
    let dataDirName = flags.string("data-dir").flatMap { $0.isEmpty ? nil : $0 } ?? name + ".etcd"
    let walDirName = flags.string("wal-dir").flatMap { $0.isEmpty ? nil : $0 } ?? dataDirName + "/member/wal"
    let file = args[0]
    let v35 = dialect == .etcdutl35

    let members: [Member]
    switch World.verifyBootstrap(name: name, initialCluster: cluster, advertisePeerURLs: advertise, token: token) {
    case .success(let m): members = m
    case .failure(let e): return Etcdctl.fail(&io, 1, e)
    }
    let dataDir = FileSystem.resolve(dataDirName, cwd: cwd)
    let walDir = FileSystem.resolve(walDirName, cwd: cwd)
    let fs = backend.fileSystem(of: host) ?? FileSystem()
    if v35 {
      if fs.exists(dataDir) && !(fs.isDirectory(dataDir) && fs.children(dataDir).isEmpty) {
        return Etcdctl.fail(&io, 1, EtcdError.dataDirNotEmpty(dataDirName))
      }
      if fs.exists(walDir) { return Etcdctl.fail(&io, 1, EtcdError.walDirExists(walDirName)) }
    } else {
      if fs.exists(dataDir) { return Etcdctl.fail(&io, 1, EtcdError.dataDirExists(dataDirName)) }
      if flags.given.contains("wal-dir"), fs.exists(walDir) { return Etcdctl.fail(&io, 1, EtcdError.walDirExists(walDirName)) }
    }

    var place: [(String, String)] = [("path", JSON.quote(file)), ("wal-dir", JSON.quote(walDirName)), ("data-dir", JSON.quote(dataDirName)), ("snap-dir", JSON.quote(dataDirName + "/member/snap"))]
    if v35 { place.append(("initial-memory-map-size", flags.string("initial-memory-map-size").flatMap { UInt64($0) }.map(String.init) ?? "10737418240")) }
    io.err(restoreLog(v35 ? "snapshot/v3_snapshot.go:265" : "snapshot/v3_snapshot.go:296", "restoring snapshot", place, console: v35, backend: &backend))
    let source = FileSystem.resolve(file, cwd: cwd)
    guard fs.exists(source), !fs.isDirectory(source) else { return Etcdctl.fail(&io, 1, EtcdError.noSuchFile(operation: "open", path: file)) }
    var image: Snapshot?
    switch fs.content(source) {
    case .snapshot(let s)?: image = s
    case .database?: image = backend.databaseImage(host: host, path: source)
    default: image = nil
    }
    guard let snap = image else {
      // Not a bbolt file: the copy into member/snap/db happens, then bbolt refuses it.
      _ = backend.withFileSystem(of: host) { fs, t in fs.makeDirectories(dataDir + "/member/snap", at: t) }
      return Etcdctl.fail(&io, 1, EtcdError.invalidDatabase)
    }
    // The database is copied first; the hash is checked after, so a failure leaves member/snap/db behind.
    _ = backend.withFileSystem(of: host) { fs, t in fs.write(dataDir + "/member/snap/db", .database, at: t) }
    let skip = flags.bool("skip-hash-check")
    if !skip {
      if snap.fileSize % 512 != 32 { return Etcdctl.fail(&io, 1, EtcdError.snapshotMissingHash) }
      if !snap.hashMatches {
        let (want, got) = snap.sha256Pair
        return Etcdctl.fail(&io, 1, EtcdError.snapshotHashMismatch(expected: want, got: got))
      }
    }
    guard snap.opens else {
      io.err(Etcdctl.busErrorTrace)
      return 2
    }
    let clusterID = IDs.cluster(memberIDs: members.map(\.id))
    guard let me = members.first(where: { $0.name == name }) else { return Etcdctl.fail(&io, 1, EtcdError.localNameNotFound(name)) }
    let voters = members.map { Member(id: $0.id, peerURLs: $0.peerURLs) }
    for m in members.sorted(by: { $0.id < $1.id }) {
      let urls = "[" + m.peerURLs.map(JSON.quote).joined(separator: v35 ? ", " : ",") + "]"
      io.err(restoreLog(v35 ? "membership/cluster.go:421" : "membership/cluster.go:392", "added member",
                        [("cluster-id", JSON.quote(Hex.string(clusterID))), ("local-member-id", "\"0\""), ("added-peer-id", JSON.quote(Hex.string(m.id))), ("added-peer-peer-urls", urls)],
                        console: v35, backend: &backend))
    }
    _ = backend.withFileSystem(of: host) { fs, t in
      fs.write(dataDir + "/member/snap/" + Etcdctl.snapFileName(index: UInt64(members.count)), .bytes(Array(repeating: 0, count: 8_000 + 200 * members.count)), at: t)
      fs.write(walDir + "/0000000000000000-0000000000000000.wal",
               .wal(WALRecord(memberID: me.id, clusterID: clusterID, restored: RestoredCluster(members: voters, kv: snap.kv))), at: t)
    }
    io.err(restoreLog(v35 ? "snapshot/v3_snapshot.go:293" : "snapshot/v3_snapshot.go:309", "restored snapshot", place, console: v35, backend: &backend))
    return 0
  }

  /// One restore log line: etcdctl 3.4's zap JSON (float time), or etcdutl's zap console encoding
  /// (`RFC3339 \t level \t caller \t message \t {fields}`, `etcdutl/etcdutl/common.go`).
  mutating func restoreLog<B: EtcdBackend>(_ caller: String, _ msg: String, _ fields: [(String, String)], console: Bool, backend: inout B) -> String {
    if console {
      return "\(SimTime.rfc3339(backend.now))\tinfo\t\(caller)\t\(msg)\t{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }
    return zapLine(&backend, caller: caller, msg, fields)
  }

  /// Whether `--command-timeout` was given (flag or `ETCDCTL_COMMAND_TIMEOUT`).
  func timeoutGiven(_ env: [String: String]) -> Bool {
    flags.given.contains("command-timeout") || env["ETCDCTL_COMMAND_TIMEOUT"] != nil
  }

  /// `<term>-<index>.snap`, 16 hex digits each.
  static func snapFileName(index: UInt64) -> String {
    func hex16(_ v: UInt64) -> String {
      let h = String(v, radix: 16)
      return String(repeating: "0", count: 16 - h.count) + h
    }
    return hex16(1) + "-" + hex16(index) + ".snap"
  }

  /// A zap line with a float Unix time, as etcdctl 3.4's snapshot logger writes it.
  mutating func zapLine<B: EtcdBackend>(_ backend: inout B, caller: String, _ msg: String, _ fields: [(String, String)]) -> String {
    var s = "{\"level\":\"info\",\"ts\":\(zapTime(&backend)),\"caller\":\"\(caller)\",\"msg\":\"\(msg)\""
    for (k, v) in fields { s += ",\"\(k)\":\(v)" }
    return s + "}"
  }

  /// Microseconds since the epoch for the next log line, never earlier than the line before.
  mutating func nextLogMicros<B: EtcdBackend>(_ backend: inout B) -> Int64 {
    let micros = max(backend.now * 1000 + backend.random(in: 0...999), lastLogMicros + Int64(backend.random(in: 30...400)))
    lastLogMicros = micros
    return micros
  }

  /// Unix seconds as a Go float (`1796217661.2576523`), never earlier than the line before.
  mutating func zapTime<B: EtcdBackend>(_ backend: inout B) -> String {
    let micros = nextLogMicros(&backend)
    var frac = String(micros % 1_000_000)
    frac = String(repeating: "0", count: 6 - frac.count) + frac
    while frac.hasSuffix("0") && frac.count > 1 { frac.removeLast() }
    return "\(micros / 1_000_000).\(frac)"
  }

  /// The stack etcdctl 3.4.23 logs when the snapshot stream cannot be created.
  static let streamerStack = [
    "go.etcd.io/etcd/clientv3.(*Client).streamClientInterceptor.func1", "\tgo.etcd.io/etcd/clientv3/retry_interceptor.go:129",
    "google.golang.org/grpc.(*ClientConn).NewStream", "\tgoogle.golang.org/grpc/stream.go:148",
    "google.golang.org/grpc.NewClientStream", "\tgoogle.golang.org/grpc/stream.go:155",
    "go.etcd.io/etcd/etcdserver/etcdserverpb.(*maintenanceClient).Snapshot", "\tgo.etcd.io/etcd/etcdserver/etcdserverpb/rpc.pb.go:4296",
    "go.etcd.io/etcd/clientv3.(*retryMaintenanceClient).Snapshot", "\tgo.etcd.io/etcd/clientv3/retry.go:214",
    "go.etcd.io/etcd/clientv3.(*maintenance).Snapshot", "\tgo.etcd.io/etcd/clientv3/maintenance.go:195",
    "go.etcd.io/etcd/clientv3/snapshot.(*v3Manager).Save", "\tgo.etcd.io/etcd/clientv3/snapshot/v3_snapshot.go:123",
    "go.etcd.io/etcd/etcdctl/ctlv3/command.snapshotSaveCommandFunc", "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/snapshot_command.go:113",
    "github.com/spf13/cobra.(*Command).execute", "\tgithub.com/spf13/cobra/command.go:920",
    "github.com/spf13/cobra.(*Command).ExecuteC", "\tgithub.com/spf13/cobra/command.go:1044",
    "github.com/spf13/cobra.(*Command).Execute", "\tgithub.com/spf13/cobra/command.go:968",
    "go.etcd.io/etcd/etcdctl/ctlv3.Start", "\tgo.etcd.io/etcd/etcdctl/ctlv3/ctl_nocov.go:26",
    "main.main", "\tgo.etcd.io/etcd/etcdctl/main.go:35",
    "runtime.main", "\truntime/proc.go:250",
  ].joined(separator: "\n")

  /// The head of what Go's runtime prints when bbolt reads a truncated file (captured from 3.4.23).
  static let busErrorTrace = """
    unexpected fault address 0x7ff434ae7000
    fatal error: fault
    [signal SIGBUS: bus error code=0x2 addr=0x7ff434ae7000 pc=0x8f1975]

    goroutine 79 [running]:
    runtime.throw({0xd50468?, 0x0?})
    \truntime/panic.go:1047 +0x5d fp=0xc00006f908 sp=0xc00006f8d8 pc=0x43b2bd
    runtime.sigpanic()
    \truntime/signal_unix.go:832 +0x125 fp=0xc00006f958 sp=0xc00006f908 pc=0x450ea5
    go.etcd.io/bbolt.(*Tx).checkBucket.func1(0x7ff434ae7000, 0x1462f01?)
    \tgo.etcd.io/bbolt/tx.go:465 +0x55 fp=0xc00006fa10 sp=0xc00006f958 pc=0x8f1975
    """
}
