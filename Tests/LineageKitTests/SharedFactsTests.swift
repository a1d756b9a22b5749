import LineageTestSupport
import Testing

@testable import LineageKit

/// Documents share the instance holding their schema version, ingestion status and configuration
/// hash, and statements the one holding their root bucket, source kind, source collection and
/// path; sharing must never let one holder's facts show on another.
@Suite("Shared facts")
struct SharedFactsTests {
    static func record(_ id: String, version: String? = "v2", status: String = "COMPLETED", hash: String? = nil)
        -> String
    {
        var metadata = #""ingestion_status":"\#(status)""#
        if let hash { metadata += #","feature_extractor_config_hash":"\#(hash)""# }
        let versionField = version.map { #""document_schema_version":"\#($0)","# } ?? ""
        return #"{"document_id":"\#(id)","collection_id":"col_a",\#(versionField)"internal_metadata":{\#(metadata)},"#
            + #""root_object_id":"obj_1","source_object_id":"obj_1","source_type":"bucket"}"#
    }

    /// A v2 record of `col_b` stating its root and source document twice: at the root and in `lineage`.
    static func twoPlaceRecord(_ id: String, source: String) -> String {
        #"{"document_id":"\#(id)","collection_id":"col_b","document_schema_version":"v2","#
            + #""root_object_id":"obj_1","source_document_id":"\#(source)","source_type":"collection","#
            + #""lineage":{"root_object_id":"obj_1","source_document_id":"\#(source)","source_type":"collection"}}"#
    }

    @Test("documents stating the same facts share one instance; others get their own")
    func sharedWhenEqual() throws {
        let text = [
            Self.record("doc_1"), Self.record("doc_2"), Self.record("doc_3", status: "PROCESSING"),
            Self.record("doc_4", version: nil, hash: "h1"), Self.record("doc_5"),
        ].joined(separator: "\n")
        let documents = try Fixtures.read(text).documents
        #expect(documents.map(\.ingestionStatus) == ["COMPLETED", "COMPLETED", "PROCESSING", "COMPLETED", "COMPLETED"])
        #expect(documents.map(\.schemaVersion) == ["v2", "v2", "v2", nil, "v2"])
        #expect(documents.map(\.featureExtractorConfigHash) == [nil, nil, nil, "h1", nil])
        #expect(documents.allSatisfy { $0.ingestionStatusPath == "internal_metadata.ingestion_status" })
        #expect(documents[0].systemFacts === documents[1].systemFacts)
        #expect(documents[0].systemFacts === documents[4].systemFacts)
        #expect(documents[0].systemFacts !== documents[2].systemFacts)
        #expect(documents[0].systemFacts !== documents[3].systemFacts)
    }

    @Test("changing one document's facts leaves the documents sharing them as they were")
    func changesStayOnTheirDocument() throws {
        var documents = try Fixtures.read([Self.record("doc_1"), Self.record("doc_2")].joined(separator: "\n"))
            .documents
        documents[0].ingestionStatus = "FAILED"
        documents[0].schemaVersion = nil
        #expect(documents[0].ingestionStatus == "FAILED" && documents[0].schemaVersion == nil)
        #expect(documents[1].ingestionStatus == "COMPLETED" && documents[1].schemaVersion == "v2")
        documents[1].featureExtractorConfigHash = "h2"
        #expect(documents[1].featureExtractorConfigHash == "h2" && documents[1].ingestionStatus == "COMPLETED")
        #expect(documents[0].featureExtractorConfigHash == nil)
        var bare = documents[0]
        bare.ingestionStatus = nil
        #expect(bare.collectionID == "col_a" && bare.systemFacts != nil, "the collection is a system fact")
        bare.collectionID = "col_b"
        #expect(bare.collectionID == "col_b" && documents[0].collectionID == "col_a" && bare.ingestionStatus == nil)
        #expect(bare.shape == .flat2025v2 && documents[0].shape == .flat2025v2, "the shape is a system fact")
        bare.shape = .current
        #expect(bare.shape == .current && documents[0].shape == .flat2025v2)
        bare.collectionID = ""
        bare.shape = .unknown
        #expect(bare.systemFacts == nil, "a document stating no facts holds no instance")
    }

    @Test("past the facts kept, every document still reads its own")
    func beyondTheKeptFacts() throws {
        let count = SharedFacts<DocumentSystemFacts>.Interner.capacity * 3
        let text = (0..<count).map {
            Self.record("doc_\($0)", hash: "hash_\($0 % (SharedFacts<DocumentSystemFacts>.Interner.capacity + 5))")
        }
        .joined(separator: "\n")
        let documents = try Fixtures.read(text).documents
        #expect(documents.count == count)
        for (position, document) in documents.enumerated() {
            #expect(
                document.featureExtractorConfigHash
                    == "hash_\(position % (SharedFacts<DocumentSystemFacts>.Interner.capacity + 5))")
            #expect(document.ingestionStatus == "COMPLETED" && document.schemaVersion == "v2")
        }
    }

    @Test("statements stating the same bucket, kind, collection and path share them; equality ignores sharing")
    func statementsShare() throws {
        let text = [
            Self.record("doc_1"), Self.record("doc_2"),
            #"{"document_id":"doc_3","collection_id":"col_b","root_object_id":"obj_1","root_bucket_id":"bkt_1","#
                + #""source_type":"collection","source_document_id":"doc_1","source_collection_id":"col_a","#
                + #""lineage_path":"bkt_1/col_a/col_b"}"#,
        ].joined(separator: "\n")
        let documents = try Fixtures.read(text).documents
        let statements = documents.map { $0.statements[0] }
        #expect(statements[0].sharedFacts === statements[1].sharedFacts)
        #expect(statements[0].sharedFacts !== statements[2].sharedFacts)
        #expect(statements[2].rootBucketID == "bkt_1" && statements[2].sourceType == .collection)
        #expect(statements[2].sourceCollectionID == "col_a" && statements[2].path == "bkt_1/col_a/col_b")
        #expect(statements[0].sourceType == .bucket && statements[0].path == nil)
        // The same facts made in memory, each with an instance of its own, are equal and hash alike.
        let made = LineageStatement(
            place: .root, rootObjectID: "obj_1", rootBucketID: "bkt_1", sourceType: .collection,
            sourceDocumentID: "doc_1", sourceCollectionID: "col_a", path: "bkt_1/col_a/col_b")
        #expect(made.sharedFacts !== statements[2].sharedFacts)
        #expect(made == statements[2] && made.hashValue == statements[2].hashValue)
        #expect(Set([made, statements[2], statements[0]]).count == 2)
        var changed = statements[1]
        changed.path = "bkt_1/col_a"
        changed.sourceType = .other("upload")
        #expect(changed.path == "bkt_1/col_a" && changed.sourceType == .other("upload"))
        #expect(statements[0].path == nil && statements[0].sourceType == .bucket, "the shared facts did not change")
        #expect(changed != statements[0])
        var emptied = LineageStatement(place: .root, path: "p")
        emptied.path = nil
        #expect(emptied.isEmpty && emptied.sharedFacts == nil && emptied == LineageStatement(place: .root))
    }

    @Test("a document's places and its siblings stating the same ids share them; changing one id changes one statement")
    func statementIDsShare() throws {
        let text = [
            Self.twoPlaceRecord("doc_2", source: "doc_1"), Self.twoPlaceRecord("doc_3", source: "doc_1"),
            Self.twoPlaceRecord("doc_4", source: "doc_9"),
        ]
        .joined(separator: "\n")
        let documents = try Fixtures.read(text).documents
        #expect(documents.allSatisfy { $0.statements.count == 2 })
        let ids = documents.map { $0.statements.map(\.sharedIDs) }
        #expect(ids[0][0] === ids[0][1], "a document's two places")
        #expect(ids[0][0] === ids[1][0] && ids[0][0] === ids[1][1], "siblings")
        #expect(ids[2][0] !== ids[0][0] && ids[2][0] === ids[2][1])
        #expect(documents[2].statements.map(\.sourceDocumentID) == ["doc_9", "doc_9"])
        #expect(
            documents.allSatisfy { $0.statements.allSatisfy { $0.rootObjectID == "obj_1" && $0.sourceObjectID == nil } }
        )
        var changed = documents[0].statements[0]
        changed.sourceDocumentID = "doc_5"
        #expect(changed.sourceDocumentID == "doc_5" && changed.rootObjectID == "obj_1")
        #expect(documents[1].statements[0].sourceDocumentID == "doc_1", "the shared ids did not change")
        let made = LineageStatement(
            place: documents[0].statements[0].place, rootObjectID: "obj_1", sourceType: .collection,
            sourceDocumentID: "doc_1")
        #expect(made == documents[0].statements[0] && made.hashValue == documents[0].statements[0].hashValue)
        changed.rootObjectID = nil
        changed.sourceDocumentID = nil
        #expect(changed.sharedIDs == nil)
    }

    @Test("a reader's documents keep their statements in one store; setting one document's changes only it")
    func statementsInOneStore() throws {
        let bare = #"{"document_id":"doc_0","collection_id":"col_b"}"#
        let text = [Self.twoPlaceRecord("doc_2", source: "doc_1"), bare, Self.twoPlaceRecord("doc_3", source: "doc_9")]
            .joined(separator: "\n")
        var documents = try Fixtures.read(text).documents
        #expect(documents.map(\.storedStatements.count) == [2, 0, 2])
        #expect(documents[0].storedStatements.store === documents[2].storedStatements.store)
        #expect(documents[1].statements.isEmpty && documents[1].lineage.isEmpty)
        #expect(documents[2].statements.map(\.sourceDocumentID) == ["doc_9", "doc_9"])
        #expect(documents[2].statements.map(\.place) == [.root, .nested], "v2: root fields first, in order")
        let others = documents
        documents[0].statements = [LineageStatement(place: .root, rootObjectID: "obj_7")]
        #expect(documents[0].statements.count == 1 && documents[0].lineage.rootObjectID == "obj_7")
        #expect(documents[0].storedStatements.store !== documents[2].storedStatements.store)
        #expect(
            documents[2] == others[2] && documents[2].lineage.sourceDocumentID == "doc_9", "its neighbour unchanged")
        #expect(others[0].lineage.rootObjectID == "obj_1" && documents[0] != others[0])
        documents[0].statements = others[0].statements
        #expect(documents[0] == others[0], "equal statements in different stores are equal")
    }

    @Test("chain steps naming the same collection and extractor share them; equality ignores sharing")
    func stepsShare() throws {
        let chain =
            #"[{"collection_id":"col_a","feature_extractor_id":"fx_v1","timestamp":"2025-10-31T10:01:24Z"},"#
            + #"{"collection_id":"col_b","feature_extractor_id":"fx_v1","document_id":"doc_1"}]"#
        let text = [
            #"{"document_id":"doc_2","collection_id":"col_b","root_object_id":"obj_1","lineage_chain":\#(chain)}"#,
            #"{"document_id":"doc_3","collection_id":"col_b","root_object_id":"obj_2","lineage_chain":[{"collection_id":"col_a","feature_extractor_id":"fx_v1"}]}"#,
        ].joined(separator: "\n")
        let documents = try Fixtures.read(text).documents
        let first = try #require(documents[0].statements[0].chain)
        let second = try #require(documents[1].statements[0].chain)
        #expect(
            first.map(\.collectionID) == ["col_a", "col_b"] && first.map(\.featureExtractorID) == ["fx_v1", "fx_v1"])
        #expect(first.map(\.documentID) == [nil, "doc_1"] && first.map(\.timestamp) == ["2025-10-31T10:01:24Z", nil])
        #expect(first[0].sharedFacts === second[0].sharedFacts && first[0].sharedFacts !== first[1].sharedFacts)
        let made = LineageStep(collectionID: "col_b", featureExtractorID: "fx_v1", documentID: "doc_1")
        #expect(made == first[1] && made.hashValue == first[1].hashValue)
        var changed = second[0]
        changed.collectionID = "col_c"
        #expect(changed.collectionID == "col_c" && changed.featureExtractorID == "fx_v1")
        #expect(first[0].collectionID == "col_a", "the shared facts did not change")
        changed.collectionID = nil
        changed.featureExtractorID = nil
        #expect(changed.sharedFacts == nil && changed == LineageStep())
    }

    @Test("hundreds of distinct values, interleaved, are still shared, each instance holding its own")
    func manyValuesShared() throws {
        let values = 200
        let text = (0..<(values * 10)).map {
            #"{"document_id":"doc_\#($0)","collection_id":"col_a","root_object_id":"obj_1","#
                + #""root_bucket_id":"bkt_tenant_\#($0 % values)","source_type":"bucket","source_object_id":"obj_1"}"#
        }.joined(separator: "\n")
        let documents = try Fixtures.read(text).documents
        let instances = Set(documents.compactMap { $0.statements.first?.sharedFacts.map(ObjectIdentifier.init) })
        // Slots are chosen by a hash that is the same in every run, so this count is too.
        #expect(instances.count <= values + values / 4, "\(instances.count) instances for \(values) values")
        for (position, document) in documents.enumerated() {
            #expect(document.statements.first?.rootBucketID == "bkt_tenant_\(position % values)")
        }
    }
}
