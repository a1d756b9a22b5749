import ArgumentParser
import Foundation
import LineageKit
import MixpeekClient

/// The inputs every reading command takes, and how to treat bad records in them.
struct InputOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Files or directories to read (the .json and .jsonl files directly in a directory); '-' for standard input.",
            valueName: "input"))
    var inputs: [String] = []

    /// With input paths, `--namespace` and `--base-url` only say where the files came from (a
    /// plan records them); without, they are read from the API.
    @OptionGroup(title: "Reading from the Mixpeek API instead of files (when no input is given)")
    var api: APIOptions

    @Flag(help: "Skip bad records, report how many and the first few, instead of stopping at the first.")
    var keepGoing = false

    func validate() throws {
        if inputs.isEmpty, !api.isGiven {
            throw ValidationError(
                "Give at least one input file or directory, '-' for standard input, or --namespace to read the API.")
        }
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("Standard input ('-') can be read only once.")
        }
    }

    /// Reads the inputs (or fetches the namespace), telling standard error about skipped records
    /// and about a snapshot the API said was incomplete.
    /// With `keepingRecordPrints`, a later snapshot can reuse its unchanged documents; with
    /// `earlier`, this one reuses the unchanged documents of `earlier`.
    func readSnapshot(keepingRecordPrints: Bool = false, reusingDocumentsOf earlier: Snapshot? = nil) async throws
        -> Snapshot
    {
        try await readSnapshotAndBanner(keepingRecordPrints: keepingRecordPrints, reusingDocumentsOf: earlier).snapshot
    }

    /// Reads the inputs (or fetches the namespace), with the banner to show when the API said a
    /// listing was incomplete (fetched with `--allow-incomplete`): such a snapshot misses documents.
    func readSnapshotAndBanner(keepingRecordPrints: Bool = false, reusingDocumentsOf earlier: Snapshot? = nil)
        async throws -> (snapshot: Snapshot, banner: String?)
    {
        var options = SnapshotReader.Options(keepGoing: keepGoing)
        options.keepsRecordPrints = keepingRecordPrints
        let reader = SnapshotReader(options: options)
        var sources = inputs.map(InputSource.init(argument:))
        var incomplete: [NamespaceFetcher.IncompleteListing] = []
        if inputs.count == 1, let manifest = PlanCommand.manifest(of: inputs) {
            incomplete = (manifest["incomplete"]?.arrayValue ?? []).compactMap(NamespaceFetcher.IncompleteListing.init)
        }
        if inputs.isEmpty, api.isGiven {
            let (result, client) = try await api.fetch(objects: true)
            incomplete = result.incomplete
            sources = result.sources(from: client)
        }
        let snapshot = try earlier.map { try reader.read(sources, reusingDocumentsOf: $0) } ?? reader.read(sources)
        let report = snapshot.report
        if report.skippedRecords > 0 {
            StandardError.print("lineage: skipped \(report.skippedRecords) bad record(s); the first:")
            for problem in report.problems {
                StandardError.print("  \(problem)")
            }
        }
        let banner = Self.banner(incomplete)
        if let banner { StandardError.print("lineage: warning: " + banner) }
        return (snapshot, banner)
    }

    /// The words for a snapshot with incomplete listings; `nil` when it is complete.
    static func banner(_ incomplete: [NamespaceFetcher.IncompleteListing]) -> String? {
        guard !incomplete.isEmpty else { return nil }
        let listings = incomplete.map { entry in
            entry.warnings.isEmpty ? entry.listing : "\(entry.listing) (\(entry.warnings.joined(separator: "; ")))"
        }
        return "INCOMPLETE SNAPSHOT: the API said these listings ended early, so documents are missing and "
            + "findings about missing relatives may be false: " + listings.joined(separator: ", ")
    }
}

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
