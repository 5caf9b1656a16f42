import Testing

@testable import EtcdSim

@Suite struct ChunkedLogTests {
  @Test func appendsAcrossChunksAndCopiesStayApart() {
    var log = ChunkedLog<Int>()
    for i in 0..<1000 { log.append(i) }
    #expect(log.count == 1000 && Array(log) == Array(0..<1000) && log[777] == 777)
    // A copy (an undo point) is not changed by appends to the original, and vice versa.
    var copy = log
    log.append(1000)
    copy.append(-1)
    #expect(log.count == 1001 && log.last == 1000)
    #expect(copy.count == 1001 && copy.last == -1 && copy[999] == 999)
    #expect(log != copy)
    copy = log
    #expect(copy == log)
  }

  @Test func equalContentsInDifferentChunksAreEqual() {
    var a = ChunkedLog<String>(), b = ChunkedLog<String>()
    for i in 0..<600 { a.append("k\(i)"); b.append("k\(i)") }
    #expect(a == b)
    b.append("x")
    #expect(a != b)
  }
}
