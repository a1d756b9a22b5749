import Testing

@testable import LineageKit

/// The id table answers like a dictionary from ids to values, whether its keys are its own or the
/// ids of the documents it was made over, through growth, duplicates and shifted values.
@Suite("ID table")
struct IDTableTests {
    static func documents(_ ids: [String]) -> [Document] {
        ids.map { Document(id: $0, collectionID: "col", shape: .current, statements: [], raw: RawJSON(bytes: [])) }
    }

    @Test("a table over documents finds each id at its position, keeps ids added after, and shifts both")
    func overDocuments() {
        // Enough ids to grow the table several times past its first size.
        let ids = (0..<5_000).map { "doc_\($0)_\(String(repeating: "x", count: $0 % 20))" }
        let documents = Self.documents(ids)
        var table = IDTable(documents: documents)
        for position in documents.indices {
            #expect(table.insertDocument(at: position, hash: FastHash.hash(ids[position])) == -1)
        }
        #expect(table.count == ids.count)
        // Ghosts: keys of the table's own, after the documents.
        let ghosts = (0..<300).map { "ghost_\($0)" }
        for (offset, ghost) in ghosts.enumerated() {
            #expect(table.insert(ghost, value: Int32(10_000 + offset)) == -1)
        }
        #expect(table.count == ids.count + ghosts.count)
        for (position, id) in ids.enumerated() { #expect(table.value(for: id) == Int32(position)) }
        for (offset, ghost) in ghosts.enumerated() { #expect(table.value(for: ghost) == Int32(10_000 + offset)) }
        #expect(table.value(for: "doc_absent") == -1)
        #expect(table.insert(ids[7], value: 99) == 7, "a document's id is already there")
        #expect(table.insert(ghosts[3], value: 99) == 10_003)

        table.shiftValues(by: 40)
        #expect(table.value(for: ids[0]) == 40)
        #expect(table.value(for: ids[4_999]) == 5_039)
        #expect(table.value(for: ghosts[299]) == 10_339)
    }

    @Test("a repeated document id is found at its first position and not added again")
    func duplicateDocuments() {
        let ids = ["doc_a_long_enough_to_be_on_the_heap", "doc_b", "doc_a_long_enough_to_be_on_the_heap", "doc_c"]
        var table = IDTable(documents: Self.documents(ids))
        let earlier = ids.indices.map { table.insertDocument(at: $0, hash: FastHash.hash(ids[$0])) }
        #expect(earlier == [-1, -1, 0, -1])
        #expect(table.count == 3)
        #expect(table.value(for: "doc_c") == 3)
    }

    @Test("ids of every form (packed hex, short text, kept) are found by string and by document, repeats too")
    func everyIDForm() {
        let ids = (0..<3_000).map { number in
            switch number % 3 {
            case 0: "doc_" + String(number * 7_919, radix: 16) + "5f7f232d71be592a"
            case 1: "doc_\(number)"
            default: "doc_kept_\(number)_0123456789abcdef"
            }
        }
        let documents = Self.documents(ids + ids.prefix(30))
        var table = IDTable(documents: documents)
        let earlier = documents.indices.map { table.insertDocument(at: $0, hash: documents[$0].idHash) }
        #expect(earlier == Array(repeating: -1, count: ids.count) + (0..<30).map(Int32.init))
        #expect(table.count == ids.count)
        for (position, id) in ids.enumerated() {
            #expect(table.value(for: id) == Int32(position))
            #expect(table.value(forIDOf: documents[position]) == Int32(position))
            #expect(table.insert(id, value: 99_999) == Int32(position), "a ghost with a document's id")
        }
        table.insert("doc_ghost_not_a_document", value: 7)
        #expect(table.value(forIDOf: Self.documents(["doc_ghost_not_a_document"])[0]) == 7)
        #expect(table.value(forIDOf: Self.documents(["doc_ffff"])[0]) == -1)
    }

    @Test("a table of its own keys answers like a dictionary")
    func ownKeys() {
        var table = IDTable()
        var expected: [String: Int32] = [:]
        for number in 0..<2_000 {
            let key = "key_\(number % 1_500)"
            let stored = table.insert(key, value: Int32(number))
            #expect(stored == (expected[key] ?? -1))
            if expected[key] == nil { expected[key] = Int32(number) }
        }
        #expect(table.count == expected.count)
        for (key, value) in expected { #expect(table.value(for: key) == value) }
    }
}
