import Foundation

/// What a student has done, per lab and step. Stored as JSON under `$ETCDLAB_HOME`.
public struct StudentProgress: Codable, Equatable, Sendable {
  public static let schemaVersion = 1

  public struct StepProgress: Codable, Equatable, Sendable {
    public var done = false
    public var hintsUsed = 0
    public var solutionRevealed = false
  }

  public struct LabProgress: Codable, Equatable, Sendable {
    public var steps: [StepProgress] = []
    public var attempts = 0
    public var seconds = 0
    public var completed = false
    /// The step to continue at.
    public var current = 0
    /// The best exam: steps passed, and seconds taken.
    public var examSteps: Int?
    public var examSeconds: Int?
  }

  /// Records an exam's score, keeping the best.
  public mutating func recordExam(lab: String, steps: Int, seconds: Int) {
    var p = labs[lab] ?? LabProgress()
    if steps > (p.examSteps ?? -1) || (steps == p.examSteps && seconds < (p.examSeconds ?? Int.max)) {
      p.examSteps = steps
      p.examSeconds = seconds
    }
    labs[lab] = p
  }

  public var schema = StudentProgress.schemaVersion
  public var labs: [String: LabProgress] = [:]
  /// The lab last worked on, for `continue`.
  public var last: String?

  public init() {}

  /// Updates a lab's record from a run: `seconds` and `commands` are what this sitting added
  /// since its last record, so records of runs side by side add up.
  public mutating func record(_ run: LabRun, seconds: Int, commands: Int, solutionShown: Set<Int>, hintsUsed: [Int: Int]) {
    var p = labs[run.lab.id] ?? LabProgress()
    if p.steps.count < run.lab.steps.count { p.steps += Array(repeating: StepProgress(), count: run.lab.steps.count - p.steps.count) }
    for k in 0..<min(run.stepIndex, p.steps.count) { p.steps[k].done = true }
    for (k, n) in hintsUsed where k < p.steps.count { p.steps[k].hintsUsed = max(p.steps[k].hintsUsed, n) }
    for k in solutionShown where k < p.steps.count { p.steps[k].solutionRevealed = true }
    p.attempts += commands
    p.seconds += seconds
    p.completed = p.completed || run.isComplete
    p.current = run.isComplete ? 0 : run.stepIndex
    labs[run.lab.id] = p
    last = run.lab.id
  }

  public enum LoadError: Error, Equatable {
    /// The file is not valid progress JSON (it should be moved aside).
    case corrupt(String)
    case newerSchema(Int)
  }

  /// Decodes a progress file's contents.
  public static func decode(_ data: Data) -> Result<StudentProgress, LoadError> {
    struct Header: Decodable { var schema: Int }
    guard let header = try? JSONDecoder().decode(Header.self, from: data) else { return .failure(.corrupt("no schema number")) }
    if header.schema > schemaVersion { return .failure(.newerSchema(header.schema)) }
    do {
      return .success(try JSONDecoder().decode(StudentProgress.self, from: data))
    } catch {
      return .failure(.corrupt("\(error)"))
    }
  }

  public func encoded() -> Data {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys]
    return (try? e.encode(self)) ?? Data()
  }
}
