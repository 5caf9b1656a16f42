import Foundation

/// `etcdlab lint --json`, `etcdlab test --json` and `--junit`: results for a course's CI, as
/// values rendered to JSON (documented in labs/README.md) and to JUnit XML.
public enum LabReport {
  /// One lab file's result under `etcdlab test`.
  public struct TestCase: Sendable {
    public var file: String
    /// The lab's id; the file's name when it does not load.
    public var id: String
    /// Empty when the lab loaded; else its errors (the file does not load).
    public var problems: [LabProblem]
    public var failures: [String]
    public var summary: String
    public var seconds: Double

    public init(file: String, id: String, problems: [LabProblem] = [], failures: [String] = [], summary: String = "", seconds: Double = 0) {
      self.file = file
      self.id = id
      self.problems = problems
      self.failures = failures
      self.summary = summary
      self.seconds = seconds
    }

    public var loads: Bool { problems.isEmpty }
    public var passed: Bool { loads && failures.isEmpty }
  }

  static func problemJSON(_ p: LabProblem) -> [String: Any] {
    ["file": p.file, "line": p.line, "column": p.column, "severity": p.severity.rawValue, "message": p.message]
  }

  static func json(_ object: Any) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  /// `etcdlab lint --json`.
  public static func lintJSON(files: Int, problems: [LabProblem], extra: [String]) -> String {
    let errors = problems.filter { $0.severity == .error }.count + extra.count
    return json([
      "files": files, "errors": errors, "warnings": problems.count - problems.filter { $0.severity == .error }.count,
      "problems": problems.map(problemJSON), "catalogProblems": extra,
    ] as [String: Any])
  }

  /// `etcdlab test --json`.
  public static func testJSON(_ cases: [TestCase]) -> String {
    json([
      "passed": cases.filter(\.passed).count, "failed": cases.filter { !$0.passed }.count,
      "seconds": rounded(cases.map(\.seconds).reduce(0, +)),
      "labs": cases.map { c -> [String: Any] in
        ["file": c.file, "id": c.id, "passed": c.passed, "loads": c.loads, "summary": c.summary, "seconds": rounded(c.seconds),
         "failures": c.failures, "problems": c.problems.map(problemJSON)]
      },
    ] as [String: Any])
  }

  /// `etcdlab test --junit FILE`: one test suite, one test case per lab file; a lab that does not
  /// load is an `<error>`, a lab whose play fails a `<failure>` (as JUnit's own schema has them).
  public static func junit(_ cases: [TestCase]) -> String {
    let failures = cases.filter { $0.loads && !$0.passed }.count
    let errors = cases.filter { !$0.loads }.count
    let total = String(format: "%.3f", cases.map(\.seconds).reduce(0, +))
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out += "<testsuites name=\"etcdlab test\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(total)\">\n"
    out += "  <testsuite name=\"etcdlab labs\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\" time=\"\(total)\">\n"
    for c in cases {
      let head = "    <testcase classname=\"labs\" name=\"\(xml(c.id))\" file=\"\(xml(c.file))\" time=\"\(String(format: "%.3f", c.seconds))\""
      if !c.loads {
        let body = c.problems.map(\.description).joined(separator: "\n")
        out += head + ">\n      <error type=\"does-not-load\" message=\"\(xml(c.problems.first?.description ?? ""))\">\(xml(body))</error>\n    </testcase>\n"
      } else if !c.failures.isEmpty {
        let body = c.failures.joined(separator: "\n")
        out += head + ">\n      <failure type=\"lab-test\" message=\"\(xml(c.failures[0]))\">\(xml(body))</failure>\n    </testcase>\n"
      } else {
        out += head + " />\n"
      }
    }
    return out + "  </testsuite>\n</testsuites>\n"
  }

  /// Text safe inside an XML attribute or element: the five entities, and no control characters
  /// XML 1.0 forbids.
  static func xml(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\n": out += "&#10;"
      case "\t", "\r": out += "&#\(u.value);"
      default: if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { out += "?" } else { out.unicodeScalars.append(u) }
      }
    }
    return out
  }

  static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
