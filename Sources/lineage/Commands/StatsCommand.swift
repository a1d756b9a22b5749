import ArgumentParser
import LineageKit

/// `lineage stats`: what a namespace holds, per collection, tier and shape, and its pipeline.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count documents, objects and collections, per collection, tier and input shape.",
        discussion: """
            Prints what was read, documents per collection, per tier (1 = made from a bucket object) \
            and per input shape, ghost nodes (references to objects and documents absent from the \
            input), and the pipeline between buckets and collections.

            Examples:
              lineage stats examples/data
              lineage stats documents.jsonl objects.jsonl --format json
              cat page.json | lineage stats -
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    func run() async throws {
        let snapshot = try await input.readSnapshot()
        let graph = ProcessLifetime.graph(of: snapshot)
        let statistics = NamespaceStatistics(snapshot: snapshot, graph: graph)
        switch format {
        case .text: StandardOutput.write(statistics.text())
        case .json: StandardOutput.write(json: statistics.json, layout: .pretty)
        }
    }
}
