/// `stale.extractor` (warning): the extractor that made the document (its chain's last step) is
/// not the one its collection's configuration names now: the collection was re-configured (a
/// `re_extract` migration, a cloned collection), and old documents "remain queryable with legacy
/// schema". Silent without the collection's configuration or a chain.
public struct StaleExtractorRule: AuditRule {
    /// The stable rule id.
    public let id = "stale.extractor"
    /// The severity of this rule's findings.
    public let severity = Severity.warning
    /// When the rule fires, in one line.
    public let summary = "the extractor that made the document is not the one its collection's configuration names"

    /// Creates the rule.
    public init() {}

    /// Checks one document.
    public func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard let configured = context.config(of: document)?.featureExtractorID,
            let chain = document.lineage.chain, !chain.isEmpty,
            let stated = chain[chain.count - 1].featureExtractorID, stated != configured
        else { return }
        let path = document.document.chainPath + "[\(chain.count - 1)].feature_extractor_id"
        findings.append(
            finding(
                document, "made by \(stated), but \(document.document.collectionID) is configured with \(configured)",
                evidence: [
                    "feature_extractor_id": Evidence.stated(path, stated),
                    "configured_feature_extractor_id": .string(configured),
                ]))
    }
}

extension StaleExtractorRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    public func sql(_ dialect: SQLDialect) -> String {
        let stated = dialect.element("d.chain", "-1") + ".feature_extractor_id"
        return """
            SELECT document_id, collection_id,
              'made by ' || stated || ', but ' || collection_id || ' is configured with ' || configured AS message,
              \(dialect.object([("feature_extractor_id", "stated"), ("configured_feature_extractor_id", "configured")]))
                AS evidence
            FROM (
              SELECT d.document_id, d.collection_id, \(stated) AS stated, c.feature_extractor_id AS configured
              FROM lk_doc d JOIN lk_collection c ON c.collection_id = d.collection_id
              WHERE \(dialect.size("d.chain")) > 0
            ) made
            WHERE stated <> configured
            """
    }
}
