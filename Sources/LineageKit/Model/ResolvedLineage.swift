/// One answer per lineage fact, taken from the most authoritative place that states it.
///
/// Authority follows the API's history: `_internal.lineage` first (the current shape), then, for
/// 2025-10 v1 documents the nested `lineage` object before root fields, and for every other shape
/// root fields before the nested object. The places that disagree remain in
/// ``Document/statements`` for the audit.
public struct ResolvedLineage: Sendable, Hashable {
    /// The bucket object at the root of the tree.
    public var rootObjectID: String?
    /// The bucket holding the root object.
    public var rootBucketID: String?
    /// What the document was made from directly.
    public var sourceType: SourceKind?
    /// The immediate parent object (bucket source).
    public var sourceObjectID: String?
    /// The immediate parent document (collection source).
    public var sourceDocumentID: String?
    /// The immediate parent document's collection (collection source).
    public var sourceCollectionID: String?
    /// The materialised path.
    public var path: String?
    /// The chain from the root to this document.
    public var chain: [LineageStep]?

    /// Creates a resolved lineage from statements listed most authoritative first.
    public init(statements: [LineageStatement]) {
        for statement in statements {
            rootObjectID = rootObjectID ?? statement.rootObjectID
            rootBucketID = rootBucketID ?? statement.rootBucketID
            sourceType = sourceType ?? statement.sourceType
            sourceObjectID = sourceObjectID ?? statement.sourceObjectID
            sourceDocumentID = sourceDocumentID ?? statement.sourceDocumentID
            sourceCollectionID = sourceCollectionID ?? statement.sourceCollectionID
            path = path ?? statement.path
            chain = chain ?? statement.chain
        }
    }

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
        rootObjectID == nil && rootBucketID == nil && sourceType == nil && sourceObjectID == nil
            && sourceDocumentID == nil && sourceCollectionID == nil && path == nil && chain == nil
    }
}
