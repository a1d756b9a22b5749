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
            For each patch: read the document; if a field no longer holds the plan's "from" value, \
            report a conflict and leave the document alone; journal its full user fields; send the \
            complete user-field object with the changes; check the answer. Run again with the same \
            journal after any interruption (even kill -9): confirmed patches are never sent twice, \
            and a document whose outcome is unknown is read again first. The namespace and base \
            URL default to the plan's; another one is refused without --force. Exit 1 when a \
            patch conflicted (unless --force) or failed.

            Examples:
              MIXPEEK_API_KEY=sk_… lineage apply plan.json --journal apply.jsonl
              lineage apply plan.json --journal apply.jsonl --dry-run
            """
    )

    @Argument(help: ArgumentHelp("The plan file (lineage plan).", valueName: "plan"))
    var plan: String

    @Option(help: ArgumentHelp("The journal to write and resume from.", valueName: "file"))
    var journal: String?

    @OptionGroup(title: "The API (defaults: the plan's namespace and base URL)")
    var api: APIOptions

    @Flag(help: "Read each document and print the request body; send nothing, write no journal.")
    var dryRun = false

    @Flag(help: "Apply a plan made for another namespace or base URL; exit 0 despite conflicts.")
    var force = false

    func validate() throws {
        if journal == nil, !dryRun { throw ValidationError("Give --journal FILE (or --dry-run).") }
    }

    func run() async throws {
        let plan = try CorrectionPlan(contentsOf: plan)
        let client = try Self.client(api, plan: plan, force: force)
        let applier = PlanApplier(client: client)
        let progress = ProgressBar(label: "documents")
        StandardError.print("lineage: applying \(plan.patches.count) patch(es) to \(client.configuration)")
        let summary = try await applier.apply(
            plan, journalPath: journal ?? "", options: .init(concurrency: api.concurrency, dryRun: dryRun),
            progress: { progress.update($0, of: $1) }, show: { print($0) })
        progress.finish()
        try Self.report(summary, force: force)
    }

    /// A client for the plan's namespace and base URL unless the options name others (refused
    /// without `force`).
    static func client(_ api: APIOptions, plan: CorrectionPlan, force: Bool) throws -> MixpeekClient {
        let environment = ProcessInfo.processInfo.environment
        let namespace = api.namespace ?? plan.namespace ?? environment["MIXPEEK_NAMESPACE"]
        let baseURL = api.baseURL ?? plan.baseURL ?? environment["MIXPEEK_BASE_URL"]
        if !force {
            if let planned = plan.namespace, let namespace, planned != namespace {
                throw ValidationError(
                    "The plan was made for namespace \(planned), not \(namespace); --force to apply anyway.")
            }
            if let planned = plan.baseURL, let baseURL, planned != baseURL {
                throw ValidationError("The plan was made for \(planned), not \(baseURL); --force to apply anyway.")
            }
        }
        return MixpeekClient(
            configuration: try MixpeekConfiguration.resolve(
                baseURL: baseURL, namespace: namespace, apiKeyFile: api.apiKeyFile, insecure: api.insecure))
    }

    /// Prints conflicts, failures and the summary; exits 1 for failures, or conflicts without `force`.
    static func report(_ summary: PlanApplier.Summary, force: Bool) throws {
        for outcome in summary.outcomes where ["conflict", "failed"].contains(outcome.kind) {
            StandardError.print("lineage: \(outcome.kind): \(outcome.documentID): \(outcome.detail ?? "")")
        }
        StandardError.print("lineage: \(summary.line)")
        if summary.count("failed") > 0 || (summary.count("conflict") > 0 && !force) {
            throw ExitCode.findings
        }
    }
}

/// `lineage undo`: restores what an apply changed.
struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Restore the before-state of every patch an apply journal confirms.",
        discussion: """
            A field someone changed after the patch is left alone and reported. The undo keeps its \
            own journal (the apply journal's name + .undo), so an interrupted undo resumes too.

            Example:
              MIXPEEK_API_KEY=sk_… lineage undo --journal apply.jsonl
            """
    )

    @Option(help: ArgumentHelp("The journal of the apply to undo.", valueName: "file"))
    var journal: String

    @OptionGroup(title: "The API (defaults: the journal's namespace and base URL)")
    var api: APIOptions

    @Flag(help: "Read each document and print the request body; send nothing.")
    var dryRun = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: journal) else {
            throw ValidationError("\(journal) does not exist.")
        }
        let start = try Self.start(of: journal)
        var api = self.api
        api.namespace = api.namespace ?? start["namespace"]?.stringValue
        api.baseURL = api.baseURL ?? start["base_url"]?.stringValue
        let client = try api.client()
        let progress = ProgressBar(label: "documents")
        let summary = try await PlanApplier(client: client).undo(
            journalPath: journal, options: .init(concurrency: api.concurrency, dryRun: dryRun),
            progress: { progress.update($0, of: $1) }, show: { print($0) })
        progress.finish()
        try ApplyCommand.report(summary, force: false)
    }

    /// The journal's first `start` entry.
    static func start(of journal: String) throws -> JSONObject {
        guard let data = FileManager.default.contents(atPath: journal),
            let first = data.split(separator: 0x0A).first,
            let entry = try? JSONValue(parsing: [UInt8](first), name: journal).objectValue
        else { throw ValidationError("\(journal) is not an apply journal.") }
        return entry
    }
}
