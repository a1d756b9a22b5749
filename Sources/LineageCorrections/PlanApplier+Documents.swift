import Foundation
import LineageKit
import MixpeekClient

/// The work on one document, shared by apply and undo: read, decide, journal, send, verify.
struct Context: Sendable {
    let client: MixpeekClient
    let plan: String
    let journal: Journal?
    let dryRun: Bool
    let show: (@Sendable (String) -> Void)?
    let warn: (@Sendable (String) -> Void)?

    typealias Outcome = PlanApplier.Outcome

    /// Errors that stop the whole run: the key, the namespace or the configuration is wrong.
    static func stopsTheRun(_ error: MixpeekError) -> Bool {
        [.unauthorized, .forbidden, .namespaceNotFound, .configuration].contains(error.code)
    }

    // MARK: Apply

    func apply(_ patch: CorrectionPlan.Patch, history: JournalHistory) async throws -> Outcome {
        let key = JournalHistory.key(patch.collectionID, patch.documentID)
        var open: JournalHistory.Attempt?
        switch history.apply[key] {
        case .applied(let id)? where !history.restored.contains(id):
            return outcome(patch.collectionID, patch.documentID, "done")
        case .unchanged?:
            return outcome(patch.collectionID, patch.documentID, "done")
        case .open(let id)?: open = history.attempts[id]
        default: break
        }
        let recorder = Recorder(
            context: self, collectionID: patch.collectionID, documentID: patch.documentID, reverts: nil)
        let current: UserFields
        switch try await recorder.readForWork() {
        case .fields(let fields): current = fields
        case .ended(let outcome): return outcome
        }
        if patch.changes.allSatisfy({ current.value(at: $0.target) == $0.to }) {
            // After a crash or a lost answer, the document itself says whether our PATCH landed;
            // undo then restores that attempt's before-state.
            if let open { return try await recorder.record("applied", attempt: open.id, after: current.values) }
            return try await recorder.record("unchanged")
        }
        if let open, !dryRun {
            try await recorder.note("not-applied", attempt: open.id, detail: "the document does not hold its values")
        }
        var intended = current
        var conflicts: [String] = []
        for change in patch.changes {
            if let (pointer, blocking) = current.blockingValue(on: change.target) {
                conflicts.append("\(pointer) is a \(blocking.typeName) now, so \(change.field) cannot be set inside it")
                continue
            }
            let now = current.value(at: change.target)
            if now != change.from && now != change.to {
                conflicts.append(
                    "\(change.field) is \(Self.describe(now)), the plan expected \(Self.describe(change.from))")
            }
            intended.set(change.to, at: change.target)
        }
        if !conflicts.isEmpty {
            return try await recorder.record("conflict", detail: conflicts.joined(separator: "; "))
        }
        return try await recorder.send(before: current, intended: intended, form: .metadata, kind: "applied")
    }

    // MARK: Undo

    func restore(_ attempt: JournalHistory.Attempt, settle: Bool, openUndo: JournalHistory.Attempt?) async throws
        -> Outcome
    {
        let recorder = Recorder(
            context: self, collectionID: attempt.collectionID, documentID: attempt.documentID, reverts: attempt.id)
        let current: UserFields
        switch try await recorder.readForWork() {
        case .fields(let fields): current = fields
        case .ended(let outcome): return outcome
        }
        let changed = attempt.changedFields
        if settle {
            // The apply's outcome was unknown: a PATCH is all or nothing, so any planned value
            // the document holds says it landed.
            let landed = changed.contains { current.values[$0] == attempt.intended[$0] }
            if !dryRun { try await recorder.settle(applied: landed) }
            if !landed { return outcome(attempt.collectionID, attempt.documentID, "not-applied") }
        }
        var target = current
        var restored = 0
        var leftAlone: [String] = []
        for field in changed {
            if current.values[field] == attempt.intended[field] {
                target.values[field] = attempt.before[field]
                restored += 1
            } else if current.values[field] != attempt.before[field] {
                leftAlone.append(field)
            }
        }
        let note =
            leftAlone.isEmpty
            ? nil
            : "changed by someone else after the patch, left alone: "
                + leftAlone.joined(separator: ", ")
        guard restored > 0 else {
            if let note { return try await recorder.record("conflict", detail: note) }
            // Already as before: an earlier undo's PATCH landed (or someone restored it by hand).
            return try await recorder.record(
                openUndo != nil ? "restored" : "unchanged", attempt: openUndo?.id, after: current.values)
        }
        let form = PatchForm(rawValue: attempt.form) ?? .metadata
        let result = try await recorder.send(before: current, intended: target, form: form, kind: "restored")
        if result.kind == "restored", let note {
            return Outcome(
                collectionID: result.collectionID, documentID: result.documentID, kind: "partial", detail: note)
        }
        return result
    }

    func outcome(_ collection: String, _ document: String, _ kind: String, _ detail: String? = nil) -> Outcome {
        Outcome(collectionID: collection, documentID: document, kind: kind, detail: detail)
    }

    static func describe(_ value: JSONValue?) -> String {
        value.map { $0.serialized() } ?? "absent"
    }
}

/// Journals and sends for one document.
struct Recorder {
    let context: Context
    let collectionID: String
    let documentID: String
    /// The apply attempt an undo reverts; `nil` for apply.
    let reverts: String?

    var identity: JSONObject {
        var entry: JSONObject = [
            "plan": .string(context.plan), "collection_id": .string(collectionID), "document_id": .string(documentID),
        ]
        if let reverts { entry["reverts"] = .string(reverts) }
        return entry
    }

    /// The document's user fields now, or the outcome journaled when there is nothing to work on:
    /// `conflict` when it no longer exists, `failed` when it cannot be read or its user fields hold
    /// a key twice (which value the API keeps is unknowable, so neither apply nor undo patches it).
    func readForWork() async throws -> Reading {
        let fields: UserFields
        do {
            fields = try UserFields(document: try await context.client.document(documentID, inCollection: collectionID))
        } catch let error as MixpeekError where error.code == .notFound {
            return .ended(try await record("conflict", detail: "the document no longer exists"))
        } catch let error as MixpeekError where !Context.stopsTheRun(error) {
            return .ended(try await record("failed", detail: error.description))
        }
        if let duplicate = fields.duplicateKey {
            return .ended(
                try await record(
                    "failed",
                    detail: "its user fields hold the key \"\(duplicate)\" twice; which value the API keeps is "
                        + "unknowable, so it is not patched: fix it by hand"))
        }
        return .fields(fields)
    }

    /// What ``readForWork()`` found.
    enum Reading {
        case fields(UserFields)
        case ended(PlanApplier.Outcome)
    }

    /// Journals an outcome and returns it.
    func record(
        _ kind: String, attempt: String? = nil, after: JSONObject? = nil, detail: String? = nil
    ) async throws -> PlanApplier.Outcome {
        try await note(kind, attempt: attempt, after: after, detail: detail)
        return context.outcome(collectionID, documentID, kind, detail)
    }

    /// Journals an outcome that is not this run's answer for the document (an earlier attempt found
    /// not to have landed).
    func note(_ kind: String, attempt: String?, after: JSONObject? = nil, detail: String? = nil) async throws {
        var entry = identity
        entry["type"] = "outcome"
        entry["outcome"] = .string(kind)
        if let attempt { entry["attempt"] = .string(attempt) }
        if let after { entry["after"] = .object(after) }
        if let detail { entry["detail"] = .string(detail) }
        try await context.journal?.append(entry)
    }

    /// Journals how an apply attempt of unknown outcome turned out.
    func settle(applied: Bool) async throws {
        var entry = identity
        entry["type"] = "settled"
        entry["applied"] = .bool(applied)
        try await context.journal?.append(entry)
    }

    /// Journals the before-state, sends the PATCH that leaves `intended`, checks the answer and
    /// journals the outcome (`kind` when it holds exactly `intended`).
    func send(before: UserFields, intended: UserFields, form: PatchForm, kind: String) async throws
        -> PlanApplier.Outcome
    {
        let path = "/v1/collections/\(collectionID)/documents/\(documentID)"
        if context.dryRun {
            context.show?("PATCH \(path)\n\(intended.body(form: form, from: before).serialized(.pretty))\n")
            return context.outcome(collectionID, documentID, "planned")
        }
        let attempt = UUID().uuidString.lowercased()
        var entry = identity
        entry["type"] = "before"
        entry["attempt"] = .string(attempt)
        entry["before"] = .object(before.values)
        entry["intended"] = .object(intended.values)
        entry["at_root"] = .bool(before.atRoot)
        entry["form"] = .string(form.rawValue)
        try await context.journal?.append(entry)
        let response: JSONValue
        do {
            response = try await context.client.patchDocument(
                documentID, inCollection: collectionID, body: intended.body(form: form, from: before))
        } catch let error as MixpeekError where !Context.stopsTheRun(error) {
            if form == .metadata, let accepted = Self.acceptedKeys(error), !accepted.contains("metadata") {
                // The server refuses `metadata` and names what it takes: nothing was written.
                try await note(
                    "failed", attempt: attempt,
                    detail: "refused with 422 extra_forbidden, accepting \(accepted.joined(separator: ", ")): \(error)")
                context.warn?(
                    "\(documentID): the server refuses a metadata body (it accepts \(accepted.joined(separator: ", "))); "
                        + "sending the user fields at the body's root")
                return try await send(before: before, intended: intended, form: .root, kind: kind)
            }
            // A 4xx refused the request (nothing written); anything else may have landed.
            let refused = (error.status ?? 0) >= 400 && (error.status ?? 0) < 500 && error.code != .rateLimited
            return try await record(refused ? "failed" : "unknown", attempt: attempt, detail: error.description)
        }
        let after: UserFields
        do {
            after = try UserFields(document: response)
        } catch {
            return try await record("unknown", attempt: attempt, detail: "the answer is not a document: \(error)")
        }
        var warnings = ""
        if intended.values["warnings"] == nil, let said = response["warnings"] {
            warnings = "; the server warned: \(said.serialized()) (ignored keys mean the write did not happen)"
        }
        guard after.values == intended.values, after.duplicateKey == nil else {
            var differing = Set(intended.values.keys).union(after.values.keys)
                .filter { intended.values[$0] != after.values[$0] }.sorted()
            if differing.isEmpty, let duplicate = after.duplicateKey {
                differing = ["\(duplicate) (twice in the answer)"]
            }
            return try await record(
                "failed", attempt: attempt, after: after.values,
                detail: "the server's answer differs from the intended fields in: "
                    + differing.joined(separator: ", ") + warnings)
        }
        return try await record(kind, attempt: attempt, after: after.values)
    }

    /// The keys a 422 `extra_forbidden` refusal names as accepted, when it names them.
    static func acceptedKeys(_ error: MixpeekError) -> [String]? {
        guard error.status == 422, let entries = error.body?["detail"]?.arrayValue else { return nil }
        for entry in entries where entry["type"]?.stringValue == "extra_forbidden" {
            if let accepted = entry["ctx"]?["accepted"]?.arrayValue?.compactMap(\.stringValue) { return accepted }
        }
        return nil
    }
}
