import Foundation
import LineageTestSupport
import Testing

/// Every command's help, as a newcomer reads it in an 80-column terminal.
@Suite("Help text")
struct HelpTests {
    static let commands = [
        "stats", "audit", "diff", "impact", "graph", "export", "report", "fetch", "serve", "plan", "apply", "undo",
        "sample",
        "sql",
    ]

    @Test("the commands checked here are every command lineage --help lists")
    func everyCommand() throws {
        let help = try CommandRunner.run(["--help"], environment: ["COLUMNS": "200"])
        let listed = help.standardOutput.components(separatedBy: "SUBCOMMANDS:").last?.split(separator: "\n")
            .compactMap { line -> String? in
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first,
                    word.allSatisfy(\.isLowercase)
                else {
                    return nil
                }
                return String(word)
            }
        #expect(listed == Self.commands)
    }

    @Test("every command has examples, and no example wraps in the middle of a command", arguments: commands)
    func examplesDoNotWrap(command: String) throws {
        let help = try CommandRunner.run([command, "--help"], environment: ["COLUMNS": "80"])
        #expect(help.status == 0)
        let lines = help.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let examples = lines.indices.filter { lines[$0].hasPrefix("  lineage ") || lines[$0].hasPrefix("  MIXPEEK_") }
        #expect(!examples.isEmpty, "\(command) --help shows examples")
        for index in examples where index + 1 < lines.count {
            let next = lines[index + 1]
            #expect(next.isEmpty || next.hasPrefix("  "), "\(command): '\(lines[index])' wraps into '\(next)'")
        }
    }
}
