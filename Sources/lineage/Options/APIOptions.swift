import ArgumentParser
import Foundation
import LineageKit
import MixpeekClient

/// Where the Mixpeek API is and as whom to call it. The API key comes from `MIXPEEK_API_KEY` or
/// `--api-key-file`, never from an argument: other users of the machine can read arguments.
struct APIOptions: ParsableArguments {
    @Option(help: "The namespace (ns_… or name) to read from the API; default MIXPEEK_NAMESPACE.")
    var namespace: String?

    @Option(help: "The API's base URL; default MIXPEEK_BASE_URL, else https://api.mixpeek.com.")
    var baseURL: String?

    @Option(help: ArgumentHelp("A file whose first line is the API key (else MIXPEEK_API_KEY).", valueName: "file"))
    var apiKeyFile: String?

    @Flag(help: "Allow plain http:// to a host other than this machine.")
    var insecure = false

    /// Not an option: said here so that trying it gets a useful answer instead of "Unknown option".
    @Option(name: .customLong("api-key"), help: .hidden)
    var apiKeyArgument: String?

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
        if apiKeyArgument != nil {
            throw ValidationError(
                "There is no --api-key: other users of the machine can read a command's arguments. Set "
                    + "MIXPEEK_API_KEY, or give --api-key-file FILE (the key on its first line).")
        }
        if allCollections, !collections.isEmpty {
            throw ValidationError("Give --collection or --all-collections, not both.")
        }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1.") }
    }

    /// A client configured from these options and the environment.
    func client() throws -> MixpeekClient {
        MixpeekClient(
            configuration: try MixpeekConfiguration.resolve(
                baseURL: baseURL, namespace: namespace, apiKeyFile: apiKeyFile, insecure: insecure
            ).sayingRetriesOnTerminal())
    }

    /// Fetches what these options name, with a progress bar on a terminal: into memory, or, given
    /// `directory`, straight into a snapshot directory there (pages streamed to disk).
    func fetch(
        objects: Bool, reconciliation: Bool = false, into directory: (path: String, overwrite: Bool)? = nil
    ) async throws -> (NamespaceFetcher.Result, MixpeekClient) {
        let client = try client()
        let progress = ProgressBar(label: "documents")
        let fetcher = NamespaceFetcher(
            client: client,
            options: .init(
                collections: collections.isEmpty ? nil : collections, objects: objects, concurrency: concurrency,
                allowIncomplete: allowIncomplete, reconciliation: reconciliation))
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

extension MixpeekConfiguration {
    /// The configuration, telling a terminal on standard error about each retry.
    func sayingRetriesOnTerminal() -> MixpeekConfiguration {
        guard isatty(FileHandle.standardError.fileDescriptor) == 1 else { return self }
        var configuration = self
        configuration.onRetry = { StandardError.print("lineage: " + $0 + "…") }
        return configuration
    }
}
