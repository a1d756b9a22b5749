import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit
@testable import LineageSample

@Suite("Auditor and reports")
struct AuditorTests {
    @Test("rule selection by glob, and a pattern matching nothing is an error")
    func selection() throws {
        let mismatches = try Auditor(configuration: .init(rules: ["mismatch.*"], ignoredRules: ["mismatch.path"]))
        #expect(mismatches.rules.map(\.id).allSatisfy { $0.hasPrefix("mismatch.") && $0 != "mismatch.path" })
        #expect(mismatches.rules.count == 6)
        let error = try #require(throws: LineageKitError.self) {
            try Auditor(configuration: .init(rules: ["mismatch.rot"]))
        }
        #expect(error.message.contains("matches no rule"))
        #expect(Set(Auditor.allRules.map(\.id)).count == Auditor.allRules.count, "rule ids are unique")
        #expect(
            Glob.matches("*", "cycle") && Glob.matches("drift.*", "drift.metadata")
                && !Glob.matches("drift", "drift.metadata"))
    }

    /// The rules whose finding is an observation about how complete the input is, which a whole
    /// sample namespace never triggers; a test of its own (`AuditRuleTests`, `TodaysAPITests`) makes
    /// each one fire.
    static let rulesWithoutSampleDefect: Set = ["coverage.missing", "coverage.partial", "reference.unchecked"]

    @Test("every built-in rule has its sample defect (or its own test), its row in docs/cli.md and its SQL form")
    func everyRuleIsComplete() throws {
        let documentation = try String(contentsOfFile: Fixtures.repositoryRoot + "/docs/cli.md", encoding: .utf8)
        let testsDirectory = Fixtures.repositoryRoot + "/Tests"
        let ruleTests = try (FileManager.default.subpathsOfDirectory(atPath: testsDirectory))
            .filter { $0.hasSuffix(".swift") && !$0.hasSuffix("/AuditorTests.swift") }
            .map { try String(contentsOfFile: testsDirectory + "/" + $0, encoding: .utf8) }.joined()
        let defects = Set(SampleDefect.allCases.map(\.rule))
        for rule in Auditor.allRules {
            if Self.rulesWithoutSampleDefect.contains(rule.id) {
                #expect(!defects.contains(rule.id), "\(rule.id) has a sample defect now: drop it from the exceptions")
                #expect(
                    ruleTests.contains("\"\(rule.id)\""),
                    "\(rule.id) has neither a sample defect nor a test that runs it")
            } else {
                #expect(
                    defects.contains(rule.id), "\(rule.id) has no SampleDefect: lineage sample --defects cannot show it"
                )
            }
            #expect(
                documentation.contains("| `\(rule.id)` | \(rule.severity.rawValue) |"),
                "docs/cli.md has no rules-table row for \(rule.id) (\(rule.severity.rawValue))")
            #expect((rule as? any SQLAuditRule) != nil, "\(rule.id) has no SQL form")
        }
        #expect(defects.isSubset(of: Auditor.allRules.map(\.id)), "every sample defect names a rule")
    }

    /// Audits `lineage sample --defects` corpora of every shape and style: every injected defect is
    /// found, and no error or warning falls on a document the generator did not touch.
    @Test(
        "every injected defect is found, and nothing else, in every shape and style",
        arguments: SampleNamespace.ShapeChoice.allCases, SampleNamespace.Style.allCases)
    func defectCorpora(shape: SampleNamespace.ShapeChoice, style: SampleNamespace.Style) throws {
        let directory = try TemporaryDirectory()
        let sample = SampleNamespace(
            options: .init(videos: 7, articles: 6, seed: 21, shape: shape, defects: 3, style: style))
        let summary = try sample.write(to: directory.path)
        let expectedText = try String(contentsOfFile: directory.file("expected/findings.jsonl"), encoding: .utf8)
        let expected = try Set(
            expectedText.split(separator: "\n").map { line -> String in
                let value = try RawJSON(bytes: Array(line.utf8)).value()
                let subject = value["document_id"]?.stringValue ?? value["subject"]?.stringValue ?? ""
                return "\(value["rule"]?.stringValue ?? "") \(subject)"
            })
        #expect(expected.count == summary.expectedFindings)
        for defect in SampleDefect.allCases {
            #expect(expected.filter { $0.hasPrefix(defect.rule + " ") }.count >= 3, "\(defect.rule) injected")
        }
        let snapshot = try SnapshotReader().read(.path(directory.path))
        let report = try Auditor().audit(DecompositionGraph(snapshot: snapshot))
        // Findings about documents by document; those about a batch by the batch and its tier or
        // failed object (other findings about a whole collection are not sample defects).
        let found = Set(
            report.findings.compactMap { finding -> String? in
                if let document = finding.documentID { return "\(finding.rule) \(document)" }
                guard let batch = finding.evidence["batch_id"]?.stringValue else { return nil }
                let part =
                    finding.evidence["object_id"]?.stringValue ?? "tier \(finding.evidence["tier"]?.intValue ?? -1)"
                return "\(finding.rule) \(batch) \(part)"
            })
        #expect(expected.subtracting(found).sorted() == [], "recall: every injected defect is reported")
        #expect(found.subtracting(expected).sorted() == [], "precision: nothing on untouched documents")
    }

    @Test("findings are sorted by rule, collection and document, and JSON follows the contract")
    func reportJSON() throws {
        let directory = try TemporaryDirectory()
        try SampleNamespace(options: .init(videos: 4, articles: 4, seed: 2, defects: 1)).write(to: directory.path)
        let graph = DecompositionGraph(snapshot: try SnapshotReader().read(.path(directory.path)))
        let serial = try Auditor(configuration: .init(concurrency: 1)).audit(graph)
        let parallel = try Auditor(configuration: .init(concurrency: 4)).audit(graph)
        #expect(serial.json == parallel.json, "deterministic whatever the threads")
        let keys = serial.findings.map { [$0.rule, $0.collectionID ?? "", $0.documentID ?? ""] }
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
        let json = serial.json
        #expect(json["summary"]?["documents"] == .number(JSONNumber(graph.documents.count)))
        #expect(json["summary"]?["findings"] == .number(JSONNumber(serial.findings.count)))
        let byRule = try #require(json["summary"]?["by_rule"]?.objectValue)
        #expect(byRule.keys == byRule.keys.sorted())
        let first = try #require(json["findings"]?.arrayValue?.first?.objectValue)
        #expect(first.keys == ["rule", "severity", "document_id", "collection_id", "message", "evidence"])
    }

    @Test("a baseline suppresses known findings and lets new ones through")
    func baseline() throws {
        let directory = try TemporaryDirectory()
        try SampleNamespace(options: .init(videos: 4, articles: 4, seed: 2, defects: 1)).write(to: directory.path)
        let graph = DecompositionGraph(snapshot: try SnapshotReader().read(.path(directory.path)))
        let report = try Auditor().audit(graph)
        let text = AuditBaseline(report: report).json.serialized()
        let baseline = try AuditBaseline(bytes: Array(text.utf8), name: "baseline.json")
        let filtered = report.excluding(baseline)
        #expect(filtered.findings.isEmpty)
        #expect(filtered.suppressedByBaseline == report.findings.count)
        var partial = report
        partial.findings.removeFirst()
        let older = try AuditBaseline(
            bytes: Array(AuditBaseline(report: partial).json.serialized().utf8), name: "older.json")
        #expect(report.excluding(older).findings == [report.findings[0]])
        #expect(throws: LineageKitError.self) { try AuditBaseline(bytes: Array("{\"a\":1}".utf8), name: "x.json") }
    }

    @Test("text output caps findings per rule and colours only when asked")
    func text() throws {
        let findings = (0..<15).map {
            Finding(rule: "cycle", severity: .error, documentID: "doc_\($0)", collectionID: "c", message: "m")
        }
        let report = AuditReport(documents: 15, objects: 0, collections: 1, rules: ["cycle"], findings: findings)
        let capped = report.text(.init(colour: false, maximumPerRule: 10))
        #expect(capped.contains("… and 5 more"))
        #expect(!capped.contains("\u{1B}["))
        #expect(!report.text(.init(maximumPerRule: nil)).contains("more"))
        #expect(report.text(.init(colour: true)).contains("\u{1B}[31m"))
        #expect(report.hasFindings(atLeast: .warning))
    }

    @Test("auditing a 200,000-deep chain and a long cycle needs no recursion")
    func deepChain() throws {
        var lines = [#"{"document_id":"d0","collection_id":"c","source_type":"bucket","root_object_id":"o"}"#]
        for level in 1..<200_000 {
            lines.append(
                #"{"document_id":"d\#(level)","collection_id":"c","source_type":"collection","#
                    + #""source_document_id":"d\#(level - 1)","root_object_id":"o"}"#)
        }
        lines[0] =
            #"{"document_id":"d0","collection_id":"c","source_type":"collection","source_document_id":"d199999","root_object_id":"o"}"#
        let report = try Auditor(configuration: .init(rules: ["cycle"])).audit(
            DecompositionGraph(snapshot: try Fixtures.read(lines.joined(separator: "\n"))))
        #expect(report.findings.count == 200_000)
        #expect(report.findings.allSatisfy { ($0.evidence["cycle"]?.arrayValue?.count ?? 0) <= CycleRule.shownSteps })
        #expect(report.findings.first?.evidence["cycle_length"] == 200_000)
    }
}
