import Foundation
import LineageTestSupport
import Testing

/// End-to-end tests of `lineage audit`, run as a user would.
@Suite("lineage audit")
struct AuditCommandTests {
    /// A sample namespace with every rule's defect injected once.
    static func brokenSample() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run(
            [
                "sample", "-o", directory.path, "--videos", "4", "--articles", "4", "--defects", "1", "--shape",
                "mixed",
            ])
        #expect(result.status == 0, "\(result.standardError)")
        return directory
    }

    @Test("a clean namespace exits 0; findings at --fail-on exit 1")
    func exitCodes() throws {
        let directory = try TemporaryDirectory()
        #expect(try CommandRunner.run(["sample", "-o", directory.path]).status == 0)
        let clean = try CommandRunner.run(["audit", directory.path])
        #expect(clean.status == 0, "\(clean.standardOutput)")
        #expect(clean.standardOutput.contains("No findings."))
        let broken = try Self.brokenSample()
        #expect(try CommandRunner.run(["audit", broken.path]).status == 1)
        #expect(try CommandRunner.run(["audit", broken.path, "--fail-on", "never"]).status == 0)
        let warningsOnly = try CommandRunner.run(["audit", broken.path, "--rules", "drift.*", "--fail-on", "error"])
        #expect(warningsOnly.status == 0, "drift is a warning")
        #expect(
            try CommandRunner.run(["audit", broken.path, "--rules", "drift.*", "--fail-on", "warning"]).status == 1)
    }

    @Test("the bundled example namespace reports exactly its expected findings")
    func exampleData() throws {
        let result = try CommandRunner.run(["audit", "examples/data", "--format", "json"])
        #expect(result.status == 1, "it holds injected errors")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let found = Set(
            (json["findings"] as? [[String: Any]] ?? []).compactMap { finding -> String? in
                guard let document = finding["document_id"] as? String else { return nil }
                return "\(finding["rule"] ?? "") \(document)"
            })
        let expectedText = try String(
            contentsOfFile: Fixtures.exampleData + "/expected/findings.jsonl", encoding: .utf8)
        let expected = Set(
            try expectedText.split(separator: "\n").map { line -> String in
                let value = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
                return "\(value["rule"] ?? "") \(value["document_id"] ?? "")"
            })
        #expect(found == expected)
        let lenient = try CommandRunner.run(["audit", "examples/data", "--fail-on", "never"])
        #expect(lenient.status == 0)
    }

    @Test("JSON output follows the contract and matches the expected findings")
    func json() throws {
        let broken = try Self.brokenSample()
        let result = try CommandRunner.run(["audit", broken.path, "--format", "json"])
        #expect(result.status == 1)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(summary["findings"] as? Int == findings.count)
        #expect((summary["by_rule"] as? [String: Int])?.values.reduce(0, +) == findings.count)
        let expected = try String(contentsOfFile: broken.file("expected/findings.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        // Findings about documents, and those about a batch (which name none).
        #expect(
            findings.filter { $0["document_id"] is String }.count
                == expected.filter { !$0.contains(#""document_id":null"#) }.count)
        #expect(
            findings.filter { $0["rule"] as? String == "batch.unreconciled" }.count
                == expected.filter { $0.contains(#""document_id":null"#) }.count)
    }

    @Test("--rules and --ignore select rules; an unknown pattern is a usage error")
    func ruleSelection() throws {
        let broken = try Self.brokenSample()
        let only = try CommandRunner.run(["audit", broken.path, "--rules", "cycle", "--format", "json"])
        #expect(only.standardOutput.contains(#""cycle""#))
        #expect(!only.standardOutput.contains(#""mismatch.root""#))
        let ignored = try CommandRunner.run(["audit", broken.path, "--ignore", "mismatch.*,cycle", "--format", "json"])
        #expect(
            !ignored.standardOutput.contains(#""rule" : "mismatch."#)
                && !ignored.standardOutput.contains(#""rule": "mismatch."#))
        let typo = try CommandRunner.run(["audit", broken.path, "--rules", "mismatch.rot"])
        #expect(typo.status == 2)
        #expect(typo.standardError.contains("matches no rule"))
    }

    @Test("a baseline makes CI fail on new problems only, and never replaces a file that is not one")
    func baselineWorkflow() throws {
        let broken = try Self.brokenSample()
        let baseline = broken.file("baseline.json")
        let write = try CommandRunner.run(["audit", broken.path, "--write-baseline", baseline, "--fail-on", "never"])
        #expect(write.status == 0)
        let known = try CommandRunner.run(["audit", broken.path, "--baseline", baseline])
        #expect(known.status == 0, "every finding is in the baseline")
        #expect(known.standardOutput.contains("already in the baseline"))
        let notes = try TemporaryDirectory()
        let precious = try notes.write("notes.json", #"{"mine": true}"#)
        let refused = try CommandRunner.run(["audit", broken.path, "--write-baseline", precious])
        #expect(refused.status == 2)
        #expect(try String(contentsOfFile: precious, encoding: .utf8) == #"{"mine": true}"#)
        let rewrite = try CommandRunner.run(["audit", broken.path, "--write-baseline", baseline, "--fail-on", "never"])
        #expect(rewrite.status == 0, "an earlier baseline may be replaced")
    }

    @Test("text output caps each rule and uses no colour off a terminal")
    func text() throws {
        let directory = try TemporaryDirectory()
        let made = try CommandRunner.run(
            ["sample", "-o", directory.path, "--videos", "12", "--articles", "12", "--defects", "12"])
        #expect(made.status == 0, "\(made.standardError)")
        let capped = try CommandRunner.run(["audit", directory.path])
        #expect(capped.standardOutput.contains("… and 2 more"))
        #expect(!capped.standardOutput.contains("\u{1B}["))
        let all = try CommandRunner.run(["audit", directory.path, "--all"])
        #expect(!all.standardOutput.contains("more (--all"))
    }
}
