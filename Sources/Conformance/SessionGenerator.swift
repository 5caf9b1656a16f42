import EtcdSim

/// Random operator sessions over the transcripts' machine (members infraN on 127.0.0.(10+N)), for
/// differential testing of the simulator against real etcd (`etcdlab conform --generate N --seed S`).
/// Each session bootstraps three members, then draws operations from the course: membership
/// changes (add, add --learner, promote, remove, update) with the classic mistakes mixed in (a new
/// member started with `new` instead of `existing`, with a wrong or missing token, with a peer URL
/// other than the one added; promote too early, promote a voter, a second learner, remove then
/// restart the removed member, stop two of three, snapshot from several endpoints, restore into a
/// data dir that exists, restore only some members or with another token), with the waits real
/// etcd needs, at most `waitBudget` seconds of waiting in all. Ids are never written: a command
/// that needs one looks it up (`$(etcdctl member list | grep URL | cut -d, -f1)`), so the same
/// session runs on both sides. The same seed gives the same sessions.
public enum SessionGenerator {
  /// Seconds of real waiting a session may ask for (sleeps, start-ups, timeouts, stops).
  public static let waitBudget = 30.0

  public static func sessions(_ count: Int, seed: UInt64) -> [GeneratedSession] {
    (0..<max(0, count)).map { session(index: $0, seed: seed) }
  }

  /// Session `index` of `seed` (its own random stream, so one session can be regenerated alone).
  public static func session(index: Int, seed: UInt64) -> GeneratedSession {
    var mixer = SeededRandom(seed: seed)
    for _ in 0...index { _ = mixer.next() }
    var b = SessionBuilder(rng: SeededRandom(seed: mixer.next()))
    b.bootstrap()
    var attempts = 0
    while b.waited < waitBudget - 2, b.operations < 9, attempts < 60 {
      attempts += 1
      // An operation that would pass the budget (with the last two queries) is drawn again.
      let saved = b
      b.step()
      if b.waited > waitBudget - 0.5 {
        let rng = b.rng
        b = saved
        b.rng = rng
      }
    }
    b.finish()
    let name = "gen-\(seed)-\(String(format: "%03d", index + 1)).txt"
    return GeneratedSession(name: name, items: b.items, classes: b.classes, waitSeconds: b.waited, operations: b.log, operationStarts: b.starts)
  }
}

/// One generated session: its items as a transcript, the relaxation classes of each command (the
/// chance in its output), and what it asks real etcd to wait.
public struct GeneratedSession: Sendable {
  public var name: String
  public var items: [Transcript.Item]
  /// Classes per command, 1-based as the transcript counts commands.
  public var classes: [Int: [Relaxation]]
  public var waitSeconds: Double
  /// The operations drawn, in words (the file's header).
  public var operations: [String]
  /// Where each operation's items begin (positions in `items`), for shrinking by operation.
  public var operationStarts: [Int]

  public var transcript: Transcript {
    var t = Transcript(name: name, items: items)
    t.relaxed = classes
    return t
  }



  /// The same session without the commands at `drop` (positions in `items`), for shrinking;
  /// classes follow their commands.
  public func without(_ drop: Set<Int>) -> GeneratedSession {
    var kept: [Transcript.Item] = []
    var keptClasses: [Int: [Relaxation]] = [:]
    var command = 0, keptCommands = 0
    for (i, item) in items.enumerated() {
      if item.isCommand { command += 1 }
      guard !drop.contains(i) else { continue }
      kept.append(item)
      guard item.isCommand else { continue }
      keptCommands += 1
      if let c = classes[command] { keptClasses[keptCommands] = c }
    }
    var s = self
    s.items = kept
    s.classes = keptClasses
    // The operations with none of their items left, and where the others now begin.
    let bounds = operationStarts + [items.count]
    s.operations = []
    s.operationStarts = []
    for k in operationStarts.indices {
      let range = bounds[k]..<bounds[k + 1]
      guard range.contains(where: { !drop.contains($0) }) else { continue }
      s.operations.append(operations.indices.contains(k + 1) ? operations[k + 1] : "operation \(k + 1)")
      s.operationStarts.append(range.lowerBound - drop.filter { $0 < range.lowerBound }.count)
    }
    s.operations.insert(operations.first ?? "bootstrap", at: 0)
    return s
  }
}

extension Transcript.Item {
  var isCommand: Bool { if case .command = self { true } else { false } }
}

/// The model of the cluster a session keeps while it draws, so that each operation is one a
/// student could type at that point (and each mistake one they could make).
struct SessionBuilder {
  enum State { case added, running, failed, stopped, removed }

  struct Member {
    var n: Int
    var state: State
    var learner: Bool
    /// The line that starts its etcd (again), once it was started.
    var start: String?
  }

  var rng: SeededRandom
  var items: [Transcript.Item] = []
  var classes: [Int: [Relaxation]] = [:]
  var commands = 0
  var waited = 0.0
  var operations = 0
  var log: [String] = []
  var starts: [Int] = []
  var members: [Int: Member] = [:]
  /// Seconds since the last member started (etcd refuses changes until every peer has been
  /// connected for 5 s); nil when that is long past.
  var sinceStart: Double? = nil
  /// A member id has been added from the clock: member listings are sorted by an id that differs.
  var clockIDs = false
  var snapshotSaved = false
  /// A member was stopped: it may have been the leader, and then there was one election more.
  var stopped = false
  var restored = false

  static let token = "etcd-cluster-1"
  static func ip(_ n: Int) -> String { "127.0.0.\(10 + n)" }
  static func peer(_ n: Int) -> String { "http://\(ip(n)):2380" }
  static func client(_ n: Int) -> String { "http://\(ip(n)):2379" }

  init(rng: SeededRandom) { self.rng = rng }

  // MARK: items

  mutating func command(_ line: String, _ relax: [Relaxation] = [], seconds: Double = 0.1) {
    commands += 1
    items.append(.command(Transcript.Command(line: line, output: [], exit: 0)))
    if !relax.isEmpty { classes[commands] = relax }
    pass(seconds)
  }

  mutating func pass(_ seconds: Double) {
    waited += seconds
    sinceStart = sinceStart.map { $0 + seconds }.flatMap { $0 > 8 ? nil : $0 }
  }

  mutating func sleep(_ seconds: Int) { command("sleep \(seconds)", seconds: Double(seconds)) }

  mutating func background(_ n: Int, _ line: String) {
    command("\(line) > infra\(n).log 2>&1 &")
    members[n]?.start = line
  }

  mutating func waitReady(_ ns: [Int]) {
    items.append(.waitReady(ns.map { "infra\($0)" }))
    pass(0.5)
    sinceStart = 0
  }

  mutating func stop(_ n: Int) {
    stopped = true
    items.append(.stop("infra\(n)"))
    members[n]?.state = .stopped
    pass(0.5)
  }

  // MARK: the model

  var running: [Int] { members.values.filter { $0.state == .running }.map(\.n).sorted() }
  var voters: [Int] { members.values.filter { !$0.learner && $0.state != .removed }.map(\.n).sorted() }
  var runningVoters: [Int] { voters.filter { members[$0]?.state == .running } }
  var quorum: Bool { runningVoters.count > voters.count / 2 }
  /// Whether etcd 3.4 would take a member being added now, as the model sees it: every voter runs
  /// (a stopped one makes it refuse with `unhealthy cluster`). A refused add is still drawn now and
  /// then (a student's mistake), but changes nothing.
  var addAccepted: Bool { !voters.isEmpty && runningVoters == voters }
  /// A member removed: the voters left must still have a running majority.
  func removeAccepted(_ n: Int) -> Bool {
    let left = voters.filter { $0 != n }
    return left.filter { members[$0]?.state == .running }.count > left.count / 2
  }
  var free: [Int] { (3...5).filter { members[$0] == nil } }
  var learners: [Int] { members.values.filter { $0.learner && $0.state != .removed }.map(\.n).sorted() }

  /// The endpoint a student would use: a running voter's (infra0's when none runs).
  var endpoint: String { "--endpoints=\(Self.client(runningVoters.first ?? 0))" }
  var listRelax: [Relaxation] { clockIDs ? [.clockid] : [] }

  /// `$(...)` that prints the id of the member with this peer URL, as the endpoint knows it.
  func id(of n: Int) -> String {
    "$(etcdctl \(endpoint) member list | grep \(Self.ip(n)):2380 | cut -d, -f1)"
  }

  func etcd(_ n: Int, cluster: [Int], state: String, token: String? = SessionBuilder.token, advertise: String? = nil, dataDir: String? = nil) -> String {
    let peer = advertise ?? Self.peer(n)
    let initial = cluster.map { "infra\($0)=\($0 == n ? peer : Self.peer($0))" }.joined(separator: ",")
    var line = "etcd --name infra\(n) --data-dir \(dataDir ?? "infra\(n).etcd") --initial-advertise-peer-urls \(peer) --listen-peer-urls \(peer)"
    line += " --listen-client-urls \(Self.client(n)) --advertise-client-urls \(Self.client(n))"
    if let token { line += " --initial-cluster-token \(token)" }
    return line + " --initial-cluster \(initial) --initial-cluster-state \(state)"
  }

  /// Waits out etcd's five seconds after a start before a membership change, when a change now
  /// would fall in the seconds where chance decides (a change right after a start is refused on
  /// both sides alike, one 6 s later accepted).
  mutating func settle() {
    guard let s = sinceStart, s > 1 else { return }
    sleep(Int((6.5 - s).rounded(.up)))
    sinceStart = nil
  }

  mutating func chance(_ percent: Int) -> Bool { rng.int(in: 0...99) < Int64(percent) }
  mutating func pick<T>(_ xs: [T]) -> T { xs[Int(rng.int(in: 0...Int64(xs.count - 1)))] }

  // MARK: the session

  mutating func bootstrap() {
    command("export ETCDCTL_API=3")
    let three = [0, 1, 2]
    for n in three {
      members[n] = Member(n: n, state: .running, learner: false)
      background(n, etcd(n, cluster: three, state: "new"))
    }
    waitReady(three)
    sleep(6)
    sinceStart = nil
    log.append("bootstrap infra0-2")
  }

  mutating func finish() {
    command("etcdctl \(endpoint) member list", listRelax)
    command("etcdctl \(endpoint) endpoint health --cluster", [.concurrent, .took])
  }

  /// Draws one operation; one whose precondition does not hold draws nothing.
  mutating func step() {
    let before = items.count
    let logged = log.count
    starts.append(before)
    switch rng.int(in: 0...15) {
    case 0, 1: query()
    case 2, 3: addVoting()
    case 4, 5: addLearner()
    case 6: secondLearner()
    case 7: promoteVoter()
    case 8: remove()
    case 9: unknownID()
    case 10: stopOne()
    case 11: stopTwo()
    case 12: restartStopped()
    case 13: snapshotFromSeveral()
    case 14: restoreIntoExisting()
    default: restore()
    }
    // One line of the header per operation, whatever it logged.
    if logged < log.count { log[logged...] = [log[logged...].joined(separator: ", ")] }
    if items.count > before { operations += 1 } else { starts.removeLast() }
  }

  mutating func query() {
    // Without a quorum each query waits out etcdctl's timeouts (5 s): stopTwo asks one then.
    guard quorum, !running.isEmpty else { return }
    switch rng.int(in: 0...4) {
    case 0: command("etcdctl \(endpoint) member list", listRelax)
    case 1: command("etcdctl \(endpoint) member list -w table", listRelax)
    case 2: command("etcdctl \(endpoint) endpoint status --cluster -w table", [.leader, .dbsize] + listRelax + (stopped ? [.election] : []))
    case 3: command("etcdctl \(endpoint) endpoint health --cluster", [.concurrent, .took])
    default:
      command("etcdctl \(endpoint) put /k v\(rng.int(in: 1...9))")
      command("etcdctl \(endpoint) get /k")
    }
    log.append("query")
  }

  /// `member add`, then the new member started: rightly, or with one of the classic mistakes,
  /// which the student then undoes (stop, clear the data dir) and corrects.
  mutating func addVoting() {
    guard quorum, let n = free.first, !restored, addAccepted || chance(20) else { return }
    settle()
    let accepted = addAccepted
    // Refused as the model sees it, but etcd may take it: its answer is then sorted by a clock id.
    command("etcdctl \(endpoint) member add infra\(n) --peer-urls=\(Self.peer(n))", accepted ? [.clockid] : [.retries, .clockid])
    clockIDs = true
    guard accepted else { log.append("add infra\(n) while a voter is down (refused)"); return }
    members[n] = Member(n: n, state: .added, learner: false)
    let all = Set(voters + learners).sorted()
    let mistake = rng.int(in: 0...5)
    switch mistake {
    case 0:
      log.append("add infra\(n), start with state new")
      members[n]?.state = .failed
      background(n, etcd(n, cluster: all, state: "new"))
    case 1:
      log.append("add infra\(n), start with another token")
      members[n]?.state = .failed
      background(n, etcd(n, cluster: all, state: "existing", token: "etcd-cluster-2"))
    case 2:
      log.append("add infra\(n), start without itself in --initial-cluster")
      members[n]?.state = .failed
      background(n, etcd(n, cluster: all.filter { $0 != n }, state: "existing"))
    case 3:
      log.append("add infra\(n), start with another peer URL")
      members[n]?.state = .failed
      background(n, etcd(n, cluster: all, state: "existing", advertise: "http://\(Self.ip(n)):2390"))
    default:
      log.append("add infra\(n), start")
    }
    if mistake <= 3 {
      sleep(2)
      command("tail -n 2 infra\(n).log | grep -o 'etcdmain: [a-z ]*' | head -n 1")
      stop(n)
      command("rm -rf infra\(n).etcd")
      guard chance(70) else { members[n]?.state = .added; return }
    }
    members[n]?.state = .running
    background(n, etcd(n, cluster: all, state: "existing"))
    waitReady([n])
  }

  mutating func addLearner() {
    guard quorum, let n = free.first, learners.isEmpty, !restored, addAccepted || chance(20) else { return }
    settle()
    let accepted = addAccepted
    command("etcdctl \(endpoint) member add infra\(n) --peer-urls=\(Self.peer(n)) --learner", accepted ? [.clockid] : [.retries, .clockid])
    clockIDs = true
    guard accepted else { log.append("add learner infra\(n) while a voter is down (refused)"); return }
    members[n] = Member(n: n, state: .added, learner: true)
    if chance(40) {
      log.append("add learner infra\(n), promote before it started")
      command("etcdctl \(endpoint) member promote \(id(of: n))", [.retries])
    } else {
      log.append("add learner infra\(n)")
    }
    let all = Set(voters + learners).sorted()
    background(n, etcd(n, cluster: all, state: "existing"))
    members[n]?.state = .running
    waitReady([n])
    command("etcdctl \(endpoint) member list", listRelax)
    if chance(70) {
      sleep(2)
      log.append("promote infra\(n)")
      command("etcdctl \(endpoint) member promote \(id(of: n))", [.clockid])
      members[n]?.learner = false
    }
  }

  mutating func secondLearner() {
    guard quorum, let first = learners.first, let n = free.first else { return }
    log.append("second learner infra\(n) while infra\(first) is one")
    command("etcdctl \(endpoint) member add infra\(n) --peer-urls=\(Self.peer(n)) --learner", [.retries])
  }

  mutating func promoteVoter() {
    guard quorum, let n = runningVoters.last else { return }
    log.append("promote voter infra\(n)")
    command("etcdctl \(endpoint) member promote \(id(of: n))", [.retries])
  }

  /// Removes a member (never the endpoint's); a running one's etcd then ends by itself, and the
  /// student may start it again on its old data dir.
  mutating func remove() {
    guard quorum, !restored else { return }
    let endpointMember = runningVoters.first
    let candidates = members.values.filter { $0.state != .removed && $0.n != endpointMember }.map(\.n).sorted()
    guard !candidates.isEmpty else { return }
    let n = pick(candidates)
    // What is left must still have a running majority, or etcd refuses (a student's mistake too).
    // Taken as refused when a voter is down (etcd 3.4 counts the peers connected in the last 5 s).
    let accepted = removeAccepted(n) && runningVoters == voters
    guard accepted || chance(30) else { return }
    settle()
    let wasRunning = members[n]?.state == .running
    command("etcdctl \(endpoint) member remove \(id(of: n))", accepted ? [] : [.retries])
    guard accepted else { log.append("remove infra\(n) while a voter is down"); return }
    log.append("remove infra\(n)")
    members[n]?.state = .removed
    if wasRunning {
      items.append(.waitExit("infra\(n)"))
      pass(1.5)
      if chance(50), let start = members[n]?.start {
        log.append("restart removed infra\(n)")
        command("\(start) > infra\(n).log 2>&1 &")
        sleep(2)
        command("grep -o 'the member has been permanently removed from the cluster' infra\(n).log | head -n 1")
        stop(n)
        members[n]?.state = .removed
      }
    }
  }

  mutating func unknownID() {
    guard quorum else { return }
    log.append("remove an unknown id")
    command("etcdctl \(endpoint) member remove 1234abcd", [.retries])
  }

  mutating func stopOne() {
    guard runningVoters.count == 3, voters.count == 3 else { return }
    let n = pick(runningVoters)
    log.append("stop infra\(n)")
    stop(n)
    sleep(3)
    command("etcdctl \(endpoint) put /k after-stop")
  }

  /// Two of three stopped: no quorum; a write times out; both started again.
  mutating func stopTwo() {
    guard runningVoters.count == 3, voters.count == 3, learners.isEmpty else { return }
    let two = Array(runningVoters.dropFirst())
    log.append("stop infra\(two[0]) and infra\(two[1]), write, start them again")
    for n in two { stop(n) }
    // The leader steps down after an election timeout without a quorum: a write before that races
    // the server's own timeout (`etcdserver: request timed out`) against the client's deadline.
    sleep(3)
    command("etcdctl --endpoints=\(Self.client(runningVoters[0])) --command-timeout=2s put /k lost", [.retries, .timeout], seconds: 2)
    for n in two {
      guard let start = members[n]?.start else { continue }
      command("\(start) > infra\(n).log 2>&1 &")
      members[n]?.state = .running
    }
    waitReady(two)
    sleep(2)
  }

  mutating func restartStopped() {
    guard let n = members.values.filter({ $0.state == .stopped && $0.start != nil }).map(\.n).min(), let start = members[n]?.start else { return }
    log.append("start infra\(n) again")
    command("\(start) > infra\(n).log 2>&1 &")
    members[n]?.state = .running
    waitReady([n])
  }

  mutating func snapshotFromSeveral() {
    guard running.count >= 2 else { return }
    log.append("snapshot save from two endpoints")
    command("etcdctl --endpoints=\(Self.client(running[0])),\(Self.client(running[1])) snapshot save several.db")
  }

  mutating func saveSnapshot() {
    guard !snapshotSaved else { return }
    command("etcdctl \(endpoint) snapshot save snap.db", [.dbsize])
    snapshotSaved = true
  }

  mutating func restoreIntoExisting() {
    guard quorum, !restored else { return }
    log.append("snapshot restore into infra0's data dir, which exists")
    saveSnapshot()
    let three = [0, 1, 2]
    let initial = three.map { "infra\($0)=\(Self.peer($0))" }.joined(separator: ",")
    command("etcdctl snapshot restore snap.db --name infra0 --data-dir infra0.etcd --initial-cluster \(initial) --initial-cluster-token \(Self.token) --initial-advertise-peer-urls \(Self.peer(0))")
  }

  /// The backup lab's flow: save, stop every member, restore each into a new data dir, start.
  /// Mistakes: only some restored, or restored with another token or none.
  mutating func restore() {
    guard quorum, !restored, members.count == 3, running.count == 3 else { return }
    restored = true
    saveSnapshot()
    for n in running { stop(n) }
    let three = [0, 1, 2]
    let some = chance(30) ? Array(three.prefix(Int(rng.int(in: 1...2)))) : three
    let token: String? = chance(25) ? (chance(50) ? nil : "etcd-cluster-2") : Self.token
    log.append("restore \(some.map { "infra\($0)" }.joined(separator: ", ")) with token \(token ?? "none")")
    let initial = three.map { "infra\($0)=\(Self.peer($0))" }.joined(separator: ",")
    for n in some {
      var line = "etcdctl snapshot restore snap.db --name infra\(n) --data-dir infra\(n)-restored.etcd --initial-cluster \(initial)"
      if let token { line += " --initial-cluster-token \(token)" }
      command(line + " --initial-advertise-peer-urls \(Self.peer(n))", [.dbsize])
    }
    for n in some {
      members[n]?.state = .running
      background(n, etcd(n, cluster: three, state: "existing", token: nil, dataDir: "infra\(n)-restored.etcd"))
    }
    if some.count == 3 { waitReady(some) } else { sleep(3) }
    sleep(2)
    for n in three where !some.contains(n) { members[n]?.state = .stopped; members[n]?.start = nil }
  }
}
