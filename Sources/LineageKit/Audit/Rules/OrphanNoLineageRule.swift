/// `orphan.no-lineage`: the document states no lineage at all.
public struct OrphanNoLineageRule: AuditRule {
    public let id = "orphan.no-lineage"
    public let severity = Severity.error
    public let summary = "the document states no lineage at all"

    /// Creates the rule.
    public init() {}

    public func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard document.document.statements.isEmpty else { return }
        findings.append(
            finding(
                document, "states no lineage: no _internal.lineage, no lineage object, no root lineage fields",
                evidence: ["shape": .string(document.document.shape.rawValue)]))
    }
}
