/// One step of a lineage chain, ordered from the root to the document itself.
///
/// The API declares `collection_id` and `feature_extractor_id`, and `document_id` (the upstream
/// document, on intermediate steps) and `timestamp` as optional; untyped `_internal` chains may
/// lack any of them, so all are optional here.
public struct LineageStep: Sendable, Hashable {
    /// The document this step produced, when the step records it.
    public var documentID: String?
    /// When the step ran, kept packed when it is the usual UTC form (``StepTimestamp``).
    var keptTimestamp: StepTimestamp?
    /// The collection and feature extractor, shared among the steps naming the same ones (64
    /// bytes a step became 40); `nil` when neither is stated.
    var sharedFacts: SharedFacts<SharedStepFacts>?

    /// Creates a step.
    public init(
        collectionID: String? = nil, featureExtractorID: String? = nil, documentID: String? = nil,
        timestamp: String? = nil
    ) {
        self.init(
            documentID: documentID, keptTimestamp: timestamp.map { StepTimestamp($0) },
            sharedFacts: .make(SharedStepFacts(collectionID: collectionID, featureExtractorID: featureExtractorID)))
    }

    init(documentID: String?, keptTimestamp: StepTimestamp?, sharedFacts: SharedFacts<SharedStepFacts>?) {
        self.documentID = documentID
        self.keptTimestamp = keptTimestamp
        self.sharedFacts = sharedFacts
    }

    /// When the step ran, as written (ISO-8601).
    public var timestamp: String? {
        get { keptTimestamp?.text }
        set { keptTimestamp = newValue.map { StepTimestamp($0) } }
    }

    /// The collection this step produced documents in.
    public var collectionID: String? {
        get { sharedFacts?.value.collectionID }
        set { sharedFacts = .changing(sharedFacts) { $0.collectionID = newValue } }
    }

    /// The feature extractor, name and version joined (`text_extractor_v1`).
    public var featureExtractorID: String? {
        get { sharedFacts?.value.featureExtractorID }
        set { sharedFacts = .changing(sharedFacts) { $0.featureExtractorID = newValue } }
    }

    /// Steps are equal when they state the same facts.
    public static func == (lhs: LineageStep, rhs: LineageStep) -> Bool {
        lhs.documentID == rhs.documentID && lhs.keptTimestamp == rhs.keptTimestamp
            && SharedFacts.same(lhs.sharedFacts, rhs.sharedFacts)
    }

    /// Hashes every fact that equality compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(documentID)
        hasher.combine(keptTimestamp)
        hasher.combine(sharedFacts?.value ?? SharedStepFacts())
    }
}

/// The facts of a chain step that a namespace's steps rarely differ in: the collection and the
/// feature extractor. Steps hold them shared (``SharedFacts``).
struct SharedStepFacts: ShareableFacts, Hashable {
    var collectionID: String?
    var featureExtractorID: String?

    var stableHash: UInt64 { FastHash.combine(FastHash.combine(0, collectionID), featureExtractorID) }
}
