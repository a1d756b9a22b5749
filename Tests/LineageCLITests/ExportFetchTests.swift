import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// `lineage fetch --export`: collections exported by the API and downloaded from presigned URLs
/// instead of paged through the list endpoint.
@Suite("Fetching by export")
struct ExportFetchTests {
    static let environment = ["MIXPEEK_API_KEY": "sk_test"]

    @Test("--export json writes the snapshot a paged fetch writes, downloads without the API key, and lists nothing")
    func exportMatchesListing() throws {
        let server = try ServedSandbox(["examples/data", "--namespace", "ns", "--api-key", "sk_test"])
        defer { _ = server.stop() }
        let work = try TemporaryDirectory()
        let exported = try CommandRunner.run(
            [
                "fetch", "--namespace", "ns", "--base-url", server.url, "--objects", "--export", "json", "-o",
                work.file("e"),
            ],
            environment: Self.environment)
        #expect(exported.status == 0, "\(exported.standardError)")
        let listed = try CommandRunner.run(
            ["fetch", "--namespace", "ns", "--base-url", server.url, "--objects", "-o", work.file("l")],
            environment: Self.environment)
        #expect(listed.status == 0, "\(listed.standardError)")
        func lines(_ path: String) throws -> [String] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init).sorted()
        }
        let documents = try lines(work.file("e/documents.jsonl"))
        let listedDocuments = try lines(work.file("l/documents.jsonl"))
        #expect(documents.count > 100 && documents == listedDocuments)
        let objects = try lines(work.file("e/objects.jsonl"))
        let listedObjects = try lines(work.file("l/objects.jsonl"))
        #expect(!objects.isEmpty && objects == listedObjects)
        // The sandbox refuses a download that carries an Authorization header, as object storage
        // does; and the export's fetch made no listing of documents.
        let counts = try ApplyCommandTests.get(server.url + "/_sandbox/requests")
        let requests = counts["requests"]?.objectValue ?? [:]
        let exports = requests.keys.filter { $0.hasPrefix("POST /v1/collections/") && $0.hasSuffix("/export") }
        let downloads = requests.keys.filter { $0.hasPrefix("GET /_exports/") }
        #expect(exports.count == 5 && downloads.count == 5, "\(requests.keys.sorted())")
        let documentListings = requests.filter { $0.key.hasSuffix("/documents/list") }.compactMap { $0.value.intValue }
        #expect(documentListings.reduce(0, +) == 5, "only the paged fetch listed documents: \(requests)")
        let audit = try CommandRunner.run(["audit", work.file("e"), "--format", "json", "--fail-on", "never"])
        #expect(
            audit.status == 0 && audit.standardOutput.contains("\"documents\": \(documents.count),"),
            "\(audit.standardOutput.prefix(300))")
    }

    @Test(
        "a Parquet export the sandbox cannot make is a clear error and writes nothing; Parquet with --objects is refused"
    )
    func parquet() throws {
        let server = try ServedSandbox(["examples/data", "--namespace", "ns", "--api-key", "sk_test"])
        defer { _ = server.stop() }
        let work = try TemporaryDirectory()
        let result = try CommandRunner.run(
            ["fetch", "--namespace", "ns", "--base-url", server.url, "--export", "parquet", "-o", work.file("p")],
            environment: Self.environment)
        #expect(result.status == 2)
        #expect(result.standardError.contains("JSON Lines only") && result.standardError.contains("real API"))
        #expect(!FileManager.default.fileExists(atPath: work.file("p")))
        let objects = try CommandRunner.run(
            [
                "fetch", "--namespace", "ns", "--base-url", server.url, "--export", "parquet", "--objects", "-o",
                work.file("q"),
            ], environment: Self.environment)
        #expect(objects.status == 2 && objects.standardError.contains("--export json with --objects"))
    }
}
