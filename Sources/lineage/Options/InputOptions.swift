import ArgumentParser
import LineageKit

/// The inputs every reading command takes, and how to treat bad records in them.
struct InputOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Files or directories to read (the .json and .jsonl files directly in a directory); '-' for standard input.",
            valueName: "input"))
    var inputs: [String]

    @Flag(help: "Skip bad records, report how many and the first few, instead of stopping at the first.")
    var keepGoing = false

    func validate() throws {
        if inputs.isEmpty {
            throw ValidationError("Give at least one input file or directory, or '-' for standard input.")
        }
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("Standard input ('-') can be read only once.")
        }
    }

    /// Reads the inputs, telling standard error about skipped records.
    func readSnapshot() throws -> Snapshot {
        let reader = SnapshotReader(options: .init(keepGoing: keepGoing))
        let snapshot = try reader.read(inputs.map(InputSource.init(argument:)))
        let report = snapshot.report
        if report.skippedRecords > 0 {
            StandardError.print("lineage: skipped \(report.skippedRecords) bad record(s); the first:")
            for problem in report.problems {
                StandardError.print("  \(problem)")
            }
        }
        return snapshot
    }
}

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
