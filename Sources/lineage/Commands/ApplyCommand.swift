import ArgumentParser
import Foundation
import LineageCorrections
import LineageKit
import MixpeekClient

/// `lineage apply`: sends a plan's patches, journaled, resumable.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a plan through PATCH, one document at a time, journaled so it can resume and be undone.",
        discussion: """
            For each patch: read the document; if a value no longer holds the plan's "from", report \
            a conflict and leave the document alone; journal its user fields before and as \
            intended; send them as {"metadata": {...}}; check the answer. The run holds a lock on \
            the journal: a second apply or undo on it stops at once. Run again with the same \
            journal after any interruption (even kill -9): confirmed patches are never sent twice, \
            and a document whose outcome is unknown is read again first. A last journal line torn \
            by a crash is moved to JOURNAL.torn-N. The namespace and base URL default to the \
            plan's; another one needs --allow-other-target. Exit 1 when a patch conflicted, failed \
            or has an unknown outcome.

            A plan with deletions (duplicate.document) is refused unless --allow-delete. Each \
            document to delete and its keeper are read again first (a gone keeper is a conflict: \
            nothing is deleted), the document is journaled whole, and deletions go by explicit \
            ids through DELETE .../documents/batch, at most 1000 a call. Undo re-creates them.

            Examples:
              MIXPEEK_API_KEY=sk_… lineage apply plan.json --journal apply.jsonl
              lineage apply plan.json --journal apply.jsonl --dry-run
              lineage apply plan.json --journal apply.jsonl --allow-delete
            """
    )

    @Argument(help: ArgumentHelp("The plan file (lineage plan).", valueName: "plan"))
    var plan: String

    @Option(help: ArgumentHelp("The journal to write and resume from.", valueName: "file"))
    var journal: String?

    @OptionGroup(title: "The API (defaults: the plan's namespace and base URL)")
    var api: TargetOptions

    @Flag(help: "Read each document and print the request body; send nothing, write no journal.")
    var dryRun = false

    @Flag(help: "Send the plan's deletions (duplicates); without it a plan with deletions is refused.")
    var allowDelete = false

    @Flag(help: .hidden)
    var force = false

    func validate() throws {
        if force {
            throw ValidationError(
                "--force is gone: --allow-other-target sends to another namespace or base URL; conflicts always exit 1."
            )
        }
        if journal == nil, !dryRun { throw ValidationError("Give --journal FILE (or --dry-run).") }
    }

    func run() async throws {
        let plan = try CorrectionPlan(contentsOf: plan)
        let client = try api.client(recordedNamespace: plan.namespace, recordedBaseURL: plan.baseURL, madeFor: "plan")
        let progress = ProgressBar(label: "documents")
        let deleting = plan.deletions.isEmpty ? "" : " and \(plan.deletions.count) deletion(s)"
        StandardError.print("lineage: applying \(plan.patches.count) patch(es)\(deleting) to \(client.configuration)")
        if !plan.held.isEmpty {
            StandardError.print("lineage: the plan holds back \(plan.held.count) document(s) whose lineage is disputed")
        }
        let summary = try await PlanApplier(client: client).apply(
            plan, journalPath: journal ?? "",
            options: .init(
                concurrency: api.concurrency, dryRun: dryRun, allowDelete: allowDelete,
                warn: { StandardError.print("lineage: warning: \($0)") }),
            progress: { progress.update($0, of: $1) }, show: { print($0) })
        progress.finish()
        try Self.report(summary)
    }

    /// Prints what needs a person and the summary; exits 1 when a document needs attention.
    static func report(_ summary: PlanApplier.Summary) throws {
        for outcome in summary.outcomes where ["conflict", "failed", "unknown", "partial"].contains(outcome.kind) {
            StandardError.print(
                "lineage: \(outcome.kind): \(outcome.documentID) in \(outcome.collectionID): \(outcome.detail ?? "")")
        }
        StandardError.print("lineage: \(summary.operation): \(summary.line)")
        if let map = summary.idMapPath {
            StandardError.print(
                "lineage: re-created documents have new ids and no features or vectors (only their lineage and user "
                    + "fields came back); old → new ids are in \(map)")
        }
        if summary.needsAttention { throw ExitCode.findings }
    }
}
