import LineageTestSupport
import Testing

@testable import LineageKit

@Suite("Statistics")
struct StatisticsTests {
    @Test("counts per collection, tier and shape, ghosts, and a JSON form with stable keys")
    func counts() throws {
        let text = [
            #"{"document_id":"doc_f","collection_id":"col_frames","root_object_id":"obj_1","source_object_id":"obj_1","source_type":"bucket","root_bucket_id":"bkt_v"}"#,
            #"{"document_id":"doc_s","collection_id":"col_scenes","_internal":{"lineage":{"root_object_id":"obj_1","source_type":"collection","source_document_id":"doc_f","source_collection_id":"col_frames"}}}"#,
            #"{"document_id":"doc_o","collection_id":"col_scenes","_internal":{"lineage":{"source_type":"collection","source_document_id":"doc_missing"}}}"#,
        ].joined(separator: "\n")
        let snapshot = try Fixtures.read(text)
        let statistics = NamespaceStatistics(snapshot: snapshot, graph: DecompositionGraph(snapshot: snapshot))
        #expect(statistics.documents == 3)
        #expect(statistics.collections == 2)
        #expect(statistics.documentsPerCollection == ["col_frames": 1, "col_scenes": 2])
        #expect(statistics.documentsPerTier == [1: 1, 2: 1, NamespaceStatistics.unknownTier: 1])
        #expect(statistics.documentsPerShape == [.flat2025: 1, .current: 2])
        #expect(statistics.ghostObjects == 1)
        #expect(statistics.ghostDocuments == 1)
        let json = statistics.json
        #expect(json["documents_per_tier"] == ["1": 1, "2": 1, "unknown": 1])
        #expect(json["pipeline"]?.arrayValue?.count == 2)
        #expect(statistics.text().contains("bucket bkt_v"))
    }
}
