import Foundation
import LineageKit

/// A reviewable set of metadata corrections: for each document, each user field's value before
/// (`from`, absent when the field does not exist) and after (`to`, absent to remove the field).
///
/// On disk it is a JSON document (docs/cli.md): `{"lineage_plan": 2, "namespace", "base_url",
/// "created_at", "snapshot": {…}, "patches": [{"collection_id", "document_id", "reason",
/// "changes": [{"field" or "pointer", "from", "to"}]}], "held": [...], "deletions": [{"operation":
/// "delete", "collection_id", "document_id", "keeper", "reason"}]}` (`deletions` only when there are
/// some). Readers of inputs skip it by its `lineage_plan` key.
public struct CorrectionPlan: Sendable, Equatable {
    /// What a change touches: a top-level user field by its literal name, or a value inside one by
    /// an RFC 6901 JSON Pointer.
    public enum Target: Sendable, Hashable, CustomStringConvertible {
        /// A top-level user field; the name is literal, dots included (`"v1.2"` is one field).
        case field(String)
        /// A value nested in a user field: the pointer's reference tokens, at least two, descending
        /// through objects only (`/title/lang` is `["title", "lang"]`).
        case pointer([String])

        /// The top-level user field the change is inside.
        public var topLevelField: String {
            switch self {
            case .field(let name): name
            case .pointer(let tokens): tokens.first ?? ""
            }
        }

        /// The field name, or the pointer as text (`/title/lang`).
        public var description: String {
            switch self {
            case .field(let name): name
            case .pointer(let tokens): JSONPointer.text(tokens)
            }
        }
    }

    /// One field's change.
    public struct Change: Sendable, Equatable {
        /// What the change touches.
        public var target: Target
        /// The value the target must hold now; `nil` when it must be absent.
        public var from: JSONValue?
        /// The value to set; `nil` removes it.
        public var to: JSONValue?

        /// The field name or pointer text, for people.
        public var field: String { target.description }

        /// Creates a change of a top-level field, named literally.
        public init(field: String, from: JSONValue?, to: JSONValue?) {
            self.init(target: .field(field), from: from, to: to)
        }

        /// Creates a change.
        public init(target: Target, from: JSONValue?, to: JSONValue?) {
            self.target = target
            self.from = from
            self.to = to
        }
    }

    /// The changes to one document.
    public struct Patch: Sendable, Equatable {
        /// The document's collection.
        public var collectionID: String
        /// The document.
        public var documentID: String
        /// Why: the rule (`drift.metadata`) or the patch file and line.
        public var reason: String
        /// The field changes, in plan order.
        public var changes: [Change]

        /// Creates a patch.
        public init(collectionID: String, documentID: String, reason: String, changes: [Change]) {
            self.collectionID = collectionID
            self.documentID = documentID
            self.reason = reason
            self.changes = changes
        }
    }

    /// A document a finding would have patched, held back because its lineage is in dispute.
    public struct Held: Sendable, Equatable {
        /// The document's collection.
        public var collectionID: String
        /// The document.
        public var documentID: String
        /// The rule whose finding asked for the change (`drift.metadata`).
        public var rule: String
        /// Why it is held: the lineage findings on the document.
        public var reason: String
        /// The changes that would have been planned.
        public var changes: [Change]

        /// Creates a held entry.
        public init(collectionID: String, documentID: String, rule: String, reason: String, changes: [Change]) {
            self.collectionID = collectionID
            self.documentID = documentID
            self.rule = rule
            self.reason = reason
            self.changes = changes
        }
    }

    /// A document to delete: a duplicate (`duplicate.document`) of the document kept in its place.
    public struct Deletion: Sendable, Equatable {
        /// The document's collection.
        public var collectionID: String
        /// The document to delete.
        public var documentID: String
        /// The document of the same group that stays; apply deletes nothing when it is gone.
        public var keeper: String
        /// Why: the rule and what makes it a duplicate.
        public var reason: String

        /// Creates a deletion.
        public init(collectionID: String, documentID: String, keeper: String, reason: String) {
            self.collectionID = collectionID
            self.documentID = documentID
            self.keeper = keeper
            self.reason = reason
        }
    }

    /// The namespace the plan was made for, when known.
    public var namespace: String?
    /// The API base URL the plan was made for, when known.
    public var baseURL: String?
    /// When the plan was made (ISO 8601).
    public var createdAt: String
    /// What the plan was made from (inputs, counts, the snapshot manifest when there was one).
    public var snapshot: JSONObject
    /// The patches, one per document.
    public var patches: [Patch]
    /// Documents left out because their lineage is disputed (see ``PlanBuilder/includeDisputed``).
    public var held: [Held]
    /// Documents to delete, sent only when apply is allowed to delete.
    public var deletions: [Deletion]

    /// Creates a plan.
    public init(
        namespace: String?, baseURL: String?, createdAt: String, snapshot: JSONObject, patches: [Patch],
        held: [Held] = [], deletions: [Deletion] = []
    ) {
        self.deletions = deletions
        self.namespace = namespace
        self.baseURL = baseURL
        self.createdAt = createdAt
        self.snapshot = snapshot
        self.patches = patches
        self.held = held
    }

    /// The plan file format this version writes and reads.
    public static let formatVersion = 2

    /// The plan as JSON.
    public var json: JSONValue {
        func changesJSON(_ changes: [Change]) -> JSONValue {
            .array(
                changes.map { change in
                    var value = JSONObject()
                    switch change.target {
                    case .field(let name): value["field"] = .string(name)
                    case .pointer(let tokens): value["pointer"] = .string(JSONPointer.text(tokens))
                    }
                    if let from = change.from { value["from"] = from }
                    if let to = change.to { value["to"] = to }
                    return .object(value)
                })
        }
        let patchValues: [JSONValue] = patches.map { patch in
            [
                "collection_id": .string(patch.collectionID), "document_id": .string(patch.documentID),
                "reason": .string(patch.reason), "changes": changesJSON(patch.changes),
            ]
        }
        let heldValues: [JSONValue] = held.map { held in
            [
                "collection_id": .string(held.collectionID), "document_id": .string(held.documentID),
                "rule": .string(held.rule), "reason": .string(held.reason), "changes": changesJSON(held.changes),
            ]
        }
        var plan: JSONObject = [
            "lineage_plan": .number(JSONNumber(Self.formatVersion)),
            "namespace": namespace.map(JSONValue.string) ?? .null,
            "base_url": baseURL.map(JSONValue.string) ?? .null, "created_at": .string(createdAt),
            "snapshot": .object(snapshot), "patches": .array(patchValues), "held": .array(heldValues),
        ]
        if !deletions.isEmpty { plan["deletions"] = .array(deletions.map(\.json)) }
        return .object(plan)
    }

    /// Reads a plan file.
    ///
    /// - Throws: ``CorrectionsError`` naming the file, the patch and what is wrong.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CorrectionsError("cannot read the plan \(path)")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: [UInt8](data), name: path)
        } catch {
            throw CorrectionsError("\(error)")
        }
        guard let object = value.objectValue, let version = object["lineage_plan"]?.intValue else {
            throw CorrectionsError("\(path) is not a LineageKit plan (no \"lineage_plan\" key)")
        }
        guard version == Self.formatVersion else {
            throw CorrectionsError(
                "\(path) is a plan of format \(version); this lineage reads format \(Self.formatVersion) "
                    + "(format 1 read dotted field names as paths): make the plan again with lineage plan")
        }
        func changes(_ value: JSONValue?, at place: String) throws -> [Change] {
            guard let list = value?.arrayValue else { throw CorrectionsError("\(place): \"changes\" must be an array") }
            var parsed: [Change] = []
            for (number, entry) in list.enumerated() {
                let location = "\(place), change \(number + 1)"
                guard let change = entry.objectValue, change["from"] != nil || change["to"] != nil else {
                    throw CorrectionsError("\(location) needs \"from\" or \"to\"")
                }
                let target: Target
                if let name = change["field"]?.stringValue, change["pointer"] == nil {
                    target = .field(name)
                } else if let pointer = change["pointer"]?.stringValue, change["field"] == nil {
                    target = try JSONPointer.target(pointer, at: location)
                } else {
                    throw CorrectionsError("\(location) needs one of \"field\" (a name) or \"pointer\" (RFC 6901)")
                }
                guard !parsed.contains(where: { $0.target.overlaps(target) }) else {
                    throw CorrectionsError("\(location): \(target) overlaps another change of the same patch")
                }
                parsed.append(Change(target: target, from: change["from"], to: change["to"]))
            }
            guard !parsed.isEmpty else { throw CorrectionsError("\(place) changes nothing") }
            return parsed
        }
        var patches: [Patch] = []
        var seen: Set<String> = []
        for (number, entry) in (object["patches"]?.arrayValue ?? []).enumerated() {
            let place = "\(path): patch \(number + 1)"
            guard let patch = entry.objectValue, let collection = patch["collection_id"]?.stringValue,
                let document = patch["document_id"]?.stringValue
            else { throw CorrectionsError("\(place) needs collection_id, document_id and changes") }
            guard seen.insert(collection + "\u{0}" + document).inserted else {
                throw CorrectionsError(
                    "\(place): document \(document) of \(collection) has an earlier patch; merge them")
            }
            patches.append(
                Patch(
                    collectionID: collection, documentID: document, reason: patch["reason"]?.stringValue ?? "",
                    changes: try changes(patch["changes"], at: place)))
        }
        var held: [Held] = []
        for (number, entry) in (object["held"]?.arrayValue ?? []).enumerated() {
            let place = "\(path): held \(number + 1)"
            guard let entry = entry.objectValue, let collection = entry["collection_id"]?.stringValue,
                let document = entry["document_id"]?.stringValue
            else { throw CorrectionsError("\(place) needs collection_id and document_id") }
            held.append(
                Held(
                    collectionID: collection, documentID: document, rule: entry["rule"]?.stringValue ?? "",
                    reason: entry["reason"]?.stringValue ?? "", changes: try changes(entry["changes"], at: place)))
        }
        var deletions: [Deletion] = []
        for (number, entry) in (object["deletions"]?.arrayValue ?? []).enumerated() {
            let place = "\(path): deletion \(number + 1)"
            guard let entry = entry.objectValue, entry["operation"]?.stringValue == "delete",
                let collection = entry["collection_id"]?.stringValue, let document = entry["document_id"]?.stringValue,
                let keeper = entry["keeper"]?.stringValue
            else {
                throw CorrectionsError(
                    "\(place) needs \"operation\": \"delete\", collection_id, document_id and keeper")
            }
            guard keeper != document else { throw CorrectionsError("\(place): \(document) cannot be its own keeper") }
            guard seen.insert(collection + "\u{0}" + document).inserted else {
                throw CorrectionsError("\(place): document \(document) of \(collection) is patched or deleted earlier")
            }
            deletions.append(
                Deletion(
                    collectionID: collection, documentID: document, keeper: keeper,
                    reason: entry["reason"]?.stringValue ?? ""))
        }
        let deleted = Set(deletions.map { $0.collectionID + "\u{0}" + $0.documentID })
        if let kept = deletions.first(where: { deleted.contains($0.collectionID + "\u{0}" + $0.keeper) }) {
            throw CorrectionsError(
                "\(path): \(kept.documentID) is to be deleted in favour of \(kept.keeper), which is deleted too")
        }
        self.init(
            namespace: object["namespace"]?.stringValue, baseURL: object["base_url"]?.stringValue,
            createdAt: object["created_at"]?.stringValue ?? "", snapshot: object["snapshot"]?.objectValue ?? [:],
            patches: patches, held: held, deletions: deletions)
    }

    /// The plan's content hash: SHA-256 of its patches (and deletions, when it has some) as compact JSON, as `sha256:HEX`. Journals
    /// record it and name every patch by it, so a journal is never used with another plan.
    public var digest: String {
        let changes = JSONValue.object(json.objectValue?.filtered(keeping: ["patches", "deletions"]) ?? [:])
        return "sha256:" + SHA256.hex(Array(changes.serialized().utf8))
    }

    /// Documents, fields, and counts per collection and per reason, for people.
    public func summary() -> String {
        let fields = patches.reduce(0) { $0 + $1.changes.count }
        var out = "plan: \(patches.count) document(s), \(fields) field change(s)"
        if !deletions.isEmpty { out += ", \(deletions.count) document(s) to delete" }
        if let namespace { out += " in namespace \(namespace)" }
        out += "\n"
        var byCollection: [String: (documents: Int, fields: Int)] = [:]
        var byReason: [String: Int] = [:]
        var byField: [String: Int] = [:]
        for patch in patches {
            byCollection[patch.collectionID, default: (0, 0)].documents += 1
            byCollection[patch.collectionID, default: (0, 0)].fields += patch.changes.count
            for reason in patch.reason.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                byReason[reason.hasPrefix("patches") ? "patches file" : reason, default: 0] += 1
            }
            for change in patch.changes { byField[change.field, default: 0] += 1 }
        }
        out += "  by collection:\n"
        for (collection, counts) in byCollection.sorted(by: { $0.key < $1.key }) {
            out += "    \(collection): \(counts.documents) document(s), \(counts.fields) field(s)\n"
        }
        out += "  by reason:\n"
        for (reason, count) in byReason.sorted(by: { $0.key < $1.key }) { out += "    \(reason): \(count)\n" }
        out += "  by field:\n"
        for (field, count) in byField.sorted(by: { $0.key < $1.key }) { out += "    \(field): \(count)\n" }
        if !deletions.isEmpty {
            out += "  deletions (sent only where deletions are allowed): \(deletions.count) document(s)\n"
            var perCollection: [String: Int] = [:]
            for deletion in deletions { perCollection[deletion.collectionID, default: 0] += 1 }
            for (collection, count) in perCollection.sorted(by: { $0.key < $1.key }) {
                out += "    \(collection): \(count) duplicate(s) deleted, the oldest of each group kept\n"
            }
        }
        if !held.isEmpty {
            out += "  held (lineage in dispute, not planned): \(held.count) document(s)\n"
            for entry in held.prefix(10) {
                out += "    \(entry.documentID) in \(entry.collectionID): \(entry.reason)\n"
            }
            if held.count > 10 { out += "    … and \(held.count - 10) more in the plan file\n" }
        }
        return out
    }
}

extension CorrectionPlan.Deletion {
    /// The deletion as a plan entry.
    var json: JSONValue {
        [
            "operation": "delete", "collection_id": .string(collectionID), "document_id": .string(documentID),
            "keeper": .string(keeper), "reason": .string(reason),
        ]
    }
}

extension JSONObject {
    /// The members whose keys are in `keys`.
    func filtered(keeping keys: Set<String>) -> JSONObject {
        JSONObject(filter { keys.contains($0.key) }.map { ($0.key, $0.value) })
    }
}
