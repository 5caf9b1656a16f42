import ArgumentParser
import EtcdSim
import Foundation
import LabKit
import LabShell

/// `etcdlab errors`: the error ids a lab's `mistakes`, `event` checks and `explanations` name.
struct ErrorsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "errors",
    abstract: "Every etcd error id: etcd's message, a command that produces it, and the facts its explanation can use.")

  @Argument(help: "Error ids (default: all).") var ids: [String] = []
  @Option(help: "en or zh (default from LANG).") var lang: String?
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    let language = Language.chosen(lang)
    let known = EtcdError.Kind.allCases.map(\.rawValue)
    for id in ids where !known.contains(id) {
      throw ValidationError("unknown error id '\(id)'\(LabLoader.didYouMean(id, Set(known))); `etcdlab errors` lists them")
    }
    let entries = (ids.isEmpty ? known : ids).map(ErrorReference.entry)
    if json {
      let items: [[String: Any]] = entries.map { e in
        ["id": e.id, "sample": e.sample, "message": e.output.map { $0 as Any } ?? NSNull(), "facts": e.facts, "placeholders": e.placeholders, "cases": e.cases,
         "explanation": e.explanation.map { ["en": $0.en, "zh": $0.zh] as Any } ?? NSNull()]
      }
      let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
      print(String(decoding: data, as: UTF8.self))
      return
    }
    func t(_ key: String, _ args: CustomStringConvertible...) -> String { Strings.catalog.t(key, language, args) }
    for e in entries {
      print(e.id)
      if e.sample.isEmpty {
        print("  " + t("errors.no-sample"))
      } else {
        print("  " + t("errors.sample"))
        for line in e.sample { print("    $ " + line) }
        print("  " + t("errors.message"))
        for line in (e.output ?? t("errors.not-met")).split(separator: "\n", omittingEmptySubsequences: false).dropLast(e.output?.hasSuffix("\n") == true ? 1 : 0) { print("    " + line) }
      }
      if !e.placeholders.isEmpty {
        let values = e.placeholders.map { p in "{\(p)}" + (e.facts[p].map { " = \($0)" } ?? "") }
        print("  " + t("errors.facts", values.joined(separator: ", ")))
      }
      if !e.cases.isEmpty { print("  " + t("errors.cases", e.cases.joined(separator: ", ") + (e.facts["case"].map { " (" + t("errors.case-here", $0) + ")" } ?? ""))) }
      if let x = e.explanation {
        print("  " + t("errors.explanation"))
        for line in x[language].split(separator: "\n") { print("    " + line) }
      }
      print("")
    }
  }
}
