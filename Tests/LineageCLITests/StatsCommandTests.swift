import Foundation
import LineageTestSupport
import Testing

/// End-to-end tests that run the built `lineage` binary.
@Suite("lineage stats and sample")
struct StatsCommandTests {
    @Test("stats on the bundled example namespace prints every section")
    func statsOnExamples() throws {
        let result = try CommandRunner.run(["stats", "examples/data"])
        #expect(result.status == 0, "\(result.standardError)")
        for section in ["Namespace", "Documents per collection", "Documents per tier", "Documents per input shape"] {
            #expect(result.standardOutput.contains(section))
        }
        #expect(result.standardOutput.contains("bucket bkt_videos"))
        #expect(result.standardError.isEmpty)
    }

    @Test("--format json is valid JSON whose counts add up")
    func statsJSON() throws {
        let result = try CommandRunner.run(["stats", "examples/data", "--format", "json"])
        #expect(result.status == 0)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let documents = try #require(json["documents"] as? Int)
        let perCollection = try #require(json["documents_per_collection"] as? [String: Int])
        let perShape = try #require(json["documents_per_shape"] as? [String: Int])
        #expect(documents > 0)
        #expect(perCollection.values.reduce(0, +) == documents)
        #expect(perShape.values.reduce(0, +) == documents)
        #expect(json["ghost_documents"] as? Int == 1, "the example namespace has one missing parent")
    }

    @Test("standard input is read with '-'")
    func standardInput() throws {
        let input = #"{"results":[{"document_id":"doc_1","collection_id":"col_a"}],"pagination":{}}"#
        let result = try CommandRunner.run(["stats", "-", "--format", "json"], input: input)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains(#""documents": 1"#))
    }

    @Test("bad input exits 2 naming file, line and column; --keep-going reads the rest")
    func badInput() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "bad.jsonl",
            #"{"document_id":"doc_1","collection_id":"col_a"}"# + "\n" + #"{"document_id":"doc_2","# + "\n"
                + #"{"document_id":"doc_3","collection_id":"col_a"}"# + "\n")
        let strict = try CommandRunner.run(["stats", path])
        #expect(strict.status == 2)
        #expect(strict.standardError.contains("\(path):2:"))
        #expect(strict.standardError.contains("doc_2"))
        #expect(strict.standardOutput.isEmpty)
        let lenient = try CommandRunner.run(["stats", path, "--keep-going", "--format", "json"])
        #expect(lenient.status == 0)
        #expect(lenient.standardOutput.contains(#""documents": 2"#))
        #expect(lenient.standardError.contains("skipped 1 bad record"))
    }

    @Test("usage errors exit 2 with a message")
    func usageErrors() throws {
        let missing = try CommandRunner.run(["stats"])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("input"))
        let unknown = try CommandRunner.run(["stats", "examples/data", "--format", "yaml"])
        #expect(unknown.status == 2)
        let absent = try CommandRunner.run(["stats", "/nonexistent/path"])
        #expect(absent.status == 2)
        #expect(absent.standardError.contains("/nonexistent/path: no such file or directory"))
    }

    @Test("sample writes a namespace stats can read, and refuses to overwrite without --force")
    func sample() throws {
        let directory = try TemporaryDirectory()
        let out = directory.file("ns")
        let first = try CommandRunner.run([
            "sample", "-o", out, "--videos", "1", "--articles", "1", "--shape", "2025-11",
        ])
        #expect(first.status == 0, "\(first.standardError)")
        let stats = try CommandRunner.run(["stats", out, "--format", "json"])
        #expect(stats.standardOutput.contains(#""2025-11""#))
        let again = try CommandRunner.run(["sample", "-o", out])
        #expect(again.status == 2)
        #expect(again.standardError.contains("already exists"))
        let forced = try CommandRunner.run(["sample", "-o", out, "--force"])
        #expect(forced.status == 0)
    }
}
