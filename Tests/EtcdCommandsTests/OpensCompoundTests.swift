import EtcdCommands
import Testing

/// `ShellParser.opensCompound` looks for loop words in the bytes before splitting words; it
/// answers as splitting every line does.
@Suite struct OpensCompoundTests {
  /// The split of every line into words, as it was done before the byte scan.
  static func bySplitting(_ text: String) -> Bool {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == ";" })
    return words.filter { $0 == "for" || $0 == "while" || $0 == "until" }.count > words.filter { $0 == "done" }.count
  }

  @Test(arguments: ["etcdctl member list", "for i in 1 2; do echo $i", "for i in 1 2; do echo $i; done", "while true; do", "until false;do",
                    "echo for", "echo forever", "format", "fo", "f", "w", "u", "echo wh", "for\r\ndone", "for \u{301}", "x \u{301}for",
                    "until", "while;done", "for;for;done", "echo 'for'", "ünfor", "🙂 for", "", "done"])
  func answersAsSplittingDoes(_ line: String) {
    #expect(ShellParser.opensCompound(line) == Self.bySplitting(line), "\(line)")
  }
}
