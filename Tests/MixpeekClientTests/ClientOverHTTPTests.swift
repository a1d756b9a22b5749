import Foundation
import LineageKit
import LineageSample
import LineageSandbox
import LineageTestSupport
import MixpeekClient
import Testing

/// The client against the sandbox over real HTTP on 127.0.0.1: every pagination shape, injected
/// faults, duplicates, wrong keys and namespaces, and ids that try to change the path.
@Suite("Mixpeek client over HTTP")
struct ClientOverHTTPTests {
    static let key = "sk_test_0123456789abcdef"
    static let fastRetries = RetryPolicy(maximumAttempts: 10, baseDelay: 0.005, maximumDelay: 0.05, deadline: 60)

    /// A sample namespace written to a temporary directory.
    static func sampleSnapshot(videos: Int = 4, articles: Int = 4) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try SampleNamespace(options: .init(videos: videos, articles: articles, seed: 3, shape: .mixed))
            .write(to: directory.path, overwrite: true)
        return directory
    }

    /// Starts a sandbox, runs `body` with a client for it, and stops the sandbox.
    static func withSandbox<T>(
        _ directory: String, options: Sandbox.Options, pageSize: Int = 1000, namespace: String = "ns_test",
        key: String = key, _ body: (MixpeekClient, Sandbox) async throws -> T
    ) async throws -> T {
        let sandbox = try Sandbox(snapshot: directory, options: options)
        let url = try await sandbox.start()
        do {
            let configuration = try MixpeekConfiguration(
                baseURL: url, namespace: namespace, apiKey: key, pageSize: pageSize, retry: fastRetries)
            let result = try await body(MixpeekClient(configuration: configuration), sandbox)
            try await sandbox.stop()
            return result
        } catch {
            try? await sandbox.stop()
            throw error
        }
    }

    @Test(
        "with 20% 5xx and 10% 429 injected, every pagination shape fetches exactly the served documents",
        arguments: Sandbox.Pagination.allCases)
    func fetchUnderFaults(pagination: Sandbox.Pagination) async throws {
        let directory = try Self.sampleSnapshot()
        let options = Sandbox.Options(
            apiKey: Self.key, namespace: "ns_test", pagination: pagination, failRate: 0.2, rateLimitRate: 0.1,
            duplicateRate: 0.2, seed: 42)
        let (fetched, served, counts, retries) = try await Self.withSandbox(
            directory.path, options: options, pageSize: 37
        ) {
            client, sandbox in
            let result = try await NamespaceFetcher(client: client, options: .init(objects: true, concurrency: 3))
                .fetch()
            return (result, await sandbox.allDocuments(), await sandbox.counts(), client.requestCounts.retries)
        }
        #expect(fetched.documents.count == served.count)
        #expect(
            Set(fetched.documents) == Set(served), "the fetched snapshot equals the served one, document for document")
        #expect(fetched.duplicatesDropped > 0, "the repeated items were seen and dropped")
        #expect(counts.faults.values.reduce(0, +) > 0 && retries > 0, "faults were injected and retried")
        #expect(!fetched.objects.isEmpty)
    }

    @Test("past the 10,000 offset cap the listing switches to the cursor the server offers")
    func deepListing() async throws {
        let directory = try TemporaryDirectory()
        var lines = ""
        for number in 0..<10_450 {
            lines += #"{"document_id":"doc_\#(number)","collection_id":"col_big","metadata":{"n":\#(number)}}"# + "\n"
        }
        _ = try directory.write("documents.jsonl", lines)
        for pagination in [Sandbox.Pagination.pages, .hasMore] {
            let listing = try await Self.withSandbox(directory.path, options: .init(pagination: pagination)) {
                client, _ in
                try await client.listDocuments(inCollection: "col_big")
            }
            #expect(listing.items.count == 10_450, "\(pagination)")
            #expect(Set(listing.items.compactMap { $0.objectValue?["document_id"]?.stringValue }).count == 10_450)
        }
    }

    @Test(
        "progress gets the running count and, in every shape, the total the server announces",
        arguments: Sandbox.Pagination.allCases)
    func progressTotals(pagination: Sandbox.Pagination) async throws {
        let directory = try Self.sampleSnapshot(videos: 2, articles: 0)
        let seen = ProgressLog()
        let listing = try await Self.withSandbox(directory.path, options: .init(pagination: pagination), pageSize: 20) {
            client, _ in
            try await client.listDocuments(inCollection: "col_frames") { count, total in seen.add(count, total) }
        }
        let calls = seen.calls
        #expect(calls.count > 1)
        #expect(calls.map(\.0) == calls.map(\.0).sorted())
        #expect(calls.last?.0 == listing.items.count)
        #expect(calls.allSatisfy { $0.1 == listing.items.count }, "\(calls.prefix(3))")
    }

    @Test("a wrong key or namespace gives an error that says what to check and never shows the key")
    func authenticationErrors() async throws {
        let directory = try Self.sampleSnapshot(videos: 1, articles: 1)
        let options = Sandbox.Options(apiKey: Self.key, namespace: "ns_test")
        let wrongKey = "sk_wrong_key_fedcba9876543210"
        let unauthorized = try await Self.withSandbox(directory.path, options: options, key: wrongKey) { client, _ in
            await #expect(throws: MixpeekError.self) { try await client.listCollections() }
            do {
                _ = try await client.listCollections()
                return MixpeekError(code: .invalidResponse, message: "no error")
            } catch let error as MixpeekError { return error }
        }
        #expect(unauthorized.code == .unauthorized)
        #expect(unauthorized.remedy == .apiKey && unauthorized.description.contains("API key was refused"))
        #expect(!unauthorized.description.contains(wrongKey) && !unauthorized.description.contains(Self.key))
        let wrongNamespace = try await Self.withSandbox(directory.path, options: options, namespace: "ns_nope") {
            client, _ in
            do {
                _ = try await client.listCollections()
                return MixpeekError(code: .invalidResponse, message: "no error")
            } catch let error as MixpeekError { return error }
        }
        #expect(wrongNamespace.code == .namespaceNotFound)
        #expect(wrongNamespace.remedy == .namespace && !wrongNamespace.description.contains("--"))
        #expect(!wrongNamespace.description.contains(Self.key))
    }

    @Test("ids with '/', '..', '?' and spaces stay one path segment: the right document comes back")
    func hostileIDs() async throws {
        let directory = try TemporaryDirectory()
        let ids = ["doc_a/../b", "..", "doc?x=1#y", "doc with space", "doc%2Fencoded"]
        var lines = ""
        for id in ids {
            lines += JSONValue.object(["document_id": .string(id), "collection_id": "col/../x"]).serialized() + "\n"
        }
        _ = try directory.write("documents.jsonl", lines)
        try await Self.withSandbox(directory.path, options: .init()) { client, _ in
            for id in ids {
                let document = try await client.document(id, inCollection: "col/../x")
                #expect(document.objectValue?["document_id"]?.stringValue == id)
            }
            await #expect(throws: MixpeekError.self) { try await client.document("doc_a", inCollection: "col") }
        }
    }

    @Test("a sandbox on a port in use says so at once")
    func portInUse() async throws {
        let directory = try Self.sampleSnapshot(videos: 1, articles: 0)
        let first = try Sandbox(snapshot: directory.path)
        let url = try await first.start()
        let port = try #require(UInt16(url.split(separator: ":").last ?? ""))
        let second = try Sandbox(snapshot: directory.path, options: .init(port: port))
        let started = Date()
        let error = await #expect(throws: LineageKitError.self) { _ = try await second.start() }
        #expect(error?.message.contains("in use") == true, "\(String(describing: error))")
        #expect(Date().timeIntervalSince(started) < 5)
        try await first.stop()
    }

    @Test("a FastAPI validation body and the error envelope both become clear errors")
    func errorBodies() async throws {
        let directory = try Self.sampleSnapshot(videos: 1, articles: 0)
        try await Self.withSandbox(directory.path, options: .init()) { client, _ in
            do {
                _ = try await client.document("doc_absent", inCollection: "col_frames")
                Issue.record("no error for an absent document")
            } catch let error as MixpeekError {
                #expect(error.code == .notFound && error.status == 404)
                #expect(error.message.contains("NotFoundError") && error.message.contains("doc_absent"))
            }
        }
        let configuration = try MixpeekConfiguration(
            baseURL: "http://127.0.0.1:1", namespace: "ns", apiKey: "k", pageSize: 1000,
            // A deadline far off: the deadline is wall time, and in a full test run this task can
            // wait behind every queued test for a cooperative thread to resume on (135 s seen).
            retry: RetryPolicy(maximumAttempts: 2, baseDelay: 0.001, maximumDelay: 0.001, deadline: 3600))
        do {
            _ = try await MixpeekClient(configuration: configuration).listCollections()
            Issue.record("no error for a closed port")
        } catch let error as MixpeekError {
            #expect(error.code == .transport)
            #expect(error.message.contains("gave up after 2 attempts"))
        }
    }

    @Test("the OpenLineage client retries as the Mixpeek client does: a refused connection three times at most")
    func openLineageRetriesAlike() async throws {
        let retries = RetryLog()
        var client = try OpenLineageClient(
            url: "http://127.0.0.1:1", apiKey: nil,
            // A deadline far off: the deadline is wall time, and in a full test run this task can
            // wait behind every queued test for a cooperative thread to resume on (135 s seen).
            retry: RetryPolicy(maximumAttempts: 8, baseDelay: 0.001, maximumDelay: 0.001, deadline: 3600))
        client.onRetry = { retries.add($0) }
        do {
            try await client.post(["eventType": "COMPLETE"])
            Issue.record("no error for a closed port")
        } catch let error as MixpeekError {
            #expect(error.code == .transport)
            #expect(error.message.hasPrefix("cannot connect to 127.0.0.1: "))
            #expect(error.message.hasSuffix("(gave up after 3 attempts)"), "\(error.message)")
        }
        #expect(retries.count == 2)
    }
}

/// Retry messages, recorded.
final class RetryLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var count: Int { lock.withLock { messages.count } }
}

/// Progress callbacks, recorded.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(Int, Int?)] = []

    func add(_ count: Int, _ total: Int?) {
        lock.lock()
        entries.append((count, total))
        lock.unlock()
    }

    var calls: [(Int, Int?)] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }
}
