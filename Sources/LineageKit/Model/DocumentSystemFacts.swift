/// The system facts a document states beside its lineage: its schema version, its ingestion
/// status (and where it was stated) and its feature extractor configuration hash.
///
/// Documents of a namespace rarely differ in them, so a reader shares one instance among the
/// documents stating the same facts (``SystemFactsInterner``): 8 bytes a document instead of 49.
/// Instances never change; a document given other facts gets a new instance.
final class DocumentSystemFacts: Sendable {
    let schemaVersion: String?
    let ingestionStatus: String?
    let featureExtractorConfigHash: String?
    /// Whether ``ingestionStatus`` came from `_internal.metadata` (else `internal_metadata`).
    let ingestionStatusIsInternal: Bool

    init(
        schemaVersion: String?, ingestionStatus: String?, ingestionStatusIsInternal: Bool,
        featureExtractorConfigHash: String?
    ) {
        self.schemaVersion = schemaVersion
        self.ingestionStatus = ingestionStatus
        self.ingestionStatusIsInternal = ingestionStatusIsInternal
        self.featureExtractorConfigHash = featureExtractorConfigHash
    }

    /// The instance for these facts, `nil` when none is stated (and the status flag is unset).
    static func make(
        schemaVersion: String?, ingestionStatus: String?, ingestionStatusIsInternal: Bool,
        featureExtractorConfigHash: String?
    ) -> DocumentSystemFacts? {
        guard
            schemaVersion != nil || ingestionStatus != nil || ingestionStatusIsInternal
                || featureExtractorConfigHash != nil
        else { return nil }
        return DocumentSystemFacts(
            schemaVersion: schemaVersion, ingestionStatus: ingestionStatus,
            ingestionStatusIsInternal: ingestionStatusIsInternal, featureExtractorConfigHash: featureExtractorConfigHash
        )
    }

    func states(
        schemaVersion: String?, ingestionStatus: String?, ingestionStatusIsInternal: Bool,
        featureExtractorConfigHash: String?
    ) -> Bool {
        self.ingestionStatusIsInternal == ingestionStatusIsInternal && self.schemaVersion == schemaVersion
            && self.ingestionStatus == ingestionStatus && self.featureExtractorConfigHash == featureExtractorConfigHash
    }
}

/// One reader thread's recent ``DocumentSystemFacts``, handed out again to documents stating the
/// same facts. It keeps a few dozen: past that, a new set of facts replaces the oldest kept, so a
/// namespace where every document differs costs an instance a document and no search.
struct SystemFactsInterner {
    private var kept: [DocumentSystemFacts] = []
    private var nextReplaced = 0
    static let capacity = 32

    mutating func facts(
        schemaVersion: String?, ingestionStatus: String?, ingestionStatusIsInternal: Bool,
        featureExtractorConfigHash: String?
    ) -> DocumentSystemFacts? {
        guard
            schemaVersion != nil || ingestionStatus != nil || ingestionStatusIsInternal
                || featureExtractorConfigHash != nil
        else { return nil }
        for facts in kept
        where facts.states(
            schemaVersion: schemaVersion, ingestionStatus: ingestionStatus,
            ingestionStatusIsInternal: ingestionStatusIsInternal, featureExtractorConfigHash: featureExtractorConfigHash
        ) {
            return facts
        }
        let facts = DocumentSystemFacts(
            schemaVersion: schemaVersion, ingestionStatus: ingestionStatus,
            ingestionStatusIsInternal: ingestionStatusIsInternal, featureExtractorConfigHash: featureExtractorConfigHash
        )
        if kept.count < Self.capacity {
            kept.append(facts)
        } else {
            kept[nextReplaced] = facts
            nextReplaced = (nextReplaced + 1) % Self.capacity
        }
        return facts
    }
}
