import ArgumentParser
import Foundation
import LineageKit
import MixpeekClient

/// Where the Mixpeek API is, as whom to call it (``ConnectionOptions``), and what to read from it.
struct APIOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions

    /// The namespace to read (`--namespace`).
    var namespace: String? {
        get { connection.namespace }
        set { connection.namespace = newValue }
    }

    /// The API's base URL (`--base-url`).
    var baseURL: String? { connection.baseURL }

    @Option(name: .customLong("collection"), help: "A collection to fetch (repeat for more); default all.")
    var collections: [String] = []

    @Flag(help: "Fetch every collection of the namespace (the default when no --collection is given).")
    var allCollections = false

    @Option(help: "How many collections (and object requests) to fetch at once.")
    var concurrency = 4

    @Flag(
        help: """
            Keep a listing the API says is incomplete (its warnings), instead of stopping; recorded in \
            snapshot.json and shown as a banner by stats, audit and report.
            """)
    var allowIncomplete = false

    /// Whether the user asked to read from the API at all.
    var isGiven: Bool { namespace != nil }

    func validate() throws {
        if allCollections, !collections.isEmpty {
            throw ValidationError("Give --collection or --all-collections, not both.")
        }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1.") }
    }

    /// A client configured from these options and the environment.
    func client() throws -> MixpeekClient {
        try connection.client(namespace: namespace, baseURL: baseURL)
    }

    /// Fetches what these options name, with a progress bar on a terminal: into memory, or, given
    /// `directory`, straight into a snapshot directory there (pages streamed to disk).
    func fetch(
        objects: Bool, reconciliation: Bool = false, batches: Bool = false,
        export: NamespaceFetcher.ExportFormat? = nil,
        into directory: (path: String, overwrite: Bool)? = nil
    ) async throws -> (NamespaceFetcher.Result, MixpeekClient) {
        let client = try client()
        let progress = ProgressBar(label: "documents")
        let fetcher = NamespaceFetcher(
            client: client,
            options: .init(
                collections: collections.isEmpty ? nil : collections, objects: objects, concurrency: concurrency,
                allowIncomplete: allowIncomplete, reconciliation: reconciliation, export: export, batches: batches))
        let report: NamespaceFetcher.Progress = { count, total in progress.update(count, of: total) }
        let result: NamespaceFetcher.Result
        if let directory {
            result = try await fetcher.fetch(
                into: directory.path, namespace: client.configuration.namespace,
                baseURL: client.configuration.baseURL.absoluteString, overwrite: directory.overwrite,
                progress: report)
        } else {
            result = try await fetcher.fetch(progress: report)
        }
        progress.finish()
        if result.duplicatesDropped > 0 {
            StandardError.print(
                "lineage: dropped \(result.duplicatesDropped) item(s) listed twice (ordering shifted during the listing)"
            )
        }
        return (result, client)
    }
}
