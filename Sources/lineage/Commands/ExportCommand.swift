import ArgumentParser
import Foundation
import LineageKit

/// `lineage export`: the graph in the formats other lineage tools read.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the lineage for other tools: OpenLineage events, W3C PROV-JSON or GraphML.",
        discussion: """
            openlineage writes RunEvents as JSON Lines (one per pipeline edge, and one audit event whose \
            inputs carry the findings as dataQualityAssertions), for Marquez, DataHub, OpenMetadata or \
            Dataplex; --post sends them to an OpenLineage HTTP endpoint instead. prov-json writes \
            objects and documents as entities and extractions as activities; graphml writes nodes and \
            edges with typed attributes for networkx, yEd, Gephi or Neo4j. docs/cli.md maps each concept.

            Examples:
              lineage export examples/data --format graphml -o lineage.graphml
              lineage export snap/ --format prov-json --select collection:col_scenes
              lineage export snap/ --format openlineage -o events.jsonl
              lineage export snap/ --format openlineage --post http://127.0.0.1:5000
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "openlineage (JSON Lines of RunEvents), prov-json or graphml.")
    var format: ExportFormat

    @Option(help: "What to export (the selection language of graph --select); everything when absent.")
    var select: String?

    @Option(
        name: .shortAndLong, help: ArgumentHelp("The file to write; standard output when absent.", valueName: "file"))
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @OptionGroup(title: "Sending OpenLineage events") var openLineage: OpenLineageOptions

    func validate() throws {
        if let select { _ = try NodeSelector(select) }
        if let output { try OutputPath.check(output, force: force) }
        try openLineage.validate(format: format, output: output)
    }

    func run() async throws {
        let snapshot = try await input.readSnapshot()
        let graph = ProcessLifetime.graph(of: snapshot)
        let report = try Auditor().audit(graph)
        try snapshot.checkInputsUnchanged()
        let nodes = try select.map { try NodeSelector($0).select(in: graph, findings: report.findings) }
        if format == .openlineage, openLineage.post != nil {
            try await openLineage.send(graph: graph, nodes: nodes, report: report, namespace: input.api.namespace)
            return
        }
        let destination = try ExportDestination(path: output, overwrite: force)
        switch format {
        case .graphml:
            try GraphMLWriter().write(graph: graph, nodes: nodes, findings: report.findings, to: destination.write)
        case .provJSON:
            try PROVJSONWriter().write(graph: graph, nodes: nodes, findings: report.findings, to: destination.write)
        case .openlineage:
            let writer = try openLineage.writer(namespace: input.api.namespace)
            try writer.writeJSONLines(graph: graph, nodes: nodes, report: report, to: destination.write)
        }
        try destination.finish(description: "the \(format.rawValue) export")
    }
}

/// `export --format`.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case openlineage
    case provJSON = "prov-json"
    case graphml
}

/// Where an export goes: standard output, or a file written atomically.
final class ExportDestination {
    private let file: AtomicFileWriter?
    private let path: String?

    init(path: String?, overwrite: Bool) throws {
        self.path = path
        file = try path.map { try AtomicFileWriter(path: $0, overwrite: overwrite) }
    }

    func write(_ bytes: [UInt8]) throws {
        if let file { try file.write(bytes) } else { StandardOutput.write(bytes: bytes) }
    }

    func finish(description: String) throws {
        guard let file, let path else { return }
        try file.commit()
        StandardError.print("lineage: wrote \(description) to \(path)")
    }
}
