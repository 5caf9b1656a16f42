/// Entries typed over several lines: here-documents and loops, as a student types them.
extension Grammar {
  /// `COMMAND <<EOF`, the body, `EOF` (sometimes never typed: the session ends inside it).
  func hereDocument(_ d: inout Dice) -> [String] {
    let delimiter = d.pick(["EOF", "EOF", "END", "'EOF'", "\"EOF\"", "-EOF", "E\\OF", ""])
    let head = d.pick(["cat > " + vocabulary.value(.path, &d), "cat", "cat >> /tmp/x", "etcdctl txn", "tee /tmp/x", "grep " + vocabulary.value(.pattern, &d),
                       "wc -l", "sort", "etcdctl put k"])
    var lines = [head + " <<" + d.pick(["", "-", " "]) + delimiter + (d.chance(0.2) ? " | " + pipeline(&d, depth: 1) : "")]
    for _ in 0..<d.weighted([(2, 0), (6, 2), (2, 8), (1, 40)]) {
      switch d.choice([4, 1, 6]) {
      case 0: lines.append(vocabulary.value(.text, &d))
      case 1: lines.append("$(" + list(&d, depth: 1) + ")")
      default: lines.append(d.pick(["$HOME $X ${Y}", "$HOME $X ${Y}", "\tindented", "put k v", "value(\"k\") = \"v\"", ""]))
      }
    }
    let bare = delimiter.filter { $0 != "'" && $0 != "\"" && $0 != "\\" }
    if d.chance(0.9) { lines.append(d.chance(0.9) ? bare : "\t" + bare) }
    return lines
  }

  /// `for h in ...; do`, body lines, `done` (or `while`/`until`); sometimes never closed.
  func multiLineLoop(_ d: inout Dice) -> [String] {
    var lines = [loopHead(&d, depth: 0) + d.pick(["; do", "; do", "", ";"])]
    if !lines[0].hasSuffix("do") { lines.append("do") }
    for _ in 0..<d.between(1, 3) { lines.append(d.chance(0.08) ? loopHead(&d, depth: 1) + "; do" : list(&d, depth: 1)) }
    let opened = lines.filter { $0.hasSuffix("do") }.count
    for _ in 0..<(d.chance(0.9) ? opened : d.below(opened)) { lines.append(d.pick(["done", "done", "done > /tmp/x", "done 2>&1 | tail -n 2", "done &"])) }
    return lines
  }
}
