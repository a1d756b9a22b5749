import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit

/// A document rule of a user's own: documents of `collectionID` must have the user field `field`.
private struct RequiredFieldRule: AuditRule {
    var id = "custom.required-field"
    var severity = Severity.warning
    var summary = "A document has no required field."
    var collectionID = "col_captions"
    var field = "language"

    func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard document.document.collectionID == collectionID, document.document.userField(field) == nil else { return }
        findings.append(finding(document, "no `\(field)`", evidence: ["field": .string(field)]))
    }
}

/// A namespace rule of a user's own: one info finding per collection with documents.
private struct CollectionCountRule: AuditRule {
    let id = "custom.collections"
    let severity = Severity.info
    let summary = "Lists the collections with documents."

    func checkNamespace(in context: AuditContext, into findings: inout [Finding]) {
        for collection in context.collectionsWithDocuments.sorted() {
            findings.append(
                Finding(
                    rule: id, severity: severity, documentID: nil, collectionID: collection,
                    message: "has documents"))
        }
    }
}

/// A rule that reports, for every document, what the lent views show of it and of its source
/// document, to compare with the graph's own copies.
private struct LentViewRule: AuditRule {
    let id = "custom.lent-view"
    let severity = Severity.info
    let summary = "Reports what a rule sees of each document."

    func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        let source = context.lentSourceDocument(of: document)
        let fields = document.userFields(named: ["language", "no_such_field"])
        findings.append(
            finding(
                document, document.document.id,
                evidence: [
                    "source": source.map { .string($0.document.id) } ?? .null,
                    "source_collection": source.map { .string($0.document.collectionID) } ?? .null,
                    "source_root": source?.lineage.rootObjectID.map(JSONValue.string) ?? .null,
                    "copied_source": context.sourceDocument(of: document).map { .string($0.id) } ?? .null,
                    "fields": .object(fields),
                    "root": document.lineage.rootObjectID.map(JSONValue.string) ?? .null,
                ]))
    }
}

@Suite("Custom audit rules")
struct CustomRuleTests {
    /// The example namespace with `language` removed from two captions.
    static func captionsWithoutLanguage() throws -> (graph: DecompositionGraph, lines: [String], stripped: [String]) {
        var stripped: [String] = []
        let lines = try String(contentsOfFile: Fixtures.exampleData + "/documents.jsonl", encoding: .utf8)
            .split(separator: "\n").map { line -> String in
                var value = try JSONValue(parsing: Array(line.utf8), name: "documents.jsonl")
                guard stripped.count < 2, value["collection_id"] == "col_captions",
                    case .object(var record) = value
                else { return String(line) }
                if case .object(var metadata)? = record["metadata"], metadata["language"] != nil {
                    metadata["language"] = nil
                    record["metadata"] = .object(metadata)
                } else if record["language"] != nil {
                    record["language"] = nil
                } else {
                    return String(line)
                }
                value = .object(record)
                stripped.append(value["document_id"]?.stringValue ?? "")
                return value.serialized()
            }
        let snapshot = try Fixtures.read(lines.joined(separator: "\n"))
        return (DecompositionGraph(snapshot: snapshot), lines, stripped)
    }

    @Test("a custom rule runs beside the built-in rules, which find exactly what they find alone")
    func runsBesideBuiltIns() throws {
        let (graph, _, stripped) = try Self.captionsWithoutLanguage()
        #expect(stripped.count == 2)
        let builtIn = try Auditor().audit(graph)
        let auditor = try Auditor(customRules: [RequiredFieldRule(), CollectionCountRule()])
        #expect(
            auditor.rules.map(\.id) == Auditor.allRules.map(\.id) + ["custom.required-field", "custom.collections"])
        let report = auditor.audit(graph)
        let custom = report.findings.filter { $0.rule == "custom.required-field" }
        #expect(custom.map(\.documentID) == stripped.sorted().map(Optional.some))
        #expect(custom.allSatisfy { $0.severity == .warning && $0.collectionID == "col_captions" })
        let collections = report.findings.filter { $0.rule == "custom.collections" }.compactMap(\.collectionID)
        #expect(collections == Set(graph.documents.map(\.collectionID)).sorted(), "a namespace rule runs once")
        #expect(report.findings.filter { !$0.rule.hasPrefix("custom.") } == builtIn.findings)
        #expect(report.rules == auditor.rules.map(\.id))
    }

    @Test("patterns select and ignore custom rules like built-in ones")
    func selection() throws {
        let (graph, _, _) = try Self.captionsWithoutLanguage()
        let onlyCustom = try Auditor(
            configuration: .init(rules: ["custom.*"]), customRules: [RequiredFieldRule(), CollectionCountRule()])
        #expect(onlyCustom.rules.map(\.id) == ["custom.required-field", "custom.collections"])
        #expect(onlyCustom.audit(graph).findings.allSatisfy { $0.rule.hasPrefix("custom.") })
        let ignored = try Auditor(
            configuration: .init(ignoredRules: ["custom.req*"]), customRules: [RequiredFieldRule()])
        #expect(!ignored.rules.contains { $0.id.hasPrefix("custom.") })
        let error = try #require(throws: LineageKitError.self) {
            try Auditor(configuration: .init(rules: ["custom.nothing"]), customRules: [RequiredFieldRule()])
        }
        #expect(error.message.contains("matches no rule") && error.message.contains("custom.required-field"))
    }

    @Test(
        "a custom rule's id is `custom.` and a lowercase name, and unique",
        arguments: ["required-field", "custom.", "custom.Upper", "custom.a b", "mismatch.root", "custom"])
    func malformedIDs(id: String) throws {
        let error = try #require(throws: LineageKitError.self) {
            try Auditor(customRules: [RequiredFieldRule(id: id)])
        }
        #expect(error.code == .invalidArgument && error.message.contains("'\(id)'"))
    }

    @Test("two custom rules with one id are an error; well-formed ids are accepted")
    func duplicateIDs() throws {
        let error = try #require(throws: LineageKitError.self) {
            try Auditor(customRules: [RequiredFieldRule(), RequiredFieldRule(field: "text")])
        }
        #expect(error.message.contains("two custom rules"))
        let auditor = try Auditor(customRules: [RequiredFieldRule(id: "custom.captions.language_v2-b")])
        #expect(auditor.rules.last?.id == "custom.captions.language_v2-b")
    }

    @Test("the CustomRule example finds exactly the captions without `language`, and none in the bundled data")
    func example() throws {
        let executable = URL(fileURLWithPath: CommandRunner.executable).deletingLastPathComponent()
            .appendingPathComponent("CustomRule").path
        let clean = try CommandRunner.run([Fixtures.exampleData], executable: executable)
        #expect(clean.status == 0, "\(clean.standardError)")
        #expect(clean.standardOutput.hasSuffix("0 from custom rules\n"))

        let directory = try TemporaryDirectory()
        for file in ["objects.jsonl", "collections.json"] {
            try FileManager.default.copyItem(atPath: Fixtures.exampleData + "/" + file, toPath: directory.file(file))
        }
        let (_, lines, stripped) = try Self.captionsWithoutLanguage()
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: directory.file("documents.jsonl"), atomically: true, encoding: .utf8)
        let result = try CommandRunner.run([directory.path], executable: executable)
        #expect(result.status == 1)
        let reported = result.standardOutput.split(separator: "\n").dropLast().map {
            $0.split(separator: "\t").map(String.init)
        }
        #expect(reported.map { $0.first } == ["custom.caption-language", "custom.caption-language"])
        #expect(reported.map { $0.dropFirst().first } == stripped.sorted().map(Optional.some))
    }

    @Test("rules read each document and its source in place, the same as the graph's copies")
    func lentDocumentsMatchTheGraph() throws {
        let (graph, _, stripped) = try Self.captionsWithoutLanguage()
        let report = try Auditor(configuration: .init(concurrency: 2), customRules: [LentViewRule()]).audit(graph)
        let seen = report.findings.filter { $0.rule == "custom.lent-view" }
        #expect(seen.count == graph.documents.count)
        var sources = 0
        for finding in seen {
            let id = try #require(finding.documentID)
            let document = try #require(graph.document(id))
            #expect(finding.message == id)
            #expect(finding.evidence["root"] == document.lineage.rootObjectID.map(JSONValue.string) ?? .null)
            let parent = document.lineage.sourceDocumentID.flatMap { graph.document($0) }
            #expect(finding.evidence["source"] == parent.map { .string($0.id) } ?? .null, "\(id)")
            #expect(finding.evidence["copied_source"] == finding.evidence["source"])
            #expect(finding.evidence["source_collection"] == parent.map { .string($0.collectionID) } ?? .null)
            #expect(finding.evidence["source_root"] == parent?.lineage.rootObjectID.map(JSONValue.string) ?? .null)
            #expect(finding.evidence["fields"] == .object(document.userFields(named: ["language", "no_such_field"])))
            if parent != nil { sources += 1 }
        }
        #expect(sources > graph.documents.count / 4, "a third of the example documents have their source in the input")
        let withoutLanguage = seen.filter { $0.evidence["fields"] == .object(JSONObject()) }.compactMap(\.documentID)
        #expect(Set(stripped).isSubset(of: Set(withoutLanguage)))
        #expect(withoutLanguage.count < seen.count, "some documents have `language`")
    }
}
