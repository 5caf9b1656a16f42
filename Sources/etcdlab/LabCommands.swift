import ArgumentParser
import EtcdSim
import Foundation
import LabKit
import LabShell

struct Lint: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Check lab files: YAML, keys, texts in both languages, checks, links.")

  @Argument(help: "Lab files or folders (default: the course's labs/).")
  var paths: [String] = []

  func run() throws {
    let course = Course.locate(extraLabs: nil)
    let files = paths.isEmpty ? course.allLabFiles : Course.labFiles(paths)
    let inputs = files.map { (relativePath($0), (try? String(contentsOf: $0, encoding: .utf8)) ?? "") }
    let problems = Linter.lint(files: inputs, lesson: course.lesson) + Linter.lintCatalog()
    for p in problems { print(p) }
    // The screens' strings are part of the course too.
    var stringProblems = Strings.problems()
    if paths.isEmpty {
      let ids = Set(course.labs().map(\.1.id))
      for o in Catalogs.objectives { for id in o.labs where !ids.contains(id) { stringProblems.append("objectives.yaml: error: objective '\(o.id)' lists lab '\(id)', which the course does not have") } }
    }
    for p in stringProblems { print(p) }
    let errors = problems.filter { $0.severity == .error }.count + stringProblems.count
    print("\(files.count) lab file\(files.count == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(problems.count - errors) warning\(problems.count - errors == 1 ? "" : "s")")
    if errors > 0 { throw ExitCode(1) }
  }
}

struct Test: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Play every lab's solutions, alternatives and mistakes in fresh worlds.")

  @Argument(help: "Lab files or folders (default: the course's labs/).")
  var paths: [String] = []

  @Option(help: "Seeds to play each lab with, comma-separated.")
  var seeds: String = "1,2,3"

  @Option(help: "sim, or real: play each lab's solutions on real etcd 3.4 (and on the simulator, for the wall times).")
  var backend: Sandbox.Backend = .sim

  @Flag(help: "With --backend real: end with a table of the wall times (sim, real, real/sim).")
  var compare = false

  func run() throws {
    let course = Course.locate(extraLabs: nil)
    let files = paths.isEmpty ? course.allLabFiles : Course.labFiles(paths)
    if backend == .real { return try runReal(files) }
    let seedList = seeds.split(separator: ",").compactMap { UInt64($0) }
    var passed = 0
    var failed = 0
    for url in files {
      var loader = LabLoader(file: relativePath(url))
      guard let text = try? String(contentsOf: url, encoding: .utf8), let lab = loader.load(text) else {
        print("FAIL \(relativePath(url)): does not load")
        for p in loader.problems where p.severity == .error { print("  \(p)") }
        failed += 1
        continue
      }
      let result = LabTester.test(lab, seeds: seedList.isEmpty ? LabTester.defaultSeeds : seedList)
      if result.passed {
        print("ok   \(lab.id) (\(result.summary))")
        passed += 1
      } else {
        print("FAIL \(lab.id)")
        for f in result.failures { print("  \(f)") }
        failed += 1
      }
    }
    print("\(passed) passed, \(failed) failed")
    if failed > 0 { throw ExitCode(1) }
  }
}

extension Test {
  /// `--backend real`: each lab's solutions on real etcd and on the simulator, with their wall times.
  func runReal(_ files: [URL]) throws {
    var counts = (passed: 0, failed: 0, refused: 0)
    var table: [String] = []
    for url in files {
      var loader = LabLoader(file: relativePath(url))
      guard let text = try? String(contentsOf: url, encoding: .utf8), let lab = loader.load(text) else {
        print("FAIL \(relativePath(url)): does not load")
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
    let language = lang.flatMap(Language.init) ?? Language.from(locale: ProcessInfo.processInfo.environment["LC_ALL"] ?? ProcessInfo.processInfo.environment["LANG"])
    let all = Catalogs.courseOrder(course.labs().map(\.1))
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
    guard !FileManager.default.fileExists(atPath: url.path) else { throw ValidationError("\(relativePath(url)) already exists") }
    try LabTemplate.text(id: id, objective: objective).write(to: url, atomically: true, encoding: .utf8)
    print("wrote \(relativePath(url)); check it with: etcdlab lint \(relativePath(url)) && etcdlab test \(relativePath(url))")
  }
}

/// The display of a path relative to the current folder.
func relativePath(_ url: URL) -> String {
  let cwd = FileManager.default.currentDirectoryPath + "/"
  return url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
}
