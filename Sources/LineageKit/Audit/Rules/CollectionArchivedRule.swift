/// `collection.archived` (info): the document's collection is archived (its configuration's
/// `lifecycle_state`, from the March 2026 API): only metadata survives there, so features,
/// vectors and search are gone, whatever the lineage says.
package struct CollectionArchivedRule: AuditRule {
    /// The stable rule id.
    package let id = "collection.archived"
    /// The severity of this rule's findings.
    package let severity = Severity.info
    /// When the rule fires, in one line.
    package let summary = "the document's collection is archived: only its metadata survives"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard context.lifecycleState(of: document) == "archived" else { return }
        findings.append(
            finding(
                document, "\(document.document.collectionID) is archived: only the metadata of its documents survives",
                evidence: ["lifecycle_state": "archived"]))
    }
}

extension CollectionArchivedRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        """
        SELECT d.document_id, d.collection_id,
          d.collection_id || ' is archived: only the metadata of its documents survives' AS message,
          \(dialect.object([("lifecycle_state", "c.lifecycle_state")])) AS evidence
        FROM lk_doc d JOIN lk_collection c ON c.collection_id = d.collection_id
        WHERE c.lifecycle_state = 'archived'
        """
    }
}
