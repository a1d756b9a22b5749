import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit

@Suite("Reading records")
struct ReaderTests {
    static let currentDocument =
        #"{"document_id":"doc_1","collection_id":"col_a","_internal":{"lineage":{"root_object_id":"obj_1","#
        + #""root_bucket_id":"bkt_1","source_type":"bucket","source_object_id":"obj_1","path":"bkt_1/col_a"},"#
        + #""metadata":{"ingestion_status":"PROCESSING"}},"title":"T","score":0.5}"#

    @Test("a migrated document keeps _internal and stale root lineage as separate statements")
    func migratedDocument() throws {
        let text =
            #"{"document_id":"doc_2","collection_id":"col_b","root_object_id":"obj_OLD","lineage_path":"bkt_1/col_b","#
            + #""_internal":{"lineage":{"root_object_id":"obj_1","chain":[{"collection_id":"col_b","#
            + #""feature_extractor_id":"x_v1","document_id":null}]}},"title":"kept"}"#
        let document = try #require(try Fixtures.read(text).documents.first)
        #expect(document.shape == .current)
        #expect(document.statements.map(\.place) == [.internal, .root])
        #expect(document.lineage.rootObjectID == "obj_1")
        #expect(document.statement(in: .root)?.rootObjectID == "obj_OLD")
        #expect(document.lineage.path == "bkt_1/col_b")
        #expect(document.lineage.chain == [LineageStep(collectionID: "col_b", featureExtractorID: "x_v1")])
        #expect(document.userFields.keys == ["title"], "lineage names are never user fields")
    }

    @Test("2025-10 v2: flat fields rank before the nested object, both are kept")
    func schemaV2() throws {
        let text =
            #"{"document_id":"doc_3","collection_id":"col_c","document_schema_version":"v2","#
            + #""root_object_id":"obj_flat","lineage":{"root_object_id":"obj_nested","root_bucket_id":"bkt_9","#
            + #""source_type":"bucket"},"metadata":null}"#
        let document = try #require(try Fixtures.read(text).documents.first)
        #expect(document.shape == .flat2025v2)
        #expect(document.schemaVersion == "v2")
        #expect(document.statements.map(\.place) == [.root, .nested])
        #expect(document.lineage.rootObjectID == "obj_flat")
        #expect(document.lineage.rootBucketID == "bkt_9")
        #expect(document.userFields.isEmpty)
    }

    @Test("null lineage fields are unstated, and a document without lineage is of unknown shape")
    func nullsAndBareDocuments() throws {
        let snapshot = try Fixtures.read(
            #"{"document_id":"doc_4","collection_id":"col_d","root_object_id":null,"lineage":null}"# + "\n"
                + #"{"document_id":"doc_5","collection_id":"col_d","metadata":{"a":1}}"#)
        #expect(snapshot.documents.map(\.shape) == [.unknown, .unknown])
        #expect(snapshot.documents.allSatisfy { $0.lineage.isEmpty })
        #expect(snapshot.documents[1].userFields == ["a": 1])
    }

    @Test("ingestion status comes from _internal.metadata")
    func ingestionStatus() throws {
        #expect(try Fixtures.read(Self.currentDocument).documents.first?.ingestionStatus == "PROCESSING")
    }

    @Test("record kinds are detected from their keys")
    func recordKinds() throws {
        let text = """
            {"object_id":"obj_1","bucket_id":"bkt_1","metadata":{"title":"T"}}
            {"collection_id":"col_a","source":{"type":"bucket","bucket_id":"bkt_1"},"feature_extractor":{"feature_extractor_name":"x","version":"v1","field_passthrough":[{"source_path":"title","target_path":"name"}]}}
            \(Self.currentDocument)
            """
        let snapshot = try Fixtures.read(text)
        #expect(snapshot.objects.map(\.id) == ["obj_1"])
        #expect(snapshot.collections.first?.passthroughFields.first?.documentField == "name")
        #expect(snapshot.documents.map(\.id) == ["doc_1"])
    }

    @Test("envelopes: results, groups, and JSON arrays")
    func envelopes() throws {
        let results = try Fixtures.read(
            #"{"results":[\#(Self.currentDocument)],"pagination":{"next_cursor":null}}"#, name: "page.json")
        #expect(results.documents.count == 1)
        let groups = try Fixtures.read(
            #"{"groups":[{"group_key":"obj_1","documents":[{"document_id":"doc_a","collection_id":"c"},"#
                + #"{"document_id":"doc_b","collection_id":"c"}]}],"pagination":{}}"#, name: "groups.json")
        #expect(groups.documents.map(\.id) == ["doc_a", "doc_b"])
        let array = try Fixtures.read("[\n\(Self.currentDocument),\n{\"object_id\":\"o\",\"bucket_id\":\"b\"}\n]")
        #expect(array.documents.count == 1)
        #expect(array.objects.count == 1)
        #expect(array.documents.first?.location == SourceLocation(file: "test.jsonl", line: 2, column: 1))
    }

    @Test("JSON Lines tolerate blank lines and CRLF endings and count lines right")
    func jsonLinesLayout() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "docs.jsonl",
            "\r\n{\"document_id\":\"doc_a\",\"collection_id\":\"c\"}\r\n\n   \n{\"document_id\":\"doc_b\",\"collection_id\":\"c\"}"
        )
        let snapshot = try SnapshotReader().read(.path(path))
        #expect(snapshot.documents.map(\.id) == ["doc_a", "doc_b"])
        #expect(snapshot.documents.map { $0.location?.line } == [2, 5])
    }

    // MARK: - Bad input

    struct BadInput: Sendable, CustomTestStringConvertible {
        let name: String
        let line: String
        let code: LineageKitError.Code
        let message: String
        let column: Int
        var recordID: String?
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        .init(
            name: "malformed JSON", line: #"{"document_id":"doc_x","collection_id":"c",}"#, code: .malformedJSON,
            message: "expected a quoted key", column: 44, recordID: "doc_x"),
        .init(
            name: "unknown kind", line: #"{"foo":1}"#, code: .unknownRecordKind, message: "record of unknown kind",
            column: 1),
        .init(
            name: "null document_id", line: #"{"document_id":null,"collection_id":"c"}"#, code: .missingField,
            message: "`document_id` is null", column: 16),
        .init(
            name: "no collection_id", line: #"{"document_id":"doc_y"}"#, code: .missingField,
            message: "no `collection_id`", column: 1, recordID: "doc_y"),
        .init(
            name: "number as root object", line: #"{"collection_id":"c","root_object_id":42,"document_id":"doc_z"}"#,
            code: .wrongFieldType, message: "`root_object_id` must be a string or null, found number", column: 39,
            recordID: "doc_z"),
        .init(
            name: "chain not an array",
            line: #"{"document_id":"d","collection_id":"c","_internal":{"lineage":{"chain":{}}}}"#,
            code: .wrongFieldType, message: "`_internal.lineage.chain` must be an array of steps or null", column: 72,
            recordID: "d"),
        .init(
            name: "step of wrong type",
            line: #"{"document_id":"d","collection_id":"c","lineage_chain":[{"collection_id":7}]}"#,
            code: .wrongFieldType, message: "`lineage_chain[0].collection_id` must be a string", column: 74,
            recordID: "d"),
        .init(
            name: "timestamp of wrong type",
            line: #"{"document_id":"d","collection_id":"c","lineage_chain":[{"timestamp":20251031}]}"#,
            code: .wrongFieldType, message: "`lineage_chain[0].timestamp` must be a string or null, found number",
            column: 70, recordID: "d"),
        .init(
            name: "timestamp never closed",
            line: #"{"document_id":"d","collection_id":"c","lineage_chain":[{"timestamp":"2025-10-31T10:01:24Z}]}"#,
            code: .malformedJSON, message: "raw control character in string", column: 94, recordID: "d"),
        .init(
            name: "metadata not an object", line: #"{"document_id":"d","collection_id":"c","metadata":[1]}"#,
            code: .wrongFieldType, message: "`metadata` must be an object or null, found array", column: 51,
            recordID: "d"),
        .init(
            name: "a record that is not an object", line: "[1, 2]", code: .unknownRecordKind,
            message: "must be a JSON object", column: 1),
    ]

    @Test("bad input names file, line, column, record and what is wrong", arguments: badInputs)
    func badInput(_ bad: BadInput) throws {
        let text = #"{"document_id":"doc_ok","collection_id":"c"}"# + "\n\n" + bad.line + "\n"
        let error = try #require(throws: LineageKitError.self) { try Fixtures.read(text, name: "in.jsonl") }
        #expect(error.code == bad.code)
        #expect(error.message.contains(bad.message), "\(error.message)")
        #expect(error.location == SourceLocation(file: "in.jsonl", line: 3, column: bad.column))
        #expect(error.recordID == bad.recordID)
    }

    @Test("keep-going skips bad records, counts them and keeps the first few")
    func keepGoing() throws {
        let good = #"{"document_id":"doc_%d","collection_id":"c"}"#
        var lines: [String] = []
        for index in 0..<30 {
            lines.append(index % 3 == 0 ? "{broken" : good.replacingOccurrences(of: "%d", with: "\(index)"))
        }
        let snapshot = try SnapshotReader(options: .init(keepGoing: true, maximumReportedProblems: 4)).read(
            .bytes(Array(lines.joined(separator: "\n").utf8), name: "many.jsonl"))
        #expect(snapshot.documents.count == 20)
        #expect(snapshot.report.skippedRecords == 10)
        #expect(snapshot.report.problems.count == 4)
        #expect(snapshot.report.problems.first?.location?.line == 1)
    }

    @Test("identical duplicates merge; different content under one id is an error")
    func duplicates() throws {
        let document = #"{"document_id":"doc_d","collection_id":"c","metadata":{"a":1}}"#
        let reordered = #"{"collection_id":"c","metadata":{"a":1.0},"document_id":"doc_d"}"#
        let merged = try Fixtures.read(document + "\n" + reordered)
        #expect(merged.documents.count == 1)
        #expect(merged.report.identicalDuplicates == 1)
        let changed = #"{"document_id":"doc_d","collection_id":"c","metadata":{"a":2}}"#
        let error = try #require(throws: LineageKitError.self) { try Fixtures.read(document + "\n" + changed) }
        #expect(error.code == .conflictingDuplicate)
        #expect(error.location?.line == 2)
        #expect(error.description.contains("first at test.jsonl:1"))
    }

    @Test("after a duplicate is dropped, the graph finds every document and its source where they now are")
    func graphAfterDuplicates() throws {
        let frame = #"{"document_id":"doc_f","collection_id":"col_f","root_object_id":"obj_1","source_type":"bucket"}"#
        func scene(_ id: String) -> String {
            #"{"document_id":""# + id
                + #"","collection_id":"col_s","source_type":"collection","source_document_id":"doc_f"}"#
        }
        // The repeated frame comes before the scenes, so every later position moves down by one.
        let snapshot = try Fixtures.read([frame, frame, scene("doc_s1"), scene("doc_s2")].joined(separator: "\n"))
        #expect(snapshot.documents.map(\.id) == ["doc_f", "doc_s1", "doc_s2"])
        let graph = DecompositionGraph(snapshot: snapshot)
        for id in ["doc_f", "doc_s1", "doc_s2"] {
            #expect(graph.document(id)?.id == id)
        }
        let scenes = try #require(graph.node(.document("doc_f"))).index
        #expect(graph.children.members(of: scenes).map { graph.nodes[Int($0)].id.rawID } == ["doc_s1", "doc_s2"])
        #expect(graph.ghosts.map(\.id.rawID) == ["obj_1"], "the root object only: no document is a ghost")
    }

    @Test("user fields are read again from the file; a file changed since the read is an error naming it")
    func userFieldsFromTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/documents.jsonl"
        let line = #"{"document_id":"doc_1","collection_id":"c","metadata":{"title":"T","n":1.50}}"#
        try (line + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let snapshot = try SnapshotReader().read(.path(path))
        let document = try #require(snapshot.documents.first)
        #expect(try document.readUserFields() == ["title": "T", "n": .number(JSONNumber(text: "1.50"))])
        #expect(document.userField("title") == "T")
        #expect(document.userField("absent") == nil)
        try snapshot.checkInputsUnchanged()
        try (line + "\n" + line + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let error = try #require(throws: LineageKitError.self) { try snapshot.checkInputsUnchanged() }
        #expect(error.code == .inputChanged && error.description.contains(path))
        #expect(throws: LineageKitError.self) { try document.readUserFields() }
    }

    @Test("an object's record is read again from its file; duplicates compare by it; a changed file is an error")
    func objectRecordsFromTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/objects.jsonl"
        let first =
            #"{"object_id":"obj_1","bucket_id":"bkt_v","status":"COMPLETED","metadata":{"title":"T"},"#
            + #""blobs":[{"blob_id":"b1","properties":{"url":"s3://x/1.mp4"}}]}"#
        let second = #"{"object_id":"obj_2","bucket_id":"bkt_v","metadata":null}"#
        try ([first, second, first].joined(separator: "\n") + "\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let snapshot = try SnapshotReader().read(.path(path))
        #expect(snapshot.objects.map(\.id) == ["obj_1", "obj_2"], "the identical repeat merged")
        let object = try #require(snapshot.objects.first)
        let expected = try JSONValue(parsing: Array(first.utf8), name: "expected")
        #expect(try object.readJSON() == expected && object.json == expected)
        #expect(object.metadata == ["title": "T"] && object.status == "COMPLETED")
        #expect(object == object, "equal to itself, its record read twice")
        // An object made in memory holds its record; setting it replaces what the file says.
        var edited = object
        edited.json = ["object_id": "obj_1"]
        #expect(edited.json == ["object_id": "obj_1"] && edited != object)

        try (first + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let error = try #require(throws: LineageKitError.self) { try object.readJSON() }
        #expect(error.code == .inputChanged && error.description.contains(path))
        #expect(object.json == .null, "the non-throwing view says nothing rather than something stale")

        // The same id with another record is an error, found by reading both records.
        let changed = first.replacingOccurrences(of: "1.mp4", with: "2.mp4")
        try (first + "\n" + changed + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let conflict = try #require(throws: LineageKitError.self) { try SnapshotReader().read(.path(path)) }
        #expect(conflict.code == .conflictingDuplicate)
    }

    @Test(
        "`_internal: null` is a 2025 record: the reader and the API-response rule agree its user fields are `metadata`")
    func nullInternalBlock() throws {
        let text =
            #"{"document_id":"doc_1","collection_id":"c","_internal":null,"root_object_id":"obj_1","#
            + #""metadata":{"title":"T"},"extra":1}"#
        let document = try #require(try Fixtures.read(text).documents.first)
        #expect(document.shape == .flat2025)
        #expect(document.userFields == ["title": "T"])
        let record = try #require(try JSONValue(parsing: Array(text.utf8), name: "record").objectValue)
        let response = Document.userFields(inResponse: record)
        #expect(!response.atRoot, "PATCH bodies must write user fields where the reader found them")
        #expect(response.fields == document.userFields)
        var current = record
        current["_internal"] = ["lineage": ["root_object_id": "obj_1"]]
        let currentFields = Document.userFields(inResponse: current)
        #expect(currentFields.atRoot && currentFields.fields == ["metadata": ["title": "T"], "extra": 1])
    }

    @Test("files LineageKit wrote (baselines, plans, manifests) are recognised, not read as records")
    func lineageFiles() throws {
        let snapshot = try Fixtures.read(
            #"{"lineage_baseline":1,"findings":[{"rule":"cycle"}]}"#, name: "baseline.json")
        #expect(snapshot.documents.isEmpty)
        #expect(snapshot.report.lineageFiles == ["baseline.json"])
        #expect(snapshot.report.skippedRecords == 0)
    }

    @Test("an unreadable path is a clear error")
    func missingPath() throws {
        let error = try #require(throws: LineageKitError.self) {
            try SnapshotReader().read(.path("/nonexistent/lineage/input.jsonl"))
        }
        #expect(error.code == .unreadableInput)
        #expect(error.description.contains("/nonexistent/lineage/input.jsonl"))
    }

    // MARK: - Large files read in parallel pieces

    @Test("large JSON Lines files read in parallel keep input order and exact line numbers")
    func parallelPieces() throws {
        let directory = try TemporaryDirectory()
        let count = 40_000
        var text = ""
        text.reserveCapacity(count * 140)
        for index in 0..<count {
            text +=
                #"{"document_id":"doc_\#(index)","collection_id":"col_a","lineage_chain":[],"padding":"#
                + #""\#(String(repeating: "x", count: index % 97))"}"# + "\n"
        }
        let path = try directory.write("big.jsonl", text)
        for concurrency in [1, 2, 8] {
            let snapshot = try SnapshotReader(options: .init(concurrency: concurrency)).read(.path(path))
            #expect(snapshot.documents.count == count)
            #expect(snapshot.documents.enumerated().allSatisfy { $0.element.id == "doc_\($0.offset)" })
            #expect(snapshot.documents.last?.location?.line == count)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines[count - 7] = "{oops"
        try directory.write("bad.jsonl", lines.joined(separator: "\n"))
        let error = try #require(throws: LineageKitError.self) {
            try SnapshotReader(options: .init(concurrency: 4)).read(.path(directory.file("bad.jsonl")))
        }
        #expect(error.location?.line == count - 6)
    }

    @Test("a line longer than the read block is read whole")
    func longLine() throws {
        let directory = try TemporaryDirectory()
        let padding = String(repeating: "y", count: JSONLinesReader.blockSize + 1000)
        let path = try directory.write(
            "long.jsonl",
            #"{"document_id":"doc_a","collection_id":"c","metadata":{"p":"\#(padding)"}}"# + "\n"
                + #"{"document_id":"doc_b","collection_id":"c"}"#)
        let snapshot = try SnapshotReader().read(.path(path))
        #expect(snapshot.documents.map(\.id) == ["doc_a", "doc_b"])
        #expect(snapshot.documents[0].userFields["p"]?.stringValue?.count == padding.count)
    }

    @Test("siblings stating the same chain share its steps, and a chain that differs or is wrong is read on its own")
    func chainsWrittenAlikeShareTheirSteps() throws {
        let chain = #"[{"collection_id":"col_f","feature_extractor_id":"x_v1","timestamp":"2025-11-14T23:01:21Z"}]"#
        func document(_ id: String, _ chain: String) -> String {
            #"{"document_id":"\#(id)","collection_id":"col_f","_internal":{"lineage":{"root_object_id":"obj_1","#
                + #""chain":\#(chain)}}}"#
        }
        let later = chain.replacingOccurrences(of: "23:01:21", with: "23:01:22")
        let snapshot = try Fixtures.read(
            [document("doc_1", chain), document("doc_2", chain), document("doc_3", later)].joined(separator: "\n"))
        let chains = snapshot.documents.map(\.lineage.storedChain)
        #expect(chains[0] == chains[1] && chains[0]?.store === chains[1]?.store && chains[0]?.start == chains[1]?.start)
        #expect(chains[2] != chains[0] && chains[2]?.start != chains[0]?.start)
        #expect(chains[2]?.first?.timestamp == "2025-11-14T23:01:22Z")
        #expect(chains[0]?.store.steps.count == 2, "the same bytes: their steps stored once")
        #expect(snapshot.documents[1].lineage.chain == snapshot.documents[0].lineage.chain)
        // After a good chain, one that differs only by a wrong type is still an error naming it.
        let wrong = chain.replacingOccurrences(of: #""col_f""#, with: "5")
        #expect(throws: LineageKitError.self) {
            try Fixtures.read([document("doc_1", chain), document("doc_2", wrong)].joined(separator: "\n"))
        }
        do {
            _ = try Fixtures.read([document("doc_1", chain), document("doc_2", wrong)].joined(separator: "\n"))
        } catch {
            #expect("\(error)".contains("_internal.lineage.chain[0].collection_id"), "\(error)")
        }
    }

    @Test("a chain of 65,535 steps or more reads whole, and so do the chains around it")
    func longChains() throws {
        func document(_ id: String, steps: Int) -> String {
            let step = #"{"collection_id":"col_f","feature_extractor_id":"x_v1"}"#
            let last = #"{"collection_id":"col_g","document_id":"\#(id)"}"#
            let chain = "[" + (Array(repeating: step, count: steps - 1) + [last]).joined(separator: ",") + "]"
            return #"{"document_id":"\#(id)","collection_id":"col_g","lineage_chain":\#(chain)}"#
        }
        let counts = [2, 65_535, 3, 70_000, 65_534, 1]
        let snapshot = try Fixtures.read(
            counts.enumerated().map { document("doc_\($0.offset)", steps: $0.element) }.joined(separator: "\n"))
        for (document, count) in zip(snapshot.documents, counts) {
            let chain = try #require(document.lineage.storedChain)
            #expect(chain.count == count)
            #expect(chain.last?.documentID == document.id && chain.last?.collectionID == "col_g")
            #expect(chain.first?.collectionID == (count > 1 ? "col_f" : "col_g"))
            #expect(document.lineage.chain?.count == count)
        }
    }

    @Test("a child naming its parent shares one id string, in its source and its chain, with a kept parent id")
    func parentIDsAreShared() throws {
        // A parent and a child naming it in its source and its chain.
        func parentAndChild(_ parent: String, _ child: String) throws -> Snapshot {
            try Fixtures.read(
                #"{"document_id":"\#(parent)","collection_id":"col_f","root_object_id":"obj_1","source_type":"bucket"}"#
                    + "\n"
                    + #"{"document_id":"\#(child)","collection_id":"col_s","root_object_id":"obj_1","#
                    + #""source_type":"collection","source_document_id":"\#(parent)","lineage_chain":["#
                    + #"{"collection_id":"col_f","document_id":"\#(parent)"},{"collection_id":"col_s"}]}"#)
        }
        func storage(_ text: String?) -> UnsafePointer<UInt8>? {
            var text = text
            return text?.withUTF8 { $0.baseAddress }
        }
        let parent = "doc_parent_0123456789abcdef"
        let snapshot = try parentAndChild(parent, "doc_child_0123456789abcdef")
        let child = snapshot.documents[1]
        #expect(child.lineage.sourceDocumentID == parent)
        #expect(storage(child.lineage.sourceDocumentID) == storage(snapshot.documents[0].id), "one string, not two")
        #expect(storage(child.lineage.chain?.first?.documentID) == storage(snapshot.documents[0].id))

        // A parent whose id packs keeps no string; its child's source and chain share one.
        let packed = "doc_568e5f7f232d71be592a"
        let second = try parentAndChild(packed, "doc_c189757feb6cc63d96e7")
        #expect(second.documents[0].storedID.keptIndex == nil && second.documents[0].id == packed)
        let packedChild = second.documents[1]
        #expect(packedChild.lineage.sourceDocumentID == packed)
        #expect(storage(packedChild.lineage.sourceDocumentID) == storage(packedChild.lineage.chain?.first?.documentID))
    }
}
