import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit

/// ``Document/userFields(named:)`` reads only the named fields of a record; it must give what
/// picking them from the whole user fields gives, in every shape.
@Suite("Named user fields")
struct NamedUserFieldTests {
    /// Names beyond each document's own fields: system fields at the root and in `_internal`,
    /// names no document has, and one written with escapes in the records below.
    static let otherNames = ["metadata", "_internal", "document_id", "lineage", "no_such_field", "é key", ""]

    /// The named fields picked from the whole user fields, read the slow way.
    static func picked(_ names: [String], from document: Document) -> JSONObject {
        let fields = document.userFields
        return JSONObject(names.compactMap { name in fields[name].map { (key: name, value: $0) } })
    }

    static func expectAgreement(_ documents: [Document]) {
        #expect(!documents.isEmpty)
        for document in documents {
            let own = document.userFields.keys
            for names in [own, own.reversed() + otherNames, otherNames, Array(own.prefix(1)) + ["no_such_field"]] {
                #expect(document.userFields(named: names) == picked(names, from: document), "\(document.id) \(names)")
                #expect(document.userFields(named: names).keys == picked(names, from: document).keys)
            }
        }
    }

    @Test("agrees with the whole user fields on the example data and every vendor example")
    func examplesAgree() throws {
        var documents = try SnapshotReader().read(.path(Fixtures.exampleData)).documents
        for file in Fixtures.vendorFileNames {
            guard let snapshot = try? SnapshotReader().read(.path(Fixtures.vendor(file))) else { continue }
            documents += snapshot.documents
        }
        Self.expectAgreement(documents)
    }

    @Test("agrees where user fields hide: escaped keys, null _internal, metadata beside _internal")
    func awkwardRecordsAgree() throws {
        let records = [
            // Current shape: user fields at the root, `metadata` there is a system field.
            #"{"document_id":"doc_a","collection_id":"col_x","_internal":{"lineage":{"root_object_id":"obj_1"}},"#
                + #""metadata":{"frame_index":9},"frame_index":1,"\u00e9 key":{"nested":[1,{"b":null}]},"tags":["x"]}"#,
            // `_internal` null: the 2025 rule, user fields in `metadata`, root keys ignored.
            #"{"document_id":"doc_b","collection_id":"col_x","_internal":null,"frame_index":5,"#
                + #""root_object_id":"obj_1","metadata":{"frame_index":2,"\u00e9 key":"v","scene":"s"}}"#,
            // `metadata` before `_internal`: still the current shape.
            #"{"metadata":{"frame_index":3},"document_id":"doc_c","collection_id":"col_x","frame_index":4,"#
                + #""_internal":{"lineage":{"root_object_id":"obj_1"}}}"#,
            // 2025-11 flat shape without metadata at all.
            #"{"document_id":"doc_d","collection_id":"col_x","root_object_id":"obj_1","frame_index":6}"#,
        ]
        let documents = try Fixtures.read(records.joined(separator: "\n")).documents
        #expect(documents.count == 4)
        Self.expectAgreement(documents)
        let fields = documents.map { $0.userFields(named: ["frame_index", "é key"]) }
        #expect(
            fields.map { $0["frame_index"] } == [
                .number(JSONNumber(1)), .number(JSONNumber(2)), .number(JSONNumber(4)), nil,
            ])
        #expect(fields[1]["é key"] == .string("v"))
    }
}
