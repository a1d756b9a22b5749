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

    /// Reads `text` as if it were a file called `name`.
    public static func read(_ text: String, name: String = "test.jsonl", keepGoing: Bool = false) throws -> Snapshot {
        try SnapshotReader(options: .init(keepGoing: keepGoing)).read(.bytes(Array(text.utf8), name: name))
    }
}
