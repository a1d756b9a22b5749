import ArgumentParser
import Foundation
import LineageKit

/// `lineage impact SELECTOR INPUT...`: everything downstream (or upstream) of a selection.
struct ImpactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "What deleting or re-extracting documents affects: everything derived from them, or (--upstream) "
            + "everything they derive from.",
        discussion: """
            SELECTOR is a selection as `graph --select` takes it: doc_… or obj_… (an object names its \
            whole tree), collection:NAME, rule:GLOB, with +, @ and & (docs/cli.md). The selection and \
            everything reached from it are listed, with counts per collection and bucket and the pipeline \
            edges (source → collection, by extractor) among them.

            Examples:
              lineage impact collection:col_frames examples/data
              lineage impact doc_scene_001 snapshot/ --upstream
              lineage impact 'rule:mismatch.*' snapshot/ --format csv > affected.csv
            """
    )

    @Argument(
        help: ArgumentHelp("What to start from (the selection language of graph --select).", valueName: "selector"))
    var selector: String

    @OptionGroup var input: InputOptions

    @Flag(help: "Walk to what the selection derives from (root cause) instead of what derives from it.")
    var upstream = false

    @Option(help: "Output format: text, json or csv (one row per affected node).")
    var format: ImpactFormat = .text

    @Option(
        name: .shortAndLong, help: ArgumentHelp("The file to write; standard output when absent.", valueName: "file"))
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @Flag(help: "List every node reached in text output (by default the first 20).")
    var all = false

    func validate() throws {
        _ = try NodeSelector(selector)
        if let output { try OutputPath.check(output, force: force) }
    }

    func run() async throws {
        let snapshot = try await input.readSnapshot()
        let graph = ProcessLifetime.graph(of: snapshot)
        let selection = try NodeSelector(selector)
        // Findings are needed only to select by rule.
        let findings = selection.description.contains("rule:") ? try Auditor().audit(graph).findings : []
        try snapshot.checkInputsUnchanged()
        let nodes = try selection.select(in: graph, findings: findings)
        let impact = ImpactAnalysis(graph: graph, selection: nodes, direction: upstream ? .upstream : .downstream)
        let text: String
        switch format {
        case .text:
            text = impact.text(
                selection: selector, maximumNodes: all ? nil : 20, moreHint: "--all, or --format csv, lists them")
        case .json: text = impact.json(selection: selector).serialized(.pretty) + "\n"
        case .csv: text = impact.csv
        }
        guard let output else {
            StandardOutput.write(text)
            return
        }
        try AtomicFileWriter.write(text, to: output, overwrite: force)
        StandardError.print("lineage: wrote the impact of \(selector) (\(impact.affected.count) nodes) to \(output)")
    }
}

/// `impact --format`.
enum ImpactFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}
