/// What changed between two snapshots of a namespace: documents and objects added and removed,
/// documents whose lineage or user fields changed, and findings new, resolved and persisting.
///
/// Documents are matched by collection and id, objects by bucket and id, findings by
/// ``Finding/baselineKey`` (rule and document, or the collection, bucket, object or batch they are
/// about), never by position. Everything is listed in a deterministic order (collection, then id).
public struct SnapshotDiff: Sendable {
    /// A document, by collection and id.
    public struct DocumentReference: Sendable, Hashable, Comparable {
        /// The collection.
        public var collectionID: String
        /// The document id.
        public var documentID: String

        /// Orders by collection, then id.
        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.collectionID, lhs.documentID) < (rhs.collectionID, rhs.documentID)
        }
    }

    /// A bucket object, by bucket and id.
    public struct ObjectReference: Sendable, Hashable, Comparable {
        /// The bucket.
        public var bucketID: String
        /// The object id.
        public var objectID: String

        /// Orders by bucket, then id.
        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.bucketID, lhs.objectID) < (rhs.bucketID, rhs.objectID)
        }
    }

    /// One lineage fact that changed: in one place the document states it (`place`), or in the
    /// resolved lineage (`place` `nil`). A value is `nil` where it is not stated.
    public struct FactChange: Sendable, Hashable {
        /// The canonical fact name: `root_object_id`, `root_bucket_id`, `source_type`,
        /// `source_object_id`, `source_document_id`, `source_collection_id`, `path` or `chain`.
        public var fact: String
        /// The place the fact is stated in; `nil` for the resolved answer.
        public var place: LineagePlace?
        /// The value before (a string, or for `chain` an array of steps); `nil` when unstated.
        public var old: JSONValue?
        /// The value after.
        public var new: JSONValue?

        /// The field path the value lives at (`_internal.lineage.source_document_id`), or `resolved.FACT`.
        public var fieldPath: String { place?.fieldPath(fact) ?? "resolved." + fact }
    }

    /// A document whose lineage changed.
    public struct LineageChange: Sendable, Hashable {
        /// The document.
        public var document: DocumentReference
        /// Changes of the resolved lineage (what the graph and the rules use).
        public var resolved: [FactChange]
        /// Changes place by place (a place that appeared or vanished shows each fact it states).
        public var statements: [FactChange]
    }

    /// A document whose user fields changed, by top-level field name.
    public struct UserFieldChange: Sendable, Hashable {
        /// The document.
        public var document: DocumentReference
        /// Fields only the new document has.
        public var added: [String]
        /// Fields only the old document had.
        public var removed: [String]
        /// Fields both have, with different values.
        public var changed: [String]
    }

    /// Documents only the new snapshot has.
    public var addedDocuments: [DocumentReference] = []
    /// Documents only the old snapshot had.
    public var removedDocuments: [DocumentReference] = []
    /// Objects only the new snapshot has.
    public var addedObjects: [ObjectReference] = []
    /// Objects only the old snapshot had.
    public var removedObjects: [ObjectReference] = []
    /// Documents in both whose lineage changed.
    public var lineageChanges: [LineageChange] = []
    /// Documents in both whose user fields changed.
    public var userFieldChanges: [UserFieldChange] = []
    /// Findings of the new audit the old one did not have.
    public var newFindings: [Finding] = []
    /// Findings of the old audit the new one no longer has.
    public var resolvedFindings: [Finding] = []
    /// Findings both audits have (as the new audit states them).
    public var persistingFindings: [Finding] = []
    /// Documents, objects and findings in the old snapshot.
    public var oldCounts: Counts
    /// The same in the new snapshot.
    public var newCounts: Counts
    /// User fields that could not be read again from a changed or vanished input file, by document.
    public var unreadableUserFields: [DocumentReference] = []

    /// Sizes of one side.
    public struct Counts: Sendable, Hashable {
        /// Documents.
        public var documents: Int
        /// Bucket objects.
        public var objects: Int
        /// Findings.
        public var findings: Int
    }

    /// Compares two snapshots and their audits (run with the same rules).
    public init(old: Snapshot, oldReport: AuditReport, new: Snapshot, newReport: AuditReport) {
        oldCounts = Counts(
            documents: old.documents.count, objects: old.objects.count, findings: oldReport.findings.count)
        newCounts = Counts(
            documents: new.documents.count, objects: new.objects.count, findings: newReport.findings.count)
        compareDocuments(old, new)
        compareObjects(old.objects, new.objects)
        compareFindings(oldReport.findings, newReport.findings)
    }

    /// What one piece of the new documents found.
    private struct DocumentPiece {
        var added: [DocumentReference] = []
        var matched: [Int32] = []
        var lineageChanges: [LineageChange] = []
        var userFieldChanges: [UserFieldChange] = []
        var unreadable: [DocumentReference] = []
    }

    /// Matches documents by id (a snapshot holds each id once; the same id in another collection
    /// is one document removed and one added), comparing pieces of the new documents on all cores.
    private mutating func compareDocuments(_ oldSnapshot: Snapshot, _ newSnapshot: Snapshot) {
        let old = oldSnapshot.documents
        let new = newSnapshot.documents
        let index = oldSnapshot.documentIndex ?? IDTable(indexing: old)
        let ranges = pieceRanges(of: new.count)
        let shared = WorkerShared((old, new, index, ranges))
        let pieces = mapPieces(ranges.count) { piece in
            let (old, new, index, ranges) = shared.value
            var found = DocumentPiece()
            for document in new[ranges[piece]] {
                // Made only for a document that changed: its id's string costs an allocation.
                var reference: DocumentReference {
                    DocumentReference(collectionID: document.collectionID, documentID: document.id)
                }
                let position = index.value(forIDOf: document)
                guard position >= 0, old[Int(position)].collectionID == document.collectionID else {
                    found.added.append(reference)
                    continue
                }
                found.matched.append(position)
                let before = old[Int(position)]
                if before.storedStatements != document.storedStatements {
                    let change = Self.lineageChange(reference, before, document)
                    if !change.resolved.isEmpty || !change.statements.isEmpty { found.lineageChanges.append(change) }
                }
                guard Self.fieldPrint(before) != Self.fieldPrint(document) else { continue }
                do {
                    if let change = try Self.userFieldChange(reference, before, document) {
                        found.userFieldChanges.append(change)
                    }
                } catch {
                    found.unreadable.append(reference)
                }
            }
            return found
        }
        var matched = [Bool](repeating: false, count: old.count)
        for piece in pieces {
            addedDocuments += piece.added
            lineageChanges += piece.lineageChanges
            userFieldChanges += piece.userFieldChanges
            unreadableUserFields += piece.unreadable
            for position in piece.matched { matched[Int(position)] = true }
        }
        // By index: enumerating the documents would copy each (a retain and release of its parts).
        for position in old.indices where !matched[position] {
            removedDocuments.append(
                DocumentReference(collectionID: old[position].collectionID, documentID: old[position].id))
        }
        addedDocuments.sort()
        removedDocuments.sort()
        lineageChanges.sort { $0.document < $1.document }
        userFieldChanges.sort { $0.document < $1.document }
        unreadableUserFields.sort()
    }

    private mutating func compareObjects(_ old: [BucketObject], _ new: [BucketObject]) {
        let before = Set(old.map { ObjectReference(bucketID: $0.bucketID, objectID: $0.id) })
        let after = Set(new.map { ObjectReference(bucketID: $0.bucketID, objectID: $0.id) })
        addedObjects = after.subtracting(before).sorted()
        removedObjects = before.subtracting(after).sorted()
    }

    private mutating func compareFindings(_ old: [Finding], _ new: [Finding]) {
        let before = Set(old.map(\.baselineKey))
        let after = Set(new.map(\.baselineKey))
        for finding in new {
            if before.contains(finding.baselineKey) {
                persistingFindings.append(finding)
            } else {
                newFindings.append(finding)
            }
        }
        resolvedFindings = old.filter { !after.contains($0.baselineKey) }
    }

    /// The facts a statement can state, by canonical name.
    static let facts: [(name: String, value: @Sendable (LineageStatement) -> JSONValue?)] = [
        ("root_object_id", { $0.rootObjectID.map(JSONValue.string) }),
        ("root_bucket_id", { $0.rootBucketID.map(JSONValue.string) }),
        ("source_type", { $0.sourceType.map { .string($0.description) } }),
        ("source_object_id", { $0.sourceObjectID.map(JSONValue.string) }),
        ("source_document_id", { $0.sourceDocumentID.map(JSONValue.string) }),
        ("source_collection_id", { $0.sourceCollectionID.map(JSONValue.string) }),
        ("path", { $0.path.map(JSONValue.string) }),
        ("chain", { $0.chain.map(chainJSON) }),
    ]

    /// A chain as JSON: one object per step with the members the step states.
    static func chainJSON(_ chain: [LineageStep]) -> JSONValue {
        .array(
            chain.map { step in
                var members = JSONObject()
                if let value = step.collectionID { members["collection_id"] = .string(value) }
                if let value = step.featureExtractorID { members["feature_extractor_id"] = .string(value) }
                if let value = step.documentID { members["document_id"] = .string(value) }
                if let value = step.timestamp { members["timestamp"] = .string(value) }
                return .object(members)
            })
    }

    static func lineageChange(_ reference: DocumentReference, _ old: Document, _ new: Document) -> LineageChange {
        let resolvedOld = LineageStatement(place: .internal, resolving: old.lineage)
        let resolvedNew = LineageStatement(place: .internal, resolving: new.lineage)
        var resolved: [FactChange] = []
        for fact in facts {
            let before = fact.value(resolvedOld)
            let after = fact.value(resolvedNew)
            if before != after { resolved.append(FactChange(fact: fact.name, place: nil, old: before, new: after)) }
        }
        var statements: [FactChange] = []
        for place in LineagePlace.allCases {
            let before = old.statement(in: place)
            let after = new.statement(in: place)
            guard before != after else { continue }
            for fact in facts {
                let oldValue = before.flatMap(fact.value)
                let newValue = after.flatMap(fact.value)
                if oldValue != newValue {
                    statements.append(FactChange(fact: fact.name, place: place, old: oldValue, new: newValue))
                }
            }
        }
        return LineageChange(document: reference, resolved: resolved, statements: statements)
    }

    /// One fingerprint of all of a document's top-level user fields, whatever their order: the
    /// sum of a mix of each (name, value) fingerprint pair, with the field count. Equal for equal
    /// bytes; different fingerprints are confirmed by reading the fields.
    static func fieldPrint(_ document: Document) -> (sum: UInt64, count: Int) {
        var sum: UInt64 = 0
        var count = 0
        document.forEachUserFieldPrint { name, value in
            var mixed = name &* 0x9E37_79B9_7F4A_7C15 ^ value
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            sum &+= mixed ^ (mixed >> 31)
            count += 1
        }
        return (sum, count)
    }

    /// The user fields that differ, read from both inputs; `nil` when the values are equal after
    /// all (the same value written differently, `1.0` and `1.00`).
    static func userFieldChange(_ reference: DocumentReference, _ old: Document, _ new: Document) throws
        -> UserFieldChange?
    {
        let before = try old.readUserFields()
        let after = try new.readUserFields()
        let oldNames = Set(before.keys)
        let newNames = Set(after.keys)
        let changed = oldNames.intersection(newNames).filter { before[$0] != after[$0] }.sorted()
        let added = newNames.subtracting(oldNames).sorted()
        let removed = oldNames.subtracting(newNames).sorted()
        guard !(added.isEmpty && removed.isEmpty && changed.isEmpty) else { return nil }
        return UserFieldChange(document: reference, added: added, removed: removed, changed: changed)
    }
}

extension LineageStatement {
    /// A statement holding a resolved lineage's answers, as if one place stated them all.
    init(place: LineagePlace, resolving lineage: ResolvedLineage) {
        self.init(
            place: place, rootObjectID: lineage.rootObjectID, rootBucketID: lineage.rootBucketID,
            sourceType: lineage.sourceType, sourceObjectID: lineage.sourceObjectID,
            sourceDocumentID: lineage.sourceDocumentID, sourceCollectionID: lineage.sourceCollectionID,
            path: lineage.path, chain: lineage.chain)
    }
}
