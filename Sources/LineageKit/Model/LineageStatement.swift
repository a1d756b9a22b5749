/// The lineage facts one place of a document states.
///
/// A document may state its lineage in several places at once (a 2025-10 v2 document has flat
/// fields and a nested `lineage` object; a migrated document has `_internal.lineage` and stale
/// root fields). LineageKit keeps each place separately so an audit can tell when they disagree.
/// A field is `nil` when the place does not state it or states `null`.
public struct LineageStatement: Sendable, Hashable {
    /// Where these facts were stated.
    public var place: LineagePlace
    /// The bucket object at the root of the decomposition tree.
    public var rootObjectID: String?
    /// The bucket holding the root object.
    public var rootBucketID: String?
    /// What the document was made from directly.
    public var sourceType: SourceKind?
    /// The immediate parent object, for bucket-sourced documents.
    public var sourceObjectID: String?
    /// The immediate parent document, for collection-sourced documents.
    public var sourceDocumentID: String?
    /// The collection of the immediate parent document.
    public var sourceCollectionID: String?
    /// The materialised path: root bucket, then each collection, slash-separated.
    public var path: String?
    /// The chain of steps from the root to this document, when stated.
    public var chain: [LineageStep]?

    /// Creates a statement; every fact defaults to unstated.
    public init(
        place: LineagePlace, rootObjectID: String? = nil, rootBucketID: String? = nil, sourceType: SourceKind? = nil,
        sourceObjectID: String? = nil, sourceDocumentID: String? = nil, sourceCollectionID: String? = nil,
        path: String? = nil, chain: [LineageStep]? = nil
    ) {
        self.place = place
        self.rootObjectID = rootObjectID
        self.rootBucketID = rootBucketID
        self.sourceType = sourceType
        self.sourceObjectID = sourceObjectID
        self.sourceDocumentID = sourceDocumentID
        self.sourceCollectionID = sourceCollectionID
        self.path = path
        self.chain = chain
    }

    /// Whether this place states no fact at all.
    public var isEmpty: Bool {
        rootObjectID == nil && rootBucketID == nil && sourceType == nil && sourceObjectID == nil
            && sourceDocumentID == nil && sourceCollectionID == nil && path == nil && chain == nil
    }
}
