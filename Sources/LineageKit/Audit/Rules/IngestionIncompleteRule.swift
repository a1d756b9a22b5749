/// `ingestion.incomplete`: the ingestion status is present and is not `COMPLETED` (any case).
public struct IngestionIncompleteRule: AuditRule {
    /// The stable rule id.
    public let id = "ingestion.incomplete"
    /// The severity of this rule's findings.
    public let severity = Severity.warning
    /// When the rule fires, in one line.
    public let summary = "the ingestion status is present and is not COMPLETED"

    /// Creates the rule.
    public init() {}

    /// Checks one document.
    public func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard let status = document.document.ingestionStatus, status.uppercased() != "COMPLETED" else { return }
        let path =
            document.document.shape == .current
            ? "_internal.metadata.ingestion_status" : "internal_metadata.ingestion_status"
        findings.append(
            finding(
                document, "ingestion status is \(status)",
                evidence: ["ingestion_status": Evidence.stated(path, status)]))
    }
}
