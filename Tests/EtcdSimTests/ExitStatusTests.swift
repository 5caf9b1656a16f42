import EtcdSim
import Testing

/// systemd 252's exit status names (`src/basic/exit-status.c`): the journal names every class,
/// `systemctl status` only libc's and systemd's own.
@Suite struct ExitStatusTests {
  @Test func theJournalNamesEveryClassAndSaysNAForTheRest() {
    #expect(ExitStatus.journalText(1) == "1/FAILURE")
    #expect(ExitStatus.journalText(2) == "2/INVALIDARGUMENT")
    #expect(ExitStatus.journalText(7) == "7/NOTRUNNING")
    #expect(ExitStatus.journalText(78) == "78/CONFIG")
    #expect(ExitStatus.journalText(203) == "203/EXEC")
    #expect(ExitStatus.journalText(231) == "231/APPARMOR")
    #expect(ExitStatus.journalText(255) == "255/EXCEPTION")
    #expect(ExitStatus.journalText(42) == "42/n/a")
    #expect(ExitStatus.journalText(137) == "137/n/a")
  }

  @Test func systemctlStatusNamesOnlyLibcAndSystemdCodes() {
    #expect(ExitStatus.statusText(1) == "1/FAILURE")
    #expect(ExitStatus.statusText(203) == "203/EXEC")
    #expect(ExitStatus.statusText(2) == "2")
    #expect(ExitStatus.statusText(64) == "64")
    #expect(ExitStatus.statusText(42) == "42")
  }
}

