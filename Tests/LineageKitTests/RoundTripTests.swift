import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit
@testable import LineageSample

@Suite("Round trip fidelity")
struct RoundTripTests {
    @Test(
        "raw text is the input line, and written back it is the same JSON value",
        arguments: SampleNamespace.ShapeChoice.allCases)
    func sampleRoundTrip(shape: SampleNamespace.ShapeChoice) throws {
        let directory = try TemporaryDirectory()
        try SampleNamespace(options: .init(videos: 2, articles: 2, seed: 5, shape: shape)).write(to: directory.path)
        let path = directory.file("documents.jsonl")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let snapshot = try SnapshotReader().read(.path(path))
        #expect(snapshot.documents.count == lines.count)
        var rewritten = ""
        for (document, line) in zip(snapshot.documents, lines) {
            #expect(try document.raw.text() == line)
            let value = try document.json()
            #expect(value.serialized() == line, "byte-identical for compact input")
            rewritten += value.serialized(.pretty) + "\n"
        }
        let reread = try SnapshotReader().read(.bytes(Array(rewritten.utf8), name: "pretty.json"))
        #expect(reread.documents == snapshot.documents)
        for (left, right) in zip(reread.documents, snapshot.documents) {
            #expect(try left.json() == right.json())
        }
    }

    @Test("unknown fields, odd numbers and unicode survive")
    func unknownFields() throws {
        let line =
            #"{"document_id":"doc_u","collection_id":"c","x_future":{"deep":[1.50,-0,1e400,"é\u0000"]},"#
            + #""_internal":{"lineage":{"extra":true}},"big":123456789012345678901234567890}"#
        let document = try #require(try Fixtures.read(line).documents.first)
        let value = try document.json()
        #expect(value["x_future"]?["deep"]?.arrayValue?[0] == .number(JSONNumber(text: "1.50")))
        #expect(value["big"] == .number(JSONNumber(text: "123456789012345678901234567890")))
        #expect(value.serialized().contains("123456789012345678901234567890"))
        #expect(document.userFields["big"] == .number(JSONNumber(text: "123456789012345678901234567890")))
        let again = try Fixtures.read(value.serialized()).documents.first
        #expect(try again?.json() == value)
    }

    @Test("a file changed after reading is detected when a record is read again")
    func changedFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("one.jsonl", #"{"document_id":"doc_a","collection_id":"c"}"#)
        let document = try #require(try SnapshotReader().read(.path(path)).documents.first)
        try directory.write("one.jsonl", #"{"document_id":"doc_a","collection_id":"changed"}"#)
        let error = try #require(throws: LineageKitError.self) { try document.json() }
        #expect(error.code == .inputChanged)
    }
}
