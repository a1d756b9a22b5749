import ArgumentParser
import Foundation
import LineageCorrections
import LineageKit
import LineageReport

/// `lineage report`: one self-contained HTML file about a namespace.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML audit report: summary, pipeline, findings, trees, planned changes.",
        discussion: """
            The file works offline and loads nothing: styles, script and pictures are inline, and a \
            Content-Security-Policy forbids anything else. The findings table filters by rule, \
            severity and collection (also from the URL: report.html#rule=cycle&q=doc_1), searches, \
            sorts and pages; a row opens the document's evidence, JSON and tree.

            Examples:
              lineage report examples/data -o report.html
              lineage report snapshot/ --plan plan.json --max-trees 50 -o report.html
              lineage report today/ --diff yesterday/ -o report.html
            """
    )

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var output = "report.html"

    @Option(help: ArgumentHelp("A plan (lineage plan) whose changes to show.", valueName: "file"))
    var plan: String?

    @Option(help: "Root objects whose trees are drawn, those with findings first.")
    var maxTrees = 20

    @Option(help: "Findings listed in the table (errors first); all are counted.")
    var maxFindings = 20_000

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @Option(
        help: ArgumentHelp(
            "An earlier snapshot: add a Changes section (what lineage diff reports against it).", valueName: "old"))
    var diff: String?

    func validate() throws {
        if maxTrees < 0 || maxFindings < 1 { throw ValidationError("--max-trees ≥ 0 and --max-findings ≥ 1.") }
        try OutputPath.check(output, force: force)
    }

    func run() async throws {
        // With --diff, the earlier snapshot reuses this one's unchanged documents.
        let (snapshot, banner) = try await input.readSnapshotAndBanner(keepingRecordPrints: diff != nil)
        let graph = ProcessLifetime.graph(of: snapshot)
        let auditor = try Auditor()
        let report = auditor.audit(graph)
        let plan = try self.plan.map { try CorrectionPlan(contentsOf: $0) }
        var changes: SnapshotDiff?
        if let diff {
            changes = try await EarlierSnapshot.diff(
                since: diff, to: snapshot, report: report, auditor: auditor, keepGoing: input.keepGoing
            ).diff
        }
        let writer = ReportWriter(
            options: .init(maximumTrees: maxTrees, maximumFindings: maxFindings, banner: banner))
        let html = try writer.html(snapshot: snapshot, graph: graph, report: report, plan: plan, changes: changes)
        try snapshot.checkInputsUnchanged()
        try AtomicFileWriter.write(html, to: output, overwrite: force)
        StandardError.print(
            "lineage: wrote \(output) (\(html.utf8.count.formatted()) bytes; \(report.findings.count) findings)")
    }
}
