import Foundation
import LineageKit

/// Paths of the repository's committed test data.
public enum Fixtures {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The vendor example payloads copied from the Mixpeek API docs and specs.
    public static let vendorDirectory = repositoryRoot + "/Tests/Fixtures/vendor"

    /// One vendor example by file name.
    public static func vendor(_ name: String) -> String {
        vendorDirectory + "/" + name
    }

    /// The names of every vendor example, sorted.
    public static var vendorFileNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: vendorDirectory)) ?? []).sorted()
    }

    /// The bundled example namespace.
    public static let exampleData = repositoryRoot + "/examples/data"

    /// Expected outputs compared byte for byte (rewritten with `LINEAGE_UPDATE_GOLDEN=1`).
    public static let goldenDirectory = repositoryRoot + "/Tests/Fixtures/golden"

    /// Compares `actual` with the golden file `name`; with `LINEAGE_UPDATE_GOLDEN=1` in the
    /// environment it rewrites the file instead. Returns the golden text, or `nil` when missing.
    public static func golden(_ name: String, actual: String) throws -> String? {
        let path = goldenDirectory + "/" + name
        if ProcessInfo.processInfo.environment["LINEAGE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: goldenDirectory, withIntermediateDirectories: true)
            try AtomicFileWriter.write(actual, to: path, overwrite: true)
        }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// JSON Lines of one document per id, each carrying `text` in its id, collection and user
    /// fields (`title`, `url`): even positions state no lineage (so the audit reports them), odd
    /// ones have a root object (so they are drawn in trees). For escaping tests.
    public static func hostileDocuments(_ texts: [String], idPrefix: (Int) -> String = { "doc_\($0)_" }) -> String {
        var lines = ""
        for (number, text) in texts.enumerated() {
            let system: JSONValue =
                number % 2 == 0
                ? ["metadata": ["ingestion_status": "COMPLETED"]]
                : ["lineage": ["root_object_id": .string("obj_" + text), "source_type": "bucket"]]
            let document: JSONValue = [
                "document_id": .string(idPrefix(number) + text), "collection_id": .string("col_" + text),
                "_internal": system, "title": .string(text), "url": .string(text),
            ]
            lines += document.serialized() + "\n"
        }
        return lines
    }

    /// Reads `text` as if it were a file called `name`.
    public static func read(_ text: String, name: String = "test.jsonl", keepGoing: Bool = false) throws -> Snapshot {
        try SnapshotReader(options: .init(keepGoing: keepGoing)).read(.bytes(Array(text.utf8), name: name))
    }
}
