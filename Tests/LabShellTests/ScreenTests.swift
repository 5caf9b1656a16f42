import EtcdCommands
import EtcdSim
import LabKit
import Testing
@testable import LabShell

/// The screens driven by typed lines, with what they say and save recorded.
@Suite struct ScreenTests {
  static func solutions(_ lab: Lab) -> [String] { lab.steps.flatMap(\.solution) }

  @Test func aLabPlayedByItsSolutionsCompletesAndIsSaved() {
    let rec = Recorder()
    let lab = Fixtures.lab("add-voting-member")
    var screen = LabScreen(lab: lab, seed: 1, lang: .en, context: rec.context(), progress: StudentProgress())
    var reader = ScriptedReader(Self.solutions(lab))
    let outcome = screen.play(reader: &reader)
    #expect(outcome == .complete)
    for k in 1...lab.steps.count { #expect(rec.stdout.contains("✓ Step \(k) passed")) }
    #expect(rec.stdout.contains("Lab complete!"))
    #expect(rec.stdout.contains("\(Self.solutions(lab).count) commands · 0 hints · 0 solutions shown"))
    #expect(rec.saved.last?.labs[lab.id]?.completed == true)
    #expect(rec.saved.last?.last == lab.id)
  }

  @Test func hintsAreProgressiveCountedAndLocalized() throws {
    let rec = Recorder()
    let lab = Fixtures.lab("learner-flow")
    var screen = LabScreen(lab: lab, seed: 1, lang: .en, context: rec.context(), progress: StudentProgress())
    var reader = ScriptedReader(["hint", "lang zh", "hint", "hint", "quit"])
    #expect(screen.play(reader: &reader) == .quit)
    let hints = lab.steps[0].hints
    #expect(rec.stdout.contains("Hint: " + hints[0].text.en))
    if hints.count > 1 { #expect(rec.stdout.contains("提示：" + hints[1].text.zh)) }
    #expect(rec.stdout.contains("第 1/\(lab.steps.count) 步"))
    #expect(rec.stdout.contains("进度已保存"))
    let saved = try #require(rec.saved.last?.labs[lab.id])
    // Asking past the last hint repeats it without counting it again.
    #expect(saved.steps[0].hintsUsed == min(3, hints.count))
    #expect(rec.stdout.contains("（这是本步最后一条提示；solution 会给出答案。）"))
    #expect(!saved.completed)
  }

  @Test func checkSaysWhatIsMissingAndErrorsAreExplained() {
    let rec = Recorder()
    let lab = Fixtures.lab("learner-flow")
    var screen = LabScreen(lab: lab, seed: 1, lang: .en, context: rec.context(), progress: StudentProgress())
    var reader = ScriptedReader(["check", "etcdctl member promote 1234", "explain"])
    #expect(screen.play(reader: &reader) == .endOfInput)
    #expect(rec.stdout.contains("✗ "))
    #expect(rec.stdout.contains("Error: etcdserver: member not found"))
    #expect(rec.stdout.contains(">> No member with id 1234 is in the cluster."))
    // `explain` repeats the last explanation.
    #expect(rec.stdout.components(separatedBy: ">> No member with id 1234").count == 3)
  }

  @Test func examModeWithholdsHintsAndSolutionsAndScores() throws {
    let rec = Recorder()
    let lab = Fixtures.lab("add-voting-member")
    var screen = LabScreen(lab: lab, seed: 1, lang: .en, context: rec.context(), progress: StudentProgress(), exam: true)
    var reader = ScriptedReader(["hint", "solution"] + Self.solutions(lab))
    #expect(screen.play(reader: &reader) == .complete)
    #expect(rec.stdout.components(separatedBy: "Not in exam mode.").count == 3)
    #expect(!rec.stdout.contains("Hint:"))
    #expect(rec.stdout.contains("Score: \(lab.steps.count) of \(lab.steps.count) steps in 0m0"))
    let saved = try #require(rec.saved.last?.labs[lab.id])
    #expect(saved.examSteps == lab.steps.count)
  }

  @Test func resumingRebuildsTheWorldOfTheFinishedSteps() {
    let rec = Recorder()
    let lab = Fixtures.lab("add-voting-member")
    var screen = LabScreen(lab: lab, seed: 1, lang: .en, context: rec.context(), progress: StudentProgress())
    var reader = ScriptedReader(Array(lab.steps.dropFirst().flatMap(\.solution)))
    #expect(screen.play(reader: &reader, resumeAt: 1) == .complete)
    #expect(rec.stdout.contains("Step 2/\(lab.steps.count)"))
    #expect(!rec.stdout.contains("✓ Step 1 passed"))
  }

  @Test func undoAndResetPutTheWorldBack() {
    let rec = Recorder()
    let lab = Fixtures.lab("learner-flow")
    var screen = LabScreen(lab: lab, seed: 1, lang: .en, context: rec.context(), progress: StudentProgress())
    var reader = ScriptedReader(["etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380", "undo", "etcdctl member list"])
    _ = screen.play(reader: &reader)
    #expect(rec.stdout.contains("Undone"))
    #expect(screen.run.session.world.labCluster?.members.count == 3)
  }

  /// From the home screen through one lab, back home, a change of language and a second lab
  /// (every lab's solution is played by LabPlayTests and, through the binary, by CourseTests).
  @Test func aNewStudentGoesFromTheHomeScreenThroughTwoLabsInTwoLanguages() {
    let rec = Recorder()
    var home = HomeScreen(context: rec.context(), progress: StudentProgress(), lang: .en)
    let labs = ["backup", "learner-flow"].map(Fixtures.lab)
    var reader = ScriptedReader([labs[0].id] + Self.solutions(labs[0]) + ["lang zh", labs[1].id] + Self.solutions(labs[1]) + ["quit"])
    home.play(reader: &reader, seed: { 1 })
    for lab in labs { #expect(home.progress.labs[lab.id]?.completed == true, "\(lab.id)") }
    #expect(rec.stdout.contains("Lab complete!") && rec.stdout.contains("实验完成！"))
  }

  @Test func theHomeScreenListsPlaysAndMarks() throws {
    let rec = Recorder()
    var home = HomeScreen(context: rec.context(), progress: StudentProgress(), lang: .en)
    let lab = Fixtures.lab("add-voting-member")
    var reader = ScriptedReader(["99", "nonsense", "1"] + Self.solutions(lab) + ["lang zh", "continue", "quit"])
    home.play(reader: &reader, seed: { 1 })
    #expect(rec.stdout.contains("Welcome to etcdlab"))
    #expect(rec.stdout.contains("   1. · add-voting-member "))
    #expect(rec.stdout.contains("No lab 99."))
    #expect(rec.stdout.contains("No lab nonsense."))
    #expect(rec.stdout.contains("   1. ✓ add-voting-member "))
    #expect(rec.stdout.contains("向集群添加成员"))
    // The order the course gives: the plain add, then the learner flow, then its failures.
    let order = ["add-voting-member", "learner-flow", "learner-failures"].compactMap { rec.stdout.range(of: $0)?.lowerBound }
    #expect(order == order.sorted() && order.count == 3)
    #expect(home.progress.labs[lab.id]?.completed == true)
  }

  @Test func aLongLessonIsPagedToTheTerminalHeight() {
    let rec = Recorder()
    let lab = Fixtures.lab("learner-flow")
    let small = Terminal(colour: false, width: 60, height: 8)
    var screen = LabScreen(lab: lab, seed: 1, lang: .en, context: rec.context(transcript: false, terminal: small), progress: StudentProgress())
    var reader = ScriptedReader(["lesson", "", "q", "quit"])
    #expect(screen.play(reader: &reader) == .quit)
    // One more page after Enter, then q stops the pager and the lab prompt returns.
    #expect(reader.prompts.filter { $0.contains("Enter for more, q to stop") }.count == 2)
  }
}
