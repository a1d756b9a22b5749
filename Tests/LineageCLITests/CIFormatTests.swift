import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// `audit --format gitlab|github`: what GitLab's Code Quality report and GitHub's runner read.
@Suite("CI formats")
struct CIFormatTests {
    static func corpus(_ work: TemporaryDirectory, _ name: String) throws -> String {
        let corpus = work.file(name)
        let made = try CommandRunner.run([
            "sample", "-o", corpus, "--videos", "4", "--articles", "4", "--defects", "1", "--shape", "mixed",
        ])
        #expect(made.status == 0, "\(made.standardError)")
        return corpus
    }

    @Test("GitLab Code Quality: every finding an issue with its file and line, fingerprints stable across places")
    func gitlab() throws {
        let work = try TemporaryDirectory()
        let first = try Self.corpus(work, "one")
        let second = try Self.corpus(work, "two")
        func issues(_ corpus: String) throws -> [JSONValue] {
            let run = try CommandRunner.run(["audit", corpus, "--format", "gitlab", "--fail-on", "never"])
            #expect(run.status == 0, "\(run.standardError)")
            return try JSONValue(parsing: Array(run.standardOutput.utf8), name: "gitlab").arrayValue ?? []
        }
        let found = try issues(first)
        let json = try CommandRunner.run(["audit", first, "--format", "json", "--fail-on", "never"])
        let findings =
            try JSONValue(parsing: Array(json.standardOutput.utf8), name: "json")["findings"]?.arrayValue ?? []
        #expect(found.count == findings.count && !found.isEmpty)
        let lines = try String(contentsOfFile: first + "/documents.jsonl", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        for (issue, finding) in zip(found, findings) {
            for key in ["description", "check_name", "fingerprint", "severity"] {
                #expect(issue[key]?.stringValue?.isEmpty == false, "\(key) in \(issue.serialized())")
            }
            #expect(["info", "minor", "major", "critical", "blocker"].contains(issue["severity"]?.stringValue ?? ""))
            #expect(issue["check_name"] == finding["rule"])
            let line = issue["location"]?["lines"]?["begin"]?.intValue ?? 0
            if let document = finding["document_id"]?.stringValue {
                #expect(issue["location"]?["path"]?.stringValue == first + "/documents.jsonl")
                #expect(lines[line - 1].contains("\"\(document)\""), "line \(line) holds \(document)")
            } else {
                #expect(issue["location"]?["path"] == "lineage" && line == 1)
            }
        }
        let fingerprints = found.compactMap { $0["fingerprint"]?.stringValue }
        #expect(Set(fingerprints).count == fingerprints.count, "unique")
        #expect(
            try issues(second).compactMap { $0["fingerprint"]?.stringValue } == fingerprints, "same in another place")
    }

    @Test("GitHub: at most 10 annotations, errors first, and the summary appended to $GITHUB_STEP_SUMMARY")
    func github() throws {
        let work = try TemporaryDirectory()
        let corpus = try Self.corpus(work, "corpus")
        let summary = try work.write("summary.md", "# earlier step\n")
        let run = try CommandRunner.run(
            ["audit", corpus, "--format", "github", "--fail-on", "never"],
            environment: ["GITHUB_STEP_SUMMARY": summary])
        #expect(run.status == 0, "\(run.standardError)")
        let annotations = run.standardOutput.split(separator: "\n")
        #expect(annotations.count == 10)
        #expect(annotations.allSatisfy { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") })
        let kinds = annotations.map { $0.hasPrefix("::error") ? 0 : 1 }
        #expect(kinds == kinds.sorted(), "errors first")
        #expect(annotations.allSatisfy { $0.contains("file=") && $0.contains(",line=") && $0.contains(",title=") })
        let written = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(written.hasPrefix("# earlier step\n## lineage audit\n"), "appended, the earlier step's kept")
        #expect(written.contains("| `orphan.no-lineage` | error |"))
        // Without the variable, the summary follows the annotations on standard output.
        let plain = try CommandRunner.run(["audit", corpus, "--format", "github", "--fail-on", "never"])
        #expect(plain.standardOutput.contains("\n## lineage audit\n"))
    }
}
