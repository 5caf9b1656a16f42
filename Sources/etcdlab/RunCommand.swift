import ArgumentParser
import EtcdCommands
import EtcdSim
import Foundation
import LabKit

/// Where progress lives: `$ETCDLAB_HOME` (default `~/.local/share/etcdlab`).
enum ProgressFile {
  static var directory: URL {
    if let home = ProcessInfo.processInfo.environment["ETCDLAB_HOME"] { return URL(fileURLWithPath: home) }
    return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/etcdlab")
  }

  static var url: URL { directory.appendingPathComponent("progress.json") }

  /// Reads progress; a corrupt file is reported, moved aside, and replaced by empty progress.
  static func load(report: (String) -> Void) -> StudentProgress {
    guard let data = try? Data(contentsOf: url) else { return StudentProgress() }
    switch StudentProgress.decode(data) {
    case .success(let p): return p
    case .failure(let e):
      let aside = url.appendingPathExtension("corrupt-\(Int(Date().timeIntervalSince1970))")
      try? FileManager.default.moveItem(at: url, to: aside)
      switch e {
      case .corrupt(let why): report("etcdlab: \(url.path) could not be read (\(why.prefix(80))); it was moved to \(aside.lastPathComponent) and progress starts afresh")
      case .newerSchema(let v): report("etcdlab: \(url.path) was written by a newer etcdlab (schema \(v)); it was moved to \(aside.lastPathComponent)")
      }
      return StudentProgress()
    }
  }

  /// Writes progress atomically (a temporary file renamed over the old one).
  static func save(_ p: StudentProgress) {
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let tmp = directory.appendingPathComponent(".progress.json.tmp")
    do {
      try p.encoded().write(to: tmp)
      _ = try FileManager.default.replaceItemAt(url, withItemAt: tmp)
    } catch {
      try? FileManager.default.removeItem(at: url)
      try? FileManager.default.moveItem(at: tmp, to: url)
    }
  }
}

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Play a lab.")

  @Argument(help: "The lab's id.") var lab: String
  @Option(help: "en or zh (default from LANG).") var lang: String?
  @Option(help: "Seed for the world (default: a new one each time).") var seed: UInt64?
  @Option(help: "An extra folder of labs.") var labs: String?
  @Flag(help: "Echo each input line as '$ line'; plain text for scripts and tests.") var transcript = false

  static let metaCommands = ["help", "hint", "check", "explain", "solution", "undo", "reset", "labs", "quit"]

  func run() throws {
    let course = Course.locate(extraLabs: labs)
    let language = lang.flatMap(Language.init) ?? Language.from(locale: ProcessInfo.processInfo.environment["LC_ALL"] ?? ProcessInfo.processInfo.environment["LANG"])
    guard let (_, found) = course.labs().first(where: { $0.1.id == lab }) else {
      let ids = course.labs().map(\.1.id)
      let near = ids.min { Levenshtein.distance(lab, $0) < Levenshtein.distance(lab, $1) }
      throw ValidationError("no lab '\(lab)'\(near.map { " (did you mean '\($0)'?)" } ?? ""); `etcdlab list` shows them")
    }
    var out = Output(transcript: transcript)
    var progress = ProgressFile.load { out.line($0) }
    let worldSeed = seed ?? UInt64(Date().timeIntervalSince1970 * 1000) % 1_000_000
    var run = LabRun(lab: found, seed: worldSeed, lang: language, transcript: transcript)
    var hintsUsed: [Int: Int] = [:]
    var solutionShown: Set<Int> = []
    let started = Date()
    let zh = language == .zh

    out.line("== \(found.title[language]) ==")
    if let intro = found.intro { out.line(intro[language]) }
    out.line(zh ? "（help 查看命令；hint 获取提示；check 查看还差什么）" : "(help for commands; hint for a hint; check for what is still missing)")
    out.step(run)
    var input = LineInput()
    var interactive = !transcript && isatty(STDIN_FILENO) != 0
    func save() {
      progress.record(run, seconds: Int(Date().timeIntervalSince(started)), solutionShown: solutionShown, hintsUsed: hintsUsed)
      ProgressFile.save(progress)
    }
    while true {
      if run.session.pendingLines.isEmpty {
        let (notices, explanations) = run.poll()
        for n in notices { out.line(n) }
        for e in explanations { out.explanation(e) }
      }
      if interactive { out.prompt(run.session.pendingLines.isEmpty ? run.session.prompt : "> ") }
      guard let line = input.readLine() else { break }
      if transcript { out.line("$ " + line) }
      let word = line.trimmingCharacters(in: .whitespaces)
      let meta = word.hasPrefix(":") ? String(word.dropFirst()) : word
      let name = meta.split(separator: " ").first.map(String.init) ?? ""
      if run.session.pendingLines.isEmpty, Run.metaCommands.contains(name), word.hasPrefix(":") || !run.session.world.hosts.isEmpty {
        let arg = meta.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        switch name {
        case "help":
          out.line(zh ? "hint 提示 · check 检查 · explain 再看解释 · solution 答案 · undo 撤销上一条命令 · reset 重做本步（reset lab 重做整个实验）· labs 实验列表 · quit 退出；每个也可写成 :hint 这样的形式。其余输入都是 shell 命令。"
                       : "hint · check · explain · solution · undo (the last command that changed the world) · reset (this step; reset lab for all) · labs · quit — each also as :hint. Everything else is a shell command.")
        case "hint":
          if let h = run.nextHint() {
            hintsUsed[run.stepIndex, default: 0] += 1
            out.line((zh ? "提示：" : "Hint: ") + h)
          } else {
            out.line(zh ? "这一步没有更多提示了；试试 solution。" : "No more hints for this step; try solution.")
          }
        case "check":
          let failing = run.failingChecks()
          if run.isComplete { out.line(zh ? "实验已完成。" : "The lab is complete.") }
          else if failing.isEmpty { out.line(zh ? "本步的检查都已满足。" : "Every check of this step holds.") }
          else { for c in failing { out.line("✗ " + c.message(language)) } }
        case "explain":
          if !arg.isEmpty, let id = Catalogs.errorID(forText: arg), let e = Catalogs.explanations[id] {
            out.line(e.render(language, facts: [:]))
          } else if let last = run.lastExplanation {
            out.line(last)
          } else {
            out.line(zh ? "还没有可解释的错误。" : "No error to explain yet.")
          }
        case "solution":
          guard let step = run.currentStep else { out.line(zh ? "实验已完成。" : "The lab is complete."); continue }
          if !transcript {
            out.prompt(zh ? "显示本步答案？[y/N] " : "Show this step's solution? [y/N] ")
            guard let answer = input.readLine(), answer.lowercased().hasPrefix("y") else { continue }
          }
          solutionShown.insert(run.stepIndex)
          for l in step.solution { out.line("  " + l) }
        case "undo":
          out.line(run.undo() ? (zh ? "已撤销上一条改变了环境的命令。" : "Undone: the last command that changed the world.") : (zh ? "没有可撤销的命令。" : "Nothing to undo."))
        case "reset":
          let whole = arg == "lab"
          if !transcript {
            out.prompt(zh ? "重新开始\(whole ? "整个实验" : "本步")？[y/N] " : "Start \(whole ? "the lab" : "this step") again? [y/N] ")
            guard let answer = input.readLine(), answer.lowercased().hasPrefix("y") else { continue }
          }
          run.reset(wholeLab: whole, seed: worldSeed)
          out.step(run)
        case "labs":
          for (_, l) in course.labs() { out.line("  \(l.id)  \(l.title[language])") }
        default:  // quit
          save()
          out.line(zh ? "进度已保存。再见！" : "StudentProgress saved. Bye!")
          return
        }
        continue
      }
      guard let feedback = run.submit(line) else { continue }
      out.io(feedback.io)
      if transcript { out.line("# exit \(feedback.status)") }
      for n in feedback.notices { out.line(n) }
      for e in feedback.explanations { out.explanation(e) }
      if let pid = run.session.heldProcess, !transcript {
        out.line("etcdlab: etcd is running in the foreground; in a lab start it with '> FILE 2>&1 &' instead. It was stopped.")
        run.stopHeld(pid)
      }
      for k in feedback.passed { out.line((zh ? "✓ 第 \(k + 1) 步完成" : "✓ Step \(k + 1) passed")) }
      save()
      if feedback.complete {
        out.line(zh ? "🎉 实验完成！" : "Lab complete!")
        interactive = false
        if !transcript { return }
        break
      }
      if !feedback.passed.isEmpty { out.step(run) }
      if run.session.exitRequested { break }
    }
    save()
    if transcript { out.line(run.isComplete ? "# lab \(found.id): complete" : "# lab \(found.id): incomplete at step \(run.stepIndex + 1) of \(found.steps.count)") }
  }
}

/// Writing to the terminal or a transcript.
struct Output {
  var transcript: Bool

  func line(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }
  func prompt(_ s: String) { FileHandle.standardOutput.write(Data(s.utf8)) }
  func io(_ io: IO) {
    for c in io.chunks { (c.stream == .stdout || transcript ? FileHandle.standardOutput : FileHandle.standardError).write(Data(c.bytes)) }
  }
  func explanation(_ text: String) {
    for l in text.split(separator: "\n") { line(">> " + l) }
  }
  func step(_ run: LabRun) {
    guard let step = run.currentStep else { return }
    line("")
    line((run.lang == .zh ? "第 \(run.stepIndex + 1)/\(run.lab.steps.count) 步：" : "Step \(run.stepIndex + 1)/\(run.lab.steps.count): ") + step.text[run.lang])
  }
}

struct ProgressCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "progress", abstract: "Show the progress saved under $ETCDLAB_HOME.")

  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    let p = ProgressFile.load { print($0) }
    if json {
      print(String(decoding: p.encoded(), as: UTF8.self))
      return
    }
    if p.labs.isEmpty { print("No progress yet."); return }
    for (id, l) in p.labs.sorted(by: { $0.key < $1.key }) {
      let done = l.steps.filter(\.done).count
      let hints = l.steps.reduce(0) { $0 + $1.hintsUsed }
      let shown = l.steps.filter(\.solutionRevealed).count
      print("\(id): \(l.completed ? "complete" : "step \(l.current + 1)"), \(done)/\(l.steps.count) steps, \(hints) hints, \(shown) solutions shown, \(l.attempts) commands, \(l.seconds) s")
    }
  }
}
