import Foundation
import LineageKit

/// A reviewable set of metadata corrections: for each document, each user field's value before
/// (`from`, absent when the field does not exist) and after (`to`, absent to remove the field).
///
/// On disk it is a JSON document (docs/cli.md): `{"lineage_plan": 1, "namespace", "base_url",
/// "created_at", "snapshot": {…}, "patches": [{"collection_id", "document_id", "reason",
/// "changes": {FIELD: {"from", "to"}}}]}`. Readers of inputs skip it by its `lineage_plan` key.
public struct CorrectionPlan: Sendable, Equatable {
    /// One field's change.
    public struct Change: Sendable, Equatable {
        /// The user field (a dotted path descends into objects).
        public var field: String
        /// The value the field must hold now; `nil` when it must be absent.
        public var from: JSONValue?
        /// The value to set; `nil` removes the field.
        public var to: JSONValue?

        /// Creates a change.
        public init(field: String, from: JSONValue?, to: JSONValue?) {
            self.field = field
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

    /// Creates a plan.
    public init(namespace: String?, baseURL: String?, createdAt: String, snapshot: JSONObject, patches: [Patch]) {
        self.namespace = namespace
        self.baseURL = baseURL
        self.createdAt = createdAt
        self.snapshot = snapshot
        self.patches = patches
    }

    /// The plan as JSON.
    public var json: JSONValue {
        let patchValues: [JSONValue] = patches.map { patch in
            var changes = JSONObject()
            for change in patch.changes {
                var value = JSONObject()
                if let from = change.from { value["from"] = from }
                if let to = change.to { value["to"] = to }
                changes[change.field] = .object(value)
            }
            return [
                "collection_id": .string(patch.collectionID), "document_id": .string(patch.documentID),
                "reason": .string(patch.reason), "changes": .object(changes),
            ]
        }
        return [
            "lineage_plan": 1, "namespace": namespace.map(JSONValue.string) ?? .null,
            "base_url": baseURL.map(JSONValue.string) ?? .null, "created_at": .string(createdAt),
            "snapshot": .object(snapshot), "patches": .array(patchValues),
        ]
    }

    /// Reads a plan file.
    ///
    /// - Throws: ``CorrectionsError`` naming the file and what is wrong.
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
        guard let object = value.objectValue, object["lineage_plan"]?.intValue == 1 else {
            throw CorrectionsError("\(path) is not a LineageKit plan (no \"lineage_plan\": 1)")
        }
        var patches: [Patch] = []
        for (number, entry) in (object["patches"]?.arrayValue ?? []).enumerated() {
            let place = "\(path): patch \(number + 1)"
            guard let patch = entry.objectValue, let collection = patch["collection_id"]?.stringValue,
                let document = patch["document_id"]?.stringValue, let changes = patch["changes"]?.objectValue
            else { throw CorrectionsError("\(place) needs collection_id, document_id and changes") }
            var parsed: [Change] = []
            for (field, change) in changes {
                guard let change = change.objectValue, change["from"] != nil || change["to"] != nil else {
                    throw CorrectionsError("\(place): the change of \(field) needs \"from\" or \"to\"")
                }
                parsed.append(Change(field: field, from: change["from"], to: change["to"]))
            }
            guard !parsed.isEmpty else { throw CorrectionsError("\(place) changes nothing") }
            patches.append(
                Patch(
                    collectionID: collection, documentID: document, reason: patch["reason"]?.stringValue ?? "",
                    changes: parsed))
        }
        self.init(
            namespace: object["namespace"]?.stringValue, baseURL: object["base_url"]?.stringValue,
            createdAt: object["created_at"]?.stringValue ?? "", snapshot: object["snapshot"]?.objectValue ?? [:],
            patches: patches)
    }

    /// A stable fingerprint of the patches (FNV-1a of their JSON), tying a journal to its plan.
    public var digest: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in JSONValue.object(json.objectValue?.filtered(keeping: ["patches"]) ?? [:]).serialized().utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// Documents, fields, and counts per collection and per reason, for people.
    public func summary() -> String {
        let fields = patches.reduce(0) { $0 + $1.changes.count }
        var out = "plan: \(patches.count) document(s), \(fields) field change(s)"
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
        return out
    }
}

extension JSONObject {
    /// The members whose keys are in `keys`.
    func filtered(keeping keys: Set<String>) -> JSONObject {
        JSONObject(filter { keys.contains($0.key) }.map { ($0.key, $0.value) })
    }
}
