import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit

/// Every vendor example is read; each one's outcome is stated here, so a change in how any
/// of them is read fails a test.
@Suite("Vendor examples")
struct VendorExampleTests {
    /// What reading one example file gives: documents, objects, collections, or the error code.
    struct Expectation: Sendable, CustomTestStringConvertible {
        let file: String
        var documents = 0
        var objects = 0
        var collections = 0
        var error: LineageKitError.Code?
        var testDescription: String { file }
    }

    static let expectations: [Expectation] = [
        .init(file: "2025-10_document_tier1_text_nested_lineage.json", documents: 1),
        .init(file: "2025-10_document_tier1_video_nested_lineage.json", documents: 1),
        .init(file: "2025-10_document_tier2_nested_lineage.json", documents: 1),
        .init(file: "2025-10_source_lineage_tier1.json", error: .unknownRecordKind),
        .init(file: "2025-10_source_lineage_tier2.json", error: .unknownRecordKind),
        .init(file: "2025-11_document_tier1_text_flat.json", documents: 1),
        .init(file: "2025-11_document_tier1_video_flat.json", documents: 1),
        .init(file: "2025-11_document_tier2_flat.json", documents: 1),
        .init(file: "2026-02_blob_url_refs.json", error: .unknownRecordKind),
        .init(file: "2026-02_collection_responses.json", collections: 3),
        .init(file: "2026-02_document_tier1_text_internal.json", documents: 1),
        .init(file: "2026-02_document_tier1_video_internal.json", documents: 1),
        .init(file: "2026-02_document_tier2_collection_internal.json", documents: 1),
        .init(file: "2026-02_error_response_404.json", error: .unknownRecordKind),
        .init(file: "2026-02_lineage_step.json", error: .unknownRecordKind),
        .init(file: "2026-02_list_documents_response_flat.json", documents: 1),
        .init(file: "2026-02_list_documents_response_grouped.json", documents: 2),
        .init(file: "2026-02_list_objects_response.json", objects: 1),
        .init(file: "2026-02_object_response.json", objects: 1),
        .init(file: "2026-02_source_config_examples.json", error: .unknownRecordKind),
        .init(file: "docs_error_403_quota.json", error: .unknownRecordKind),
        .init(file: "docs_error_422_validation.json", error: .unknownRecordKind),
        .init(file: "docs_error_429_rate_limit.json", error: .unknownRecordKind),
        .init(file: "docs_error_429_rate_limit_with_details.json", error: .unknownRecordKind),
        .init(file: "docs_error_500_processing.json", error: .unknownRecordKind),
        .init(file: "docs_errors_envelope_404.json", error: .unknownRecordKind),
    ]

    @Test("the expectations cover every vendor example")
    func coversEveryExample() {
        #expect(Self.expectations.map(\.file).sorted() == Fixtures.vendorFileNames)
    }

    @Test("each vendor example reads as expected", arguments: expectations)
    func readsExample(_ expectation: Expectation) throws {
        let path = Fixtures.vendor(expectation.file)
        if let code = expectation.error {
            let error = try #require(throws: LineageKitError.self) { try SnapshotReader().read(.path(path)) }
            #expect(error.code == code)
            #expect(error.location?.file == path)
            #expect(error.location?.line != nil)
            return
        }
        let snapshot = try SnapshotReader().read(.path(path))
        #expect(snapshot.documents.count == expectation.documents)
        #expect(snapshot.objects.count == expectation.objects)
        #expect(snapshot.collections.count == expectation.collections)
    }

    @Test("2025-10 nested lineage: v1 shape, facts from the nested object, metadata as user fields")
    func nestedTier2() throws {
        let document = try #require(
            try SnapshotReader().read(.path(Fixtures.vendor("2025-10_document_tier2_nested_lineage.json"))).documents
                .first)
        #expect(document.id == "doc_scene_042")
        #expect(document.shape == .nested2025v1)
        #expect(document.statements.map(\.place) == [.nested])
        let lineage = document.lineage
        #expect(lineage.rootObjectID == "obj_video_123")
        #expect(lineage.sourceType == .collection)
        #expect(lineage.sourceDocumentID == "doc_frame_050")
        #expect(lineage.sourceCollectionID == "col_video_frames")
        #expect(lineage.chain?.map(\.collectionID) == ["col_frames", "col_scenes"])
        #expect(lineage.path == nil)
        #expect(document.userFields == ["campaign_id": "Q4_2025"])
        #expect(document.ingestionStatus == nil)
    }

    @Test("2025-11 flat: root fields, lineage_chain, lineage_path, internal_metadata status")
    func flatTier1() throws {
        let document = try #require(
            try SnapshotReader().read(.path(Fixtures.vendor("2025-11_document_tier1_text_flat.json"))).documents.first)
        #expect(document.shape == .flat2025)
        #expect(document.statements.map(\.place) == [.root])
        #expect(document.lineage.path == "bkt_content/col_articles")
        #expect(document.lineage.sourceObjectID == "obj_article_001")
        #expect(document.lineage.chain?.first?.timestamp == "2025-10-31T10:00:00Z")
        #expect(document.ingestionStatus == "COMPLETED")
        #expect(document.userFields == ["author": "Dr. Smith", "title": "AI in Healthcare"])
        let blobs = try document.blobs()
        #expect(blobs.sourceBlobs.first?["blob_id"] == "blob_text_001")
    }

    @Test("current shape: _internal lineage, root user fields, system fields excluded")
    func currentTier2() throws {
        let document = try #require(
            try SnapshotReader().read(.path(Fixtures.vendor("2026-02_document_tier2_collection_internal.json")))
                .documents.first)
        #expect(document.shape == .current)
        #expect(document.statements.map(\.place) == [.internal])
        #expect(document.lineage.path == "bkt_marketing/col_video_frames/col_scenes")
        #expect(document.lineage.chain?.first?.collectionID == "col_frames")
        #expect(document.userFields.keys == ["description", "end_time", "scene_type", "start_time"])
        #expect(document.userFields["scene_type"] == "action")
    }

    @Test("current shape: document blobs come from _internal")
    func currentBlobs() throws {
        let document = try #require(
            try SnapshotReader().read(.path(Fixtures.vendor("2026-02_document_tier1_video_internal.json"))).documents
                .first)
        #expect(document.lineage.chain == nil)
        #expect(try document.blobs().documentBlobs.first?["field"] == "thumbnail")
        #expect(document.userFields["taxonomy_products_label"] == "Electronics")
    }

    @Test("collection configs: both source forms, passthrough fields, extractor id from name and version")
    func collectionConfigs() throws {
        let configs = try SnapshotReader().read(.path(Fixtures.vendor("2026-02_collection_responses.json"))).collections
        #expect(configs.map(\.id) == ["col_a1b2c3d4e5", "col_xyz789abc", "col_scenes_def"])
        #expect(configs[0].sourceBucketIDs == ["bkt_articles"])
        #expect(configs[0].passthroughFields.map(\.documentField) == ["title"])
        #expect(configs[0].featureExtractorID == "text_extractor_v1")
        #expect(configs[2].sourceType == .collection)
        #expect(configs[2].sourceCollectionIDs == ["col_video_frames"])
    }

    @Test("bucket objects: metadata and status")
    func objects() throws {
        let object = try #require(
            try SnapshotReader().read(.path(Fixtures.vendor("2026-02_object_response.json"))).objects.first)
        #expect(object.id == "obj_123abc456def")
        #expect(object.bucketID == "bkt_9xy8z7")
        #expect(object.metadata["year"] == 2024)
        #expect(object.status == "DRAFT")
    }

    @Test("the same document in three shapes is a conflicting duplicate, never merged")
    func sameDocumentAcrossShapes() throws {
        let files = [
            "2025-10_document_tier2_nested_lineage.json", "2025-11_document_tier2_flat.json",
        ].map { InputSource.path(Fixtures.vendor($0)) }
        let error = try #require(throws: LineageKitError.self) { try SnapshotReader().read(files) }
        #expect(error.code == .conflictingDuplicate)
        #expect(error.recordID == "doc_scene_042")
        #expect(error.description.contains("2025-10_document_tier2_nested_lineage.json"))
        let kept = try SnapshotReader(options: .init(keepGoing: true)).read(files)
        #expect(kept.documents.count == 1)
        #expect(kept.documents[0].shape == .nested2025v1)
        #expect(kept.report.skippedRecords == 1)
    }

    /// The rules of re-processing (issue 16).
    static let reprocessingRules = [
        "duplicate.document", "stale.extractor", "orphan.deleted-root", "enrichment.partial", "batch.unreconciled",
        "collection.archived",
    ]

    @Test(
        "the re-processing rules find nothing in the vendor's documents, each for a stated reason",
        arguments: expectations.filter { $0.documents > 0 })
    func reprocessingRulesSilent(_ expectation: Expectation) throws {
        // No example states a config hash, enrichment flags, a lifecycle state, a batch or a
        // snapshot manifest; the collection responses name other collections than the documents;
        // the grouped listing's two frames of obj_video123 have no user fields, so nothing tells
        // them apart from siblings, and they are not judged duplicates.
        let snapshot = try SnapshotReader().read(.path(Fixtures.vendor(expectation.file)))
        let configs = try SnapshotReader().read(.path(Fixtures.vendor("2026-02_collection_responses.json")))
        var both = snapshot
        both.collections = configs.collections
        let report = try Auditor(configuration: .init(rules: Self.reprocessingRules))
            .audit(DecompositionGraph(snapshot: both))
        #expect(report.findings.isEmpty, "\(report.findings.map(\.message))")
    }

    @Test("the grouped listing's two frames of one object are duplicates once they share a frame index")
    func groupedFramesWithPosition() throws {
        let text = try String(
            contentsOfFile: Fixtures.vendor("2026-02_list_documents_response_grouped.json"), encoding: .utf8)
        let placed = text.replacingOccurrences(
            of: #""source_object_id": "obj_video123""#,
            with: #""source_object_id": "obj_video123", "metadata": {"frame_index": 0}"#)
        #expect(placed != text)
        let snapshot = try SnapshotReader().read(.bytes(Array(placed.utf8), name: "grouped"))
        let findings = try Auditor(configuration: .init(rules: ["duplicate.document"]))
            .audit(DecompositionGraph(snapshot: snapshot)).findings
        #expect(findings.map(\.documentID) == ["doc_frame_002"])
        #expect(findings.first?.evidence["keeper"] == "doc_frame_001")
    }
}
