/// `mismatch.root`: two places in one document disagree on the root object or root bucket.
public struct MismatchRootRule: AuditRule {
    /// The stable rule id.
    public let id = "mismatch.root"
    /// The severity of this rule's findings.
    public let severity = Severity.error
    /// When the rule fires, in one line.
    public let summary = "two places in one document disagree on root object or root bucket"

    /// Creates the rule.
    public init() {}

    /// Checks one document.
    public func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard document.document.statements.count > 1 else { return }
        let disagreements = [LineageFact.rootObjectID, .rootBucketID].compactMap {
            $0.disagreement(in: document.document)
        }
        guard !disagreements.isEmpty else { return }
        let fields = disagreements.compactMap { $0["field"]?.stringValue }.joined(separator: " and ")
        findings.append(
            finding(
                document, "places disagree on \(fields)",
                evidence: ["disagreements": .array(disagreements.map(JSONValue.object))]))
    }
}
