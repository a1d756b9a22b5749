import Foundation
import LineageCorrections
import LineageKit
import LineageSample
import LineageSandbox
import LineageTestSupport
import MixpeekClient
import Testing

/// Plan, apply and undo against the sandbox over real HTTP: nothing lost, conflicts left alone,
/// faults survived, and undo back to the exact original JSON.
@Suite("Corrections: plan, apply, undo")
struct CorrectionsTests {
    /// A sample namespace with drift defects, read back, and its plan.
    static func drifted(defects: Int = 3) throws -> (TemporaryDirectory, Snapshot, CorrectionPlan) {
        let directory = try TemporaryDirectory()
        try SampleNamespace(options: .init(videos: 5, articles: 12, seed: 11, shape: .mixed, defects: defects))
            .write(to: directory.path, overwrite: true)
        let snapshot = try SnapshotReader().read(.path(directory.path))
        let findings = try Auditor().audit(DecompositionGraph(snapshot: snapshot)).findings
        let plan = try PlanBuilder().plan(
            snapshot: snapshot, findings: findings, namespace: "ns_test", baseURL: nil, source: [:]
        ).plan
        return (directory, snapshot, plan)
    }

    /// The user fields of every document (as the sandbox holds them), by id.
    static func userFields(_ documents: [JSONValue]) throws -> [String: JSONObject] {
        var fields: [String: JSONObject] = [:]
        var bytes: [UInt8] = []
        for document in documents {
            document.write(into: &bytes)
            bytes.append(0x0A)
        }
        for document in try SnapshotReader().read(.bytes(bytes, name: "served")).documents {
            fields[document.id] = document.userFields
        }
        return fields
    }

    @Test("the plan of a drift corpus has exactly the expected patches, each to the root object's value")
    func planMatchesDefects() throws {
        let (directory, snapshot, plan) = try Self.drifted(defects: 3)
        let expected = try String(contentsOfFile: directory.file("expected/findings.jsonl"), encoding: .utf8)
            .split(separator: "\n").compactMap { try? JSONValue(parsing: Array($0.utf8), name: "expected") }
            .filter { $0.objectValue?["rule"]?.stringValue == "drift.metadata" }
            .compactMap { $0.objectValue?["document_id"]?.stringValue }
        #expect(!expected.isEmpty)
        #expect(Set(plan.patches.map(\.documentID)) == Set(expected))
        let objects = Dictionary(uniqueKeysWithValues: snapshot.objects.map { ($0.id, $0) })
        let documents = Dictionary(uniqueKeysWithValues: snapshot.documents.map { ($0.id, $0) })
        for patch in plan.patches {
            let document = try #require(documents[patch.documentID])
            let root = try #require(document.lineage.rootObjectID.flatMap { objects[$0] })
            for change in patch.changes {
                #expect(change.to == root.metadata[change.field], "\(patch.documentID) \(change.field)")
                #expect(change.from == document.userField(change.field))
            }
        }
        let reread = try CorrectionPlan(
            contentsOf: try directory.write("plan.json", plan.json.serialized(.pretty)))
        #expect(reread == plan, "the plan file round-trips")
    }

    @Test(
        "apply under 20% 5xx and 10% 429 loses and alters nothing beyond the plan; undo restores the exact JSON",
        arguments: Sandbox.PatchSemantics.allCases)
    func applyAndUndo(semantics: Sandbox.PatchSemantics) async throws {
        let (directory, snapshot, plan) = try Self.drifted()
        let journal = directory.file("journal.jsonl")
        let options = Sandbox.Options(patchSemantics: semantics, failRate: 0.2, rateLimitRate: 0.1, seed: 7)
        try await ClientOverHTTPTests.withSandbox(directory.path, options: options) { client, sandbox in
            let original = await sandbox.allDocuments()
            let summary = try await PlanApplier(client: client).apply(plan, journalPath: journal)
            #expect(summary.count("applied") == plan.patches.count, "\(summary.line)")
            let after = try Self.userFields(await sandbox.allDocuments())
            let before = try Self.userFields(original)
            let planned = Dictionary(uniqueKeysWithValues: plan.patches.map { ($0.documentID, $0) })
            for document in snapshot.documents {
                var expected = try #require(before[document.id])
                for change in planned[document.id]?.changes ?? [] { expected[change.field] = change.to }
                #expect(after[document.id] == expected, "\(document.id)")
            }
            let undone = try await PlanApplier(client: client).undo(journalPath: journal)
            #expect(undone.count("restored") == plan.patches.count, "\(undone.line)")
            #expect(Set(await sandbox.allDocuments()) == Set(original), "every document is back to its original JSON")
        }
    }

    @Test("a document edited between plan and apply is a conflict and stays as the other writer left it")
    func conflict() async throws {
        let (directory, _, plan) = try Self.drifted()
        let target = try #require(plan.patches.first)
        let field = try #require(target.changes.first?.field)
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init(patchSemantics: .merge)) {
            client, sandbox in
            // Today's API takes user fields under `metadata` for every shape.
            _ = try await client.patchDocument(
                target.documentID, inCollection: target.collectionID,
                body: ["metadata": [field: "edited_by_someone_else"]])
            let othersEdit = await sandbox.document(target.documentID, inCollection: target.collectionID)
            let summary = try await PlanApplier(client: client).apply(plan, journalPath: directory.file("j.jsonl"))
            #expect(summary.count("conflict") == 1)
            #expect(summary.outcomes.first { $0.kind == "conflict" }?.documentID == target.documentID)
            #expect(summary.count("applied") == plan.patches.count - 1)
            #expect(await sandbox.document(target.documentID, inCollection: target.collectionID) == othersEdit)
        }
    }

    @Test("documents whose requests keep failing are 'failed', the run goes on, and a re-run applies them")
    func failuresContinue() async throws {
        let (directory, _, plan) = try Self.drifted()
        let journal = directory.file("journal.jsonl")
        let sandbox = try Sandbox(snapshot: directory.path, options: .init(failRate: 1))
        let url = try await sandbox.start()
        let hopeless = MixpeekClient(
            configuration: try MixpeekConfiguration(
                baseURL: url, namespace: "ns", apiKey: "k",
                retry: RetryPolicy(maximumAttempts: 2, baseDelay: 0.001, maximumDelay: 0.001, deadline: 5)))
        let failed = try await PlanApplier(client: hopeless).apply(plan, journalPath: journal)
        try await sandbox.stop()
        #expect(failed.count("failed") == plan.patches.count, "\(failed.line)")
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init()) { client, _ in
            let again = try await PlanApplier(client: client).apply(plan, journalPath: journal)
            #expect(again.count("applied") == plan.patches.count, "\(again.line)")
        }
    }

    @Test("a journal of another plan is refused; a re-run sends nothing again")
    func journalGuards() async throws {
        let (directory, _, plan) = try Self.drifted()
        let journal = directory.file("journal.jsonl")
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init()) { client, sandbox in
            _ = try await PlanApplier(client: client).apply(plan, journalPath: journal)
            let patchesSent = await sandbox.counts().requests.filter { $0.key.hasPrefix("PATCH") }.values.reduce(0, +)
            let again = try await PlanApplier(client: client).apply(plan, journalPath: journal)
            #expect(again.count("done") == plan.patches.count)
            #expect(
                await sandbox.counts().requests.filter { $0.key.hasPrefix("PATCH") }.values.reduce(0, +) == patchesSent)
            var other = plan
            other.patches.removeLast()
            await #expect(throws: CorrectionsError.self) {
                try await PlanApplier(client: client).apply(other, journalPath: journal)
            }
        }
    }
}
