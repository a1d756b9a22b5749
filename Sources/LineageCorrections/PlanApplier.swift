import Foundation
import LineageKit
import MixpeekClient

/// Applies a ``CorrectionPlan`` through `PATCH /v1/collections/{collection}/documents/{id}`, one
/// document at a time (never a bulk or filter-wide endpoint), and undoes what it applied.
///
/// For each patch it reads the document, refuses (as a conflict) when a value no longer holds its
/// planned `from`, journals the full before-state and the intended user fields, sends them in
/// today's form (`{"metadata": {…}}`: every field, `null` for a removed one, right whether the API
/// merges or replaces), checks the answer holds exactly the intended fields, and journals the
/// outcome. A run holds an exclusive lock on its journal; run again with the same journal, it
/// skips confirmed patches and settles any whose outcome is unknown by reading the document, so no
/// confirmed patch is sent twice. Journal entries name patches by identity (the plan's content
/// hash, collection and document), never by position, so undo restores exactly the documents
/// whose latest confirmed state is ours, whatever the order or history of runs.
public struct PlanApplier: Sendable {
    /// How to run.
    public struct Options: Sendable {
        /// Documents patched at once.
        public var concurrency: Int
        /// Read and print each request body; send no PATCH and write no journal.
        public var dryRun: Bool
        /// Send the plan's deletions; without it, a plan with deletions is refused before anything is sent.
        public var allowDelete: Bool
        /// Hears warnings: a torn journal line moved aside, a fallback to another body form.
        public var warn: (@Sendable (String) -> Void)?

        /// Creates options.
        public init(
            concurrency: Int = 4, dryRun: Bool = false, allowDelete: Bool = false,
            warn: (@Sendable (String) -> Void)? = nil
        ) {
            self.concurrency = max(1, concurrency)
            self.dryRun = dryRun
            self.allowDelete = allowDelete
            self.warn = warn
        }
    }

    /// What happened to one document.
    public struct Outcome: Sendable {
        /// The document's collection.
        public var collectionID: String
        /// The document.
        public var documentID: String
        /// Apply: `applied`, `deleted`, `unchanged` (already as intended), `conflict`, `failed`,
        /// `unknown` (sent, answer lost: settled on the next run), `done` (confirmed by an earlier
        /// run), `planned` (dry run). Undo: `restored`, `recreated` (a deleted document made again,
        /// under a new id), `partial` (restored, but fields someone else changed were left alone),
        /// `unchanged` (already as before), `not-applied` (the apply's PATCH never landed),
        /// `conflict`, `failed`, `unknown`, `done`, `planned`.
        public var kind: String
        /// Why, for conflicts, failures and partial restores.
        public var detail: String?
        /// The id a re-created document got.
        public var newDocumentID: String? = nil
    }

    /// The counts at the end, and the conflicts and failures by document.
    public struct Summary: Sendable {
        /// `apply` or `undo`.
        public var operation: String
        /// Every document's outcome, in plan (or journal) order.
        public var outcomes: [Outcome] = []
        /// Undo: where the old → new ids of every document re-created so far were written.
        public var idMapPath: String? = nil

        /// How many documents had `kind`.
        public func count(_ kind: String) -> Int { outcomes.filter { $0.kind == kind }.count }

        /// Whether a document needs a person: a conflict, a failure, an unknown outcome or a
        /// partial restore. The CLI exits 1 then.
        public var needsAttention: Bool {
            outcomes.contains { ["conflict", "failed", "unknown", "partial"].contains($0.kind) }
        }

        /// One line of counts.
        public var line: String {
            if count("planned") > 0 { return "\(count("planned")) request(s) shown, none sent" }
            var parts: [String]
            if operation == "undo" {
                parts = [
                    "\(count("restored") + count("partial")) restored", "\(count("unchanged")) already as before",
                    "\(count("conflict")) conflict(s)", "\(count("failed")) failed",
                ]
                if count("partial") > 0 { parts.append("\(count("partial")) with fields left alone") }
                if count("recreated") > 0 {
                    parts.append("\(count("recreated")) deleted document(s) re-created under new ids, without features")
                }
                if count("not-applied") > 0 { parts.append("\(count("not-applied")) never applied") }
                if count("done") > 0 { parts.append("\(count("done")) restored by an earlier run") }
            } else {
                parts = [
                    "\(count("applied")) applied", "\(count("unchanged")) unchanged",
                    "\(count("conflict")) conflict(s)", "\(count("failed")) failed",
                ]
                if count("deleted") > 0 { parts.insert("\(count("deleted")) deleted", at: 1) }
                if count("done") > 0 { parts.append("\(count("done")) confirmed by an earlier run") }
            }
            if count("unknown") > 0 { parts.append("\(count("unknown")) unknown (run again to settle)") }
            return parts.joined(separator: ", ")
        }
    }

    private let client: MixpeekClient

    /// Creates an applier sending through `client`.
    public init(client: MixpeekClient) {
        self.client = client
    }

    /// The first `start` entry of a journal: the namespace and base URL it was written for.
    public static func start(ofJournal path: String) throws -> JSONObject? {
        try Journal.read(path, tolerant: true).first { $0.entry["type"]?.stringValue == "start" }?.entry
    }

    // MARK: - Apply

    /// Applies `plan`, journaling to `journalPath` (read, not written, in a dry run).
    ///
    /// - Throws: ``CorrectionsError`` when another run holds the journal, the journal belongs to
    ///   another plan or is damaged beyond a torn last line; `MixpeekError` when the key or
    ///   namespace is refused.
    public func apply(
        _ plan: CorrectionPlan, journalPath: String, options: Options = Options(),
        progress: (@Sendable (Int, Int) -> Void)? = nil, show: (@Sendable (String) -> Void)? = nil
    ) async throws -> Summary {
        if !plan.deletions.isEmpty, !options.allowDelete, !options.dryRun {
            throw CorrectionsError(
                "the plan deletes \(plan.deletions.count) document(s) (duplicates), and deletions are not allowed. "
                    + "Nothing was sent", remedy: .allowDeletions)
        }
        let session = try JournalSession(path: journalPath, operation: "apply", options: options)
        let digest = plan.digest
        if !session.history.plans.isEmpty, session.history.plans != [digest] {
            throw CorrectionsError(
                "the journal \(journalPath) belongs to another plan (\(session.history.plans.joined(separator: ", "))"
                    + ", this one is \(digest)); use a new journal for this plan", remedy: .newJournal)
        }
        let journal = try await session.open(journalPath, operation: "apply", plan: digest, client: client)
        let context = Context(
            client: client, plan: digest, journal: journal, dryRun: options.dryRun, show: show, warn: options.warn)
        let history = session.history
        let patches = plan.patches
        let outcomes = try await Concurrently.map(
            patches.count, limit: options.concurrency, completed: { progress?($0, patches.count) }
        ) { position in
            try await context.apply(patches[position], history: history)
        }
        let deletions = try await context.delete(plan.deletions, history: history, limit: options.concurrency)
        withExtendedLifetime(session) {}
        return Summary(operation: "apply", outcomes: outcomes + deletions)
    }

    // MARK: - Undo

    /// Restores the before-state of every document whose latest confirmed state (in the journal
    /// at `journalPath`) is ours, leaving alone (and reporting) any field someone changed after the
    /// patch. Attempts whose outcome is unknown are settled first by reading the document. Its own
    /// entries go to `journalPath` + `.undo`, under the same lock, so an interrupted undo resumes.
    ///
    /// - Throws: as ``apply(_:journalPath:options:progress:show:)``, and ``CorrectionsError`` when
    ///   the journal is missing or not an apply's.
    public func undo(
        journalPath: String, options: Options = Options(), progress: (@Sendable (Int, Int) -> Void)? = nil,
        show: (@Sendable (String) -> Void)? = nil
    ) async throws -> Summary {
        guard FileManager.default.fileExists(atPath: journalPath) else {
            throw CorrectionsError("the journal \(journalPath) does not exist")
        }
        let session = try JournalSession(path: journalPath, operation: "undo", options: options)
        guard session.operations == ["apply"], let digest = session.history.plans.first,
            session.history.plans.count == 1
        else {
            throw CorrectionsError(
                "\(journalPath) is not the journal of an apply of one plan", remedy: .applyJournal)
        }
        let journal = try await session.open(journalPath + ".undo", operation: "undo", plan: digest, client: client)
        let context = Context(
            client: client, plan: digest, journal: journal, dryRun: options.dryRun, show: show, warn: options.warn)
        let history = session.history
        let candidates: [(attempt: JournalHistory.Attempt, settle: Bool, done: Bool)] = session.order.compactMap {
            key in
            switch history.apply[key] {
            case .applied(let id)?: history.attempts[id].map { ($0, false, history.restored.contains(id)) }
            case .open(let id)?: history.attempts[id].map { ($0, true, false) }
            default: nil
            }
        }
        let outcomes = try await Concurrently.map(
            candidates.count, limit: options.concurrency, completed: { progress?($0, candidates.count) }
        ) { position in
            let candidate = candidates[position]
            if candidate.done {
                return Outcome(
                    collectionID: candidate.attempt.collectionID, documentID: candidate.attempt.documentID,
                    kind: "done")
            }
            return try await context.restore(
                candidate.attempt, settle: candidate.settle, openUndo: history.openUndo[candidate.attempt.id])
        }
        let deleted: [JournalHistory.DeleteAttempt] = session.order.compactMap { key in
            guard case .deleted(let id)? = history.apply[key] else { return nil }
            return history.deleteAttempts[id]
        }
        // One at a time, each new id joining the known ones: a lost answer is settled by looking
        // for a document like the one sent, which must never be one re-created a moment before.
        var known = Set(deleted.flatMap { [$0.documentID] + ($0.keeper.map { [$0] } ?? []) })
            .union(history.recreated.values)
        var recreated: [Outcome] = []
        for attempt in deleted {
            if history.restored.contains(attempt.id) {
                recreated.append(
                    Outcome(collectionID: attempt.collectionID, documentID: attempt.documentID, kind: "done"))
                continue
            }
            let outcome = try await context.recreate(attempt, history: history, known: known)
            if let newID = outcome.newDocumentID { known.insert(newID) }
            recreated.append(outcome)
            progress?(outcomes.count + recreated.count, candidates.count + deleted.count)
        }
        var summary = Summary(operation: "undo", outcomes: outcomes + recreated)
        if !options.dryRun, !deleted.isEmpty {
            summary.idMapPath = try Self.writeIDMap(
                journalPath + ".ids.json", deleted: deleted, earlier: history.recreated, now: recreated)
        }
        withExtendedLifetime(session) {}
        return summary
    }
}

extension PlanApplier {
    /// Writes (atomically, replacing the last run's) the map of every deleted document re-created
    /// so far: `{"collection_id", "old_document_id", "new_document_id"}` entries, in journal order.
    static func writeIDMap(
        _ path: String, deleted: [JournalHistory.DeleteAttempt], earlier: [String: String], now: [Outcome]
    ) throws -> String? {
        var newIDs = earlier
        for (attempt, outcome) in zip(deleted, now) where outcome.newDocumentID != nil {
            newIDs[attempt.id] = outcome.newDocumentID
        }
        let entries: [JSONValue] = deleted.compactMap { attempt in
            newIDs[attempt.id].map { newID in
                [
                    "collection_id": .string(attempt.collectionID), "old_document_id": .string(attempt.documentID),
                    "new_document_id": .string(newID),
                ]
            }
        }
        guard !entries.isEmpty else { return nil }
        let map: JSONValue = [
            "note":
                "re-created documents have new ids, and no features or vectors: only their lineage and user fields came back",
            "documents": .array(entries),
        ]
        try AtomicFileWriter.write(map.serialized(.pretty) + "\n", to: path, overwrite: true)
        return path
    }
}

/// The lock, the repaired and parsed journals, for one run.
private final class JournalSession: Sendable {
    let lock: JournalLock?
    let history: JournalHistory
    let operations: Set<String>
    /// Document keys in the order the apply journal first names them.
    let order: [String]

    init(path: String, operation: String, options: PlanApplier.Options) throws {
        // A dry run takes no lock and writes nothing; it reads around a torn line instead.
        lock = options.dryRun ? nil : try JournalLock(path: path)
        if !options.dryRun {
            for file in [path, path + ".undo"] {
                if let repaired = try Journal.heal(file) { options.warn?(repaired) }
            }
        }
        let entries = try Journal.read(path, tolerant: options.dryRun)
        history = try JournalHistory(
            apply: entries, undo: try Journal.read(path + ".undo", tolerant: options.dryRun), path: path)
        operations = Set(
            entries.compactMap { $0.entry["type"]?.stringValue == "start" ? $0.entry["operation"]?.stringValue : nil })
        var seen: Set<String> = []
        order = entries.compactMap { _, entry in
            guard let collection = entry["collection_id"]?.stringValue, let document = entry["document_id"]?.stringValue
            else { return nil }
            let key = JournalHistory.key(collection, document)
            return seen.insert(key).inserted ? key : nil
        }
    }

    /// The journal to append to, with this run's start entry written; `nil` in a dry run.
    func open(_ path: String, operation: String, plan: String, client: MixpeekClient) async throws -> Journal? {
        guard lock != nil else { return nil }
        let journal = try Journal(path: path)
        try await journal.append([
            "type": "start", "journal": .number(JSONNumber(JournalHistory.formatVersion)),
            "operation": .string(operation), "plan": .string(plan), "pid": .number(JSONNumber(Int(getpid()))),
            "namespace": .string(client.configuration.namespace),
            "base_url": .string(client.configuration.baseURL.absoluteString),
        ])
        return journal
    }
}
