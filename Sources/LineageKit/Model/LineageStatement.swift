/// The lineage facts one place of a document states.
///
/// A document may state its lineage in several places at once (a 2025-10 v2 document has flat
/// fields and a nested `lineage` object; a migrated document has `_internal.lineage` and stale
/// root fields). LineageKit keeps each place separately so an audit can tell when they disagree.
/// A field is `nil` when the place does not state it or states `null`.
public struct LineageStatement: Sendable, Hashable {
    /// The ids stated, shared among the statements stating the same ones: a document's other
    /// places and its siblings mostly do (72 bytes a statement became 32); `nil` when none is.
    var sharedIDs: SharedFacts<StatementIDs>?
    /// The facts few statements differ in, shared among the statements stating the same ones
    /// (128 bytes a statement became 72); `nil` when none is stated.
    var sharedFacts: SharedFacts<SharedStatementFacts>?
    /// The chain of steps from the root to this document, when stated, where the reader keeps it
    /// (``LineageStore``); its 14 bytes and the place fill the statement's last two words.
    var storedChain: StoredChain?
    /// Where these facts were stated.
    public var place: LineagePlace

    /// Creates a statement; every fact defaults to unstated.
    public init(
        place: LineagePlace, rootObjectID: String? = nil, rootBucketID: String? = nil, sourceType: SourceKind? = nil,
        sourceObjectID: String? = nil, sourceDocumentID: String? = nil, sourceCollectionID: String? = nil,
        path: String? = nil, chain: [LineageStep]? = nil
    ) {
        self.init(
            place: place, chain: chain.map { StoredChain($0) },
            sharedIDs: .make(
                StatementIDs(
                    rootObjectID: rootObjectID, sourceObjectID: sourceObjectID, sourceDocumentID: sourceDocumentID)),
            sharedFacts: .make(
                SharedStatementFacts(
                    rootBucketID: rootBucketID, sourceType: sourceType, sourceCollectionID: sourceCollectionID,
                    path: path)))
    }

    init(
        place: LineagePlace, chain: StoredChain?, sharedIDs: SharedFacts<StatementIDs>?,
        sharedFacts: SharedFacts<SharedStatementFacts>?
    ) {
        self.place = place
        self.storedChain = chain
        self.sharedIDs = sharedIDs
        self.sharedFacts = sharedFacts
    }

    /// The chain of steps from the root to this document, when stated.
    public var chain: [LineageStep]? {
        get { storedChain.map(Array.init) }
        set { storedChain = newValue.map { StoredChain($0) } }
    }

    /// The bucket object at the root of the decomposition tree.
    public var rootObjectID: String? {
        get { sharedIDs?.value.rootObjectID }
        set { sharedIDs = .changing(sharedIDs) { $0.rootObjectID = newValue } }
    }

    /// The immediate parent object, for bucket-sourced documents.
    public var sourceObjectID: String? {
        get { sharedIDs?.value.sourceObjectID }
        set { sharedIDs = .changing(sharedIDs) { $0.sourceObjectID = newValue } }
    }

    /// The immediate parent document, for collection-sourced documents.
    public var sourceDocumentID: String? {
        get { sharedIDs?.value.sourceDocumentID }
        set { sharedIDs = .changing(sharedIDs) { $0.sourceDocumentID = newValue } }
    }

    /// The bucket holding the root object.
    public var rootBucketID: String? {
        get { sharedFacts?.value.rootBucketID }
        set { sharedFacts = .changing(sharedFacts) { $0.rootBucketID = newValue } }
    }

    /// What the document was made from directly.
    public var sourceType: SourceKind? {
        get { sharedFacts?.value.sourceType }
        set { sharedFacts = .changing(sharedFacts) { $0.sourceType = newValue } }
    }

    /// The collection of the immediate parent document.
    public var sourceCollectionID: String? {
        get { sharedFacts?.value.sourceCollectionID }
        set { sharedFacts = .changing(sharedFacts) { $0.sourceCollectionID = newValue } }
    }

    /// The materialised path: root bucket, then each collection, slash-separated.
    public var path: String? {
        get { sharedFacts?.value.path }
        set { sharedFacts = .changing(sharedFacts) { $0.path = newValue } }
    }

    /// Whether this place states no fact at all.
    public var isEmpty: Bool {
        sharedIDs == nil && storedChain == nil && sharedFacts == nil
    }

    /// Statements are equal when they state the same facts in the same place.
    public static func == (lhs: LineageStatement, rhs: LineageStatement) -> Bool {
        lhs.place == rhs.place && SharedFacts.same(lhs.sharedIDs, rhs.sharedIDs)
            && lhs.storedChain == rhs.storedChain
            && SharedFacts.same(lhs.sharedFacts, rhs.sharedFacts)
    }

    /// Hashes every fact that equality compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(place)
        hasher.combine(sharedIDs?.value ?? StatementIDs())
        hasher.combine(storedChain)
        hasher.combine(sharedFacts?.value ?? SharedStatementFacts())
    }
}

/// The ids a statement states: its root object, source object and source document. A document's
/// places mostly state the same ones, and so do its siblings (``SharedFacts``).
struct StatementIDs: ShareableFacts, Hashable {
    var rootObjectID: String?
    var sourceObjectID: String?
    var sourceDocumentID: String?

    var stableHash: UInt64 {
        FastHash.combine(FastHash.combine(FastHash.combine(0, rootObjectID), sourceObjectID), sourceDocumentID)
    }
}

/// The facts of a statement that a namespace's statements rarely differ in: the root bucket, the
/// source kind, the source collection and the path. Statements hold them shared (``SharedFacts``).
struct SharedStatementFacts: ShareableFacts, Hashable {
    var rootBucketID: String?
    var sourceType: SourceKind?
    var sourceCollectionID: String?
    var path: String?

    var stableHash: UInt64 {
        FastHash.combine(
            FastHash.combine(
                FastHash.combine(FastHash.combine(0, rootBucketID), sourceType?.description), sourceCollectionID),
            path)
    }
}
