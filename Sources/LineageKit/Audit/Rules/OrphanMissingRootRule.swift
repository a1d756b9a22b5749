/// `orphan.missing-root`: the root object is absent while the input does hold objects of that
/// root bucket.
public struct OrphanMissingRootRule: AuditRule {
    /// The stable rule id.
    public let id = "orphan.missing-root"
    /// The severity of this rule's findings.
    public let severity = Severity.warning
    /// When the rule fires, in one line.
    public let summary = "the root object is absent while the input holds objects of that root bucket"

    /// Creates the rule.
    public init() {}

    /// Checks one document.
    public func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard let root = document.lineage.rootObjectID, !context.hasRootObject(document),
            let bucket = document.lineage.rootBucketID, context.bucketsWithObjects.contains(bucket)
        else { return }
        findings.append(
            finding(
                document, "root object \(root) is not in the input, though objects of \(bucket) are",
                evidence: [
                    "root_object_id": Evidence.stated(LineageFact.rootObjectID.path(in: document.document), root),
                    "root_bucket_id": Evidence.stated(LineageFact.rootBucketID.path(in: document.document), bucket),
                ]))
    }
}
