import EtcdSim

/// A lab: one YAML file in `labs/` (format in `labs/README.md`).
public struct Lab: Sendable {
  public static let schemaVersion = 1

  public var id: String
  public var objective: String
  public var title: Localized
  public var difficulty: String
  public var minutes: Int
  /// `file.md#anchor` of a lesson in `Course/<lang>/`.
  public var lesson: String?
  public var intro: Localized?
  public var setup: WorldSetup
  /// The host the student's shell starts on (default: the first member host).
  public var startHost: String?
  /// Command lines run before the student arrives, their output unseen (a member that died, a
  /// data dir that was lost): what a setup cannot say by itself.
  public var prepare: [String] = []
  public var steps: [Step]
  /// Explanations that replace or add to the catalog's, by error id.
  public var explanations: [String: Explanation] = [:]

  public struct Hint: Sendable {
    public var text: Localized
    /// Shown only while this holds (the student is at that point).
    public var when: CheckItem?
  }

  public struct Mistake: Sendable {
    public var commands: [String]
    /// The error id the last command must fail with, or nil when a check must fail instead.
    public var error: String?
    /// With `error` nil: the step's checks must still fail after the commands.
    public var explanation: Localized?
    /// The host the last command must run on for the mistake to match (`systemctl start etcd` on
    /// infra0 is a mistake where the same command on infra2 is the step's answer).
    public var host: String?
    public var line: Int = 0
  }

  public struct Step: Sendable {
    public var text: Localized
    public var checks: [CheckItem]
    public var hints: [Hint]
    public var solution: [String]
    public var alternatives: [[String]]
    public var mistakes: [Mistake]
    public var line: Int = 0
  }
}
