import Testing
@testable import LabShell

@Suite struct TerminalTests {
  @Test func wideCharactersCountTwoAndEscapesNothing() {
    #expect(Terminal.displayWidth("etcd") == 4)
    #expect(Terminal.displayWidth("集群") == 4)
    #expect(Terminal.displayWidth("etcd 集群成员") == 13)
    #expect(Terminal.displayWidth("\u{1b}[1mleader\u{1b}[0m") == 6)
    #expect(Terminal.pad("集群", 6) == "集群  ")
    #expect(Terminal.pad("toolong", 3) == "toolong")
  }

  /// Widths as the C library's wcwidth gives them in a UTF-8 locale (not a hand-written table).
  @Test func widthsFollowTheCLibrary() {
    #expect(ScalarWidth.usable, "wcwidth in C.UTF-8 does not count CJK as wide on this machine")
    #expect(Terminal.displayWidth("（集群）") == 8)
    #expect(Terminal.displayWidth("，。：；！？、") == 14)
    #expect(Terminal.displayWidth("ｅｔｃｄ") == 8)
    #expect(Terminal.displayWidth("e\u{301}tcd") == 4)
    #expect(Terminal.displayWidth("\u{5408}\u{20DD}") == 2)
    #expect(Terminal.displayWidth("😀🚀") == 4)
    #expect(Terminal.displayWidth("🧑") == 2)
    #expect(Terminal.displayWidth("한국어") == 6)
    #expect(Terminal.displayWidth("ｱｲ") == 2)
    #expect(Terminal.displayWidth("a\u{200B}b") == 2)
  }

  @Test func theBuiltInTableStandsInWithoutWcwidth() {
    #expect(ScalarWidth.fallback("集") == 2 && ScalarWidth.fallback("a") == 1 && ScalarWidth.fallback("\u{301}") == 0)
  }

  @Test func paintOnlyWithColour() {
    #expect(Terminal(colour: false).paint("x", .red) == "x")
    #expect(Terminal(colour: true).paint("x", .red) == "\u{1b}[31mx\u{1b}[0m")
  }

  @Test(arguments: [20, 33, 60])
  func wrappedLinesFitAndKeepEveryWord(width: Int) {
    let text = "A learner receives the log but does not vote, so adding it cannot change the quorum of the cluster."
    let lines = Terminal(colour: false, width: width).wrap(text)
    #expect(lines.allSatisfy { Terminal.displayWidth($0) <= width }, "\(lines)")
    #expect(lines.joined(separator: " ").split(separator: " ") == text.split(separator: " "))
  }

  @Test func chineseWrapsBetweenCharacters() {
    let text = "Learner 只接收日志而不参与投票，所以添加它不会改变集群的法定人数。"
    let lines = Terminal(colour: false, width: 20).wrap(text)
    #expect(lines.count > 1)
    #expect(lines.allSatisfy { Terminal.displayWidth($0) <= 20 }, "\(lines)")
    #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " })
  }

  @Test func noLineStartsWithClosingPunctuation() {
    let text = "infra3 和 infra4（10.0.1.13 和 10.0.1.14）已安装 etcd，但没有运行任何进程。"
    for width in 10...40 {
      let lines = Terminal(colour: false, width: width).wrap(text)
      #expect(lines.dropFirst().allSatisfy { l in !l.hasPrefix("）") && !l.hasPrefix("，") && !l.hasPrefix("。") }, "\(width): \(lines)")
      #expect(lines.allSatisfy { !$0.hasSuffix("（") }, "\(width): \(lines)")
    }
  }

  @Test func indentIsKeptOnEveryLine() {
    let lines = Terminal(colour: false, width: 24).wrap("Run etcdctl member list and copy the id from the first column.", indent: "  ")
    #expect(lines.count > 2)
    #expect(lines.allSatisfy { $0.hasPrefix("  ") && Terminal.displayWidth($0) <= 24 })
  }
}
