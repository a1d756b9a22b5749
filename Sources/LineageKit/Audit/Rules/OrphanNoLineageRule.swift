/// `orphan.no-lineage`: the document states no lineage at all.
package struct OrphanNoLineageRule: AuditRule {
    /// The stable rule id.
    package let id = "orphan.no-lineage"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary = "the document states no lineage at all"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard document.document.storedStatements.isEmpty else { return }
        findings.append(
            finding(
                document, "states no lineage: no _internal.lineage, no lineage object, no root lineage fields",
                evidence: ["shape": .string(document.document.shape.rawValue)]))
    }
}

extension OrphanNoLineageRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        """
        SELECT document_id, collection_id,
          'states no lineage: no _internal.lineage, no lineage object, no root lineage fields' AS message,
          \(dialect.object([("shape", "shape")])) AS evidence
        FROM lk_doc WHERE statements = 0
        """
    }
}
