import Foundation
import LineageCorrections
import LineageKit
import LineageSample
import LineageSandbox
import LineageTestSupport
import MixpeekClient
import Testing

/// Deleting duplicates and re-creating them, over real HTTP against the sandbox, with faults:
/// exactly the non-keepers are deleted, once, and undo brings each back once under a new id.
@Suite("Deleting duplicates")
struct DeletionTests {
    /// A sample namespace with duplicate chunks (and the other defects), its audit and its plan.
    static func duplicated(defects: Int = 3) throws -> (TemporaryDirectory, Snapshot, CorrectionPlan) {
        let directory = try TemporaryDirectory()
        _ = try SampleNamespace(options: .init(videos: 4, articles: 8, shape: .mixed, defects: defects))
            .write(to: directory.path, overwrite: true)
        let snapshot = try SnapshotReader().read(.path(directory.path))
        let findings = try Auditor().audit(DecompositionGraph(snapshot: snapshot)).findings
        let plan = try PlanBuilder(rules: ["duplicate.document"]).plan(
            snapshot: snapshot, findings: findings, namespace: "ns_test", baseURL: nil, source: [:]
        ).plan
        return (directory, snapshot, plan)
    }

    /// The effective requests (sent and not refused by an injected fault) of `method path`.
    static func effective(_ sandbox: Sandbox, _ key: String) async -> Int {
        let (requests, faults) = await sandbox.counts()
        return (requests[key] ?? 0) - (faults[key] ?? 0)
    }

    @Test("the plan deletes every duplicate but its keeper, and apply refuses it without --allow-delete")
    func planAndRefusal() async throws {
        let (directory, snapshot, plan) = try Self.duplicated()
        let findings = try Auditor(configuration: .init(rules: ["duplicate.document"]))
            .audit(DecompositionGraph(snapshot: snapshot)).findings
        #expect(findings.count == 3)
        #expect(Set(plan.deletions.map(\.documentID)) == Set(findings.compactMap(\.documentID)))
        #expect(plan.deletions.allSatisfy { $0.documentID == $0.keeper + "_rerun" })
        #expect(plan.patches.isEmpty)
        #expect(plan.summary().contains("3 document(s) to delete"))
        // Written and read back unchanged; a plan that deletes a keeper too is refused.
        let file = directory.file("plan.json")
        try AtomicFileWriter.write(plan.json.serialized(.pretty), to: file, overwrite: true)
        #expect(try CorrectionPlan(contentsOf: file) == plan)
        var bad = plan
        bad.deletions.append(
            .init(collectionID: "col_chunks", documentID: plan.deletions[0].keeper, keeper: "doc_x", reason: ""))
        try AtomicFileWriter.write(bad.json.serialized(), to: file, overwrite: true)
        #expect(throws: CorrectionsError.self) { try CorrectionPlan(contentsOf: file) }
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init()) { client, sandbox in
            let error = await #expect(throws: CorrectionsError.self) {
                try await PlanApplier(client: client).apply(plan, journalPath: directory.file("journal.jsonl"))
            }
            #expect(error?.remedy == .allowDeletions && error?.message.contains("--") == false)
            #expect(await sandbox.counts().requests.isEmpty, "nothing was sent, not even a read")
            #expect(!FileManager.default.fileExists(atPath: directory.file("journal.jsonl")))
        }
    }

    @Test("with 5xx, 429 and lost answers, apply deletes each non-keeper once and undo re-creates each once")
    func applyAndUndoUnderFaults() async throws {
        let (directory, _, plan) = try Self.duplicated()
        let journal = directory.file("journal.jsonl")
        let options = Sandbox.Options(failRate: 0.2, rateLimitRate: 0.1, lostAnswerRate: 0.5, seed: 11)
        try await ClientOverHTTPTests.withSandbox(directory.path, options: options) { client, sandbox in
            let before = await sandbox.allDocuments()
            let applier = PlanApplier(client: client)
            let applied = try await applier.apply(
                plan, journalPath: journal, options: .init(allowDelete: true))
            #expect(applied.count("deleted") == plan.deletions.count, "\(applied.line)")
            #expect(!applied.needsAttention)
            for deletion in plan.deletions {
                #expect(await sandbox.document(deletion.documentID, inCollection: deletion.collectionID) == nil)
                #expect(await sandbox.document(deletion.keeper, inCollection: deletion.collectionID) != nil)
            }
            let after = await sandbox.allDocuments()
            #expect(after.count == before.count - plan.deletions.count, "nothing else was deleted")
            // Again: confirmed deletions are not sent again.
            let deleteKey = "DELETE /v1/collections/col_chunks/documents/batch"
            let deletes = await Self.effective(sandbox, deleteKey)
            let again = try await applier.apply(plan, journalPath: journal, options: .init(allowDelete: true))
            #expect(again.count("done") == plan.deletions.count)
            #expect(await Self.effective(sandbox, deleteKey) == deletes)

            let undone = try await applier.undo(journalPath: journal)
            #expect(undone.count("recreated") == plan.deletions.count, "\(undone.line)")
            #expect(!undone.needsAttention, "\(undone.outcomes.map { "\($0.kind) \($0.detail ?? "")" })")
            let map = try JSONValue(
                parsing: Array(try Data(contentsOf: URL(fileURLWithPath: journal + ".ids.json"))), name: "map")
            let entries = map["documents"]?.arrayValue ?? []
            #expect(
                Set(entries.compactMap { $0["old_document_id"]?.stringValue }) == Set(plan.deletions.map(\.documentID)))
            // Each deleted document is back once: a document with its lineage and user fields under
            // the new id, and no other new document was made, whatever answers were lost.
            let restored = await sandbox.allDocuments()
            #expect(restored.count == before.count)
            for entry in entries {
                let old = try #require(
                    before.first { $0["document_id"]?.stringValue == entry["old_document_id"]?.stringValue })
                let newID = try #require(entry["new_document_id"]?.stringValue)
                let made = try #require(await sandbox.document(newID, inCollection: "col_chunks"))
                #expect(try UserFieldsProbe.fields(made) == UserFieldsProbe.fields(old))
                #expect(made["_internal"]?["lineage"]?["root_object_id"] == UserFieldsProbe.root(old))
            }
            let creates = await Self.effective(sandbox, "POST /v1/collections/col_chunks/documents")
            #expect(creates - plan.deletions.count == 0, "one creation per deleted document")
            let lost = await sandbox.lostAnswerCounts()
            #expect(lost["POST /v1/collections/col_chunks/documents", default: 0] > 0, "a re-create's answer was lost")
            #expect(lost[deleteKey, default: 0] > 0, "a batch delete's answer was lost")
            let twice = try await applier.undo(journalPath: journal)
            #expect(twice.count("done") == plan.deletions.count)
            #expect(await Self.effective(sandbox, "POST /v1/collections/col_chunks/documents") == creates)
        }
    }

    @Test("a keeper deleted since the plan stops its duplicate's deletion; a duplicate already gone is a conflict")
    func keeperGone() async throws {
        let (directory, _, plan) = try Self.duplicated(defects: 2)
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init()) { client, sandbox in
            let first = plan.deletions[0]
            let second = plan.deletions[1]
            let rogue = try await client.deleteDocuments(
                [first.keeper, second.documentID], inCollection: "col_chunks", reason: "someone else")
            #expect(rogue["deleted_count"] == 2)
            let summary = try await PlanApplier(client: client).apply(
                plan, journalPath: directory.file("journal.jsonl"), options: .init(allowDelete: true))
            let kinds = Dictionary(uniqueKeysWithValues: summary.outcomes.map { ($0.documentID, $0) })
            #expect(kinds[first.documentID]?.kind == "conflict")
            #expect(kinds[first.documentID]?.detail?.contains("keeper \(first.keeper) no longer exists") == true)
            #expect(kinds[second.documentID]?.kind == "conflict")
            #expect(await sandbox.document(first.documentID, inCollection: "col_chunks") != nil, "not deleted")
            #expect(summary.needsAttention)
        }
    }
}

/// Reads what tests compare of a document in any shape.
enum UserFieldsProbe {
    static func fields(_ document: JSONValue) throws -> JSONObject {
        Document.userFields(inResponse: try #require(document.objectValue)).fields
    }

    static func root(_ document: JSONValue) -> JSONValue? {
        document["_internal"]?["lineage"]?["root_object_id"] ?? document["lineage"]?["root_object_id"]
            ?? document["root_object_id"]
    }
}
