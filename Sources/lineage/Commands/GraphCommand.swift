import ArgumentParser
import Foundation
import LineageKit
import LineageRender
import MixpeekClient

/// `lineage graph`: draws part of a namespace's decomposition graph.
struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw decomposition trees: DOT or Mermaid text, or SVG, PNG and PDF through Graphviz.",
        discussion: """
            --select picks what to draw (docs/cli.md): DOC, +DOC (with ancestors), DOC+ (with \
            descendants), 2+DOC+1 (depth-limited), @DOC (its whole tree), obj_… (a root object's \
            tree), collection:NAME, rule:GLOB (documents with findings); terms separated by spaces \
            or commas are united, terms joined by & intersected. The format follows the -o \
            extension; without -o, DOT (or Mermaid) text goes to standard output.

            Examples:
              lineage graph examples/data --select obj_59e6bef262237ddb301f -o tree.svg
              lineage graph examples/data --select 'rule:mismatch.*' --format mermaid
              lineage graph examples/data --select '+doc_20877f154fef3f4a728a' -o path.png
              lineage graph --diff old/ new/ --select obj_59e6bef262237ddb301f -o d.svg
            """
    )

    /// What `lineage graph` can write.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case dot, mermaid, json, svg, png, pdf
    }

    @OptionGroup var input: InputOptions

    /// What one picture shows.
    enum Level: String, ExpressibleByArgument, CaseIterable {
        case documents, collections
    }

    @Option(help: "What to draw (see the discussion); everything when absent.")
    var select: String?

    @Option(help: "documents: the decomposition trees; collections: the pipeline with counts.")
    var level: Level = .documents

    @Option(help: "Output format; by default from the -o extension, else dot.")
    var format: Format?

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write.", valueName: "file"))
    var output: String?

    @Option(help: "Layout engine for svg, png and pdf.")
    var engine: GraphvizRenderer.Engine = .dot

    @Option(help: "Above this many nodes, draw svg, png or pdf at the collection level instead, and say so.")
    var maxNodes = 20_000

    /// Above this many nodes, one connected piece is laid out with sfdp: dot's time grows faster
    /// than linearly (docs/benchmarks.md).
    static let largestDotPiece = 5_000

    @Option(help: "Draw more than this many leaf siblings of one collection, without findings, as one node; 0 never.")
    var collapse = 12

    @Option(help: "Draw a box around each collection's or each root object's documents.")
    var cluster: DOTWriter.Clusters?

    @Flag(help: "Do not run the audit, and draw no finding styles.")
    var noFindings = false

    @Flag(help: "With --format json, lay the picture out and give each node its position and size, in points.")
    var positions = false

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @Option(
        help: ArgumentHelp(
            "Draw the changes since this earlier snapshot in one picture: added green, removed dashed, changed "
                + "double-outlined (as lineage diff finds them).", valueName: "old"))
    var diff: String?

    func validate() throws {
        if diff != nil, level == .collections {
            throw ValidationError("--diff draws documents; give --level documents (the default).")
        }
        if collapse < 0 { throw ValidationError("--collapse cannot be negative.") }
        if maxNodes < 1 { throw ValidationError("--max-nodes must be at least 1.") }
        if level == .collections, select != nil {
            throw ValidationError("--select picks documents; the collection level always shows the whole pipeline.")
        }
        let chosen = try resolvedFormat()
        if level == .collections, [.mermaid, .json].contains(chosen) {
            throw ValidationError(
                "The collection level is drawn as dot, svg, png or pdf, not \(chosen.rawValue) (\(output.map { "from " + $0 } ?? "--format")); "
                    + "--format \(chosen.rawValue) is for --level documents.")
        }
        if positions, chosen != .json {
            throw ValidationError("--positions adds layout positions to --format json.")
        }
        if output == nil, [.png, .pdf].contains(chosen) {
            throw ValidationError("--format \(chosen.rawValue) writes binary data: give a file with -o.")
        }
        if let output { try OutputPath.check(output, force: force) }
    }

    func run() async throws {
        let snapshot = try await readSnapshot()
        var graph = ProcessLifetime.graph(of: snapshot)
        let report = noFindings && diff == nil ? nil : try Auditor().audit(graph)
        let findings = noFindings ? [] : report?.findings ?? []
        try snapshot.checkInputsUnchanged()
        var writer = DOTWriter(options: .init(collapseThreshold: collapse > 0 ? collapse : nil, clusters: cluster))
        if let diff, let report {
            (graph, writer.options.changes) = try await picture(since: diff, of: snapshot, report: report)
        }
        let nodes = try select.map { try NodeSelector($0).select(in: graph, findings: findings) } ?? Array(graph.nodes)
        let chosen = try resolvedFormat()
        if level == .collections {
            let dot = PipelineDOTWriter().dot(
                of: PipelineGraph(graph: graph), findings: findings, configured: !graph.collections.isEmpty)
            let bytes =
                chosen == .dot
                ? Array(dot.utf8)
                : try GraphvizRenderer.render(
                    dot: dot, format: GraphvizRenderer.Format(rawValue: chosen.rawValue) ?? .svg, engine: engine)
            try emit(bytes, description: "the pipeline as \(chosen.rawValue)")
            return
        }
        let bytes: [UInt8]
        switch chosen {
        case .dot: bytes = Array(writer.dot(of: graph, nodes: nodes, findings: findings).utf8)
        case .mermaid: bytes = Array(MermaidWriter().mermaid(of: graph, nodes: nodes, findings: findings).utf8)
        case .json:
            var positions: [String: NodePosition]?
            if self.positions {
                var uncollapsed = writer
                uncollapsed.options.collapseThreshold = nil
                positions = try GraphvizRenderer.positions(
                    of: guardedPieces(uncollapsed.components(of: graph, nodes: nodes, findings: findings)))
            }
            let json = GraphJSONWriter().json(of: graph, nodes: nodes, findings: findings, positions: positions)
            bytes = Array((json.serialized(.pretty) + "\n").utf8)
        case .svg, .png, .pdf:
            let format = GraphvizRenderer.Format(rawValue: chosen.rawValue) ?? .svg
            if nodes.count > maxNodes {
                StandardError.print(
                    "lineage: \(nodes.count) nodes is over --max-nodes \(maxNodes); drawing the collection level instead "
                        + "(narrow the picture with --select, or raise --max-nodes)")
                let dot = PipelineDOTWriter().dot(
                    of: PipelineGraph(graph: graph), findings: findings, configured: !graph.collections.isEmpty)
                bytes = try GraphvizRenderer.render(dot: dot, format: format)
                break
            }
            let pieces = guardedPieces(writer.components(of: graph, nodes: nodes, findings: findings))
            bytes = try GraphvizRenderer.render(components: pieces, format: format)
        }
        try emit(bytes, description: "\(nodes.count) node(s) as \(chosen.rawValue)")
    }

    /// The inputs, or the API. A selection of one document's tree, ancestors or descendants
    /// (`@DOC`, `+DOC`, `DOC+`) read from the API comes through the lineage endpoints, without
    /// listing the namespace.
    /// One graph of both snapshots with the marks of the diff between them (`report` is the new
    /// snapshot's audit; the old one is audited with the same rules).
    private func picture(
        since old: String, of snapshot: Snapshot, report: AuditReport
    ) async throws -> (DecompositionGraph, ChangeMarks) {
        let (changes, oldSnapshot) = try await EarlierSnapshot.diff(
            since: old, to: snapshot, report: report, auditor: try Auditor(), keepGoing: input.keepGoing)
        let (merged, marks) = changes.picture(old: oldSnapshot, new: snapshot)
        let changed = Set(changes.lineageChanges.map(\.document) + changes.userFieldChanges.map(\.document))
        StandardError.print(
            "lineage: since \(old): \(changes.addedDocuments.count) document(s) added, "
                + "\(changes.removedDocuments.count) removed, \(changed.count) changed")
        return (ProcessLifetime.keep(merged), marks)
    }

    private func readSnapshot() async throws -> Snapshot {
        guard input.inputs.isEmpty, input.api.isGiven, level == .documents,
            let request = try select.flatMap({ try NodeSelector($0).treeRequest })
        else {
            // With --diff, the earlier snapshot reuses this one's unchanged documents.
            return try await input.readSnapshot(keepingRecordPrints: diff != nil)
        }
        let client = try input.api.client()
        let tree = try await TreeFetcher(client: client).fetch(request)
        let fetched = tree.fetched
        StandardError.print(
            "lineage: read \(fetched.documents.count) document(s) of \(request.id)'s tree through the lineage "
                + "endpoints (\(client.requestCounts.requests) requests), without listing the namespace")
        if !tree.cappedChildren.isEmpty {
            StandardError.print(
                "lineage: warning: the API lists at most \(MixpeekClient.descendantsCap) children per document, and "
                    + "\(tree.cappedChildren.count) document(s) reached it (e.g. \(tree.cappedChildren[0])); more may exist"
            )
        }
        return try SnapshotReader(options: .init(keepGoing: input.keepGoing)).read(fetched.sources(from: client))
    }

    /// The pieces with --engine, except that a piece too big for dot is laid out with sfdp.
    private func guardedPieces(_ pieces: [LayoutComponent]) -> [LayoutComponent] {
        pieces.map { piece in
            var piece = piece
            piece.engine = engine
            if engine == .dot, piece.nodeCount > Self.largestDotPiece {
                piece.engine = .sfdp
                StandardError.print(
                    "lineage: one connected piece has \(piece.nodeCount) nodes; laying it out with sfdp "
                        + "(dot slows down sharply above \(Self.largestDotPiece))")
            }
            return piece
        }
    }

    /// Writes to -o atomically (never replacing without --force), else to standard output.
    private func emit(_ bytes: [UInt8], description: String) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        let file = try AtomicFileWriter(path: output, overwrite: force)
        try file.write(bytes)
        try file.commit()
        StandardError.print("lineage: wrote \(description) to \(output)")
    }

    /// The format: `--format`, else the one mapping of file extensions, else DOT.
    private func resolvedFormat() throws -> Format {
        if let format { return format }
        guard let output else { return .dot }
        let suffix = (output as NSString).pathExtension.lowercased()
        guard let format = Self.formatsByExtension[suffix] else {
            let known = Self.formatsByExtension.keys.sorted().map { "." + $0 }.joined(separator: ", ")
            throw ValidationError(
                "Cannot tell the format from '\(output)' (known extensions: \(known)); give --format "
                    + Format.allCases.map(\.rawValue).joined(separator: "|") + ".")
        }
        return format
    }

    /// Every file extension `-o` understands, and its format.
    static let formatsByExtension: [String: Format] = [
        "dot": .dot, "gv": .dot, "mmd": .mermaid, "mermaid": .mermaid, "json": .json, "svg": .svg, "png": .png,
        "pdf": .pdf,
    ]
}

extension GraphvizRenderer.Engine: ExpressibleByArgument {}
extension DOTWriter.Clusters: ExpressibleByArgument {}
