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
        compareDocuments(old.documents, new.documents)
        compareObjects(old.objects, new.objects)
        compareFindings(oldReport.findings, newReport.findings)
    }

    private mutating func compareDocuments(_ old: [Document], _ new: [Document]) {
        var oldIndex: [DocumentReference: Int] = [:]
        oldIndex.reserveCapacity(old.count)
        for (index, document) in old.enumerated() {
            oldIndex[DocumentReference(collectionID: document.collectionID, documentID: document.id)] = index
        }
        var matched = [Bool](repeating: false, count: old.count)
        for document in new {
            let reference = DocumentReference(collectionID: document.collectionID, documentID: document.id)
            guard let index = oldIndex[reference] else {
                addedDocuments.append(reference)
                continue
            }
            // A snapshot holding one document twice: the first of each is compared, the rest are not new.
            if matched[index] { continue }
            matched[index] = true
            let before = old[index]
            if before.statements != document.statements {
                let change = Self.lineageChange(reference, before, document)
                if !change.resolved.isEmpty || !change.statements.isEmpty { lineageChanges.append(change) }
            }
            if Self.fieldPrints(before) != Self.fieldPrints(document) {
                do {
                    if let change = try Self.userFieldChange(reference, before, document) {
                        userFieldChanges.append(change)
                    }
                } catch {
                    unreadableUserFields.append(reference)
                }
            }
        }
        for (index, document) in old.enumerated() where !matched[index] {
            let reference = DocumentReference(collectionID: document.collectionID, documentID: document.id)
            if oldIndex[reference] == index { removedDocuments.append(reference) }
        }
        addedDocuments = Array(Set(addedDocuments)).sorted()
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

    /// A document's user-field fingerprints, order-free.
    static func fieldPrints(_ document: Document) -> [UInt64] {
        var prints: [UInt64] = []
        document.forEachUserFieldPrint { name, value in
            prints.append(name)
            prints.append(value)
        }
        guard prints.count > 2 else { return prints }
        // Pairs sorted by name hash, so field order does not count as a change.
        let pairs = stride(from: 0, to: prints.count, by: 2).map { (prints[$0], prints[$0 + 1]) }.sorted { $0 < $1 }
        return pairs.flatMap { [$0.0, $0.1] }
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
