import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit
@testable import LineageSample

@Suite("Sample namespace")
struct SampleTests {
    @Test("the same seed gives the same bytes; another seed does not")
    func deterministic() throws {
        func bytes(seed: UInt64) throws -> [String] {
            let directory = try TemporaryDirectory()
            try SampleNamespace(options: .init(videos: 2, articles: 1, seed: seed, shape: .mixed)).write(
                to: directory.path)
            return try SampleNamespace.fileNamesList.map {
                try String(contentsOfFile: directory.file($0), encoding: .utf8)
            }
        }
        #expect(try bytes(seed: 9) == bytes(seed: 9))
        #expect(try bytes(seed: 9) != bytes(seed: 10))
    }

    @Test("each shape choice writes documents of that shape", arguments: SampleNamespace.ShapeChoice.allCases)
    func shapes(choice: SampleNamespace.ShapeChoice) throws {
        let directory = try TemporaryDirectory()
        try SampleNamespace(options: .init(videos: 2, articles: 2, seed: 3, shape: choice)).write(to: directory.path)
        let snapshot = try SnapshotReader().read(.path(directory.path))
        let shapes = Set(snapshot.documents.map(\.shape))
        switch choice {
        case .shape2025_10: #expect(shapes == [.nested2025v1, .flat2025v2])
        case .shape2025_11: #expect(shapes == [.flat2025])
        case .current: #expect(shapes == [.current])
        case .mixed: #expect(shapes == [.nested2025v1, .flat2025v2, .flat2025, .current])
        }
        if choice == .mixed {
            #expect(snapshot.documents.contains { $0.shape == .current && $0.statements.count == 2 })
        }
        let graph = DecompositionGraph(snapshot: snapshot)
        #expect(graph.ghosts.isEmpty)
        #expect(snapshot.objects.count == 4)
        #expect(snapshot.collections.count == 5)
        let statistics = NamespaceStatistics(snapshot: snapshot, graph: graph)
        #expect(statistics.documentsPerTier.keys.sorted() == [1, 2, 3])
        for document in snapshot.documents {
            let lineage = document.lineage
            #expect(lineage.chain?.count == graph.tier(of: .document(document.id)))
            if let path = lineage.path {
                #expect(path.split(separator: "/").last.map(String.init) == document.collectionID)
            } else {
                #expect(document.shape == .nested2025v1, "only the nested shape states no path")
            }
        }
    }

    @Test("the vendor style writes sorted keys, a full _internal, enrichments and longer user fields")
    func vendorStyle() throws {
        let directory = try TemporaryDirectory()
        try SampleNamespace(options: .init(videos: 2, articles: 2, seed: 5, shape: .mixed, style: .vendor)).write(
            to: directory.path)
        let lines = try String(contentsOfFile: directory.file("documents.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        func keysSorted(_ value: JSONValue) -> Bool {
            switch value {
            case .object(let object):
                let keys = object.keys.map { Array($0.utf8) }
                return zip(keys, keys.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }
                    && object.allSatisfy { keysSorted($0.value) }
            case .array(let values): return values.allSatisfy(keysSorted)
            default: return true
            }
        }
        var current = 0
        for line in lines {
            let record = try RawJSON(bytes: Array(line.utf8)).value()
            #expect(keysSorted(record), "keys sorted in \(line.prefix(60))")
            if let internalBlock = record["_internal"] {
                current += 1
                #expect(internalBlock["processing"]?["duration_ms"] != nil)
                #expect(internalBlock["feature_refs"]?.arrayValue?.isEmpty == false)
                #expect(record["tags"]?.arrayValue?.isEmpty == false, "user fields at the root")
            } else {
                #expect(record["metadata"]?["tags"] != nil, "user fields in metadata")
                #expect(record["presigned_urls"] != nil)
            }
        }
        #expect(current > 0 && current < lines.count, "a mix of shapes")
        let snapshot = try SnapshotReader().read(.path(directory.path))
        #expect(try Auditor().audit(DecompositionGraph(snapshot: snapshot)).findings.isEmpty)
    }

    @Test("existing files are not replaced without overwrite")
    func refusesOverwrite() throws {
        let directory = try TemporaryDirectory()
        let sample = SampleNamespace(options: .init(videos: 1, articles: 0))
        try sample.write(to: directory.path)
        let error = try #require(throws: LineageKitError.self) { try sample.write(to: directory.path) }
        #expect(error.code == .writeFailed)
        #expect(try sample.write(to: directory.path, overwrite: true).documents > 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "no temporary file is left behind")
    }

    @Test("too few documents for the defects asked for is an error that leaves no file behind")
    func tooFewDocuments() throws {
        let directory = try TemporaryDirectory()
        let sample = SampleNamespace(options: .init(videos: 1, articles: 1, defects: 5))
        let error = try #require(throws: LineageKitError.self) { try sample.write(to: directory.path) }
        #expect(error.message.contains("too few documents"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("ISO timestamps are formatted without Foundation")
    func timestamps() {
        #expect(isoTimestamp(1_761_904_800) == "2025-10-31T10:00:00Z")
        #expect(isoTimestamp(0) == "1970-01-01T00:00:00Z")
        #expect(isoTimestamp(951_782_400) == "2000-02-29T00:00:00Z")
    }
}

extension SampleNamespace {
    static var fileNamesList: [String] { [fileNames.documents, fileNames.objects, fileNames.collections] }
}
