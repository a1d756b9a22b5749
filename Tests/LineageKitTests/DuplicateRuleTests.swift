import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit

/// `duplicate.document` on hand-written namespaces: what groups documents, what does not, and
/// which one is kept.
@Suite("duplicate.document")
struct DuplicateRuleTests {
    /// A current-shape document of `collection` made from `source` (a document, else the object
    /// `obj_1`) by `extractor`, with `fields` (JSON members) at the root.
    static func document(
        _ id: String, collection: String = "col_faces", source: String? = "doc_f", extractor: String = "face_v1",
        created: String? = nil, fields: String
    ) -> String {
        let from =
            source.map { #""source_type":"collection","source_document_id":"\#($0)","# }
            ?? #""source_type":"bucket","source_object_id":"obj_1","#
        let createdAt = created.map { #""created_at":"\#($0)","# } ?? ""
        return #"{"document_id":"\#(id)","collection_id":"\#(collection)","_internal":{\#(createdAt)"lineage":{"#
            + #""root_object_id":"obj_1",\#(from)"chain":[{"collection_id":"\#(collection)","#
            + #""feature_extractor_id":"\#(extractor)"}]}},\#(fields)}"#
    }

    static func duplicates(_ lines: [String]) throws -> [Finding] {
        try AuditRuleTests.fired(lines, rule: "duplicate.document")
    }

    @Test("without position fields, only identical user fields make duplicates: faces with other scores do not")
    func identicalFields() throws {
        let face = #""face_index":0,"confidence":0.91"#
        let found = try Self.duplicates([
            Self.document("doc_a", created: "2025-10-31T10:00:00Z", fields: face),
            Self.document("doc_b", created: "2025-11-02T10:00:00Z", fields: face),
            Self.document("doc_c", created: "2025-11-01T10:00:00Z", fields: #""face_index":0,"confidence":0.55"#),
        ])
        #expect(found.map(\.documentID) == ["doc_b"])
        let evidence = try #require(found.first?.evidence)
        #expect(evidence["keeper"] == "doc_a")
        #expect(evidence["identical_user_fields"] == true)
        #expect(evidence["group"]?.arrayValue?.compactMap { $0["document_id"]?.stringValue } == ["doc_a", "doc_b"])
        #expect(found.first?.severity == .error)
        // Field order does not matter; one field more does.
        #expect(
            try Self.duplicates([
                Self.document("doc_a", fields: face),
                Self.document("doc_b", fields: #""confidence":0.91,"face_index":0"#),
            ]).map(\.documentID) == ["doc_b"])
        #expect(
            try Self.duplicates([
                Self.document("doc_a", fields: face), Self.document("doc_b", fields: face + #","extra":1"#),
            ]).isEmpty)
    }

    @Test("a position field places a document: same frame index duplicates, whatever the other fields")
    func positionFields() throws {
        let found = try Self.duplicates([
            Self.document("doc_1", collection: "col_frames", source: nil, fields: #""frame_index":3,"score":1"#),
            Self.document("doc_2", collection: "col_frames", source: nil, fields: #""frame_index":3,"score":2"#),
            Self.document("doc_3", collection: "col_frames", source: nil, fields: #""frame_index":4,"score":1"#),
        ])
        #expect(found.map(\.documentID) == ["doc_2"])
        #expect(found.first?.evidence["position"]?["frame_index"] == 3)
        #expect(found.first?.message.contains("frame_index 3") == true)
    }

    @Test("another source, extractor or collection is never a duplicate; no user fields is not judged")
    func differentIdentity() throws {
        let fields = #""caption":"hello""#
        #expect(
            try Self.duplicates([
                Self.document("doc_a", fields: fields), Self.document("doc_b", source: "doc_g", fields: fields),
                Self.document("doc_c", extractor: "face_v2", fields: fields),
                Self.document("doc_d", collection: "col_other", fields: fields),
            ]).isEmpty)
        let bare = [Self.document("doc_a", fields: #""x":null"#), Self.document("doc_b", fields: #""x":null"#)]
        #expect(try Self.duplicates(bare).count == 1)
        let empty = bare.map { $0.replacingOccurrences(of: #","x":null"#, with: "") }
        #expect(try Self.duplicates(empty).isEmpty, "documents without user fields cannot be told apart from siblings")
    }

    @Test("the oldest is kept: by created_at, undated after dated, then by id")
    func keeper() throws {
        let fields = #""chunk_index":0"#
        let found = try Self.duplicates([
            Self.document("doc_a", fields: fields),
            Self.document("doc_b", created: "2026-01-01T00:00:00Z", fields: fields),
            Self.document("doc_c", created: "2025-01-01T00:00:00Z", fields: fields),
        ])
        #expect(found.map(\.documentID) == ["doc_a", "doc_b"])
        #expect(found.allSatisfy { $0.evidence["keeper"] == "doc_c" })
    }

    @Test("the collection's configured position fields replace the known ones")
    func configuredPositions() throws {
        let config =
            #"{"collection_id":"col_faces","source":{"type":"collection","collection_id":"col_frames"},"#
            + #""feature_extractor":{"feature_extractor_name":"face","version":"v1","position_fields":["face_index"]}}"#
        let found = try Self.duplicates([
            config, Self.document("doc_a", fields: #""face_index":0,"confidence":0.9"#),
            Self.document("doc_b", fields: #""face_index":0,"confidence":0.5"#),
            Self.document("doc_c", fields: #""face_index":1,"confidence":0.9"#),
        ])
        #expect(found.map(\.documentID) == ["doc_b"])
        #expect(found.first?.evidence["position"]?["face_index"] == 0)
    }

    @Test("the sorted pieces merge into what sorting them joined gives, ties in piece order", arguments: [1, 2, 8])
    func mergeOfSortedPieces(pieceCount: Int) {
        var random = SeededRandom(seed: UInt64(pieceCount))
        // Few distinct hashes, so equal hashes span pieces; positions rise from piece to piece.
        let sizes = (0..<pieceCount).map { _ in Int.random(in: 0...40, using: &random) }
        let starts = sizes.reduce(into: [0]) { $0.append($0.last! + $1) }
        var all: [(hash: UInt64, position: Int)] = []
        let pieces: [[DuplicateDocumentRule.Keyed]] = sizes.indices.map { piece in
            (0..<sizes[piece]).map { offset in
                let hash =
                    UInt64.random(in: 0...9, using: &random) << 40 | UInt64.random(in: 0...0xFF_FFFF, using: &random)
                all.append((hash >> 24, starts[piece] + offset))
                return DuplicateDocumentRule.Keyed(hash: hash, offset: offset)
            }.sorted { $0.bits < $1.bits }
        }
        var merge = DuplicateDocumentRule.SortedPiecesMerge(pieces, starts: starts)
        var merged: [String] = []
        while let entry = merge.next() { merged.append("\(entry.hash):\(entry.position)") }
        let expected = all.sorted { ($0.hash, $0.position) < ($1.hash, $1.position) }
        #expect(merged == expected.map { "\($0.hash):\($0.position)" })
        #expect(merge.peek() == nil)
    }
}
