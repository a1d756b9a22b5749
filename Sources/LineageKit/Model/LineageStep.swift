/// One step of a lineage chain, ordered from the root to the document itself.
///
/// The API declares `collection_id` and `feature_extractor_id`, and `document_id` (the upstream
/// document, on intermediate steps) and `timestamp` as optional; untyped `_internal` chains may
/// lack any of them, so all are optional here.
public struct LineageStep: Sendable, Hashable {
    /// The collection this step produced documents in.
    public var collectionID: String?
    /// The feature extractor, name and version joined (`text_extractor_v1`).
    public var featureExtractorID: String?
    /// The document this step produced, when the step records it.
    public var documentID: String?
    /// When the step ran, as written (ISO-8601).
    public var timestamp: String?

    /// Creates a step.
    public init(
        collectionID: String? = nil, featureExtractorID: String? = nil, documentID: String? = nil,
        timestamp: String? = nil
    ) {
        self.collectionID = collectionID
        self.featureExtractorID = featureExtractorID
        self.documentID = documentID
        self.timestamp = timestamp
    }
}
