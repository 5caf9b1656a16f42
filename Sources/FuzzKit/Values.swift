/// The kinds of value a command's arguments and flags take.
enum ValueKind: Sendable {
  case count, number, goDuration, sleepDuration, size, signal, path, host, hostPath, address, clientURL, clientURLs, peerURLs,
    initialCluster, memberID, memberName, key, text, pid, unit, format, bool, pattern, sedScript, awkProgram, mode, owner,
    printfFormat, date, name, variable, command

  /// The kind of an etcdctl, etcdutl or etcd flag, from the parser's kind and the flag's name.
  static func of(flag name: String, kind: String) -> ValueKind {
    switch kind {
    case "bool": return .bool
    case "duration": return .goDuration
    case "int": return .count
    default: break
    }
    if name == "endpoints" || name.hasSuffix("client-urls") { return .clientURLs }
    if name.hasSuffix("peer-urls") || name == "peer-urls" { return .peerURLs }
    if name == "initial-cluster" { return .initialCluster }
    if name.hasSuffix("-dir") || name.hasSuffix("-file") || name == "cacert" || name == "cert" || name == "key" || name == "config-file" { return .path }
    if name == "write-out" { return .format }
    if name.hasSuffix("-interval") || name.hasSuffix("-timeout") || name.hasSuffix("-count") || name.hasSuffix("-bytes")
      || name.hasPrefix("max-") || name.hasSuffix("-retention") || name.hasSuffix("-size") || name == "limit" || name == "rev" {
      return .count
    }
    if name == "name" || name == "user" { return .memberName }
    return .text
  }
}

extension Vocabulary {
  /// A value of `kind`: mostly one a student would type, sometimes a hostile one.
  func value(_ kind: ValueKind, _ d: inout Dice) -> String {
    if d.chance(0.08) { return Hostile.number(&d) }
    switch kind {
    case .count: return d.chance(0.6) ? String(d.between(0, 20)) : Hostile.number(&d)
    case .number: return d.chance(0.4) ? String(d.between(-5, 1000)) : Hostile.number(&d)
    case .goDuration:
      switch d.choice([5, 2, 1]) {
      case 0: return String(d.between(0, 30)) + d.pick(["s", "ms", "m", "h", "ns", "us", "µs", "h2m3.5s"])
      case 1: return Hostile.number(&d) + d.pick(["s", "ms", "h", ""])
      default: return d.pick(["", "s", "-5s", ".s", "5x", "1e3s"])
      }
    case .sleepDuration:
      switch d.choice([5, 3, 1]) {
      case 0: return String(d.between(0, 10)) + d.pick(["", "s", "m", "h", "d", ".5"])
      case 1: return Hostile.number(&d) + d.pick(["", "s", "m", "h", "d"])
      default: return d.pick(["inf", "infinity", "1e300", "9e15", "0x10", "--", "-1", ".", "1..2"])
      }
    case .size:
      return d.pick(["", "+", "-", "<", ">", "%", "/"]) + (d.chance(0.5) ? String(d.between(0, 4096)) : Hostile.number(&d))
        + d.pick(["", "", "K", "M", "G", "T", "P", "E", "Z", "Y", "KB", "MiB", "k", "b", "x"])
    case .signal: return d.pick(["9", "15", "0", "1", "64", "65", "KILL", "TERM", "SIGKILL", "sigterm", "HUP", "INT", "STOP", "CONT", "USR1", "ABRT", "XYZ"])
    case .path: return d.chance(0.85) ? d.pick(paths) : d.pick(paths) + "/" + value(.text, &d)
    case .host: return d.chance(0.9) ? d.pick(hosts) : d.pick(["root@" + d.pick(hosts), d.pick(addresses), "nosuchhost", "10.0.1.99", ""])
    case .hostPath: return value(.host, &d) + ":" + value(.path, &d)
    case .address: return d.pick(addresses)
    case .clientURL: return clientURL(&d)
    case .clientURLs: return (0..<d.between(1, 3)).map { _ in clientURL(&d) }.joined(separator: d.pick([",", ",", " ", ";"]))
    case .peerURLs: return (0..<d.between(1, 2)).map { _ in peerURL(&d) }.joined(separator: ",")
    case .initialCluster:
      return (0..<d.between(1, 5)).map { _ in value(.memberName, &d) + "=" + peerURL(&d) }.joined(separator: d.pick([",", ",", ", "]))
    case .memberID: return d.pick(memberIDs)
    case .memberName: return d.chance(0.9) ? d.pick(memberNames + hosts) : value(.text, &d)
    case .key: return d.pick(["foo", "k", "/a/b", "/", "", "key\(d.between(0, 9))", "\u{0}", "a b", "--", "-k", "键"])
    case .text:
      switch d.choice([6, 2, 1]) {
      case 0: return d.pick(["v", "value", "hello world", "a", "x", "etcd", "-", "--", "foo=bar", "1"])
      case 1: return d.pick(Hostile.fragments)
      default: return String(repeating: d.pick(["a", "*", "中", "\\", "$"]), count: d.repetitions(limit: 3000))
      }
    case .pid: return d.pick(pids)
    case .unit: return d.pick(units)
    case .format: return d.pick(["simple", "json", "table", "fields", "protobuf", "yaml", "", "JSON"])
    case .bool: return d.pick(["true", "false", "1", "0", "t", "f", "TRUE", "yes", ""])
    case .pattern: return d.pick(["etcd", "infra1", "^a", "a.*b", "[0-9]+", "(", "[", "\\", "*", "a{1,9999}", "(a*)*b", "", "x|y", "\\(", "中"])
    case .sedScript: return d.pick(["s/a/b/", "s/a/b/g", "1d", "$d", "/etcd/p", "2q", "s/", "s/a/b", "y/ab/cd/", "99999999999999999999d", "1,-1p", "=", "s/\\(a\\)/\\1/"])
    case .awkProgram:
      return d.pick(["{print $1}", "{print $NF}", "{print $99999999999}", "{print $-1}", "NR==2", "{", "BEGIN{print 1/0}", "{print $(NF+1)}", "END{print NR}", "$3 ~ /a/"])
    case .mode: return d.pick(["644", "755", "0600", "u+x", "a-w", "g=rx", "7777", "99999999999", "-x", "u+", ""])
    case .owner: return d.pick(["root", "etcd:etcd", "root:", ":root", "nobody", "999999999999", ""])
    case .printfFormat:
      return d.pick(["%s\\n", "%d\\n", "%5s|", "%-5s|", "%b", "%%", "%x", "%05d", "%.3s", "%*d", "%2147483648s", "%-9223372036854775808s",
                     "%99999999999999999999d", "%q", "%", "\\", "\\0", "\\x41\\u4e2d", "%c", "%e", "%s %s %s"])
    case .date: return d.pick(["+%s", "+%F %T", "-u", "-d now", "-d @0", "-d @99999999999999999", "+%", "-R", "--iso-8601"])
    case .name: return d.pick(["X", "A_B", "h", "i", "PATH", "HOME", "ETCDCTL_API", "ETCDCTL_ENDPOINTS", "1X", "a-b", "", "中"])
    case .variable: return d.pick(["$X", "${X}", "$h", "$?", "$$", "$!", "$HOME", "${#X}", "${X:-d}", "$1", "$@", "$", "${", "$NOPE", "~"])
    case .command: return d.pick(commands)
    }
  }
}
