/// What became of a session run in a worker.
enum Outcome: Equatable {
  /// Every line ran (`fed` of them: `exit` may end the session early).
  case passed(fed: Int)
  /// The worker died while running line `line`: killed by `signal`, or exited with `status`.
  case crashed(line: Int, signal: Int32?, status: Int32?, message: String)
  /// Line `line` made no progress within the time limit.
  case hung(line: Int)

  var failingLine: Int? {
    switch self {
    case .passed: nil
    case .crashed(let line, _, _, _), .hung(let line): line
    }
  }

  var isCrash: Bool { if case .crashed = self { true } else { false } }

  /// Whether `other` is the same failure, as far as shrinking may tell: a hang for a hang, a
  /// crash by the same signal with the same runtime message.
  func sameFailure(as other: Outcome) -> Bool {
    switch (self, other) {
    case (.hung, .hung): true
    case (.crashed(_, let s1, let x1, let m1), .crashed(_, let s2, let x2, let m2)): s1 == s2 && x1 == x2 && m1 == m2
    default: false
    }
  }

  var description: String {
    switch self {
    case .passed(let fed): "passed (\(fed) lines)"
    case .crashed(_, let signal?, _, let message): "crash (\(Outcome.signalName(signal)))" + (message.isEmpty ? "" : ": " + message)
    case .crashed(_, _, let status, let message): "crash (exit status \(status ?? -1))" + (message.isEmpty ? "" : ": " + message)
    case .hung: "hang"
    }
  }

  static func signalName(_ s: Int32) -> String {
    let names: [Int32: String] = [4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV"]
    return names[s] ?? "signal \(s)"
  }

  /// The line of a worker's standard error that names the failure (`Fatal error: ...`), with
  /// what differs between runs of the same bug (addresses, numbers in brackets) left out.
  static func message(fromStandardError text: String) -> String {
    let lines = text.split(separator: "\n").map(String.init)
    guard let line = lines.first(where: { $0.contains("Fatal error") || $0.contains("fatal error") || $0.contains("error:") }) ?? lines.last else { return "" }
    return String(line.prefix(300))
  }
}
