import Foundation
import LineageKit
import MixpeekClient

/// Applies a ``CorrectionPlan`` through `PATCH /v1/collections/{collection}/documents/{id}`, one
/// document at a time (never a bulk or filter-wide endpoint), and undoes what it applied.
///
/// For each patch it reads the document, refuses (as a conflict) when a field no longer holds its
/// planned `from` value, journals the full before-state, sends the complete user-field object with
/// the changes applied (right whether the API merges or replaces), removes fields a merging server
/// kept (JSON Merge Patch `null`), checks the response holds exactly the intended fields, and
/// journals the outcome. Run again with the same journal, it skips confirmed patches and re-reads
/// any document whose outcome is unknown before deciding, so no confirmed patch is sent twice.
public struct PlanApplier: Sendable {
    /// How to run.
    public struct Options: Sendable {
        /// Documents patched at once.
        public var concurrency: Int
        /// Read and print each request body; send no PATCH and write no journal.
        public var dryRun: Bool

        /// Creates options.
        public init(concurrency: Int = 4, dryRun: Bool = false) {
            self.concurrency = max(1, concurrency)
            self.dryRun = dryRun
        }
    }

    /// What happened to one document.
    public struct Outcome: Sendable {
        /// The document.
        public var documentID: String
        /// `applied`, `unchanged` (already as intended), `conflict`, `failed`, or `done` (confirmed by
        /// an earlier run), `planned` (dry run).
        public var kind: String
        /// Why, for conflicts and failures.
        public var detail: String?
    }

    /// The counts at the end, and the conflicts and failures by document.
    public struct Summary: Sendable {
        /// Every document's outcome, in plan order.
        public var outcomes: [Outcome] = []

        /// How many documents had `kind`.
        public func count(_ kind: String) -> Int { outcomes.filter { $0.kind == kind }.count }

        /// One line: applied, unchanged, conflicts, failed (and earlier runs' confirmed ones).
        public var line: String {
            var parts = [
                "\(count("applied")) applied", "\(count("unchanged")) unchanged", "\(count("conflict")) conflict(s)",
                "\(count("failed")) failed",
            ]
            if count("done") > 0 { parts.append("\(count("done")) confirmed by an earlier run") }
            if count("planned") > 0 { parts = ["\(count("planned")) request(s) shown, none sent"] }
            return parts.joined(separator: ", ")
        }
    }

    private let client: MixpeekClient

    /// Creates an applier sending through `client`.
    public init(client: MixpeekClient) {
        self.client = client
    }

    /// One unit of work: a document, the fields to change, and how to describe it.
    private struct Work: Sendable {
        var index: Int
        var collectionID: String
        var documentID: String
        /// The intended fields from the current ones; `nil` when the document is in conflict.
        var plan: @Sendable (UserFields) -> Result<UserFields, CorrectionsError>
        /// Whether the current fields are already the intended ones.
        var isDone: @Sendable (UserFields) -> Bool
    }

    /// Applies `plan`, journaling to `journalPath` (ignored in a dry run).
    public func apply(
        _ plan: CorrectionPlan, journalPath: String, options: Options = Options(),
        progress: (@Sendable (Int, Int) -> Void)? = nil, show: (@Sendable (String) -> Void)? = nil
    ) async throws -> Summary {
        let works = plan.patches.enumerated().map { index, patch in
            Work(
                index: index, collectionID: patch.collectionID, documentID: patch.documentID,
                plan: { current in
                    var intended = current
                    var conflicts: [String] = []
                    for change in patch.changes {
                        let now = current.value(at: change.field)
                        if now != change.from && now != change.to {
                            conflicts.append(
                                "\(change.field) is \(Self.describe(now)), the plan expected \(Self.describe(change.from))"
                            )
                        }
                        intended.set(change.to, at: change.field)
                    }
                    return conflicts.isEmpty
                        ? .success(intended) : .failure(CorrectionsError(conflicts.joined(separator: "; ")))
                },
                isDone: { current in patch.changes.allSatisfy { current.value(at: $0.field) == $0.to } })
        }
        return try await run(
            works, operation: "apply", digest: plan.digest, journalPath: journalPath, options: options,
            progress: progress, show: show)
    }

    /// Restores the before-state of every patch `journalPath` confirms as applied, leaving alone
    /// (and reporting) any field someone changed after the patch. Its own journal is
    /// `journalPath` + `.undo`, so an interrupted undo resumes too.
    public func undo(
        journalPath: String, options: Options = Options(), progress: (@Sendable (Int, Int) -> Void)? = nil,
        show: (@Sendable (String) -> Void)? = nil
    ) async throws -> Summary {
        let entries = try Journal.read(journalPath)
        guard !entries.isEmpty else { throw CorrectionsError("the journal \(journalPath) is empty or missing") }
        let state = Journal.State(entries)
        guard state.operations == ["apply"] else {
            throw CorrectionsError("\(journalPath) is not the journal of an apply")
        }
        var works: [Work] = []
        for (index, outcome) in state.outcome.sorted(by: { $0.key < $1.key })
        where outcome["outcome"]?.stringValue == "applied" {
            guard let before = state.before[index], let beforeFields = before["before"]?.objectValue,
                let afterFields = outcome["after"]?.objectValue, let collection = before["collection_id"]?.stringValue,
                let document = before["document_id"]?.stringValue
            else { throw CorrectionsError("\(journalPath): patch \(index) is applied but its before-state is missing") }
            let changed = Set(beforeFields.keys).union(afterFields.keys).filter { beforeFields[$0] != afterFields[$0] }
                .sorted()
            works.append(
                Work(
                    index: works.count, collectionID: collection, documentID: document,
                    plan: { current in
                        var intended = current
                        var restored = 0
                        var leftAlone: [String] = []
                        for field in changed {
                            if current.values[field] == afterFields[field] {
                                intended.values[field] = beforeFields[field]
                                restored += 1
                            } else if current.values[field] != beforeFields[field] {
                                leftAlone.append(field)
                            }
                        }
                        guard leftAlone.isEmpty || restored > 0 else {
                            return .failure(
                                CorrectionsError(
                                    "changed by someone else after the patch: \(leftAlone.joined(separator: ", "))"))
                        }
                        return .success(intended)
                    },
                    isDone: { current in changed.allSatisfy { current.values[$0] == beforeFields[$0] } }))
        }
        let digest = String(
            journalPath.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }, radix: 16)
        return try await run(
            works, operation: "undo", digest: digest, journalPath: journalPath + ".undo", options: options,
            progress: progress, show: show)
    }

    /// Runs `works` with bounded concurrency against the journal at `journalPath`.
    private func run(
        _ works: [Work], operation: String, digest: String, journalPath: String, options: Options,
        progress: (@Sendable (Int, Int) -> Void)?, show: (@Sendable (String) -> Void)?
    ) async throws -> Summary {
        let state = Journal.State(try Journal.read(journalPath))
        if !state.plans.isEmpty, !state.plans.contains(digest) {
            throw CorrectionsError(
                "the journal \(journalPath) belongs to another \(operation == "undo" ? "journal" : "plan"); "
                    + "give a new --journal for this one")
        }
        let journal = options.dryRun ? nil : try Journal(path: journalPath)
        try await journal?.append([
            "type": "start", "operation": .string(operation), "plan": .string(digest),
            "namespace": .string(client.configuration.namespace),
            "base_url": .string(client.configuration.baseURL.absoluteString),
        ])
        let outcomes = try await Concurrently.map(
            works.count, limit: options.concurrency, completed: { progress?($0, works.count) }
        ) { position in
            try await perform(works[position], state: state, journal: journal, dryRun: options.dryRun, show: show)
        }
        return Summary(outcomes: outcomes)
    }

    /// Brings one document to its intended state, journaling each step. A request that fails for
    /// this document alone (server errors, rate limits or the connection, after every retry) makes
    /// its outcome `failed` and the run goes on; a refused key or namespace stops the run.
    private func perform(
        _ work: Work, state: Journal.State, journal: Journal?, dryRun: Bool, show: (@Sendable (String) -> Void)?
    ) async throws -> Outcome {
        if state.isDone(work.index) { return Outcome(documentID: work.documentID, kind: "done") }
        let identity: JSONObject = [
            "patch": .number(JSONNumber(work.index)), "collection_id": .string(work.collectionID),
            "document_id": .string(work.documentID),
        ]
        func record(_ kind: String, after: UserFields? = nil, detail: String? = nil) async throws -> Outcome {
            var entry = identity
            entry["type"] = "outcome"
            entry["outcome"] = .string(kind)
            if let after { entry["after"] = .object(after.values) }
            if let detail { entry["detail"] = .string(detail) }
            try await journal?.append(entry)
            return Outcome(documentID: work.documentID, kind: kind, detail: detail)
        }
        do {
            return try await bringUp(work, state: state, journal: journal, dryRun: dryRun, show: show, record: record)
        } catch let error as MixpeekError
            where ![.unauthorized, .forbidden, .namespaceNotFound, .configuration].contains(error.code)
        {
            return try await record("failed", detail: error.description)
        }
    }

    private func bringUp(
        _ work: Work, state: Journal.State, journal: Journal?, dryRun: Bool, show: (@Sendable (String) -> Void)?,
        record: (String, UserFields?, String?) async throws -> Outcome
    ) async throws -> Outcome {
        let current: UserFields
        do {
            current = try UserFields(
                document: try await client.document(work.documentID, inCollection: work.collectionID))
        } catch let error as MixpeekError where error.code == .notFound {
            return try await record("conflict", nil, "the document no longer exists")
        }
        if work.isDone(current) {
            // A before-state in the journal means a PATCH of ours was sent: after a crash or a lost
            // answer, the document itself says it landed. Undo then restores that before-state.
            return try await record(state.before[work.index] != nil ? "applied" : "unchanged", current, nil)
        }
        let intended: UserFields
        switch work.plan(current) {
        case .failure(let conflict): return try await record("conflict", nil, conflict.message)
        case .success(let fields): intended = fields
        }
        let path = "/v1/collections/\(work.collectionID)/documents/\(work.documentID)"
        if dryRun {
            show?("PATCH \(path)\n\(intended.body.serialized(.pretty))\n")
            return Outcome(documentID: work.documentID, kind: "planned")
        }
        var before: JSONObject = [
            "patch": .number(JSONNumber(work.index)), "collection_id": .string(work.collectionID),
            "document_id": .string(work.documentID), "type": "before", "before": .object(current.values),
            "at_root": .bool(current.atRoot),
        ]
        if state.before[work.index] != nil { before["retry"] = true }
        try await journal?.append(before)
        var after = try UserFields(
            document: try await client.patchDocument(
                work.documentID, inCollection: work.collectionID, body: intended.body))
        let kept = after.values.keys.filter { intended.values[$0] == nil }
        if !kept.isEmpty {
            // A merging server keeps fields a body leaves out; JSON Merge Patch removes them with null.
            after = try UserFields(
                document: try await client.patchDocument(
                    work.documentID, inCollection: work.collectionID, body: intended.removalBody(kept)))
        }
        guard after.values == intended.values else {
            let differing = Set(intended.values.keys).union(after.values.keys)
                .filter { intended.values[$0] != after.values[$0] }.sorted()
            return try await record(
                "failed", after,
                "the server's answer differs from the intended fields in: \(differing.joined(separator: ", "))")
        }
        return try await record("applied", after, nil)
    }

    private static func describe(_ value: JSONValue?) -> String {
        value.map { $0.serialized() } ?? "absent"
    }
}
