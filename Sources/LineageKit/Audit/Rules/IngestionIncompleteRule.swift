/// `ingestion.incomplete`: the ingestion status is present and is not `COMPLETED` (any case).
package struct IngestionIncompleteRule: AuditRule {
    /// The stable rule id.
    package let id = "ingestion.incomplete"
    /// The severity of this rule's findings.
    package let severity = Severity.warning
    /// When the rule fires, in one line.
    package let summary = "the ingestion status is present and is not COMPLETED"

    /// Creates the rule.
    package init() {}

    /// `COMPLETED` in any case, compared without making an uppercased copy for every document.
    static func isCompleted(_ status: String) -> Bool {
        if status == "COMPLETED" { return true }
        let completed = "COMPLETED".utf8
        return status.utf8.count == completed.count
            && zip(status.utf8, completed).allSatisfy { $0 == $1 || $0 == $1 | 0x20 }
    }

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard let status = document.document.ingestionStatus, !Self.isCompleted(status) else { return }
        findings.append(
            finding(
                document, "ingestion status is \(status)",
                evidence: ["ingestion_status": Evidence.stated(document.document.ingestionStatusPath, status)]))
    }
}

extension IngestionIncompleteRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        let stated = dialect.object([("path", "ingestion_status_path"), ("value", "ingestion_status")])
        return """
            SELECT document_id, collection_id, 'ingestion status is ' || ingestion_status AS message,
              \(dialect.object([("ingestion_status", dialect.embedJSON(stated))])) AS evidence
            FROM lk_doc WHERE ingestion_status IS NOT NULL AND upper(ingestion_status) <> 'COMPLETED'
            """
    }
}
