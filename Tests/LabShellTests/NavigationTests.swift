import EtcdCommands
import EtcdSim
import LabKit
import Testing
@testable import LabShell

/// Finding one's way: the step again, another lab, undo that says what it took back, a home
/// screen that fits, completes and helps.
@Suite struct NavigationTests {
  @Test func stepReprintsTheStepAndUndoNamesWhatItTookBack() {
    let rec = Recorder()
    let lab = Fixtures.lab("add-voting-member")
    var screen = LabScreen(lab: lab, seed: 1, lang: .en, context: rec.context(), progress: StudentProgress())
    var reader = ScriptedReader(["step", lab.steps[0].solution[0], "undo", "undo"])
    _ = screen.play(reader: &reader)
    let stepLine = "Step 1/\(lab.steps.count): "
    // Shown at the start, by `step`, after the pass as step 2, and again when undo reopens step 1.
    #expect(rec.stdout.components(separatedBy: stepLine).count == 4, "\(rec.stdout)")
    #expect(rec.stdout.contains("Undone: \(lab.steps[0].solution[0])\nStep 1 is open again."))
    #expect(rec.stdout.contains("Nothing to undo."))
    #expect(screen.run.stepIndex == 0)
  }

  @Test func labIDGoesToAnotherLabFromTheHomeScreenKeepingProgress() {
    let rec = Recorder()
    var home = HomeScreen(context: rec.context(transcript: false), progress: StudentProgress(), lang: .en)
    var reader = ScriptedReader(["backup", "hint", "labs", "lab nope", "lab quorum", "step", "quit", "quit"])
    home.play(reader: &reader, seed: { 1 })
    #expect(rec.stdout.contains("▸ backup"))
    #expect(rec.stdout.contains("No lab nope. Type labs for the list."))
    #expect(rec.stdout.contains("Progress saved. Opening quorum."))
    #expect(rec.stdout.contains("Progress saved. Back to the list of labs."))
    #expect(rec.store.progress.labs["backup"]?.steps.first?.hintsUsed == 1)
    #expect(rec.store.progress.last == "quorum")
  }

  @Test func aCompletedLabWaitsForEnterBeforeTheListComesBack() {
    let rec = Recorder()
    let lab = Fixtures.lab("add-voting-member")
    var home = HomeScreen(context: rec.context(transcript: false), progress: StudentProgress(), lang: .en)
    var reader = ScriptedReader([lab.id] + lab.steps.flatMap(\.solution) + ["", "quit"])
    home.play(reader: &reader, seed: { 1 })
    #expect(reader.prompts.contains("Press Enter to go back to the list of labs."))
    let afterDone = rec.stdout.components(separatedBy: "Lab complete!").last ?? ""
    #expect(afterDone.contains("etcdlab — Managing an etcd cluster"))
  }

  @Test func theHomeScreenFitsEightyColumnsInBothLanguagesAndHasHelp() {
    for lang in [Language.en, .zh] {
      let rec = Recorder()
      var home = HomeScreen(context: rec.context(transcript: false, terminal: Terminal(colour: false, width: 80)), progress: StudentProgress(), lang: lang)
      var reader = ScriptedReader(["help", "quit"])
      home.play(reader: &reader, seed: { 1 })
      for line in rec.stdout.split(separator: "\n") { #expect(Terminal.displayWidth(String(line)) <= 80, "\(lang): \(line)") }
      let text = rec.stdout.replacingOccurrences(of: "\n", with: lang == .en ? " " : "")
      #expect(text.contains(lang == .en ? "continue to go back where you stopped" : "continue 回到上次停下的地方"))
    }
  }

  @Test func theHomeScreenCompletesLabIDsNotShellCommands() {
    let c = Completer(session: Session(world: World(seed: 0), host: "-"), metaCommands: ["continue", "help", "quit", "lang"], labIDs: ["backup", "quorum"], menu: true)
    #expect(c.complete("b", before: "") == ["backup"])
    #expect(c.complete("", before: "lang ") == ["en", "zh"])
    #expect(!c.complete("e", before: "").contains("etcdctl"))
    let inLab = Completer(session: Session(world: World(seed: 0), host: "-"), labIDs: ["backup", "quorum"])
    #expect(inLab.complete("q", before: "lab ") == ["quorum"])
  }
}
