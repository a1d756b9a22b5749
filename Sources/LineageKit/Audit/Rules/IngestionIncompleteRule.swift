/// `ingestion.incomplete`: the ingestion status is present and is not `COMPLETED` (any case).
public struct IngestionIncompleteRule: AuditRule {
    public let id = "ingestion.incomplete"
    public let severity = Severity.warning
    public let summary = "the ingestion status is present and is not COMPLETED"

    /// Creates the rule.
    public init() {}

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
