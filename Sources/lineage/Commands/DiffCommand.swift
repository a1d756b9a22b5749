import ArgumentParser
import Foundation
import LineageKit

/// `lineage diff OLD NEW`: what changed between two snapshots, and which findings are new.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed between two snapshots: documents, objects, lineage, user fields and findings.",
        discussion: """
            OLD and NEW are snapshots: a directory (as `lineage fetch` writes it) or a file. With \
            --namespace and no NEW, NEW is read from the API. Documents are matched by collection and id, \
            findings by rule and document (the fingerprint baselines, GitLab and SARIF use). Both sides \
            are audited with the same rules.

            Exit codes: 0 when no new finding reaches --fail-on, 1 when one does, 2 for usage or input errors.

            Examples:
              lineage diff yesterday/ today/
              lineage diff yesterday/ today/ --format json > diff.json
              lineage diff baseline-snapshot/ --namespace ns_prod --fail-on new-warnings
            """
    )

    @Argument(help: ArgumentHelp("The earlier snapshot (directory or file).", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The later snapshot; omit it to read --namespace from the API.", valueName: "new"))
    var new: String?

    @OptionGroup(title: "Reading NEW from the Mixpeek API (when NEW is not given)")
    var api: APIOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var selection: RuleOptions

    @Option(help: "Exit with 1 when a new finding reaches this: new-errors, new-warnings or never.")
    var failOn: DiffFailureThreshold = .newErrors

    @Flag(help: "Show every entry in text output (by default at most 10 per section).")
    var all = false

    @Flag(help: "Skip bad records, report how many and the first few, instead of stopping at the first.")
    var keepGoing = false

    func validate() throws {
        if new == nil, !api.isGiven {
            throw ValidationError("Give the later snapshot NEW, or --namespace to read it from the API.")
        }
        if new != nil, api.isGiven {
            throw ValidationError("Give either the later snapshot NEW or --namespace, not both.")
        }
        if old == "-" || new == "-" {
            throw ValidationError("diff reads two snapshots from files or directories, not standard input.")
        }
    }

    func run() async throws {
        let auditor = try selection.auditor()
        var input = InputOptions()
        input.inputs = new.map { [$0] } ?? []
        input.api = api
        input.keepGoing = keepGoing
        // The earlier side is read first, keeping a fingerprint of each record, so that the later
        // side takes every document whose record is unchanged from it instead of decoding it again
        // (most of a namespace does not change between snapshots). Then both audits run at once,
        // each filling the cores in the other's serial stretches (graph building, namespace rules):
        // 12% faster than auditing the earlier side while the later one is read. A later side
        // fetched from the API is mostly waiting on the network, so the earlier audit runs then.
        let oldSnapshot = try await EarlierSnapshot.read(old, keepingRecordPrints: true, keepGoing: keepGoing)
        let auditEarlier = { @Sendable in try await EarlierSnapshot.audit(oldSnapshot, auditor: auditor) }
        let duringFetch = new == nil ? Task(operation: auditEarlier) : nil
        let snapshot = try await input.readSnapshot(reusingDocumentsOf: oldSnapshot)
        let earlierReport = duringFetch ?? Task(operation: auditEarlier)
        let report = auditor.audit(ProcessLifetime.graph(of: snapshot))
        try snapshot.checkInputsUnchanged()
        let oldReport = try await earlierReport.value
        let diff = SnapshotDiff(old: oldSnapshot, oldReport: oldReport, new: snapshot, newReport: report)
        switch format {
        case .text: StandardOutput.write(diff.text(maximumPerSection: all ? nil : 10, moreHint: "--all shows them"))
        case .json: diff.writeJSON { StandardOutput.write(bytes: $0) }
        }
        if let threshold = failOn.severity, diff.newFindings.contains(where: { $0.severity >= threshold }) {
            throw ExitCode.findings
        }
    }
}

/// `diff --fail-on`: the severity of new findings that makes `diff` exit with 1.
enum DiffFailureThreshold: String, ExpressibleByArgument, CaseIterable {
    case newErrors = "new-errors"
    case newWarnings = "new-warnings"
    case never

    var severity: Severity? {
        switch self {
        case .newErrors: .error
        case .newWarnings: .warning
        case .never: nil
        }
    }
}
