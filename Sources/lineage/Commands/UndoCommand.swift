import ArgumentParser
import Foundation
import LineageCorrections
import LineageKit
import MixpeekClient

/// `lineage undo`: restores what an apply changed.
struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Restore the before-state of every document an apply journal shows as patched by it.",
        discussion: """
            Undo restores exactly the documents whose latest confirmed state is the apply's, \
            whatever the order of earlier applies and undos; a patch whose outcome was unknown is \
            settled first by reading the document. A field someone changed after the patch is left \
            alone and reported. Undo holds the apply journal's lock and keeps its own journal (the \
            apply journal's name + .undo), so an interrupted undo resumes too. Exit 1 when a \
            document conflicted, failed or kept fields someone else changed.

            A deleted duplicate is re-created through POST /v1/collections/{id}/documents with \
            its lineage and user fields: it is a new document, with a new id and no features or \
            vectors. The old -> new ids go to JOURNAL.ids.json. A re-create whose answer was lost \
            is never sent again (it may exist): it is reported for a person to check.

            Example:
              MIXPEEK_API_KEY=sk_… lineage undo --journal apply.jsonl
            """
    )

    @Option(help: ArgumentHelp("The journal of the apply to undo.", valueName: "file"))
    var journal: String

    @OptionGroup(title: "The API (defaults: the journal's namespace and base URL)")
    var api: TargetOptions

    @Flag(help: "Read each document and print the request body; send nothing.")
    var dryRun = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: journal) else {
            throw ValidationError("The journal \(journal) does not exist; give the file apply --journal wrote.")
        }
        guard let start = try PlanApplier.start(ofJournal: journal) else {
            throw ValidationError("\(journal) is not an apply journal (it has no start entry).")
        }
        let client = try api.client(
            recordedNamespace: start["namespace"]?.stringValue, recordedBaseURL: start["base_url"]?.stringValue,
            madeFor: "journal")
        StandardError.print("lineage: undoing the apply journaled in \(journal), against \(client.configuration)")
        let progress = ProgressBar(label: "documents")
        let summary = try await PlanApplier(client: client).undo(
            journalPath: journal,
            options: .init(
                concurrency: api.concurrency, dryRun: dryRun, warn: { StandardError.print("lineage: warning: \($0)") }),
            progress: { progress.update($0, of: $1) }, show: { print($0) })
        progress.finish()
        try ApplyCommand.report(summary)
    }
}
