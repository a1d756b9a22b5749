import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// Library errors say what is wrong and carry a `Remedy`; only the command names its flags.
@Suite("Remedies: the library names no flag, the command does")
struct RemedyHintTests {
    @Test("no library source writes a command-line flag into an error message or any text it makes")
    func libraryMessagesNameNoFlag() throws {
        let sources = Fixtures.repositoryRoot + "/Sources"
        let libraries = ["LineageKit", "LineageRender", "MixpeekClient", "LineageCorrections", "LineageReport"]
        // An error's message: from `message:` (or CorrectionsError's first argument) to its end.
        let flag = try Regex(#"(Error\(|message:)[^)]*"[^"]*--[a-z][a-z-]+"#)
        // Any string literal on a line that is not a comment: text for people (summaries, "and N
        // more" lines, HTML) names no flag either; the command passes its hint in.
        let literal = try Regex(#"^[^/\n]*"[^"\n]*--[a-z][a-z-]+"#).anchorsMatchLineEndings()
        for library in libraries {
            let directory = sources + "/" + library
            for file in try FileManager.default.subpathsOfDirectory(atPath: directory) where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
                let matches = (text.matches(of: flag) + text.matches(of: literal)).map { String(text[$0.range]) }
                #expect(matches.isEmpty, "\(library)/\(file): \(matches)")
            }
        }
    }

    @Test("the commands say how to see what their text leaves out")
    func commandsAddMoreHints() throws {
        let report = AuditReport(
            documents: 2, objects: 0, collections: 1, rules: ["cycle"],
            findings: (0..<3).map {
                Finding(rule: "cycle", severity: .error, documentID: "doc_\($0)", collectionID: "c", message: "m")
            })
        #expect(report.text(.init(maximumPerRule: 1)).contains("… and 2 more\n"))
        #expect(report.text(.init(maximumPerRule: 1, moreHint: "see all")).contains("… and 2 more (see all)"))
        #expect(report.githubSummary(maximumFindings: 1).hasSuffix("… and 2 more.\n"))
        // Eleven defects of each kind: more findings per rule than the text lists by default.
        let directory = try TemporaryDirectory()
        let corpus = directory.file("s")
        let sample = ["sample", "-o", corpus, "--defects", "11", "--videos", "30", "--articles", "30"]
        #expect(try CommandRunner.run(sample).status == 0)
        let audit = try CommandRunner.run(["audit", corpus])
        #expect(audit.standardOutput.contains(" more (--all shows every finding)\n"), "\(audit.standardOutput)")
    }

    @Test("the command adds the flag that applies each remedy")
    func commandAddsTheFlag() throws {
        let directory = try TemporaryDirectory()
        let output = directory.file("g.dot")
        let graph = ["graph", Fixtures.exampleData, "--select", "collection:col_captions", "-o", output]
        #expect(try CommandRunner.run(graph).status == 0)
        let exists = try CommandRunner.run(graph)
        #expect(exists.status == 2 && exists.standardError.contains("--force"), "\(exists.standardError)")

        try "{}".write(toFile: directory.file("b.json"), atomically: true, encoding: .utf8)
        let baseline = try CommandRunner.run(["audit", Fixtures.exampleData, "--baseline", directory.file("b.json")])
        #expect(
            baseline.standardError.hasSuffix(
                "is not a lineage baseline (write one with lineage audit --write-baseline)\n"),
            "\(baseline.standardError)")

        try "sk_secret\n".write(toFile: directory.file("key"), atomically: true, encoding: .utf8)
        let insecure = try CommandRunner.run([
            "fetch", "--namespace", "ns_x", "-o", directory.file("out"), "--base-url", "http://example.com:9",
            "--api-key-file", directory.file("key"),
        ])
        #expect(insecure.status == 2)
        #expect(insecure.standardError.hasSuffix("use https:// (or pass --insecure if you mean it)\n"))
        #expect(!insecure.standardError.contains("sk_secret"))
    }
}
