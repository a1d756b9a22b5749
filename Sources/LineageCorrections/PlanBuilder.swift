import Foundation
import LineageKit

/// Makes a ``CorrectionPlan`` from an audit (every `drift.metadata` finding becomes a patch setting
/// each drifted field to its expected value) and from a user's patch file.
public struct PlanBuilder: Sendable {
    /// One line of a patch file: `{"collection_id", "document_id", "set": {FIELD: VALUE}, "unset": [FIELD]}`.
    public struct UserPatch: Sendable, Equatable {
        /// The document's collection.
        public var collectionID: String
        /// The document.
        public var documentID: String
        /// Fields to set.
        public var set: JSONObject
        /// Fields to remove.
        public var unset: [String]
        /// `file:line`, for reasons and errors.
        public var origin: String

        /// Creates a patch.
        public init(collectionID: String, documentID: String, set: JSONObject, unset: [String], origin: String) {
            self.collectionID = collectionID
            self.documentID = documentID
            self.set = set
            self.unset = unset
            self.origin = origin
        }
    }

    /// Rule globs whose findings become patches (`drift.metadata` is the rule that yields them).
    public var rules: [String]

    /// Creates a builder.
    public init(rules: [String] = ["drift.metadata"]) {
        self.rules = rules
    }

    /// Reads a patch file (JSON Lines).
    ///
    /// - Throws: ``CorrectionsError`` naming the file and line of a bad entry.
    public static func readPatches(_ path: String) throws -> [UserPatch] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CorrectionsError("cannot read the patch file \(path)")
        }
        let lines: [JSONValue.Line]
        do {
            lines = try JSONValue.parseLines([UInt8](data), name: path)
        } catch {
            throw CorrectionsError("not JSON Lines: \(error)")
        }
        var patches: [UserPatch] = []
        for (number, value) in lines {
            let origin = "\(path):\(number)"
            guard let object = value.objectValue, let collection = object["collection_id"]?.stringValue,
                let document = object["document_id"]?.stringValue
            else { throw CorrectionsError("\(origin): needs collection_id and document_id") }
            let set = object["set"]?.objectValue ?? JSONObject()
            guard object["set"] == nil || object["set"]?.objectValue != nil else {
                throw CorrectionsError("\(origin): \"set\" must be an object of fields and values")
            }
            var unset: [String] = []
            if let list = object["unset"] {
                guard let fields = list.arrayValue?.compactMap(\.stringValue), fields.count == list.arrayValue?.count
                else { throw CorrectionsError("\(origin): \"unset\" must be an array of field names") }
                unset = fields
            }
            guard !set.isEmpty || !unset.isEmpty else { throw CorrectionsError("\(origin): sets and unsets nothing") }
            if let both = unset.first(where: { set[$0] != nil }) {
                throw CorrectionsError("\(origin): \(both) is both set and unset")
            }
            patches.append(
                UserPatch(collectionID: collection, documentID: document, set: set, unset: unset, origin: origin))
        }
        return patches
    }

    /// The plan, and how many requested changes were no-ops and left out.
    ///
    /// - Throws: ``CorrectionsError`` for a user patch naming a document the snapshot lacks, or two
    ///   sources wanting different values for one field of one document.
    public func plan(
        snapshot: Snapshot, findings: [Finding], userPatches: [UserPatch] = [], namespace: String?, baseURL: String?,
        source: JSONObject, now: Date = Date()
    ) throws -> (plan: CorrectionPlan, noOps: Int) {
        var documents: [String: Document] = [:]
        for document in snapshot.documents { documents[document.collectionID + "\u{0}" + document.id] = document }
        var order: [String] = []
        var patches: [String: CorrectionPlan.Patch] = [:]
        var noOps = 0
        func add(_ collection: String, _ id: String, reason: String, _ changes: [CorrectionPlan.Change]) throws {
            let key = collection + "\u{0}" + id
            guard var patch = patches[key] else {
                order.append(key)
                patches[key] = .init(collectionID: collection, documentID: id, reason: reason, changes: changes)
                return
            }
            for change in changes {
                if let existing = patch.changes.first(where: { $0.field == change.field }) {
                    guard existing.to == change.to else {
                        throw CorrectionsError(
                            "\(id): \(change.field) is set to different values by \(patch.reason) and \(reason)")
                    }
                    continue
                }
                patch.changes.append(change)
            }
            if !patch.reason.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }).contains(reason) {
                patch.reason += "; " + reason
            }
            patches[key] = patch
        }
        for finding in findings where rules.contains(where: { Glob.matches($0, finding.rule) }) {
            guard let id = finding.documentID, let collection = finding.collectionID,
                let fields = finding.evidence["fields"]?.arrayValue
            else { continue }
            var changes: [CorrectionPlan.Change] = []
            for field in fields {
                guard let entry = field.objectValue, let name = entry["field"]?.stringValue,
                    let expected = entry["expected"]
                else { continue }
                changes.append(.init(field: name, from: entry["actual"], to: expected))
            }
            if !changes.isEmpty { try add(collection, id, reason: finding.rule, changes) }
        }
        for patch in userPatches {
            guard let document = documents[patch.collectionID + "\u{0}" + patch.documentID] else {
                throw CorrectionsError(
                    "\(patch.origin): document \(patch.documentID) of \(patch.collectionID) is not in the snapshot")
            }
            let fields = UserFields(atRoot: document.shape == .current, values: document.userFields)
            var changes: [CorrectionPlan.Change] = []
            for (field, value) in patch.set {
                let current = fields.value(at: field)
                if current == value {
                    noOps += 1
                } else {
                    changes.append(.init(field: field, from: current, to: value))
                }
            }
            for field in patch.unset {
                if let current = fields.value(at: field) {
                    changes.append(.init(field: field, from: current, to: nil))
                } else {
                    noOps += 1
                }
            }
            if !changes.isEmpty {
                try add(patch.collectionID, patch.documentID, reason: "patches " + patch.origin, changes)
            }
        }
        let plan = CorrectionPlan(
            namespace: namespace, baseURL: baseURL, createdAt: ISO8601DateFormatter().string(from: now),
            snapshot: source, patches: order.compactMap { patches[$0] })
        return (plan, noOps)
    }
}
