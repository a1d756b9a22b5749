import ArgumentParser
import Foundation
import LineageKit
import MixpeekClient

/// `lineage fetch`: brings a namespace down from the Mixpeek API into a snapshot directory.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch a namespace (or chosen collections) from the Mixpeek API into a snapshot directory.",
        discussion: """
            Writes documents.jsonl, objects.jsonl (with --objects), collections.json and a \
            snapshot.json manifest (namespace, base URL, time, counts) that every other command reads. \
            Everything is written to a temporary directory first and renamed into place when \
            complete, so an interrupted fetch never leaves a snapshot that looks whole. The API key \
            comes from MIXPEEK_API_KEY or --api-key-file; never from an argument.

            Examples:
              MIXPEEK_API_KEY=sk_… lineage fetch --namespace ns_prod -o snapshot/
              lineage fetch --namespace ns_prod --collection col_frames -o part/
              lineage fetch --namespace ns_x --base-url http://127.0.0.1:8080 -o x/
              lineage fetch --namespace ns_big --export parquet -o big/
            """
    )

    @OptionGroup var api: APIOptions

    @Flag(help: "Also fetch the root objects the documents name.")
    var objects = false

    @Flag(
        help: """
            Also fetch each collection's reconciliation (source objects against documents) into \
            reconciliation.json, for the coverage.missing rule.
            """)
    var reconciliation = false

    @Flag(
        help: """
            Also fetch the processing batches of the buckets read (tier tasks, failed documents) into \
            batches.json, for the batch.unreconciled rule.
            """)
    var batches = false

    @Option(
        help: ArgumentHelp(
            "Have the API export each collection to a file (POST …/export) and download it instead of paging "
                + "the list endpoint (capped at 10,000 offsets and rate limited): json joins them into "
                + "documents.jsonl; parquet keeps documents-<collection>.parquet files for `audit --engine`.",
            valueName: "format"))
    var export: NamespaceFetcher.ExportFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp("The snapshot directory to write.", valueName: "dir"))
    var output: String

    @Flag(help: "Replace the directory if it exists.")
    var force = false

    func validate() throws {
        if api.namespace == nil, ProcessInfo.processInfo.environment["MIXPEEK_NAMESPACE"] == nil {
            throw ValidationError("Give --namespace (or set MIXPEEK_NAMESPACE).")
        }
        if export == .parquet && objects {
            throw ValidationError(
                "--objects reads the root ids from the documents, which LineageKit cannot read from Parquet: "
                    + "use --export json with --objects.")
        }
        if !force, FileManager.default.fileExists(atPath: output) {
            throw ValidationError("\(output) exists; give --force to replace it.")
        }
    }

    func run() async throws {
        var api = self.api
        api.namespace = api.namespace ?? ProcessInfo.processInfo.environment["MIXPEEK_NAMESPACE"]
        let started = Date()
        let (result, client) = try await api.fetch(
            objects: objects, reconciliation: reconciliation, batches: batches, export: export, into: (output, force))
        let seconds = Date().timeIntervalSince(started)
        let counts = client.requestCounts
        var summary =
            "lineage: fetched \(result.documentCount) documents, \(result.collections.count) collections"
        if objects { summary += ", \(result.objects.count) objects" }
        if reconciliation { summary += ", \(result.reconciliations.count) reconciliations" }
        if let fetched = result.batches { summary += ", \(fetched.count) batches" }
        summary += String(
            format: " in %.1f s (%d requests, %d retried) into %@", seconds, counts.requests, counts.retries, output)
        StandardError.print(summary)
        if let banner = InputOptions.banner(result.incomplete) {
            StandardError.print("lineage: warning: " + banner + " (recorded in snapshot.json)")
        }
        if !result.missingObjects.isEmpty {
            StandardError.print(
                "lineage: \(result.missingObjects.count) root object(s) named by documents are in none of the buckets "
                    + "they name, e.g. " + result.missingObjects.prefix(3).joined(separator: ", ")
                    + " (they show as ghosts; the audit reports orphan.deleted-root, or orphan.missing-root where the bucket was not looked up whole)"
            )
        }
        if let first = result.misplacedObjects.first {
            StandardError.print(
                "lineage: \(result.misplacedObjects.count) root object(s) are in another bucket than some documents "
                    + "name, e.g. \(first.id) is in \(first.foundBucket), not \(first.namedBucket): the documents' "
                    + "bucket is wrong (the audit reports it), the object is not missing")
        }
    }
}

extension NamespaceFetcher.ExportFormat: ExpressibleByArgument {}
