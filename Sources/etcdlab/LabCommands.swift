import ArgumentParser
import EtcdSim
import Foundation
import LabKit
import LabShell

struct Lint: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Check lab files: YAML, keys, texts in both languages, checks, links.")

  @Argument(help: "Lab files or folders (default: the course's labs/).")
  var paths: [String] = []

  @Flag(help: "Print the problems as JSON (labs/README.md describes it).") var json = false
  @Option(help: "en or zh: the language of the messages that have both (default from LANG).") var lang: String?

  func run() throws {
    let course = Course.locate(extraLabs: nil)
    let files = paths.isEmpty ? course.allLabFiles : Course.labFiles(paths)
    let language = Language.chosen(lang)
    let problems = Linter.lint(sources: files.map { (Course.display($0), Course.bytes($0)) }, lang: language, lesson: course.lesson) + Linter.lintCatalog()
    // The screens' strings are part of the course too.
    var stringProblems = Strings.problems()
    if paths.isEmpty {
      let ids = Set(course.labs().map(\.1.id))
      for o in Catalogs.objectives { for id in o.labs where !ids.contains(id) { stringProblems.append("objectives.yaml: error: objective '\(o.id)' lists lab '\(id)', which the course does not have") } }
    }
    let errors = problems.filter { $0.severity == .error }.count + stringProblems.count
    if json {
      print(LabReport.lintJSON(files: files.count, problems: problems, extra: stringProblems))
    } else {
      for p in problems { print(p) }
      for p in stringProblems { print(p) }
      print("\(files.count) lab file\(files.count == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(problems.count - errors + stringProblems.count) warning\(problems.count - errors + stringProblems.count == 1 ? "" : "s")")
    }
    if errors > 0 { throw ExitCode(1) }
  }
}

struct Test: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Play every lab's solutions, alternatives and mistakes in fresh worlds.")

  @Argument(help: "Lab files or folders (default: the course's labs/).")
  var paths: [String] = []

  @Option(help: "Seeds to play each lab with, comma-separated.")
  var seeds: String = "1,2,3"

  @Option(help: "Also write the results as JUnit XML to this file (for CI).") var junit: String?
  @Flag(help: "Print the results as JSON instead of text (labs/README.md describes it).") var json = false
  @Option(help: "en or zh: the language of the messages that have both (default from LANG).") var lang: String?

  @Option(help: "sim, or real: play each lab's solutions on real etcd 3.4 (and on the simulator, for the wall times).")
  var backend: Sandbox.Backend = .sim

  @Flag(help: "With --backend real: end with a table of the wall times (sim, real, real/sim).")
  var compare = false

  func run() throws {
    let course = Course.locate(extraLabs: nil)
    let files = paths.isEmpty ? course.allLabFiles : Course.labFiles(paths)
    if backend == .real { return try runReal(files) }
    let seedList = seeds.split(separator: ",").compactMap { UInt64($0) }
    let language = Language.chosen(lang)
    var cases: [LabReport.TestCase] = []
    for url in files {
      let started = Date()
      let file = Course.display(url)
      var loader = LabLoader(file: file, lang: language)
      guard let lab = loader.load(bytes: Course.bytes(url)) else {
        let stem = url.deletingPathExtension().lastPathComponent
        let errors = loader.problems.filter { $0.severity == .error }
        cases.append(LabReport.TestCase(file: file, id: stem, problems: errors))
        if !json {
          print("FAIL \(file): does not load")
          for p in errors { print("  \(p)") }
        }
        continue
      }
      let result = LabTester.test(lab, seeds: seedList.isEmpty ? LabTester.defaultSeeds : seedList)
      cases.append(LabReport.TestCase(file: file, id: lab.id, failures: result.failures, summary: result.summary, seconds: Date().timeIntervalSince(started)))
      if json { continue }
      if result.passed {
        print("ok   \(lab.id) (\(result.summary))")
      } else {
        print("FAIL \(lab.id)")
        for f in result.failures { print("  \(f)") }
      }
    }
    let failed = cases.filter { !$0.passed }.count
    if json { print(LabReport.testJSON(cases)) } else { print("\(cases.count - failed) passed, \(failed) failed") }
    if let junit {
      do {
        try LabReport.junit(cases).write(toFile: junit, atomically: true, encoding: .utf8)
      } catch {
        printError("etcdlab: cannot write \(junit): \(error.localizedDescription)")
        throw ExitCode(2)
      }
    }
    if failed > 0 { throw ExitCode(1) }
  }
}

extension Test {
  /// `--backend real`: each lab's solutions on real etcd and on the simulator, with their wall times.
  func runReal(_ files: [URL]) throws {
    var counts = (passed: 0, failed: 0, refused: 0)
    var table: [String] = []
    for url in files {
      var loader = LabLoader(file: Course.display(url), lang: Language.chosen(lang))
      guard let lab = loader.load(bytes: Course.bytes(url)) else {
        print("FAIL \(Course.display(url)): does not load")
        for p in loader.problems where p.severity == .error { print("  \(p)") }
        counts.failed += 1
        continue
      }
      let sim = RealLab.play(lab, real: false)
      let real = RealLab.play(lab, real: true)
      let line = RealLab.compare(sim: sim, real: real)
      if real.refused != nil {
        print("--   \(line)")
        counts.refused += 1
      } else if real.failures.isEmpty && sim.failures.isEmpty {
        print("ok   \(line)")
        counts.passed += 1
        table.append("| \(lab.id) | \(RealLab.seconds(sim.seconds)) | \(RealLab.seconds(real.seconds)) | \(String(format: "%.0f", sim.seconds > 0 ? real.seconds / sim.seconds : 0))× | \(RealLab.seconds(real.setupSeconds)) |")
      } else {
        print("FAIL \(line)")
        for f in real.failures { print("  real: \(f)") }
        for f in sim.failures { print("  sim: \(f)") }
        counts.failed += 1
      }
      fflush(nil)
    }
    if compare && !table.isEmpty {
      print("")
      print("| lab | sim (s) | real (s) | real/sim | real set-up (s) |")
      print("|---|---|---|---|---|")
      for row in table { print(row) }
    }
    print("\(counts.passed) passed, \(counts.failed) failed, \(counts.refused) refused on real etcd")
    if counts.failed > 0 { throw ExitCode(1) }
  }
}

struct List: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List the labs by objective.")

  @Flag(help: "Print JSON.") var json = false
  @Option(help: "An extra folder of labs.") var labs: String?
  @Option(help: "en or zh (default from LANG).") var lang: String?

  func run() throws {
    let course = Course.locate(extraLabs: labs)
    let language = Language.chosen(lang)
    let (found, broken) = course.load(lang: language)
    let all = Catalogs.courseOrder(found.map(\.1))
    for line in CourseAccess(labs: [], lesson: { _, _ in nil }, broken: broken).brokenLines(language) { printError("etcdlab: " + line) }
    if json {
      let items = all.flatMap(\.1).map { ["id": $0.id, "objective": $0.objective, "title": $0.title[language], "difficulty": $0.difficulty, "minutes": String($0.minutes), "steps": String($0.steps.count)] }
      let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys])
      print(String(decoding: data, as: UTF8.self))
      return
    }
    for (objective, labs) in all {
      print(objective.title[language])
      for lab in labs { print("  \(Terminal.pad(lab.id, 28)) \(lab.title[language]) (\(lab.minutes) min)") }
    }
  }
}

struct New: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Scaffold a new lab file that lints and tests clean.")

  @Argument(help: "The lab's id (also its file name).") var id: String
  @Option(help: "The objective it belongs to.") var objective: String
  @Option(help: "The folder to write to (default: the course's labs/).") var dir: String?

  func run() throws {
    guard Catalogs.objectiveIDs.contains(objective) else {
      throw ValidationError("unknown objective '\(objective)' (known: \(Catalogs.objectiveIDs.sorted().joined(separator: ", ")))")
    }
    guard id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }), !id.isEmpty else {
      throw ValidationError("a lab id uses lower-case letters, digits and dashes")
    }
    let folder = dir.map { URL(fileURLWithPath: $0) } ?? Course.locate(extraLabs: nil).labDirectories.last ?? URL(fileURLWithPath: "labs")
    let url = folder.appendingPathComponent("\(id).yaml")
    let shown = Course.display(url)
    guard !FileManager.default.fileExists(atPath: url.path) else { throw ValidationError("\(shown) already exists") }
    try LabTemplate.text(id: id, objective: objective).write(to: url, atomically: true, encoding: .utf8)
    print("wrote \(shown); check it with: etcdlab lint \(shown) && etcdlab test \(shown)")
  }
}
