import ArgumentParser
import Foundation
import LineageKit

/// Which audit rules run: `--rules` and `--ignore`, shared by `audit` and `sql`.
struct RuleOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Rule id patterns to run, comma-separated (`*` wildcards); all when absent.", valueName: "globs"))
    var rules: String?

    @Option(help: ArgumentHelp("Rule id patterns not to run, comma-separated.", valueName: "globs"))
    var ignore: String?

    /// An auditor running the selected rules.
    func auditor() throws -> Auditor {
        try Auditor(configuration: .init(rules: Self.patterns(rules), ignoredRules: Self.patterns(ignore)))
    }

    /// The comma-separated patterns of `text`.
    static func patterns(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
