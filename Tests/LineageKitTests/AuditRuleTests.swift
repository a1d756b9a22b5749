import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit

/// Each rule on small hand-written namespaces: one case where it must fire, one where it must not.
@Suite("Audit rules")
struct AuditRuleTests {
    static let root = #"{"object_id":"obj_1","bucket_id":"bkt_v","metadata":{"campaign_id":"Q4","title":"T"}}"#
    static let frame =
        #"{"document_id":"doc_f","collection_id":"col_frames","_internal":{"lineage":{"root_object_id":"obj_1","#
        + #""root_bucket_id":"bkt_v","source_type":"bucket","source_object_id":"obj_1","path":"bkt_v/col_frames","#
        + #""chain":[{"collection_id":"col_frames","feature_extractor_id":"x_v1","timestamp":"2025-10-31T10:00:00Z"}]}},"#
        + #""campaign_id":"Q4"}"#

    /// A scene made from `doc_f`, with `lineage` spliced into its `_internal.lineage` object.
    static func scene(_ id: String = "doc_s", lineage: String? = nil, extra: String = "") -> String {
        let defaultLineage =
            #""root_object_id":"obj_1","root_bucket_id":"bkt_v","source_type":"collection","#
            + #""source_document_id":"doc_f","source_collection_id":"col_frames","#
            + #""path":"bkt_v/col_frames/col_scenes","chain":[{"collection_id":"col_frames","#
            + #""feature_extractor_id":"x_v1","document_id":"doc_f","timestamp":"2025-10-31T10:00:00Z"},"#
            + #"{"collection_id":"col_scenes","feature_extractor_id":"s_v1","timestamp":"2025-10-31T10:05:00Z"}]"#
        return #"{"document_id":"\#(id)","collection_id":"col_scenes","_internal":{"lineage":{"#
            + (lineage ?? defaultLineage) + #"}},"campaign_id":"Q4""# + extra + "}"
    }

    static func audit(_ lines: [String], rules: [String] = []) throws -> AuditReport {
        let snapshot = try Fixtures.read(lines.joined(separator: "\n"))
        return try Auditor(configuration: .init(rules: rules)).audit(DecompositionGraph(snapshot: snapshot))
    }

    static func fired(_ lines: [String], rule: String) throws -> [Finding] {
        try audit(lines, rules: [rule]).findings.filter { $0.rule == rule }
    }

    @Test("a consistent namespace has no finding at all")
    func consistent() throws {
        #expect(try Self.audit([Self.root, Self.frame, Self.scene()]).findings.isEmpty)
    }

    @Test("orphan.missing-parent fires only when the source collection is present")
    func missingParent() throws {
        let orphan = Self.scene(
            "doc_o",
            lineage: #""root_object_id":"obj_1","source_type":"collection","source_document_id":"doc_gone","#
                + #""source_collection_id":"col_frames""#)
        let findings = try Self.fired([Self.root, Self.frame, orphan], rule: "orphan.missing-parent")
        #expect(findings.map(\.documentID) == ["doc_o"])
        #expect(findings.first?.evidence["source_document_id"]?["value"] == "doc_gone")
        #expect(try Self.fired([Self.root, orphan], rule: "orphan.missing-parent").isEmpty, "no frames given")
    }

    @Test("orphan.missing-root fires only when objects of the root bucket are present")
    func missingRoot() throws {
        let frame = Self.frame.replacingOccurrences(of: "obj_1", with: "obj_gone")
        #expect(try Self.fired([Self.root, frame], rule: "orphan.missing-root").map(\.documentID) == ["doc_f"])
        #expect(try Self.fired([frame], rule: "orphan.missing-root").isEmpty, "no objects given")
    }

    @Test("orphan.no-lineage fires on a document without lineage only")
    func noLineage() throws {
        let bare = #"{"document_id":"doc_b","collection_id":"col_x","metadata":{"a":1}}"#
        #expect(try Self.fired([bare, Self.frame], rule: "orphan.no-lineage").map(\.documentID) == ["doc_b"])
    }

    @Test("mismatch.root names both places and values")
    func mismatchRoot() throws {
        let stale = Self.frame.replacingOccurrences(
            of: #""campaign_id":"Q4"}"#, with: #""campaign_id":"Q4","root_object_id":"obj_old"}"#)
        let finding = try #require(try Self.fired([stale], rule: "mismatch.root").first)
        let values = finding.evidence["disagreements"]?.arrayValue?.first?["values"]?.arrayValue ?? []
        #expect(values.map { $0["path"] } == ["_internal.lineage.root_object_id", "root_object_id"])
        #expect(values.map { $0["value"] } == ["obj_1", "obj_old"])
        let agreeing = Self.frame.replacingOccurrences(
            of: #""campaign_id":"Q4"}"#, with: #""campaign_id":"Q4","root_object_id":"obj_1"}"#)
        #expect(try Self.fired([agreeing], rule: "mismatch.root").isEmpty)
    }

    @Test("mismatch.source: bucket source with a source document, and chain against source fields")
    func mismatchSource() throws {
        let stray = Self.frame.replacingOccurrences(
            of: #""source_object_id":"obj_1""#, with: #""source_object_id":"obj_1","source_document_id":"doc_x""#)
        #expect(
            try Self.fired([stray], rule: "mismatch.source").first?.message == "bucket source with a source document")
        let vendor = try SnapshotReader().read(
            .path(Fixtures.vendor("2026-02_document_tier2_collection_internal.json")))
        let report = try Auditor().audit(DecompositionGraph(snapshot: vendor))
        let rules = Set(report.findings.filter { $0.documentID == "doc_scene_042" }.map(\.rule))
        #expect(rules == ["mismatch.source", "mismatch.path"], "col_frames in the chain, col_video_frames elsewhere")
        #expect(try Self.fired([Self.root, Self.frame, Self.scene()], rule: "mismatch.source").isEmpty)
    }

    @Test("mismatch.collection: the chain ends in another collection")
    func mismatchCollection() throws {
        let wrong = Self.scene().replacingOccurrences(
            of: #"{"collection_id":"col_scenes","feature"#, with: #"{"collection_id":"col_other","feature"#)
        let finding = try #require(try Self.fired([Self.frame, wrong], rule: "mismatch.collection").first)
        #expect(finding.message.contains("col_other"))
    }

    @Test("mismatch.path: the path is not root bucket + chain collections")
    func mismatchPath() throws {
        let wrong = Self.scene().replacingOccurrences(of: "bkt_v/col_frames/col_scenes", with: "bkt_v/col_scenes")
        let finding = try #require(try Self.fired([Self.frame, wrong], rule: "mismatch.path").first)
        #expect(finding.evidence["expected"] == "bkt_v/col_frames/col_scenes")
    }

    @Test("mismatch.parent: the parent exists but has another root or collection")
    func mismatchParent() throws {
        let otherRoot = Self.frame.replacingOccurrences(of: "obj_1", with: "obj_2")
        let findings = try Self.fired([otherRoot, Self.scene()], rule: "mismatch.parent")
        #expect(findings.map(\.documentID) == ["doc_s"])
        #expect(findings.first?.message.contains("root object is obj_2") == true)
    }

    @Test("mismatch.pipeline: only with collection configs, and only against them")
    func mismatchPipeline() throws {
        let config =
            #"{"collection_id":"col_scenes","source":{"type":"collection","collection_id":"col_shots"},"#
            + #""feature_extractor":{"feature_extractor_name":"s","version":"v1"}}"#
        let findings = try Self.fired([config, Self.frame, Self.scene()], rule: "mismatch.pipeline")
        #expect(findings.first?.message.contains("configured from collection col_shots") == true)
        #expect(try Self.fired([Self.frame, Self.scene()], rule: "mismatch.pipeline").isEmpty)
    }

    @Test("mismatch.timestamp: a step earlier than the step before it")
    func mismatchTimestamp() throws {
        let backwards = Self.scene().replacingOccurrences(of: "2025-10-31T10:05:00Z", with: "2025-10-31T09:05:00Z")
        #expect(try Self.fired([backwards], rule: "mismatch.timestamp").count == 1)
        let offset = Self.scene().replacingOccurrences(of: "2025-10-31T10:05:00Z", with: "2025-10-31T11:00:00+01:00")
        #expect(try Self.fired([offset], rule: "mismatch.timestamp").isEmpty, "same instant, another offset")
        #expect(ISOTimestamp.seconds("2025-10-31T10:00:00.5Z") == 1_761_904_800.5)
        #expect(ISOTimestamp.seconds("yesterday") == nil)
    }

    @Test("cycle: every member is reported, documents below it are not")
    func cycle() throws {
        func member(_ id: String, source: String) -> String {
            Self.scene(id, lineage: #""source_type":"collection","source_document_id":"\#(source)""#)
        }
        let lines = [
            member("doc_a", source: "doc_b"), member("doc_b", source: "doc_c"), member("doc_c", source: "doc_a"),
            member("doc_below", source: "doc_a"), member("doc_self", source: "doc_self"),
        ]
        let findings = try Self.fired(lines, rule: "cycle")
        #expect(findings.compactMap(\.documentID).sorted() == ["doc_a", "doc_b", "doc_c", "doc_self"])
        #expect(findings.first { $0.documentID == "doc_a" }?.evidence["cycle"] == ["doc_a", "doc_b", "doc_c", "doc_a"])
    }

    @Test("drift.metadata: against the root object, or the source document without one; missing fields drift")
    func drift() throws {
        let drifted = Self.scene(extra: "").replacingOccurrences(
            of: #""campaign_id":"Q4""#, with: #""campaign_id":"Q3""#)
        let finding = try #require(try Self.fired([Self.root, Self.frame, drifted], rule: "drift.metadata").first)
        #expect(finding.evidence["expected"] == ["campaign_id": "Q4"])
        #expect(
            finding.evidence["fields"]?.arrayValue?.first?["expected_from"] == "root object obj_1 metadata.campaign_id")
        let config =
            #"{"collection_id":"col_scenes","source":{"type":"collection","collection_id":"col_frames"},"#
            + #""feature_extractor":{"feature_extractor_name":"s","version":"v1","#
            + #""field_passthrough":[{"source_path":"campaign_id"},{"source_path":"title","target_path":"name"}]}}"#
        let fromSource = try #require(try Self.fired([config, Self.frame, drifted], rule: "drift.metadata").first)
        #expect(fromSource.evidence["expected"] == ["campaign_id": "Q4"], "no root object: the frame's value")
        #expect(
            fromSource.evidence["fields"]?.arrayValue?.first?["expected_from"] == "source document doc_f campaign_id")
        let missing = Self.scene()
        let withRoot = try #require(
            try Self.fired([config, Self.root, Self.frame, missing], rule: "drift.metadata").first)
        #expect(withRoot.evidence["expected"] == ["name": "T"])
        #expect(withRoot.evidence["fields"]?.arrayValue?.first?["missing"] == true)
        #expect(try Self.fired([Self.root, Self.frame, Self.scene()], rule: "drift.metadata").isEmpty)
    }

    @Test(
        "drift.metadata compares values, not their text: equal values written differently do not drift, in a file too",
        arguments: [false, true])
    func driftComparesValues(fromFile: Bool) throws {
        let root = #"{"object_id":"obj_1","bucket_id":"bkt_v","metadata":{"campaign_id":"Qé","rank":1.5,"t":{"a":1}}}"#
        let config =
            #"{"collection_id":"col_scenes","source":{"type":"collection","collection_id":"col_frames"},"#
            + #""feature_extractor":{"feature_extractor_name":"s","version":"v1","#
            + #""field_passthrough":[{"source_path":"campaign_id"},{"source_path":"rank"},{"source_path":"t"}]}}"#
        // The same values as the root's, written otherwise: an escape, more digits, spaces.
        let equal = Self.scene(extra: #","rank":1.50,"t":{ "a" : 1 }"#).replacingOccurrences(
            of: #""campaign_id":"Q4""#, with: #""campaign_id":"Qé""#)
        let differs = Self.scene("doc_d", extra: #","rank":1.51,"t":{"a":1}"#).replacingOccurrences(
            of: #""campaign_id":"Q4""#, with: #""campaign_id":"Qé""#)
        let frame = Self.frame.replacingOccurrences(of: #""campaign_id":"Q4""#, with: #""campaign_id":"Qé""#)
        let lines = [config, root, frame, equal, differs]
        let findings: [Finding]
        if fromFile {
            let directory = try TemporaryDirectory()
            let path = directory.path + "/documents.jsonl"
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let graph = DecompositionGraph(snapshot: try SnapshotReader().read(.path(path)))
            findings = try Auditor(configuration: .init(rules: ["drift.metadata"])).audit(graph).findings
        } else {
            findings = try Self.fired(lines, rule: "drift.metadata")
        }
        #expect(findings.map(\.documentID) == ["doc_d"])
        #expect(findings.first?.evidence["expected"] == ["rank": .number(JSONNumber(text: "1.5"))])
        #expect(findings.first?.evidence["fields"]?.arrayValue?.first?["actual"] == .number(JSONNumber(text: "1.51")))
    }

    @Test("ingestion.incomplete: any status but COMPLETED, in any case")
    func ingestion() throws {
        let processing =
            #"{"document_id":"doc_p","collection_id":"c","internal_metadata":{"ingestion_status":"processing"}}"#
        let completed =
            #"{"document_id":"doc_c","collection_id":"c","internal_metadata":{"ingestion_status":"Completed"}}"#
        let findings = try Self.fired([processing, completed], rule: "ingestion.incomplete")
        #expect(findings.map(\.documentID) == ["doc_p"])
        #expect(findings.first?.evidence["ingestion_status"]?["path"] == "internal_metadata.ingestion_status")
        let migrated =
            #"{"document_id":"doc_m","collection_id":"c","_internal":{"lineage":{}},"#
            + #""internal_metadata":{"ingestion_status":"FAILED"}}"#
        let stale = try Self.fired([migrated], rule: "ingestion.incomplete")
        #expect(stale.first?.evidence["ingestion_status"]?["path"] == "internal_metadata.ingestion_status")
    }

    @Test("reference.unchecked and coverage.partial report what could not be checked or is missing")
    func infoRules() throws {
        let unchecked = try Self.fired([Self.scene()], rule: "reference.unchecked")
        #expect(unchecked.map(\.collectionID) == [nil, "col_frames"])
        #expect(unchecked.allSatisfy { $0.severity == .info && $0.documentID == nil })
        let secondRoot = #"{"object_id":"obj_2","bucket_id":"bkt_v","metadata":{}}"#
        let secondFrame = Self.frame.replacingOccurrences(of: "doc_f", with: "doc_f2").replacingOccurrences(
            of: "obj_1", with: "obj_2")
        let coverage = try Self.fired(
            [Self.root, secondRoot, Self.frame, secondFrame, Self.scene()], rule: "coverage.partial")
        #expect(coverage.map(\.collectionID) == ["col_scenes"])
        #expect(coverage.first?.evidence["missing_examples"] == ["obj_2"])
    }
}
