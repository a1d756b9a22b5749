import ArgumentParser
import Dispatch
import Foundation
import LineageKit
import LineageSandbox

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `lineage serve`: a local server speaking the Mixpeek API from a snapshot.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a snapshot as a local Mixpeek-compatible API, to test against or rehearse corrections.",
        discussion: """
            Serves POST /v1/collections/list, GET /v1/collections/{id}, POST …/documents/list, GET and \
            PATCH …/documents/{id}, POST /v1/buckets/{id}/objects/list and GET …/objects/{id}, with the \
            API's error envelope. GET /_sandbox/requests returns request counts per method and path. \
            Prints the base URL on standard output, then serves until interrupted.

            Examples:
              lineage serve examples/data --port 8080 --api-key sk_test
              lineage serve snapshot/ --pagination pages --fail-rate 0.2
            """
    )

    @Argument(help: ArgumentHelp("A snapshot directory (as lineage fetch or sample writes).", valueName: "snapshot"))
    var snapshot: String

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port: UInt16 = 8080

    @Option(help: "IPv4 address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The API key requests must carry (a sandbox key, not a real one); any when absent.")
    var apiKey: String?

    @Option(help: "The namespace requests must name; default the snapshot's, else any.")
    var namespace: String?

    @Option(help: "How lists page: cursor, pages or has-more.")
    var pagination: Sandbox.Pagination = .cursor

    @Option(help: "What PATCH does to user fields: replace them, or merge into them.")
    var patchSemantics: Sandbox.PatchSemantics = .merge

    @Option(
        help: """
            Which PATCH body keys are taken: metadata (today: others refused with 422 extra_forbidden), \
            warn (before 2026-11-02: others ignored and named in warnings), any (user fields at the root too).
            """)
    var patchKeys: Sandbox.PatchKeys = .metadata

    @Option(
        name: .customLong("unresolved-namespace-as"),
        help: """
            How another X-Namespace is answered: warning (today: list calls give 200, no results, a warnings \
            entry and an X-Namespace-Unresolved header; others 404) or 404 (every call).
            """)
    var unresolvedNamespace: Sandbox.UnresolvedNamespace = .warning

    @Option(help: "End document listings after N documents with a warnings entry, as the API's capped listings do.")
    var truncateListingsAfter: Int?

    @Option(help: "Share of API requests answered with a random 5xx (0 to 1).")
    var failRate = 0.0

    @Option(help: "Share of API requests answered with 429, half with Retry-After (0 to 1).")
    var rateLimitRate = 0.0

    @Option(help: "Share of writes (PATCH, DELETE, create) carried out, then answered 504 as if lost (0 to 1).")
    var loseAnswerRate = 0.0

    @Option(help: "Share of list pages that repeat the previous page's last item, as when ordering shifts (0 to 1).")
    var duplicateRate = 0.0

    @Option(help: "Milliseconds of latency added to every API request.")
    var latencyMs = 0

    @Flag(help: "Write PATCHed documents back to the snapshot's documents.jsonl when stopping.")
    var persist = false

    @Option(help: "Seed of the fault injection.")
    var seed: UInt64 = 1

    func validate() throws {
        for (name, rate) in [
            ("--fail-rate", failRate), ("--rate-limit-rate", rateLimitRate), ("--duplicate-rate", duplicateRate),
            ("--lose-answer-rate", loseAnswerRate),
        ] where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be between 0 and 1.")
        }
        if failRate + rateLimitRate > 1 {
            throw ValidationError("--fail-rate and --rate-limit-rate add up to more than 1.")
        }
        if latencyMs < 0 { throw ValidationError("--latency-ms cannot be negative.") }
        if let truncateListingsAfter, truncateListingsAfter < 0 {
            throw ValidationError("--truncate-listings-after cannot be negative.")
        }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else {
            throw ValidationError("--host must be an IPv4 address, such as 127.0.0.1 (this machine) or 0.0.0.0 (all).")
        }
    }

    func run() async throws {
        let sandbox = try Sandbox(
            snapshot: snapshot,
            options: .init(
                host: host, port: port, apiKey: apiKey, namespace: namespace, pagination: pagination,
                patchSemantics: patchSemantics, patchKeys: patchKeys, unresolvedNamespace: unresolvedNamespace,
                truncateListingsAfter: truncateListingsAfter, failRate: failRate, rateLimitRate: rateLimitRate,
                lostAnswerRate: loseAnswerRate, duplicateRate: duplicateRate, latencyMilliseconds: latencyMs,
                persist: persist, seed: seed))
        let url = try await sandbox.start()
        FileHandle.standardOutput.write(Data((url + "\n").utf8))
        StandardError.print("lineage: serving \(snapshot) at \(url); Ctrl-C stops")
        await Self.waitForTermination()
        try await sandbox.stop()
        StandardError.print("lineage: stopped" + (persist ? "; documents written back to \(snapshot)" : ""))
    }

    /// Returns on SIGINT or SIGTERM.
    private static func waitForTermination() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let queue = DispatchQueue(label: "lineage.serve.signals")
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = Once(continuation)
            for number in [SIGINT, SIGTERM] {
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { once.resume() }
                source.resume()
                Once.keep(source)
            }
        }
    }
}

extension Sandbox.Pagination: ExpressibleByArgument {}
extension Sandbox.PatchSemantics: ExpressibleByArgument {}
extension Sandbox.PatchKeys: ExpressibleByArgument {}
extension Sandbox.UnresolvedNamespace: ExpressibleByArgument {}

/// Resumes a continuation once, however many signals arrive; keeps the signal sources alive.
private final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = continuation
    }

    func resume() {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume()
    }

    static func keep(_ source: any DispatchSourceSignal) {
        sources.append(source)
    }
}
