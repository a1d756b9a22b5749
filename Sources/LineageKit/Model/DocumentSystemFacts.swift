/// The system facts a document states beside its lineage: its collection, its response shape, its
/// schema version, its ingestion status (and where it was stated) and its feature extractor
/// configuration hash.
/// Documents hold them shared (``SharedFacts``): a namespace's documents rarely differ in them.
struct DocumentSystemFacts: ShareableFacts {
    var collectionID = ""
    var shape = DocumentShape.unknown
    var schemaVersion: String?
    var ingestionStatus: String?
    var featureExtractorConfigHash: String?
    /// Whether ``ingestionStatus`` came from `_internal.metadata` (else `internal_metadata`).
    var ingestionStatusIsInternal = false

    var stableHash: UInt64 {
        let strings = FastHash.combine(
            FastHash.combine(FastHash.combine(FastHash.combine(0, collectionID), schemaVersion), ingestionStatus),
            featureExtractorConfigHash)
        let facts = FastHash.combine(strings, shape.rawValue)
        return ingestionStatusIsInternal ? ~facts : facts
    }
}
