/// Where a student's progress is kept. Screens never write a whole file of their own: they hand
/// the store a change, which it applies to what is stored *now* (another etcdlab may have saved
/// since) and keeps. So two runs saving at once both keep their labs.
public protocol ProgressStore {
  /// What is stored, and a line for each problem met on the way (a file set aside, ...).
  func load() -> (StudentProgress, notices: [String])
  /// Applies `change` to the stored progress and keeps the result.
  func update(_ change: (inout StudentProgress) -> Void) -> ProgressSave
}

/// What an update left: the progress now stored (or, when it could not be kept, the change
/// applied to what was read), and what went wrong.
public struct ProgressSave: Sendable {
  public var progress: StudentProgress
  public var notices: [String]
  /// Why the progress is not kept; nil when it is.
  public var failure: String?

  public init(progress: StudentProgress, notices: [String] = [], failure: String? = nil) {
    self.progress = progress
    self.notices = notices
    self.failure = failure
  }
}

/// Progress kept in memory: for tests, and for runs that must leave no trace.
public final class MemoryProgressStore: ProgressStore, @unchecked Sendable {
  public private(set) var progress: StudentProgress
  /// Every progress stored, in order.
  public private(set) var saves: [StudentProgress] = []

  public init(_ progress: StudentProgress = StudentProgress()) { self.progress = progress }

  public func load() -> (StudentProgress, notices: [String]) { (progress, []) }

  public func update(_ change: (inout StudentProgress) -> Void) -> ProgressSave {
    change(&progress)
    saves.append(progress)
    return ProgressSave(progress: progress)
  }
}
