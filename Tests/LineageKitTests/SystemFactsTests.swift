import LineageTestSupport
import Testing

@testable import LineageKit

/// Documents share the instance holding their schema version, ingestion status and configuration
/// hash; sharing must never let one document's facts show on another.
@Suite("Shared system facts")
struct SystemFactsTests {
    static func record(_ id: String, version: String? = "v2", status: String = "COMPLETED", hash: String? = nil)
        -> String
    {
        var metadata = #""ingestion_status":"\#(status)""#
        if let hash { metadata += #","feature_extractor_config_hash":"\#(hash)""# }
        let versionField = version.map { #""document_schema_version":"\#($0)","# } ?? ""
        return #"{"document_id":"\#(id)","collection_id":"col_a",\#(versionField)"internal_metadata":{\#(metadata)},"#
            + #""root_object_id":"obj_1","source_object_id":"obj_1","source_type":"bucket"}"#
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
        #expect(bare.systemFacts == nil, "a document stating no facts holds no instance")
    }

    @Test("past the facts kept, every document still reads its own")
    func beyondTheKeptFacts() throws {
        let count = SystemFactsInterner.capacity * 3
        let text = (0..<count).map { Self.record("doc_\($0)", hash: "hash_\($0 % (SystemFactsInterner.capacity + 5))") }
            .joined(separator: "\n")
        let documents = try Fixtures.read(text).documents
        #expect(documents.count == count)
        for (position, document) in documents.enumerated() {
            #expect(document.featureExtractorConfigHash == "hash_\(position % (SystemFactsInterner.capacity + 5))")
            #expect(document.ingestionStatus == "COMPLETED" && document.schemaVersion == "v2")
        }
    }
}
