import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit

/// `batch.unreconciled` on hand-written batches: how documents are counted to a batch, and when a
/// failure is made good.
@Suite("batch.unreconciled")
struct BatchRuleTests {
    /// A chunk of `obj` made at `created`, stating `batch` in `_internal.processing` when given.
    static func chunk(
        _ id: String, root: String = "obj_a", created: String = "2025-11-02T00:00:00Z", batch: String? = nil
    )
        -> String
    {
        let processing = batch.map { #","processing":{"batch_id":"\#($0)"}"# } ?? ""
        return #"{"document_id":"\#(id)","collection_id":"col_chunks","_internal":{"created_at":"\#(created)""#
            + processing + #","lineage":{"root_object_id":"\#(root)","root_bucket_id":"bkt_a","source_type":"bucket","#
            + #""source_object_id":"\#(root)"}},"text":"t"}"#
    }

    static func batch(_ id: String, objects: [String], written: Int?, failed: String = "") -> String {
        let count = written.map(String.init) ?? "null"
        let list = objects.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"batch_id":"\#(id)","bucket_id":"bkt_a","object_ids":[\#(list)],"tier_tasks":[{"tier_num":0,"#
            + #""collection_ids":["col_chunks"],"documents_written":\#(count)}],"failed_documents":[\#(failed)]}"#
    }

    static func findings(_ documents: [String], batches: [String]) throws -> [Finding] {
        let file = #"{"lineage_batches":1,"batches":["# + batches.joined(separator: ",") + "]}"
        let snapshot = try SnapshotReader().read([
            .bytes(Array(documents.joined(separator: "\n").utf8), name: "documents"),
            .bytes(Array(file.utf8), name: "batches.json"),
        ])
        #expect(snapshot.batches.count == batches.count)
        let report = try Auditor(configuration: .init(rules: ["batch.unreconciled"]))
            .audit(DecompositionGraph(snapshot: snapshot))
        return report.findings
    }

    @Test("documents count to the batch they state, else to the one batch listing their root")
    func counting() throws {
        let documents = [Self.chunk("doc_1"), Self.chunk("doc_2"), Self.chunk("doc_3", root: "obj_b", batch: "btch_1")]
        // doc_1 and doc_2 by root, doc_3 by its stated batch although its root is another's.
        #expect(
            try Self.findings(
                documents,
                batches: [
                    Self.batch("btch_1", objects: ["obj_a"], written: 3),
                    Self.batch("btch_2", objects: ["obj_b"], written: 0),
                ]
            ).isEmpty)
        let off = try Self.findings(documents, batches: [Self.batch("btch_1", objects: ["obj_a"], written: 5)])
        #expect(off.count == 1)
        #expect(off.first?.evidence["documents_in_snapshot"] == 3)
        #expect(off.first?.evidence["documents_written"] == 5)
        #expect(off.first?.collectionID == "col_chunks" && off.first?.documentID == nil)
        // Two batches list obj_a: its documents belong to neither, and the tier's count is off.
        let shared = try Self.findings(
            [Self.chunk("doc_1")],
            batches: [
                Self.batch("btch_1", objects: ["obj_a"], written: 1),
                Self.batch("btch_2", objects: ["obj_a"], written: nil),
            ])
        #expect(shared.map { $0.evidence["batch_id"] } == ["btch_1"])
        // A tier that has not reported, or whose collections the snapshot lacks, is not judged.
        #expect(
            try Self.findings([Self.chunk("doc_1")], batches: [Self.batch("btch_1", objects: ["obj_a"], written: nil)])
                .isEmpty)
    }

    @Test("a failed object is made good only by a document made from it after the failure")
    func failures() throws {
        let failed =
            #"{"object_id":"obj_a","collection_id":"col_chunks","tier_num":0,"error":"timeout","#
            + #""timestamp":"2025-11-01T00:00:00Z"}"#
        let batch = Self.batch("btch_1", objects: ["obj_a"], written: nil, failed: failed)
        #expect(try Self.findings([Self.chunk("doc_1", created: "2025-11-02T00:00:00Z")], batches: [batch]).isEmpty)
        let earlier = try Self.findings([Self.chunk("doc_1", created: "2025-10-01T00:00:00Z")], batches: [batch])
        #expect(earlier.map { $0.evidence["object_id"] } == ["obj_a"])
        #expect(earlier.first?.message.contains("timeout") == true)
        let none = try Self.findings([Self.chunk("doc_1", root: "obj_b")], batches: [batch])
        #expect(none.count == 1)
        // The failure and its finding survive a baseline round trip by batch and object.
        let baseline = AuditBaseline(
            report: AuditReport(documents: 1, objects: 0, collections: 1, rules: [], findings: none))
        let text = JSONValue.object(["lineage_baseline": 1, "findings": .array(baseline.entries)]).serialized()
        let read = try AuditBaseline(bytes: Array(text.utf8), name: "baseline")
        #expect(none.allSatisfy(read.contains))
    }
}
