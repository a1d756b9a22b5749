/// `mismatch.pipeline`: collection configurations are given, and the document's source (bucket,
/// or source collection) is not the one its collection is configured with.
public struct MismatchPipelineRule: AuditRule {
    /// The stable rule id.
    public let id = "mismatch.pipeline"
    /// The severity of this rule's findings.
    public let severity = Severity.error
    /// When the rule fires, in one line.
    public let summary = "the document's source is not the one its collection's configuration names"

    /// Creates the rule.
    public init() {}

    /// Checks one document.
    public func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard let configuredSource = context.configuredSource(of: document) else { return }
        let configured = configuredSource.kind
        let configuredSources = configuredSource.sources
        let doc = document.document
        let lineage = document.lineage
        var configuredText: String { "\(configured) \(configuredSources.joined(separator: ", "))" }
        switch (lineage.effectiveSourceKind, configured) {
        case (.bucket?, .bucket), (.bucket?, .collection):
            guard
                let bucket = lineage.rootBucketID
                    ?? (lineage.sourceObjectID ?? lineage.rootObjectID).flatMap({ context.bucket(ofObject: $0) })
            else { return }
            guard configured == .collection || (!configuredSources.isEmpty && !configuredSources.contains(bucket))
            else { return }
            findings.append(
                finding(
                    document,
                    "made from bucket \(bucket), but \(doc.collectionID) is configured from \(configuredText)",
                    evidence: [
                        "source": Evidence.stated(LineageFact.rootBucketID.path(in: doc), bucket),
                        "configured_source_type": .string(configured.description),
                        "configured_sources": .array(configuredSources.map(JSONValue.string)),
                    ]))
        case (.collection?, .bucket), (.collection?, .collection):
            let parentCollection = context.sourceDocument(of: document)?.collectionID
            guard let source = lineage.sourceCollectionID ?? parentCollection else { return }
            guard configured == .bucket || (!configuredSources.isEmpty && !configuredSources.contains(source))
            else { return }
            findings.append(
                finding(
                    document,
                    "made from collection \(source), but \(doc.collectionID) is configured from \(configuredText)",
                    evidence: [
                        "source": Evidence.stated(LineageFact.sourceCollectionID.path(in: doc), source),
                        "configured_source_type": .string(configured.description),
                        "configured_sources": .array(configuredSources.map(JSONValue.string)),
                    ]))
        default:
            return
        }
    }
}
