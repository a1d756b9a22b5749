import Foundation
import LineageKit
import LineageTestSupport
import MixpeekClient
import Testing

/// Configuration, retry timing and snapshot writing: the parts with no server.
@Suite("Mixpeek configuration, retries and snapshot files")
struct ConfigurationTests {
    @Test("plain http is refused for other hosts unless --insecure; loopback is fine; the key never shows")
    func insecureURLs() throws {
        #expect(throws: MixpeekError.self) {
            try MixpeekConfiguration(baseURL: "http://api.example.com", namespace: "ns", apiKey: "sk_secret_value")
        }
        let allowed = try MixpeekConfiguration(
            baseURL: "http://api.example.com/", namespace: "ns", apiKey: "sk_secret_value", insecure: true)
        #expect(allowed.baseURL.absoluteString == "http://api.example.com")
        for host in ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"] {
            let configuration = try MixpeekConfiguration(baseURL: host, namespace: "ns", apiKey: "sk_secret_value")
            #expect(!configuration.description.contains("sk_secret_value"))
        }
        #expect(throws: MixpeekError.self) {
            try MixpeekConfiguration(baseURL: "ftp://x", namespace: "ns", apiKey: "k")
        }
        #expect(throws: MixpeekError.self) {
            try MixpeekConfiguration(baseURL: "https://x", namespace: "", apiKey: "k")
        }
    }

    @Test("the key comes from the file's first line, else MIXPEEK_API_KEY; namespace and URL from the environment")
    func resolve() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("key", "  sk_from_file  \nsecond line\n")
        let environment = [
            "MIXPEEK_API_KEY": "sk_env", "MIXPEEK_NAMESPACE": "ns_env", "MIXPEEK_BASE_URL": "https://eu.example",
        ]
        let fromFile = try MixpeekConfiguration.resolve(
            baseURL: nil, namespace: nil, apiKeyFile: file, insecure: false, environment: environment)
        #expect(fromFile.namespace == "ns_env" && fromFile.baseURL.absoluteString == "https://eu.example")
        let error = try #require(throws: MixpeekError.self) {
            try MixpeekConfiguration.resolve(
                baseURL: nil, namespace: "ns", apiKeyFile: directory.file("absent"), insecure: false, environment: [:])
        }
        #expect(error.message.contains("absent"))
        let noKey = try #require(throws: MixpeekError.self) {
            try MixpeekConfiguration.resolve(
                baseURL: nil, namespace: "ns", apiKeyFile: nil, insecure: false, environment: [:])
        }
        #expect(noKey.remedy == .apiKey && noKey.message.contains("no API key"))
    }

    @Test("backoff uses full jitter within a doubling bound; Retry-After in seconds or as an HTTP date wins")
    func backoff() {
        let policy = RetryPolicy(maximumAttempts: 5, baseDelay: 0.5, maximumDelay: 3, deadline: 60)
        for retry in 1...6 {
            let bound = min(3, 0.5 * pow(2, Double(retry - 1)))
            let delays = (0..<200).map { _ in policy.delay(beforeRetry: retry, retryAfter: nil) }
            #expect(delays.allSatisfy { $0 >= 0 && $0 <= bound })
            #expect(delays.max() ?? 0 > bound / 2, "jitter spreads over the whole range")
        }
        #expect(policy.delay(beforeRetry: 1, retryAfter: 7) == 7)
        #expect(RetryPolicy.retryAfterSeconds("12") == 12)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = RetryPolicy.retryAfterSeconds("Tue, 14 Nov 2023 22:13:40 GMT", now: now)
        #expect(later == 20)
        #expect(RetryPolicy.retryAfterSeconds("soon") == nil)
    }

    @Test("a fetched snapshot is written whole or not at all, and never over a directory without overwrite")
    func snapshotWriting() throws {
        let directory = try TemporaryDirectory()
        let target = directory.file("snap")
        let result = NamespaceFetcher.Result(
            collections: [
                [
                    "collection_id": "col_a", "source": ["type": "bucket", "bucket_ids": ["bkt_a"]],
                    "feature_extractor": ["feature_extractor_id": "text_v1"],
                ]
            ],
            documents: [["document_id": "doc_1", "collection_id": "col_a", "metadata": ["k": 1]]], objects: [],
            duplicatesDropped: 0, missingObjects: [])
        try NamespaceFetcher.write(result, to: target, namespace: "ns", baseURL: "http://127.0.0.1:1", overwrite: false)
        let snapshot = try SnapshotReader().read(.path(target))
        #expect(snapshot.documents.map(\.id) == ["doc_1"])
        #expect(throws: LineageKitError.self) {
            try NamespaceFetcher.write(result, to: target, namespace: "ns", baseURL: "x", overwrite: false)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names == ["snap"], "no staging directory is left behind")
        let manifest = try String(contentsOfFile: target + "/snapshot.json", encoding: .utf8)
        #expect(manifest.contains(#""documents": 1"#) && manifest.contains(#""namespace": "ns""#))
    }
}
