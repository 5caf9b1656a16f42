import EtcdCommands
import EtcdSim
import Testing

/// One case per shell command and syntax rule: the lines before, the line, what it prints, its status.
@Suite struct ShellCommandTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var before: [String] = []
    var line: String
    var output: String
    var status: Int32 = 0
    var testDescription: String { line }
  }

  static let cases: [Case] = [
    // Syntax
    Case(line: "echo a\\ b 'c  d' \"e $HOME\"", output: "a b c  d e /root\n"),
    Case(before: ["X=1"], line: "echo ${X}2 $X", output: "12 1\n"),
    Case(line: "false || echo fallback; echo $?", output: "fallback\n0\n"),
    Case(line: "echo one \\\n two", output: "one two\n"),
    Case(line: "echo hi # a comment", output: "hi\n"),
    Case(line: "echo `hostname`", output: "infra0\n"),
    Case(line: "echo $(echo $(echo deep))", output: "deep\n"),
    Case(line: "ls /nope 2>&1 | wc -l", output: "1\n"),
    Case(line: "echo x >/dev/null", output: ""),
    Case(line: "cat <<EOF\nline $HOSTNAME\nEOF", output: "line infra0\n"),
    Case(line: "cat <<'EOF'\nline $HOSTNAME\nEOF", output: "line $HOSTNAME\n"),
    Case(line: "echo 'open", output: "bash: unexpected EOF while looking for matching `''\n", status: 2),
    Case(line: "| grep x", output: "bash: syntax error near unexpected token `|'\n", status: 2),
    Case(line: "echo >", output: "bash: syntax error near unexpected token `newline'\n", status: 2),
    // Text tools
    Case(line: "printf '%s-%d\\n' a 1 b 2", output: "a-1\nb-2\n"),
    Case(line: "printf 'b\\na\\nb\\n' | sort | uniq -c", output: "      1 a\n      2 b\n"),
    Case(line: "printf 'x y z\\n' | awk '{print $2}'", output: "y\n"),
    Case(line: "printf 'a, b, c\\n' | awk -F', ' '{print $3 \"!\"}'", output: "c!\n"),
    Case(line: "printf '1\\n2\\n3\\n' | awk 'NR>1 {print}'", output: "2\n3\n"),
    Case(line: "printf 'a:b:c\\n' | cut -d: -f2-", output: "b:c\n"),
    Case(line: "printf 'Hello\\n' | tr 'a-z' 'A-Z'", output: "HELLO\n"),
    Case(line: "printf 'foo bar\\n' | sed 's/o/0/g'", output: "f00 bar\n"),
    Case(line: "printf 'a\\nB\\nc\\n' | grep -i b", output: "B\n"),
    Case(line: "printf 'a\\nb\\n' | grep -v a", output: "b\n"),
    Case(line: "printf 'ab\\nab c\\n' | grep -w ab", output: "ab\nab c\n"),
    Case(line: "printf 'a1\\nb22\\n' | grep -E '[0-9]{2}'", output: "b22\n"),
    Case(line: "printf 'a\\nb\\n' | grep -c .", output: "2\n"),
    // -o prints each match alone (GNU grep 3.8): the generated sessions grep etcd's logs so.
    Case(line: "printf 'ab x ab\\nc\\n' | grep -on 'ab\\|c'", output: "1:ab\n1:ab\n2:c\n"),
    Case(line: "printf 'x\\n' | grep y", output: "", status: 1),
    Case(line: "printf '1\\n2\\n3\\n' | head -n 2", output: "1\n2\n"),
    Case(line: "printf '1\\n2\\n3\\n' | tail -n 1", output: "3\n"),
    Case(line: "printf 'a b\\n' | wc -w", output: "2\n"),
    Case(line: "echo a b | xargs -n 1 echo", output: "a\nb\n"),
    Case(line: "echo hi | tee /tmp/t >/dev/null; cat /tmp/t", output: "hi\n"),
    // Files
    Case(before: ["mkdir -p /tmp/d/e", "touch /tmp/d/f"], line: "ls /tmp/d", output: "e\nf\n"),
    Case(line: "mkdir /tmp/a/b", output: "mkdir: cannot create directory ‘/tmp/a/b’: No such file or directory\n", status: 1),
    Case(before: ["echo data > /tmp/f"], line: "cp /tmp/f /tmp/g && cat /tmp/g", output: "data\n"),
    Case(before: ["mkdir /tmp/d"], line: "cp /tmp/d /tmp/e", output: "cp: -r not specified; omitting directory '/tmp/d'\n", status: 1),
    Case(before: ["echo data > /tmp/f"], line: "mv /tmp/f /tmp/h && ls /tmp/f", output: "ls: cannot access '/tmp/f': No such file or directory\n", status: 2),
    Case(before: ["echo hello > /tmp/f", "truncate -s 2 /tmp/f"], line: "cat /tmp/f", output: "he"),
    Case(before: ["touch /tmp/f", "chmod 600 /tmp/f"], line: "stat /tmp/f | grep Uid", output: "Access: (0600/-rw-------)  Uid: (    0/    root)   Gid: (    0/    root)\n"),
    Case(line: "chown nobodyish /tmp", output: "chown: invalid user: ‘nobodyish’\n", status: 1),
    Case(before: ["tar czf /root/backup.tar.gz -C /var/lib etcd"], line: "tar tzf /root/backup.tar.gz | head -n 2", output: "etcd/\netcd/member/\n"),
    Case(before: ["tar czf /root/b.tgz -C /var/lib etcd", "mkdir /tmp/r"], line: "tar xzf /root/b.tgz -C /tmp/r && ls /tmp/r/etcd/member", output: "snap\nwal\n"),
    Case(before: ["echo x > /tmp/f"], line: "scp /tmp/f infra3:/tmp/ && ssh infra3 cat /tmp/f", output: "x\n"),
    Case(line: "scp nohost:/tmp/f /tmp/", output: "ssh: Could not resolve hostname nohost: Name or service not known\nscp: Connection closed\n", status: 255),
    Case(line: "du -sh /var/lib/etcd/member/snap", output: "24K\t/var/lib/etcd/member/snap\n"),
    // Hosts
    Case(line: "ssh infra3 hostname", output: "infra3\n"),
    Case(line: "ssh root@10.0.1.14 hostname", output: "infra4\n"),
    Case(line: "ssh infra9", output: "ssh: Could not resolve hostname infra9: Name or service not known\n", status: 255),
    Case(line: "whoami", output: "root\n"),
    Case(before: ["cd /var/lib"], line: "pwd", output: "/var/lib\n"),
    Case(line: "cd /nope", output: "bash: cd: /nope: No such file or directory\n", status: 1),
    Case(line: "date", output: "Wed Nov 25 09:00:00 UTC 2026\n"),
    // Processes and services
    Case(line: "pgrep etcd", output: "1001\n"),
    Case(line: "pgrep -f 'name infra0' | wc -l", output: "1\n"),
    Case(line: "kill 99999", output: "bash: kill: (99999) - No such process\n", status: 1),
    Case(line: "kill %3", output: "bash: kill: %3: no such job\n", status: 1),
    Case(line: "systemctl is-active etcd", output: "active\n"),
    Case(line: "systemctl status nothing", output: "Unit nothing.service could not be found.\n", status: 4),
    Case(line: "systemctl cat etcd | head -2", output: "# /etc/systemd/system/etcd.service\n[Unit]\n"),
    Case(line: "systemctl cat nothing", output: "No files found for nothing.service.\n", status: 1),
    Case(line: "find /var/lib/etcd -type d", output: "/var/lib/etcd\n/var/lib/etcd/member\n/var/lib/etcd/member/snap\n/var/lib/etcd/member/wal\n"),
    Case(line: "find / -name '*.wal'", output: "/var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal\n"),
    Case(line: "find /var/lib/etcd -maxdepth 1", output: "/var/lib/etcd\n/var/lib/etcd/member\n"),
    Case(line: "find /nope", output: "find: ‘/nope’: No such file or directory\n", status: 1),
    Case(line: "grep infra3 /etc/hosts", output: "10.0.1.13\tinfra3\n"),
    Case(line: "systemctl stop etcd; rm -rf /var/lib/etcd; systemctl start etcd 2>/dev/null; systemctl is-failed etcd; journalctl -u etcd | tail -n 3 | cut -c34-",
         output: "failed\n: etcd.service: Main process exited, code=exited, status=1/FAILURE\n: etcd.service: Failed with result 'exit-code'.\n: Failed to start etcd.service - etcd key-value store.\n"),
    // etcd refusing a flag exits 2: the journal names it, systemctl status does not (systemd 252).
    Case(before: ["systemctl stop etcd", "sed -i 's/--name infra0/--bogus-flag --name infra0/' /etc/systemd/system/etcd.service", "systemctl daemon-reload", "systemctl start etcd"],
         line: "journalctl -u etcd | grep 'Main process' | cut -c34-; systemctl status etcd | grep 'Main PID'",
         output: ": etcd.service: Main process exited, code=exited, status=2/INVALIDARGUMENT\n   Main PID: 1008 (code=exited, status=2)\n"),
    Case(line: "etcdctl endpoint hashkv", output: "etcdlab: 'etcdctl endpoint hashkv' is not simulated yet\n", status: 1),
    Case(line: "printf 'a\\nb\\nc\\nd\\n' | sed -n 2,3p", output: "b\nc\n"),
    Case(line: "printf 'a\\nb\\nc\\n' | sed -n '$p'", output: "c\n"),
    Case(line: "printf 'a\\nb\\nc\\n' | sed '1,2d'", output: "c\n"),
    Case(line: "printf 'a\\nb\\nc\\n' | sed -n 2,1p", output: "b\n"),
    Case(line: "printf 'a\\n' | sed -n 0,1p", output: "sed: -e expression #1, char 4: invalid usage of line address 0\n", status: 1),
    Case(line: "find . -foo", output: "find: unknown predicate `-foo'\n", status: 1),
    Case(line: "systemctl start nothing", output: "Failed to start nothing.service: Unit nothing.service not found.\n", status: 5),
    Case(before: ["systemctl stop etcd"], line: "systemctl is-active etcd", output: "inactive\n", status: 3),
    Case(before: ["systemctl stop etcd"], line: "journalctl -u etcd -n 1", output: "Nov 25 09:00:00 infra0 systemd[1]: Stopped etcd.service - etcd key-value store.\n"),
    Case(before: ["sed -i 's/--name infra0/--name wrong/' /etc/systemd/system/etcd.service", "systemctl stop etcd"], line: "systemctl start etcd",
      output: "Warning: The unit file, source configuration file or drop-ins of etcd.service changed on disk. Run 'systemctl daemon-reload' to reload units.\n"),
    Case(before: ["systemctl stop etcd", "rm -rf /var/lib/etcd", "systemctl daemon-reload"], line: "systemctl start etcd",
      output: "Job for etcd.service failed because the control process exited with error code.\nSee \"systemctl status etcd.service\" and \"journalctl -xeu etcd.service\" for details.\n", status: 1),
    Case(before: ["systemctl stop etcd", "sed -i 's/^Type=notify/User=etcd\\nType=notify/' /etc/systemd/system/etcd.service", "chmod 700 /var/lib/etcd", "systemctl daemon-reload"],
      line: "systemctl start etcd; journalctl -u etcd -n 5 | grep -c 'error listing data dir: /var/lib/etcd'",
      output: "Job for etcd.service failed because the control process exited with error code.\nSee \"systemctl status etcd.service\" and \"journalctl -xeu etcd.service\" for details.\n1\n"),
    // Safety and typos
    Case(line: "sed -i 's#a' /tmp", output: "sed: -e expression #1, char 3: unterminated `s' command\n", status: 1),
    Case(line: "sed -i s/a/b/ /tmp", output: "sed: couldn't edit /tmp: not a regular file\n", status: 4),
    Case(line: "sed s/a/b/ /tmp", output: "sed: read error on /tmp: Is a directory\n", status: 4),
    // Brace expansion (bash 5.2) and GNU seq, as operators type them.
    Case(line: "echo k{1..3} infra{0,1,2}.etcd", output: "k1 k2 k3 infra0.etcd infra1.etcd infra2.etcd\n"),
    Case(line: "echo {01..10..3} {a..e..2} {10..1..4} a{b,c{1,2}}d", output: "01 04 07 10 a c e 10 6 2 abd ac1d ac2d\n"),
    Case(line: "echo {} {a} {1..a} \"{1,2}\" x{,y}", output: "{} {a} {1..a} {1,2} x xy\n"),
    Case(line: "echo {1..100000}", output: "etcdlab: {1..100000} expands to more than 10000 words; the command was not run\n", status: 1),
    Case(line: "for i in {1..3}; do printf $i; done", output: "123"),
    Case(line: "seq 3; seq -w 8 10; seq -s, 3; seq 0.1 0.1 0.3; seq -5 -2 -10", output: "1\n2\n3\n08\n09\n10\n1,2,3\n0.1\n0.2\n0.3\n-5\n-7\n-9\n"),
    Case(line: "seq", output: "seq: missing operand\nTry 'seq --help' for more information.\n", status: 1),
    Case(line: "seq 1 a", output: "seq: invalid floating point argument: ‘a’\nTry 'seq --help' for more information.\n", status: 1),
    Case(line: "seq 1 0 5", output: "seq: invalid Zero increment value: ‘0’\nTry 'seq --help' for more information.\n", status: 1),
    // Each GNU tool says in its own words that it cannot read a file (found by conform --generate).
    Case(line: "tail -n 2 /tmp/nofile", output: "tail: cannot open '/tmp/nofile' for reading: No such file or directory\n", status: 1),
    Case(line: "head /tmp", output: "head: error reading '/tmp': Is a directory\n", status: 1),
    Case(line: "sort /tmp/nofile", output: "sort: cannot read: /tmp/nofile: No such file or directory\n", status: 2),
    Case(line: "wc /tmp/nofile", output: "wc: /tmp/nofile: No such file or directory\n", status: 1),
    Case(line: "sed -i s/a/b/ /nonexist", output: "sed: can't read /nonexist: No such file or directory\n", status: 2),
    Case(line: "wget http://10.0.1.10:2379/version", output: "etcdlab: 'wget' is not available in this lab; use curl, or scp between the hosts\n", status: 127),
    Case(line: "curl http://10.0.1.10:2379/version", output: "{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}", status: 0),
    Case(line: "curl -s http://10.0.1.11:2379/health", output: "{\"health\":\"true\"}", status: 0),
    Case(line: "curl -sS http://10.0.1.14:2379/health", output: "curl: (7) Failed to connect to 10.0.1.14 port 2379 after 0 ms: Couldn't connect to server\n", status: 7),
    Case(line: "curl -s http://10.0.1.14:2379/health", output: "", status: 7),
    Case(line: "curl -sS https://10.0.1.10:2379/health", output: "curl: (35) OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number\n", status: 35),
    Case(line: "sytemctl status etcd", output: "bash: sytemctl: command not found\netcdlab: did you mean 'systemctl'?\n", status: 127),
  ]

  @Test(arguments: cases)
  func command(_ c: Case) {
    var s = Session(world: World(setup: .course, seed: 1), host: "infra0", transcriptMode: true, suggestions: true)
    for b in c.before { _ = s.run(b) }
    let (io, status) = s.run(c.line)
    #expect(io.text == c.output && status == c.status, "got \(status): \(io.text)")
  }
}
