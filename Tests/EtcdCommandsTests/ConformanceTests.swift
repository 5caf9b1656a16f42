@testable import Conformance
import Foundation
import Testing

/// The transcript parser, the named relaxations and `etcdlab conform`'s report, without real etcd.
@Suite struct ConformanceTests {
  @Test func theParserKeepsTheNotesAReplayMustHonour() {
    let t = Transcript.parse(name: "x.txt", text: """
      # Member ids (hex as in member list; decimal as in -w json / -w fields):
      #   1eee81c0ebacddc  = 139303845698915804    infra0
      # TLS files: made in the working directory before the first command with OpenSSL 3.0.19, by these
      # commands (not recorded below). Layout and names as kubeadm's /etc/kubernetes/pki/etcd, here relative:
      # other-ca/ is a second, unrelated CA.
      #   mkdir -p pki/etcd other-ca csr
      #   printf 'basicConstraints = critical\\n' > csr/x.ext
      # Timeouts: none.

      $ etcd --name infra0 --data-dir infra0.etcd > infra0.log 2>&1 &
      # exit 0
      # (waited until infra0 logged "ready to serve client requests": 1.0 s)
      $ etcdctl snapshot save dead.db
      # (still running after 3 s: the capture script sent it SIGTERM)
      created
      # exit 143
      # [stop infra0: the capture script sent SIGTERM to its etcd process; it exited with status 143]
      # [infra2's etcd process exited by itself with status 0]
      $ export ETCDCTL_API=3
      # exit 0
      """)
    #expect(t.idLabels == ["1eee81c0ebacddc": "infra0"])
    #expect(t.setupCommands == ["mkdir -p pki/etcd other-ca csr", "printf 'basicConstraints = critical\\n' > csr/x.ext"])
    let c = t.commands
    #expect(c.count == 3)
    #expect(c[0].background?.command == "etcd --name infra0 --data-dir infra0.etcd" && c[0].background?.log == "infra0")
    #expect(c[1].sigtermAfter == 3 && c[1].output == ["created"] && c[1].exit == 143 && c[1].background == nil)
    #expect(c[2].setsEnvironment && !c[1].setsEnvironment)
    guard t.items.count == 6, case .waitReady(let names) = t.items[1], case .stop(let stopped) = t.items[3], case .waitExit(let exited) = t.items[4] else {
      Issue.record("items: \(t.items)")
      return
    }
    #expect(names == ["infra0"] && stopped == "infra0" && exited == "infra2")
  }

  @Test func looseBlursValuesAndOrderStrictOnlyTimesAndIDs() {
    let a = ["2024-01-01 10:00:00.123456 I | x 1eee81c0ebacddc, 54e31805acfe9917", "b 20 kB true"]
    let b = ["2025-02-02 11:11:11.654321 I | x 54e31805acfe9917, 1eee81c0ebacddc", "b 25 kB false"]
    #expect(Normalize.strict([a[0]]) == Normalize.strict([b[0]]))
    #expect(Normalize.strict(a) != Normalize.strict(b))
    #expect(Normalize.loose(a) == Normalize.loose(b.reversed()))
  }

  @Test func eachRelaxationForgivesOnlyItsChance() {
    func alike(_ c: [Relaxation], _ a: [String], _ b: [String]) -> Bool {
      Comparison(expected: Output(lines: a, status: 0), actual: Output(lines: b, status: 0), classes: c).verdict == .relaxed(c)
    }
    // A 15-digit id from the clock is padded to 16.
    #expect(alike([.clockid], ["Member  93a25f911240054 added to cluster f28eb4fda84fb6e1"], ["Member e76d97dfeefc3d79 added to cluster f28eb4fda84fb6e1"]))
    #expect(!alike([.leader], ["Member  93a25f911240054 added to cluster f28eb4fda84fb6e1"], ["Member e76d97dfeefc3d79 added to cluster f28eb4fda84fb6e1"]))
    // Database sizes in every format.
    #expect(alike([.dbsize], ["c8beaa86, 5, 10, 25 kB", "| c8beaa86 |  5 |  25 kB |", "{\"totalSize\":24576}"], ["c8beaa86, 5, 10, 20 kB", "| c8beaa86 |  5 |  20 kB |", "{\"totalSize\":20480}"]))
    #expect(!alike([.dbsize], ["c8beaa86, 5, 10, 25 kB"], ["c8beaa86, 6, 10, 20 kB"]))
    // Retry warnings, however many; not the answer.
    let retry = #"{"level":"warn","msg":"retrying of unary invoker failed","attempt":0,"error":"rpc not supported for learner"}"#
    #expect(alike([.retries], [retry, retry.replacing("\"attempt\":0", with: "\"attempt\":1"), "foo"], ["foo"]))
    #expect(!alike([.retries], [retry, "foo"], [retry, "bar"]))
    // Listings sorted by a clock-derived id, also when an id was not renamed.
    #expect(alike([.clockid], ["93a25f911240054, unstarted, , http://127.0.0.13:2380, , false", "1eee81c0ebacddc, started, infra0, http://127.0.0.10:2380, http://127.0.0.10:2379, false"],
                  ["1eee81c0ebacddc, started, infra0, http://127.0.0.10:2380, http://127.0.0.10:2379, false", "e76d97dfeefc3d79, unstarted, , http://127.0.0.13:2380, , false"]))
    // Lines a race adds.
    #expect(alike([.timing], ["a", "2024-01-01 10:00:00.1 I | etcdserver: 9ba8dd709d019ef4 as single-node; fast-forwarding 9 ticks (election ticks 10)", "b"], ["a", "b"]))
    // curl's error for a refused certificate, exit 55 or 56.
    let curl = Comparison(expected: Output(lines: ["curl: (55) getpeername() failed with errno 107: Transport endpoint is not connected"], status: 55),
                          actual: Output(lines: ["curl: (56) OpenSSL SSL_read: OpenSSL/3.0.19: error:0A000412:SSL routines::sslv3 alert bad certificate, errno 0"], status: 56), classes: [.cause])
    #expect(curl.verdict == .relaxed([.cause]) && !curl.strict)
    #expect(Comparison(expected: Output(lines: [], status: 55), actual: Output(lines: [], status: 1), classes: [.cause]).differed)
    // Without a quorum, whichever deadline fires first; another error is still a difference.
    #expect(alike([.timeout], ["Error: etcdserver: request timed out"], ["Error: context deadline exceeded"]))
    #expect(alike([.timeout], ["Error: rpc error: code = Unknown desc = context deadline exceeded"], ["Error: context deadline exceeded"]))
    #expect(!alike([.timeout], ["Error: etcdserver: unhealthy cluster"], ["Error: context deadline exceeded"]))
    // How many elections there were: terms and indexes, not the rest of the row.
    let row = "| http://127.0.0.10:2379 |  1eee81c0ebacddc |  3.4.23 |   20 kB |     false |      false |         3 |         12 |                 12 |        |"
    let other = row.replacing("|         3 |         12 |                 12 |", with: "|         2 |         11 |                 11 |")
    #expect(alike([.election], [row, "http://127.0.0.10:2379, 1eee81c0ebacddc, 3.4.23, 20 kB, false, false, 3, 12, 12, "], [other, "http://127.0.0.10:2379, 1eee81c0ebacddc, 3.4.23, 20 kB, false, false, 2, 11, 11, "]))
    #expect(!alike([.election], [row], [row.replacing("3.4.23", with: "3.5.00")]))
  }

  /// A backend's id renamed to the reference's is printed as etcdctl would print that id.
  @Test func aRenamedIDTakesItsOwnPadding() {
    var ids = IDMap()
    ids.learn(reference: ["Member 31fe8f66f22ba7ef added to cluster f28eb4fda84fb6e1"], backend: ["Member  93a25f911240054 added to cluster f28eb4fda84fb6e1"])
    #expect(ids.toBackend["31fe8f66f22ba7ef"] == "93a25f911240054")
    #expect(ids.substitute("etcdctl member promote 31fe8f66f22ba7ef") == "etcdctl member promote 93a25f911240054")
    #expect(ids.toReference(["Member  93a25f911240054 promoted in cluster f28eb4fda84fb6e1", "93a25f911240054, started, infra3"])
      == ["Member 31fe8f66f22ba7ef promoted in cluster f28eb4fda84fb6e1", "31fe8f66f22ba7ef, started, infra3"])
    var back = IDMap()
    back.learn(reference: ["Member  93a25f911240054 added to cluster f28eb4fda84fb6e1"], backend: ["Member 31fe8f66f22ba7ef added to cluster f28eb4fda84fb6e1"])
    #expect(back.toReference(["Member 31fe8f66f22ba7ef promoted in cluster f28eb4fda84fb6e1"]) == ["Member  93a25f911240054 promoted in cluster f28eb4fda84fb6e1"])
  }

  @Test func liveClassesApplyOnlyAgainstALiveRun() {
    let r = Relaxations.parse("""
      # comment
      06-backup-restore.txt #44 leader,live:dbsize the winner is chance; the size too
      06-backup-restore.txt #10 live:dbsize the size is chance
      """)
    #expect(r.classes("06-backup-restore.txt", 44, live: false) == [.leader])
    #expect(r.classes("06-backup-restore.txt", 44, live: true) == [.leader, .dbsize])
    #expect(r.classes("06-backup-restore.txt", 10, live: false) == nil)
    #expect(r.classes("06-backup-restore.txt", 10, live: true) == [.dbsize])
    #expect(r.classes("06-backup-restore.txt", 11, live: true) == nil)
  }

  /// The report names every differing command with both outputs, a relaxed one with its class,
  /// and ends with the figures.
  @Test func aReportShowsBothOutputsOfWhatDiffered() {
    let t = Transcript.parse(name: "01-member-list-formats.txt", text: """
      $ etcdctl version
      etcdctl version: 3.4.23
      API version: 3.4
      # exit 0
      $ echo hello
      goodbye
      # exit 0
      """)
    let report = Conform.simulator(t)
    #expect(report.matched == 1 && report.differed == 1)
    let text = report.render(verbose: true)
    #expect(text.contains("matched 01-member-list-formats.txt #1: $ etcdctl version\n"))
    #expect(text.contains("differed 01-member-list-formats.txt #2: $ echo hello\n  reference (exit 0):\n    goodbye\n  sim (exit 0):\n    hello\n"), "\(text)")
    #expect(text.hasSuffix("01-member-list-formats.txt: 1 matched (0 relaxed), 1 differed; sim against reference: strict 1/2, loose 1/2\n"))
    #expect(Conform.summary([report, report]) == "2 matched, 2 differed")
  }
}
