/// `mismatch.pipeline`: collection configurations are given, and the document's source (bucket,
/// or source collection) is not the one its collection is configured with.
package struct MismatchPipelineRule: AuditRule {
    /// The stable rule id.
    package let id = "mismatch.pipeline"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary = "the document's source is not the one its collection's configuration names"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard let configuredSource = context.configuredSource(of: document) else { return }
        let configured = configuredSource.kind
        let configuredSources = configuredSource.sources
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
                    "made from bucket \(bucket), but \(document.document.collectionID) is configured from \(configuredText)",
                    evidence: [
                        "source": Evidence.stated(LineageFact.rootBucketID.path(in: document.document), bucket),
                        "configured_source_type": .string(configured.description),
                        "configured_sources": .array(configuredSources.map(JSONValue.string)),
                    ]))
        case (.collection?, .bucket), (.collection?, .collection):
            let parentCollection = context.lentSourceDocument(of: document)?.document.collectionID
            guard let source = lineage.sourceCollectionID ?? parentCollection else { return }
            guard configured == .bucket || (!configuredSources.isEmpty && !configuredSources.contains(source))
            else { return }
            findings.append(
                finding(
                    document,
                    "made from collection \(source), but \(document.document.collectionID) is configured from \(configuredText)",
                    evidence: [
                        "source": Evidence.stated(LineageFact.sourceCollectionID.path(in: document.document), source),
                        "configured_source_type": .string(configured.description),
                        "configured_sources": .array(configuredSources.map(JSONValue.string)),
                    ]))
        default:
            return
        }
    }
}

extension MismatchPipelineRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {

        return """
            SELECT document_id, collection_id,
              'made from ' || kind || ' ' || made_from || ', but ' || collection_id || ' is configured from '
                || configured AS message,
              \(dialect.object([
                  ("source", "made_from"), ("configured_source_type", "configured_type"),
                  ("configured_sources", "sources"),
              ])) AS evidence
            FROM (
              SELECT d.document_id, d.collection_id, d.source_kind AS kind, c.source_type AS configured_type,
                CASE WHEN c.source_type = 'bucket' THEN c.source_buckets ELSE c.source_collections END AS sources,
                CASE WHEN d.source_kind = 'bucket' THEN coalesce(d.root_bucket_id, o.bucket_id)
                     ELSE coalesce(d.source_collection_id, CASE WHEN l.parent_exists THEN l.parent_collection_id END)
                END AS made_from,
                c.source_type || ' ' || \(dialect.join("CASE WHEN c.source_type = 'bucket' THEN c.source_buckets ELSE c.source_collections END", ", ")) AS configured
              FROM lk_doc d
              JOIN lk_collection c ON c.collection_id = d.collection_id
              LEFT JOIN lk_object o ON o.object_id = coalesce(d.source_object_id, d.root_object_id)
              LEFT JOIN lk_link l ON l.document_id = d.document_id
              WHERE c.source_type IN ('bucket', 'collection') AND d.source_kind IN ('bucket', 'collection')
            ) made
            WHERE made_from IS NOT NULL AND (
              (kind = 'bucket' AND (configured_type = 'collection'
                OR (\(dialect.size("sources")) > 0 AND NOT \(dialect.contains("sources", "made_from")))))
              OR (kind = 'collection' AND (configured_type = 'bucket'
                OR (\(dialect.size("sources")) > 0 AND NOT \(dialect.contains("sources", "made_from"))))))
            """
    }
}
