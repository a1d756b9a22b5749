import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit

/// Document ids packed into two words come back byte for byte, pack only in their forms, and are
/// equal exactly when their bytes are; a document's id reads and writes the same whether it packs
/// or not.
@Suite("Packed ids")
struct PackedIDTests {
    static func unpacked(_ id: PackedID) -> String {
        id.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    static let hexDigits = Array("0123456789abcdef")

    @Test("ids of both packed forms come back byte for byte, the edges of each form included")
    func roundTrip() throws {
        var random = SeededRandom(seed: 7)
        var ids = ["", "a", "doc_123", "doc_frame_001", "ünïcødé_ïd", "fifteen_bytes_x", "doc_0", "a_f", "abcd_0"]
        // Prefixes of one to four letters, one to 24 digits, leading zeros kept.
        for letters in 1...4 {
            for digits in [1, 2, 11, 15, 16, 17, 23, 24] {
                let prefix = String(
                    (0..<letters).map { _ in Character(UnicodeScalar(UInt8(97 + Int(random.next() % 26)))) })
                let hex = String((0..<digits).map { _ in Self.hexDigits[Int(random.next() % 16)] })
                ids.append(prefix + "_" + hex)
                ids.append(prefix + "_" + String(repeating: "0", count: digits))
            }
        }
        ids.append("doc_f8966ff29c18e20c6b45e053")  // the vendor example's id
        ids.append("zzzz_ffffffffffffffffffffffff")
        for id in ids {
            let packed = try #require(PackedID(packing: id), "\(id) packs")
            #expect(Self.unpacked(packed) == id)
            #expect(packed.string == id)
            #expect(packed.keptIndex == nil)
        }
    }

    @Test("ids of over 15 bytes outside the prefixed-hex form do not pack")
    func nearMisses() {
        let misses = [
            "doc_ABCDEF0123456789",  // upper-case digits
            "doc_0123456789abcdef0123456789",  // 26 digits
            "abcde_0123456789abcdef",  // five letters
            "doc0123456789abcdef",  // no underscore
            "doc_0123456789abcdef_",  // underscore after the digits
            "_0123456789abcdefabc",  // no letters
            "Doc_0123456789abcdef",  // upper-case letter
            "doc_0123456789abcdeg",  // not a hex digit
            "doc_frame_0123456789",  // a second underscore
            "doc_",
            "doc_parent_0123456789abcdef",
        ]
        for id in misses where id.utf8.count > 15 {
            #expect(PackedID(packing: id) == nil, "\(id)")
        }
        #expect(PackedID(packing: "doc_") != nil, "four bytes pack as text")
    }

    @Test("packed ids are equal exactly when their bytes are, across the two forms")
    func canonical() throws {
        var random = SeededRandom(seed: 11)
        var ids: [String] = []
        for _ in 0..<2_000 {
            let digits = 1 + Int(random.next() % 24)
            ids.append("do_" + String((0..<digits).map { _ in Self.hexDigits[Int(random.next() % 3)] }))
        }
        let packed = try ids.map { try #require(PackedID(packing: $0)) }
        for _ in 0..<20_000 {
            let (left, right) = (Int(random.next() % UInt64(ids.count)), Int(random.next() % UInt64(ids.count)))
            #expect((packed[left] == packed[right]) == (ids[left] == ids[right]))
        }
        #expect(PackedID.kept(at: 3).keptIndex == 3)
        #expect(PackedID.kept(at: 3) != PackedID(packing: ""))
    }

    @Test("a document's id reads back as set, packed or kept, through changes of its statements")
    func documentIDs() {
        let statements = [LineageStatement(place: .root, rootObjectID: "obj_1", sourceType: .bucket)]
        for id in ["doc_568e5f7f232d71be592a", "doc_1", "doc_parent_0123456789abcdef", "doc_ÄBC_0123456789abcdef"] {
            var document = Document(
                id: id, collectionID: "col", shape: .current, statements: statements, raw: RawJSON(bytes: []))
            #expect(document.id == id)
            #expect(document.hasID(id) && !document.hasID(id + "x"))
            #expect(document.idHash == FastHash.hash(id))
            document.statements = statements + statements
            #expect(document.id == id, "the id survives new statements")
            #expect(document.statements.count == 2)
            var renamed = document
            renamed.id = "doc_other_id_that_does_not_pack"
            #expect(renamed.id == "doc_other_id_that_does_not_pack" && document.id == id, "a copy renamed alone")
            #expect(renamed.statements == document.statements)
            renamed.id = id
            #expect(renamed.hasSameID(as: document) && renamed == document)
            renamed.id = "doc_00"
            #expect(!renamed.hasSameID(as: document) && renamed != document)
        }
    }

    @Test("ids read from input come back exactly: packed, kept, escaped, and equal across forms")
    func readIDs() throws {
        let ids = [
            "doc_568e5f7f232d71be592a", "doc_frame_001", "doc_parent_0123456789abcdef", "doc_é_0123456789abcdef",
        ]
        var lines = ids.map { #"{"document_id":"\#($0)","collection_id":"col_f"}"# }
        // The first id again, with an escape: the same id, so an identical duplicate.
        lines.append(#"{"document_id":"doc_\u0035\u0036\u0038e5f7f232d71be592a","collection_id":"col_f"}"#)
        let snapshot = try Fixtures.read(lines.joined(separator: "\n"))
        #expect(snapshot.documents.map(\.id) == ids)
        #expect(snapshot.documents[0].storedID.keptIndex == nil, "the usual form packs")
        #expect(snapshot.documents[2].storedID.keptIndex != nil, "an id of no packed form is kept")
        #expect(snapshot.report.identicalDuplicates == 1)
        let graph = DecompositionGraph(snapshot: snapshot)
        for id in ids { #expect(graph.node(.document(id)) != nil, "\(id)") }
    }
}
