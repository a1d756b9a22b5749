import Foundation
import LineageKit
import MixpeekClient

/// Deleting duplicates and re-creating them on undo.
///
/// Apply re-reads each document and its keeper, journals the document whole, then deletes by
/// explicit ids through `DELETE …/documents/batch` (at most ``MixpeekClient/deleteBatchLimit`` a
/// call). Whatever the answer says of an id, a failure is settled by reading the document again:
/// gone is deleted (by us: it was there just before), present is not. Undo re-creates each deleted
/// document through `POST …/documents` from its journaled JSON: a new document, with a new id and
/// no features, its lineage and user fields as they were. A re-create whose answer was lost is
/// never sent again, since it may have created the document.
extension Context {
    /// What preparing one deletion came to: a journaled attempt ready to send, or an outcome.
    enum Prepared: Sendable {
        case ready(attempt: String, deletion: CorrectionPlan.Deletion)
        case ended(PlanApplier.Outcome)
    }

    // MARK: Apply

    func delete(_ deletions: [CorrectionPlan.Deletion], history: JournalHistory, limit: Int) async throws
        -> [PlanApplier.Outcome]
    {
        var byCollection: [(collection: String, deletions: [CorrectionPlan.Deletion])] = []
        for deletion in deletions {
            if let index = byCollection.firstIndex(where: { $0.collection == deletion.collectionID }) {
                byCollection[index].deletions.append(deletion)
            } else {
                byCollection.append((deletion.collectionID, [deletion]))
            }
        }
        var outcomes: [String: PlanApplier.Outcome] = [:]
        for (collection, group) in byCollection {
            for start in stride(from: 0, to: group.count, by: MixpeekClient.deleteBatchLimit) {
                let batch = Array(group[start..<min(group.count, start + MixpeekClient.deleteBatchLimit)])
                let prepared = try await Concurrently.map(batch.count, limit: limit) { position in
                    try await prepare(batch[position], history: history)
                }
                var ready: [(attempt: String, deletion: CorrectionPlan.Deletion)] = []
                for entry in prepared {
                    switch entry {
                    case .ended(let outcome): outcomes[outcome.documentID] = outcome
                    case .ready(let attempt, let deletion): ready.append((attempt, deletion))
                    }
                }
                guard !ready.isEmpty else { continue }
                for outcome in try await send(ready, collection: collection) {
                    outcomes[outcome.documentID] = outcome
                }
            }
        }
        return deletions.compactMap { outcomes[$0.documentID] }
    }

    /// Settles an earlier attempt, re-reads the document and its keeper, and journals the document.
    private func prepare(_ deletion: CorrectionPlan.Deletion, history: JournalHistory) async throws -> Prepared {
        let recorder = Recorder(
            context: self, collectionID: deletion.collectionID, documentID: deletion.documentID, reverts: nil)
        let key = JournalHistory.key(deletion.collectionID, deletion.documentID)
        var open: String?
        switch history.apply[key] {
        case .deleted?: return .ended(outcome(deletion.collectionID, deletion.documentID, "done"))
        case .open(let id)? where history.deleteAttempts[id] != nil: open = id
        default: break
        }
        let document: JSONValue
        do {
            document = try await client.document(deletion.documentID, inCollection: deletion.collectionID)
        } catch let error as MixpeekError where error.code == .notFound {
            // Gone: by our earlier attempt whose answer was lost (then it is ours to undo), or by someone else.
            if let open { return .ended(try await recorder.record("deleted", attempt: open)) }
            return .ended(try await recorder.record("conflict", detail: "the document no longer exists"))
        } catch let error as MixpeekError where !Self.stopsTheRun(error) {
            return .ended(try await recorder.record("failed", detail: error.description))
        }
        if let open, !dryRun {
            try await recorder.note("not-applied", attempt: open, detail: "the document is still there")
        }
        do {
            _ = try await client.document(deletion.keeper, inCollection: deletion.collectionID)
        } catch let error as MixpeekError where error.code == .notFound {
            return .ended(
                try await recorder.record(
                    "conflict",
                    detail: "its keeper \(deletion.keeper) no longer exists, so the group would lose every copy: "
                        + "not deleted"))
        } catch let error as MixpeekError where !Self.stopsTheRun(error) {
            return .ended(try await recorder.record("failed", detail: "cannot read its keeper: \(error)"))
        }
        if dryRun { return .ready(attempt: "", deletion: deletion) }
        let attempt = UUID().uuidString.lowercased()
        var entry = recorder.identity
        entry["type"] = "before"
        entry["operation"] = "delete"
        entry["attempt"] = .string(attempt)
        entry["keeper"] = .string(deletion.keeper)
        entry["document"] = document
        try await journal?.append(entry)
        return .ready(attempt: attempt, deletion: deletion)
    }

    /// Sends one batch delete and journals each document's outcome.
    private func send(_ ready: [(attempt: String, deletion: CorrectionPlan.Deletion)], collection: String)
        async throws -> [PlanApplier.Outcome]
    {
        let ids = ready.map(\.deletion.documentID)
        if dryRun {
            let body: JSONValue = ["document_ids": .array(ids.map(JSONValue.string))]
            show?("DELETE /v1/collections/\(collection)/documents/batch\n\(body.serialized(.pretty))\n")
            return ids.map { outcome(collection, $0, "planned") }
        }
        var succeeded: Set<String> = []
        var failure: [String: String] = [:]
        do {
            let response = try await client.deleteDocuments(
                ids, inCollection: collection, reason: "lineage apply of plan \(plan): duplicates of older documents")
            for result in response["results"]?.arrayValue ?? [] {
                guard let id = result["document_id"]?.stringValue else { continue }
                if result["success"]?.boolValue == true {
                    succeeded.insert(id)
                } else {
                    failure[id] = result["error"]?.stringValue ?? "the API reports it not deleted"
                }
            }
        } catch let error as MixpeekError where !Self.stopsTheRun(error) {
            for id in ids { failure[id] = error.description }
        }
        var outcomes: [PlanApplier.Outcome] = []
        for (attempt, deletion) in ready {
            let recorder = Recorder(
                context: self, collectionID: collection, documentID: deletion.documentID, reverts: nil)
            if succeeded.contains(deletion.documentID) {
                outcomes.append(try await recorder.record("deleted", attempt: attempt))
                continue
            }
            // No clear success (a failure, no result, or no answer): the document says what happened.
            let reason = failure[deletion.documentID] ?? "the answer has no result for it"
            do {
                _ = try await client.document(deletion.documentID, inCollection: collection)
                outcomes.append(try await recorder.record("failed", attempt: attempt, detail: "not deleted: " + reason))
            } catch let error as MixpeekError where error.code == .notFound {
                outcomes.append(try await recorder.record("deleted", attempt: attempt))
            } catch let error as MixpeekError where !Self.stopsTheRun(error) {
                outcomes.append(
                    try await recorder.record("unknown", attempt: attempt, detail: "\(reason); then \(error)"))
            }
        }
        return outcomes
    }

    // MARK: Undo

    /// Re-creates a document an apply deleted, from its journaled JSON. A request whose answer is
    /// lost is settled by looking for the document it would have made (``findRecreated``) before
    /// it is ever sent again; `known` are the ids that cannot be it (deleted documents, keepers,
    /// documents re-created already).
    func recreate(_ attempt: JournalHistory.DeleteAttempt, history: JournalHistory, known: Set<String>)
        async throws -> PlanApplier.Outcome
    {
        let recorder = Recorder(
            context: self, collectionID: attempt.collectionID, documentID: attempt.documentID, reverts: attempt.id)
        let body = try Self.createBody(from: attempt.document, collection: attempt.collectionID)
        if history.openRecreate.contains(attempt.id) {
            if let settled = try await settle(attempt, body: body, known: known, recorder: recorder) {
                return settled
            }
        } else {
            do {
                _ = try await client.document(attempt.documentID, inCollection: attempt.collectionID)
                return try await recorder.record("unchanged", detail: "it exists again under its own id")
            } catch let error as MixpeekError where error.code == .notFound {
                // Deleted, as expected: re-create it below.
            } catch let error as MixpeekError where !Self.stopsTheRun(error) {
                return try await recorder.record("failed", detail: error.description)
            }
        }
        if dryRun {
            show?("POST /v1/collections/\(attempt.collectionID)/documents\n\(body.serialized(.pretty))\n")
            return outcome(attempt.collectionID, attempt.documentID, "planned")
        }
        for _ in 0..<Self.recreateAttempts {
            let sent = UUID().uuidString.lowercased()
            var entry = recorder.identity
            entry["type"] = "before"
            entry["operation"] = "create"
            entry["attempt"] = .string(sent)
            entry["body"] = body
            try await journal?.append(entry)
            let response: JSONValue
            do {
                response = try await client.createDocument(inCollection: attempt.collectionID, body: body)
            } catch let error as MixpeekError where !Self.stopsTheRun(error) {
                if (error.status ?? 0) >= 400 && (error.status ?? 0) < 500 {
                    return try await recorder.record("failed", attempt: sent, detail: error.description)
                }
                try await recorder.note("unknown", attempt: sent, detail: error.description)
                if let settled = try await settle(attempt, body: body, known: known, recorder: recorder) {
                    return settled
                }
                continue
            }
            guard let newID = response["document_id"]?.stringValue ?? response["_internal"]?["document_id"]?.stringValue
            else {
                return try await recorder.record(
                    "unknown", attempt: sent, detail: "created, but the answer names no document_id")
            }
            return try await recreated(attempt, newID: newID, recorder: recorder)
        }
        return try await recorder.record(
            "unknown", detail: "\(Self.recreateAttempts) re-create requests went unanswered; run undo again")
    }

    /// How many times one undo sends a re-create whose answer was lost and that was found not made.
    static let recreateAttempts = 3

    /// Journals a re-created document and returns its outcome.
    private func recreated(_ attempt: JournalHistory.DeleteAttempt, newID: String, recorder: Recorder) async throws
        -> PlanApplier.Outcome
    {
        var entry = recorder.identity
        entry["type"] = "outcome"
        entry["outcome"] = "recreated"
        entry["new_document_id"] = .string(newID)
        try await journal?.append(entry)
        var result = outcome(
            attempt.collectionID, attempt.documentID, "recreated", "re-created as \(newID), without its features")
        result.newDocumentID = newID
        return result
    }

    /// Settles a re-create whose answer was lost: the outcome when it was made (or cannot be
    /// told), `nil` when it was not (journaled `not-created`, so it may be sent again).
    private func settle(
        _ attempt: JournalHistory.DeleteAttempt, body: JSONValue, known: Set<String>, recorder: Recorder
    ) async throws -> PlanApplier.Outcome? {
        let found: [String]
        do {
            found = try await findRecreated(body, collection: attempt.collectionID, known: known)
        } catch let error as MixpeekError where !Self.stopsTheRun(error) {
            return try await recorder.record(
                "unknown", detail: "a re-create's answer was lost, and looking for it failed: \(error)")
        }
        switch found.count {
        case 0:
            try await recorder.note("not-created", attempt: nil, detail: "no document of its re-create exists")
            return nil
        case 1:
            return try await recreated(attempt, newID: found[0], recorder: recorder)
        default:
            return try await recorder.record(
                "unknown",
                detail: "a re-create's answer was lost and \(found.count) documents match it ("
                    + found.joined(separator: ", ") + "); keep one by hand")
        }
    }

    /// The documents of `collection` a re-create with `body` would have made: the same lineage
    /// and user fields, and an id not among `known`. Throws when the listing is incomplete.
    func findRecreated(_ body: JSONValue, collection: String, known: Set<String>) async throws -> [String] {
        var found: [String] = []
        let metadata = body["metadata"]?.objectValue ?? JSONObject()
        // The schema version is a request option, not something a created document need state.
        func compared(_ body: JSONValue) -> JSONValue {
            var object = body.objectValue ?? JSONObject()
            object["document_schema_version"] = nil
            return .object(object)
        }
        let expected = compared(body)
        let listing = try await client.listDocuments(inCollection: collection) { page in
            for document in page {
                guard let id = document["document_id"]?.stringValue, !known.contains(id),
                    (try? UserFields(document: document).values) == metadata,
                    (try? Self.createBody(from: document, collection: collection)).map(compared) == expected
                else { continue }
                found.append(id)
            }
        }
        if !listing.warnings.isEmpty {
            throw MixpeekError(
                code: .invalidResponse,
                message: "the listing of \(collection) is incomplete: " + listing.warnings.joined(separator: "; "))
        }
        return found
    }

    /// The `DocumentCreateRequest` that re-creates `document`: its lineage (flat fields, path and
    /// chain, as the request takes them), content hash, schema version and user fields.
    static func createBody(from document: JSONValue, collection: String) throws -> JSONValue {
        let bytes = Array(document.serialized().utf8)
        let snapshot: Snapshot
        do {
            snapshot = try SnapshotReader().read(.bytes(bytes, name: "journaled document"))
        } catch {
            throw CorrectionsError("the journaled document cannot be read again: \(error)")
        }
        guard let read = snapshot.documents.first else {
            throw CorrectionsError("the journaled document is not a document")
        }
        let lineage = read.lineage
        var body: JSONObject = ["collection_id": .string(collection)]
        let facts: [(String, String?)] = [
            ("root_object_id", lineage.rootObjectID), ("root_bucket_id", lineage.rootBucketID),
            ("source_type", lineage.sourceType?.description), ("source_collection_id", lineage.sourceCollectionID),
            ("source_document_id", lineage.sourceDocumentID), ("source_object_id", lineage.sourceObjectID),
            ("lineage_path", lineage.path),
        ]
        for (key, value) in facts {
            if let value { body[key] = .string(value) }
        }
        if let chain = lineage.chain {
            body["lineage_chain"] = .array(
                chain.map { step in
                    var value = JSONObject()
                    if let collection = step.collectionID { value["collection_id"] = .string(collection) }
                    if let extractor = step.featureExtractorID { value["feature_extractor_id"] = .string(extractor) }
                    if let id = step.documentID { value["document_id"] = .string(id) }
                    if let timestamp = step.timestamp { value["timestamp"] = .string(timestamp) }
                    return .object(value)
                })
        }
        if let hash = document["_internal"]?["content_hash"]?.stringValue ?? document["content_hash"]?.stringValue {
            body["content_hash"] = .string(hash)
        }
        if let version = read.schemaVersion { body["document_schema_version"] = .string(version) }
        body["metadata"] = .object(try UserFields(document: document).values)
        return .object(body)
    }
}
