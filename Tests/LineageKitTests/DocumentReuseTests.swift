import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading a later snapshot that takes unchanged documents from an earlier one
/// (`SnapshotReader.read(_:reusingDocumentsOf:)`) must give exactly what reading it afresh gives.
@Suite("Reusing an earlier snapshot's documents")
struct DocumentReuseTests {
    /// The bundled example's documents, one record per line.
    static func exampleLines() throws -> [String] {
        let text = try String(contentsOfFile: Fixtures.exampleData + "/documents.jsonl", encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }

    /// A later snapshot of the example: one line dropped, one rerooted, one with a user field
    /// changed, one with only whitespace added, the first ten moved to the end, and a new document.
    static func laterLines(of lines: [String]) -> [String] {
        var later = lines
        later.remove(at: 20)
        later[30] = later[30].replacingOccurrences(of: "\"root_object_id\":\"", with: "\"root_object_id\":\"moved_")
        later[40] = later[40].replacingOccurrences(of: "\"metadata\":{", with: "\"metadata\":{\"reviewed\":true,")
        later[50] = " " + later[50].replacingOccurrences(of: ",", with: ", ") + "  "
        later = Array(later[10...]) + Array(later[..<10])
        later.append(
            #"{"document_id":"doc_new","collection_id":"col_new","_internal":{"lineage":{"root_object_id":"obj_x","#
                + #""source_type":"bucket","source_object_id":"obj_x"}},"title":"added"}"#)
        return later
    }

    static let printing: SnapshotReader = {
        var options = SnapshotReader.Options()
        options.keepsRecordPrints = true
        return SnapshotReader(options: options)
    }()

    /// Every fact of each document, where it was read from and its bytes, as `read(_:)` gives them.
    static func expectSame(_ reused: Snapshot, _ fresh: Snapshot) throws {
        #expect(reused.documents.count == fresh.documents.count)
        for (left, right) in zip(reused.documents, fresh.documents) {
            #expect(left == right, "document \(right.id)")
            #expect(left.location == right.location, "document \(right.id)")
            #expect(try left.raw.bytes() == right.raw.bytes(), "document \(right.id)")
            #expect(try left.readUserFields() == right.readUserFields(), "document \(right.id)")
            #expect(left.statements == right.statements)
            #expect(left.featureExtractorConfigHash == right.featureExtractorConfigHash)
            #expect(left.ingestionStatusPath == right.ingestionStatusPath)
            #expect(left.userFieldPrintPairs().map(\.value) == right.userFieldPrintPairs().map(\.value))
        }
        #expect(reused.objects.map(\.id) == fresh.objects.map(\.id))
        let freshAudit = try Auditor().audit(DecompositionGraph(snapshot: fresh))
        let reusedAudit = try Auditor().audit(DecompositionGraph(snapshot: reused))
        #expect(reusedAudit.findings == freshAudit.findings)
    }

    @Test("unchanged records are taken from the earlier snapshot, and the result is what reading afresh gives")
    func reuseMatchesFreshRead() throws {
        let directory = try TemporaryDirectory()
        let lines = try Self.exampleLines()
        let later = Self.laterLines(of: lines)
        let old = try directory.write("old.jsonl", lines.joined(separator: "\n") + "\n")
        let new = try directory.write("new.jsonl", later.joined(separator: "\n") + "\n")
        let earlier = try Self.printing.read(.path(old))
        let reused = try SnapshotReader().read([.path(new)], reusingDocumentsOf: earlier)
        let fresh = try SnapshotReader().read(.path(new))
        let unchanged = Set(lines)
        #expect(reused.report.reusedDocuments == later.filter { unchanged.contains($0) }.count)
        #expect(reused.report.reusedDocuments == lines.count - 4, "all but the dropped and the three changed")
        #expect(fresh.report.reusedDocuments == 0)
        try Self.expectSame(reused, fresh)
        // Moved lines carry their new line numbers.
        let moved = try #require(reused.documents.last { $0.id != "doc_new" })
        #expect(moved.location?.line == later.count - 1)
    }

    @Test("records of 16 MiB or more keep their place in an origin of their own, and read back whole")
    func recordsPastThePackedLength() throws {
        let directory = try TemporaryDirectory()
        let big = String(repeating: "y", count: 1 << 24)
        let lines = [
            #"{"document_id":"doc_a","collection_id":"c","root_object_id":"obj_1"}"#,
            #"{"document_id":"doc_big","collection_id":"c","root_object_id":"obj_1","metadata":{"text":"\#(big)"}}"#,
            #"{"document_id":"doc_b","collection_id":"c","source_document_id":"doc_big"}"#,
        ]
        let old = try directory.write("old.jsonl", lines.joined(separator: "\n") + "\n")
        let earlier = try Self.printing.read(.path(old))
        #expect(earlier.documents.map(\.id) == ["doc_a", "doc_big", "doc_b"])
        let document = earlier.documents[1]
        #expect(document.raw.length == lines[1].utf8.count && document.raw.length >= 1 << 24)
        #expect(document.raw.origin !== earlier.documents[0].raw.origin, "an origin of its own")
        #expect(document.raw.origin.name == old)
        #expect(try document.raw.text() == lines[1])
        #expect(earlier.documents[2].location?.line == 3)
        #expect(try earlier.documents[2].raw.text() == lines[2], "the record after it is where it was")
        // Read again through the earlier snapshot: the big record is matched by its bytes, as any.
        let new = try directory.write("new.jsonl", lines.reversed().joined(separator: "\n") + "\n")
        let reused = try SnapshotReader().read([.path(new)], reusingDocumentsOf: earlier)
        #expect(reused.report.reusedDocuments == 3)
        #expect(reused.documents.map(\.id) == ["doc_b", "doc_big", "doc_a"])
        #expect(try reused.documents.map { try $0.raw.text() } == lines.reversed())
        #expect(reused.documents[1].location == SourceLocation(file: new, line: 2))
    }

    @Test("a reused document reads its user fields from the later file, not the earlier one")
    func reusedDocumentsPointAtTheLaterFile() throws {
        let directory = try TemporaryDirectory()
        let lines = try Self.exampleLines()
        let old = try directory.write("old.jsonl", lines.joined(separator: "\n") + "\n")
        let new = try directory.write("new.jsonl", lines.reversed().joined(separator: "\n") + "\n")
        let earlier = try Self.printing.read(.path(old))
        let reused = try SnapshotReader().read([.path(new)], reusingDocumentsOf: earlier)
        #expect(reused.report.reusedDocuments == lines.count)
        try FileManager.default.removeItem(atPath: old)
        #expect(throws: LineageKitError.self) { try earlier.checkInputsUnchanged() }
        try reused.checkInputsUnchanged()
        for document in reused.documents {
            #expect(document.location?.file == new)
            _ = try document.readUserFields()
        }
        try Self.expectSame(reused, try SnapshotReader().read(.path(new)))
    }

    @Test("a fingerprint only proposes: the earlier record's bytes are read again and compared")
    func bytesAreCompared() throws {
        let directory = try TemporaryDirectory()
        let lines = try Self.exampleLines()
        let old = try directory.write("old.jsonl", lines.joined(separator: "\n") + "\n")
        let new = try directory.write("new.jsonl", lines.joined(separator: "\n") + "\n")
        let earlier = try Self.printing.read(.path(old))
        // The earlier file changes under the same size and modification time: one record's bytes
        // now differ from what its fingerprint was made of, so that record is decoded again.
        var status = stat()
        #expect(stat(old, &status) == 0)
        var altered = lines
        altered[7] = altered[7].replacingOccurrences(of: "\"collection_id\":\"", with: "\"collection_id\":\"X")
            .replacingOccurrences(of: "{\"", with: "{ \"", options: [], range: nil)
        altered[7] = String(altered[7].dropLast(altered[7].utf8.count - lines[7].utf8.count))
        #expect(altered[7].utf8.count == lines[7].utf8.count && altered[7] != lines[7])
        try (altered.joined(separator: "\n") + "\n").write(toFile: old, atomically: false, encoding: .utf8)
        let times = [status.st_atim, status.st_mtim]
        #expect(utimensat(AT_FDCWD, old, times, 0) == 0)
        let reused = try SnapshotReader().read([.path(new)], reusingDocumentsOf: earlier)
        #expect(reused.report.reusedDocuments == lines.count - 1)
        try Self.expectSame(reused, try SnapshotReader().read(.path(new)))
        // Gone altogether: nothing is reused, and the read is still right.
        try FileManager.default.removeItem(atPath: old)
        let without = try SnapshotReader().read([.path(new)], reusingDocumentsOf: earlier)
        #expect(without.report.reusedDocuments == 0)
        try Self.expectSame(without, try SnapshotReader().read(.path(new)))
    }

    @Test("merged duplicates and whole JSON files in the earlier snapshot keep the fingerprints in step")
    func duplicatesAndJSONFiles() throws {
        let directory = try TemporaryDirectory()
        let lines = try Self.exampleLines()
        let oldDirectory = directory.file("old")
        try FileManager.default.createDirectory(atPath: oldDirectory, withIntermediateDirectories: true)
        // a.json: the first five as a JSON array (not reusable); b.jsonl: the rest, the first line twice.
        try ("[" + lines[..<5].joined(separator: ",") + "]").write(
            toFile: oldDirectory + "/a.json", atomically: true, encoding: .utf8)
        try ([lines[5]] + lines[5...]).joined(separator: "\n").write(
            toFile: oldDirectory + "/b.jsonl", atomically: true, encoding: .utf8)
        let new = try directory.write("new.jsonl", lines.joined(separator: "\n"))
        let earlier = try Self.printing.read(.path(oldDirectory))
        #expect(earlier.report.identicalDuplicates == 1)
        let reused = try SnapshotReader().read([.path(new)], reusingDocumentsOf: earlier)
        #expect(reused.report.reusedDocuments == lines.count - 5)
        try Self.expectSame(reused, try SnapshotReader().read(.path(new)))
    }

    @Test("nothing is reused from a snapshot read without fingerprints or changed since")
    func noReuseWithoutPrints() throws {
        let directory = try TemporaryDirectory()
        let lines = try Self.exampleLines()
        let path = try directory.write("documents.jsonl", lines.joined(separator: "\n"))
        let plain = try SnapshotReader().read(.path(path))
        #expect(try SnapshotReader().read([.path(path)], reusingDocumentsOf: plain).report.reusedDocuments == 0)
        var changed = try Self.printing.read(.path(path))
        #expect(
            try SnapshotReader().read([.path(path)], reusingDocumentsOf: changed).report.reusedDocuments
                == lines.count)
        changed.documents[0].statements = []
        let afterChange = try SnapshotReader().read([.path(path)], reusingDocumentsOf: changed)
        #expect(afterChange.report.reusedDocuments == 0)
        #expect(afterChange.documents[0].statements == plain.documents[0].statements)
    }

    @Test("fingerprints tell records apart by every byte and by length")
    func fingerprints() {
        func print(_ text: String) -> RecordPrint {
            Array(text.utf8).withUnsafeBytes { RecordPrint($0) }
        }
        let base = String(repeating: "abcdefgh", count: 9) + "xyz"
        var seen: Set<RecordPrint> = []
        for index in base.indices {
            var changed = base
            changed.replaceSubrange(index...index, with: "#")
            seen.insert(print(changed))
        }
        for length in 0...base.count {
            seen.insert(print(String(base.prefix(length))))
        }
        #expect(seen.count == base.count * 2 + 1)
        #expect(print(base) == print(String(base)))
        #expect(print("ab") != print("ab\u{0}"), "a tail padded with zero bytes is not the same record")
    }
}
