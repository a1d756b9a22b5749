import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit

/// `stale.extractor` on hand-written collections: extractor, version and configuration hash.
@Suite("stale.extractor")
struct StaleExtractorTests {
    static func face(_ id: String, extractor: String = "face_v1", hash: String? = nil, created: String? = nil) -> String
    {
        var metadata = ""
        if let hash { metadata = #","metadata":{"feature_extractor_config_hash":"\#(hash)"}"# }
        let createdAt = created.map { #","created_at":"\#($0)""# } ?? ""
        return #"{"document_id":"\#(id)","collection_id":"col_faces","_internal":{"lineage":{"root_object_id":"obj_1","#
            + #""chain":[{"collection_id":"col_faces","feature_extractor_id":"\#(extractor)"}]}"#
            + metadata + createdAt + #"},"n":1}"#
    }

    static let config =
        #"{"collection_id":"col_faces","feature_extractor":{"feature_extractor_name":"face","version":"v2"}}"#

    static func stale(_ lines: [String]) throws -> [Finding] {
        try AuditRuleTests.fired(lines, rule: "stale.extractor")
    }

    @Test("another version of the configured extractor is stale; one finding per document with both reasons")
    func version() throws {
        let found = try Self.stale([Self.config, Self.face("doc_a"), Self.face("doc_b", extractor: "face_v2")])
        #expect(found.map(\.documentID) == ["doc_a"])
        #expect(found.first?.evidence["configured_feature_extractor_id"] == "face_v2")
    }

    @Test("hashes: the configuration's when stated, else the newest document's; one hash alone is never stale")
    func hashes() throws {
        let documents = [
            Self.face("doc_a", extractor: "face_v2", hash: "h1", created: "2025-01-01T00:00:00Z"),
            Self.face("doc_b", extractor: "face_v2", hash: "h2", created: "2025-06-01T00:00:00Z"),
            Self.face("doc_c", extractor: "face_v2", hash: "h1"),
        ]
        let newest = try Self.stale([Self.config] + documents)
        #expect(newest.map(\.documentID) == ["doc_a", "doc_c"], "undated counts as oldest")
        #expect(newest.first?.evidence["current_config_hash"] == "h2")
        #expect(newest.first?.evidence["current_config_hash_from"]?.stringValue?.contains("doc_b") == true)
        let stated = Self.config.replacingOccurrences(
            of: #""version":"v2"}"#, with: #""version":"v2","config_hash":"h1"}"#)
        #expect(try Self.stale([stated] + documents).map(\.documentID) == ["doc_b"])
        #expect(try Self.stale([Self.config] + [documents[0], documents[2]]).isEmpty)
        let both = try Self.stale([
            Self.config, Self.face("doc_x", hash: "h0"),
            Self.face("doc_y", extractor: "face_v2", hash: "h9", created: "2026-01-01T00:00:00Z"),
        ])
        #expect(both.count == 1 && both.first?.message.contains("; made with configuration hash h0") == true)
    }
}
