import Foundation
import LineageKit

/// Makes a ``CorrectionPlan`` from an audit (every `drift.metadata` finding becomes a patch setting
/// each drifted field to its expected value; with `duplicate.document` among the rules, every
/// duplicate but its group's keeper becomes a deletion) and from a user's patch file.
///
/// Only what is certain is planned: a finding's document that also carries a lineage error
/// (``disputingRules``) is listed under ``CorrectionPlan/held`` instead, since the value to copy
/// comes from a root or source that is itself in doubt.
public struct PlanBuilder: Sendable {
    /// One line of a patch file: `{"collection_id", "document_id", "set": {FIELD: VALUE},
    /// "unset": [FIELD], "set_path": {POINTER: VALUE}, "unset_path": [POINTER]}`. Field names are
    /// literal (`"v1.2"` is one field); nested values are reached only through RFC 6901 pointers.
    public struct UserPatch: Sendable, Equatable {
        /// The document's collection.
        public var collectionID: String
        /// The document.
        public var documentID: String
        /// Targets to set, in file order.
        public var set: [(target: CorrectionPlan.Target, value: JSONValue)]
        /// Targets to remove.
        public var unset: [CorrectionPlan.Target]
        /// `file:line`, for reasons and errors.
        public var origin: String

        /// Creates a patch of top-level fields.
        public init(collectionID: String, documentID: String, set: JSONObject, unset: [String], origin: String) {
            self.init(
                collectionID: collectionID, documentID: documentID, targets: set.map { (.field($0.key), $0.value) },
                unset: unset.map { .field($0) }, origin: origin)
        }

        /// Creates a patch of any targets.
        public init(
            collectionID: String, documentID: String, targets set: [(target: CorrectionPlan.Target, value: JSONValue)],
            unset: [CorrectionPlan.Target], origin: String
        ) {
            self.collectionID = collectionID
            self.documentID = documentID
            self.set = set
            self.unset = unset
            self.origin = origin
        }

        /// Patches are equal when they name the same document, targets and values.
        public static func == (lhs: UserPatch, rhs: UserPatch) -> Bool {
            lhs.collectionID == rhs.collectionID && lhs.documentID == rhs.documentID && lhs.origin == rhs.origin
                && lhs.unset == rhs.unset
                && lhs.set.elementsEqual(rhs.set, by: { $0.target == $1.target && $0.value == $1.value })
        }
    }

    /// The rules whose findings on a document put its lineage in dispute, so drift on it is held.
    public static let disputingRules = [
        "mismatch.root", "mismatch.source", "mismatch.parent", "mismatch.path", "mismatch.collection", "orphan.*",
        "cycle",
    ]

    /// Rule globs whose findings become patches (`drift.metadata` is the rule that yields them).
    public var rules: [String]
    /// Plan documents whose lineage is disputed too, instead of holding them.
    public var includeDisputed: Bool

    /// Creates a builder.
    public init(rules: [String] = ["drift.metadata"], includeDisputed: Bool = false) {
        self.rules = rules
        self.includeDisputed = includeDisputed
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
            if let key = object.keys.first(where: {
                !["collection_id", "document_id", "set", "unset", "set_path", "unset_path"].contains($0)
            }) {
                throw CorrectionsError(
                    "\(origin): unknown key \"\(key)\" (a line has collection_id, document_id, set, unset, "
                        + "set_path, unset_path)")
            }
            var targets: [(target: CorrectionPlan.Target, value: JSONValue)] = []
            var unset: [CorrectionPlan.Target] = []
            for key in ["set", "set_path"] {
                guard let entry = object[key] else { continue }
                guard let members = entry.objectValue else {
                    throw CorrectionsError(
                        "\(origin): \"\(key)\" must be an object of \(key == "set" ? "field names" : "JSON Pointers") and values"
                    )
                }
                for (name, value) in members {
                    targets.append((key == "set" ? .field(name) : try JSONPointer.target(name, at: origin), value))
                }
            }
            for key in ["unset", "unset_path"] {
                guard let list = object[key] else { continue }
                guard let names = list.arrayValue?.compactMap(\.stringValue), names.count == list.arrayValue?.count
                else {
                    throw CorrectionsError(
                        "\(origin): \"\(key)\" must be an array of \(key == "unset" ? "field names" : "JSON Pointers")")
                }
                for name in names {
                    unset.append(key == "unset" ? .field(name) : try JSONPointer.target(name, at: origin))
                }
            }
            guard !targets.isEmpty || !unset.isEmpty else {
                throw CorrectionsError("\(origin): sets and unsets nothing")
            }
            let all = targets.map(\.target) + unset
            for (index, target) in all.enumerated() {
                if let other = all[..<index].first(where: { $0.overlaps(target) }) {
                    throw CorrectionsError("\(origin): \(target) and \(other) change the same value")
                }
            }
            patches.append(
                UserPatch(
                    collectionID: collection, documentID: document, targets: targets, unset: unset, origin: origin))
        }
        return patches
    }

    /// The plan, and how many requested changes were no-ops and left out.
    ///
    /// - Throws: ``CorrectionsError`` for a user patch naming a document the snapshot lacks or
    ///   reaching through a value that is not an object, or two sources wanting different values
    ///   for one field of one document.
    public func plan(
        snapshot: Snapshot, findings: [Finding], userPatches: [UserPatch] = [], namespace: String?, baseURL: String?,
        source: JSONObject, now: Date = Date()
    ) throws -> (plan: CorrectionPlan, noOps: Int) {
        let documents = snapshot.documentLookup()
        var disputes: [String: [String]] = [:]
        for finding in findings where Self.disputingRules.contains(where: { Glob.matches($0, finding.rule) }) {
            guard let id = finding.documentID, let collection = finding.collectionID else { continue }
            disputes[collection + "\u{0}" + id, default: []].append(finding.rule)
        }
        var order: [String] = []
        var patches: [String: CorrectionPlan.Patch] = [:]
        var held: [CorrectionPlan.Held] = []
        var noOps = 0
        var deletions: [CorrectionPlan.Deletion] = []
        var deleted: [String: String] = [:]
        let duplicateRule = DuplicateDocumentRule().id
        for finding in findings
        where finding.rule == duplicateRule && rules.contains(where: { Glob.matches($0, finding.rule) }) {
            guard let id = finding.documentID, let collection = finding.collectionID,
                let keeper = finding.evidence["keeper"]?.stringValue, deleted[collection + "\u{0}" + id] == nil
            else { continue }
            deleted[collection + "\u{0}" + id] = keeper
            deletions.append(
                .init(
                    collectionID: collection, documentID: id, keeper: keeper,
                    reason: finding.rule + ": " + finding.message))
        }
        func add(_ collection: String, _ id: String, reason: String, _ changes: [CorrectionPlan.Change]) throws {
            let key = collection + "\u{0}" + id
            guard var patch = patches[key] else {
                order.append(key)
                patches[key] = .init(collectionID: collection, documentID: id, reason: reason, changes: changes)
                return
            }
            for change in changes {
                if let existing = patch.changes.first(where: { $0.target.overlaps(change.target) }) {
                    guard existing.target == change.target, existing.to == change.to else {
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
            let document = documents.document(collectionID: collection, id: id)
            var changes: [CorrectionPlan.Change] = []
            for field in fields {
                guard let entry = field.objectValue, let name = entry["field"]?.stringValue,
                    let expected = entry["expected"]
                else { continue }
                changes.append(
                    .init(target: Self.target(ofDriftField: name, in: document), from: entry["actual"], to: expected))
            }
            guard !changes.isEmpty else { continue }
            if let keeper = deleted[collection + "\u{0}" + id] {
                held.append(
                    .init(
                        collectionID: collection, documentID: id, rule: finding.rule,
                        reason: "to be deleted as a duplicate of \(keeper)", changes: changes))
                continue
            }
            if !includeDisputed, let rules = disputes[collection + "\u{0}" + id] {
                let unique = rules.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                held.append(
                    .init(
                        collectionID: collection, documentID: id, rule: finding.rule,
                        reason: "lineage in dispute: " + unique.joined(separator: ", "), changes: changes))
                continue
            }
            try add(collection, id, reason: finding.rule, changes)
        }
        for patch in userPatches {
            guard let document = documents.document(collectionID: patch.collectionID, id: patch.documentID) else {
                throw CorrectionsError(
                    "\(patch.origin): document \(patch.documentID) of \(patch.collectionID) is not in the snapshot")
            }
            if let keeper = deleted[patch.collectionID + "\u{0}" + patch.documentID] {
                throw CorrectionsError(
                    "\(patch.origin): document \(patch.documentID) is to be deleted as a duplicate of \(keeper) "
                        + "(duplicate.document); drop the line, or plan without that rule")
            }
            let fields = UserFields(atRoot: document.shape == .current, values: document.userFields)
            var changes: [CorrectionPlan.Change] = []
            let requested =
                patch.set.map { ($0.target, Optional($0.value)) } + patch.unset.map { ($0, JSONValue?.none) }
            for (target, value) in requested {
                if let (pointer, blocking) = fields.blockingValue(on: target) {
                    throw CorrectionsError(
                        "\(patch.origin): \(target) reaches through \(pointer), which is a \(blocking.typeName), "
                            + "not an object; a change never replaces a value with an object")
                }
                let current = fields.value(at: target)
                if current == value {
                    noOps += 1
                } else {
                    changes.append(.init(target: target, from: current, to: value))
                }
            }
            if !changes.isEmpty {
                try add(patch.collectionID, patch.documentID, reason: "patches " + patch.origin, changes)
            }
        }
        let plan = CorrectionPlan(
            namespace: namespace, baseURL: baseURL, createdAt: ISO8601DateFormatter().string(from: now),
            snapshot: source, patches: order.compactMap { patches[$0] }, held: held, deletions: deletions)
        return (plan, noOps)
    }

    /// A drift finding names a passthrough field as its configuration does: a literal top-level
    /// name, or a dotted path into an object when no such top-level field exists.
    static func target(ofDriftField name: String, in document: Document?) -> CorrectionPlan.Target {
        guard name.contains("."), let document, document.userFields[name] == nil else { return .field(name) }
        let tokens = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = tokens.first, document.userFields[first]?.objectValue != nil else { return .field(name) }
        return .pointer(tokens)
    }
}
