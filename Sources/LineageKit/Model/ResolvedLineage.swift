/// One answer per lineage fact, taken from the most authoritative place that states it.
///
/// Authority follows the API's history: `_internal.lineage` first (the current shape), then, for
/// 2025-10 v1 documents the nested `lineage` object before root fields, and for every other shape
/// root fields before the nested object. The places that disagree remain in
/// ``Document/statements`` for the audit.
///
/// A resolved lineage is a view over the statements: each fact is looked up when asked for, so
/// making one costs nothing but a reference, however many facts are never read.
public struct ResolvedLineage: Sendable, Hashable {
    /// The statements, most authoritative first.
    let storedStatements: StoredStatements

    /// Resolves `statements`, listed most authoritative first.
    public init(statements: [LineageStatement]) {
        self.init(StoredStatements(statements))
    }

    /// Resolves a document's statements where they are kept.
    init(_ statements: StoredStatements) {
        self.storedStatements = statements
    }

    /// The statements, most authoritative first.
    public var statements: [LineageStatement] { Array(storedStatements) }

    @inline(__always)
    private func first<Value>(_ fact: (LineageStatement) -> Value?) -> Value? {
        for statement in storedStatements {
            if let value = fact(statement) { return value }
        }
        return nil
    }

    /// The bucket object at the root of the tree.
    public var rootObjectID: String? { first { $0.rootObjectID } }
    /// The bucket holding the root object.
    public var rootBucketID: String? { first { $0.rootBucketID } }
    /// What the document was made from directly.
    public var sourceType: SourceKind? { first { $0.sourceType } }
    /// The immediate parent object (bucket source).
    public var sourceObjectID: String? { first { $0.sourceObjectID } }
    /// The immediate parent document (collection source).
    public var sourceDocumentID: String? { first { $0.sourceDocumentID } }
    /// The immediate parent document's collection (collection source).
    public var sourceCollectionID: String? { first { $0.sourceCollectionID } }
    /// The materialised path.
    public var path: String? { first { $0.path } }
    /// The chain from the root to this document.
    public var chain: [LineageStep]? { storedChain.map(Array.init) }
    /// ``chain`` where the reader keeps it.
    var storedChain: StoredChain? { first { $0.storedChain } }

    /// What the document was made from, inferred when the source type is not stated:
    /// a source document means a collection source, a source object or root object a bucket source.
    public var effectiveSourceKind: SourceKind? {
        if let sourceType { return sourceType }
        if sourceDocumentID != nil || sourceCollectionID != nil { return .collection }
        if sourceObjectID != nil || rootObjectID != nil { return .bucket }
        return nil
    }

    /// Whether any fact is stated.
    public var isEmpty: Bool {
        storedStatements.allSatisfy(\.isEmpty)
    }

    /// Lineages are equal when they resolve to the same facts, whatever places state them.
    public static func == (lhs: ResolvedLineage, rhs: ResolvedLineage) -> Bool {
        lhs.rootObjectID == rhs.rootObjectID && lhs.rootBucketID == rhs.rootBucketID
            && lhs.sourceType == rhs.sourceType && lhs.sourceObjectID == rhs.sourceObjectID
            && lhs.sourceDocumentID == rhs.sourceDocumentID && lhs.sourceCollectionID == rhs.sourceCollectionID
            && lhs.path == rhs.path && lhs.storedChain == rhs.storedChain
    }

    /// Hashes the resolved facts.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rootObjectID)
        hasher.combine(sourceDocumentID)
        hasher.combine(sourceObjectID)
    }
}
