import Foundation
import LineageKit
import LineageSample
import LineageTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `lineage serve` and `lineage fetch`, and audit/graph/stats reading the API, as separate
/// processes talking HTTP on 127.0.0.1.
@Suite("lineage fetch and serve")
struct FetchServeCommandTests {
    static let key = "sk_cli_test_5f2a9c"

    @Test("fetch → audit → graph against the sandbox, with faults: the snapshot equals the served one")
    func endToEnd() throws {
        let server = try ServedSandbox([
            "examples/data", "--api-key", Self.key, "--namespace", "ns_sample", "--pagination", "has-more",
            "--fail-rate", "0.2", "--rate-limit-rate", "0.1",
        ])
        defer { _ = server.stop() }
        let directory = try TemporaryDirectory()
        let snapshot = directory.file("snap")
        let environment = ["MIXPEEK_API_KEY": Self.key]
        let fetch = try CommandRunner.run(
            ["fetch", "--namespace", "ns_sample", "--base-url", server.url, "--objects", "-o", snapshot],
            environment: environment)
        #expect(fetch.status == 0, "\(fetch.standardError)")
        #expect(fetch.standardError.contains("fetched 202 documents"))
        #expect(!fetch.standardError.contains(Self.key))
        let served = try SnapshotReader().read(.path(Fixtures.exampleData))
        let fetched = try SnapshotReader().read(.path(snapshot))
        let fetchedJSON = Set(try fetched.documents.map { try $0.json() })
        let servedJSON = Set(try served.documents.map { try $0.json() })
        #expect(fetchedJSON == servedJSON)
        // The fetched snapshot, whose manifest says which buckets were looked up whole, as the API read does.
        let fromFiles = try CommandRunner.run(["audit", snapshot, "--format", "json", "--fail-on", "never"])
        let fromAPI = try CommandRunner.run(
            ["audit", "--namespace", "ns_sample", "--base-url", server.url, "--format", "json", "--fail-on", "never"],
            environment: environment)
        #expect(fromAPI.status == 0, "\(fromAPI.standardError)")
        #expect(Self.findings(fromAPI.standardOutput) == Self.findings(fromFiles.standardOutput))
        let graph = try CommandRunner.run(
            ["graph", "--namespace", "ns_sample", "--base-url", server.url, "--select", "rule:cycle"],
            environment: environment)
        #expect(graph.status == 0 && graph.standardOutput.hasPrefix("digraph"), "\(graph.standardError)")
    }

    @Test("a wrong key or namespace exits 2 with what to check, and the key is never printed")
    func wrongCredentials() throws {
        let server = try ServedSandbox(["examples/data", "--api-key", Self.key, "--namespace", "ns_sample"])
        defer { _ = server.stop() }
        let directory = try TemporaryDirectory()
        let badKey = "sk_bad_key_0000"
        let wrongKey = try CommandRunner.run(
            ["fetch", "--namespace", "ns_sample", "--base-url", server.url, "-o", directory.file("a")],
            environment: ["MIXPEEK_API_KEY": badKey])
        #expect(wrongKey.status == 2)
        #expect(wrongKey.standardError.contains("API key was refused"))
        #expect(!wrongKey.standardError.contains(badKey) && !wrongKey.standardOutput.contains(badKey))
        let wrongNamespace = try CommandRunner.run(
            ["stats", "--namespace", "ns_other", "--base-url", server.url], environment: ["MIXPEEK_API_KEY": Self.key])
        #expect(wrongNamespace.status == 2)
        #expect(wrongNamespace.standardError.contains("namespace 'ns_other' did not resolve"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("a")), "a failed fetch leaves no snapshot")
        let insecure = try CommandRunner.run(
            ["stats", "--namespace", "ns", "--base-url", "http://example.com"], environment: ["MIXPEEK_API_KEY": "k"])
        #expect(insecure.status == 2 && insecure.standardError.contains("--insecure"))
    }

    @Test("serve applies PATCHes and writes them back with --persist; counts requests per path")
    func persist() throws {
        let directory = try TemporaryDirectory()
        try SampleNamespace(options: .init(videos: 1, articles: 1, seed: 5)).write(to: directory.path, overwrite: true)
        let before = try SnapshotReader().read(.path(directory.path))
        let document = try #require(before.documents.first)
        let server = try ServedSandbox([directory.path, "--persist", "--patch-semantics", "merge"])
        let path = "/v1/collections/\(document.collectionID)/documents/\(document.id)"
        var request = URLRequest(url: try #require(URL(string: server.url + path)))
        request.httpMethod = "PATCH"
        // Today's API takes user fields in `metadata` for every shape and refuses other keys.
        request.httpBody = Data(#"{"reviewed": true}"#.utf8)
        let refused = HTTP.send(request)
        #expect(refused.status == 422)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("extra_forbidden"))
        let body: JSONValue = ["metadata": ["reviewed": true]]
        request.httpBody = Data(body.serialized().utf8)
        #expect(HTTP.send(request).status == 200)
        let counts = String(
            decoding: HTTP.send(URLRequest(url: try #require(URL(string: server.url + "/_sandbox/requests")))).body,
            as: UTF8.self)
        #expect(counts.contains("\"PATCH \(path)\":2"))
        #expect(server.stop() == 0)
        let after = try SnapshotReader().read(.path(directory.path))
        let patched = try #require(after.documents.first { $0.id == document.id })
        #expect(patched.userField("reviewed") == .bool(true))
        #expect(after.documents.count == before.documents.count)
    }

    /// The rule and document of every finding in an audit's JSON output.
    static func findings(_ json: String) -> [String] {
        guard let value = try? JSONValue(parsing: Array(json.utf8), name: "audit") else { return [] }
        return (value.objectValue?["findings"]?.arrayValue ?? []).map {
            ($0.objectValue?["rule"]?.stringValue ?? "") + " " + ($0.objectValue?["document_id"]?.stringValue ?? "")
        }.sorted()
    }
}
