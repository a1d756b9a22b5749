/// `orphan.missing-root`: the root object is absent while the input does hold objects of that
/// root bucket. Where the snapshot's manifest says the bucket's objects were all looked up, the
/// object is known to be gone and ``OrphanDeletedRootRule`` reports it instead.
package struct OrphanMissingRootRule: AuditRule {
    /// The stable rule id.
    package let id = "orphan.missing-root"
    /// The severity of this rule's findings.
    package let severity = Severity.warning
    /// When the rule fires, in one line.
    package let summary = "the root object is absent while the input holds objects of that root bucket"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard let (root, bucket) = Self.absentRoot(of: document, in: context),
            context.bucketsWithObjects.contains(bucket), !context.graph.checkedBuckets.contains(bucket)
        else { return }
        findings.append(
            finding(
                document, "root object \(root) is not in the input, though objects of \(bucket) are",
                evidence: Self.evidence(document, root: root, bucket: bucket)))
    }

    /// The root object and bucket `document` states when the object is not in the input (shared
    /// with ``OrphanDeletedRootRule``).
    static func absentRoot(of document: DocumentUnderAudit, in context: AuditContext) -> (root: String, bucket: String)?
    {
        guard let root = document.lineage.rootObjectID, !context.hasRootObject(document),
            let bucket = document.lineage.rootBucketID
        else { return nil }
        return (root, bucket)
    }

    /// The root object and bucket, with the field paths they were stated at.
    static func evidence(_ document: DocumentUnderAudit, root: String, bucket: String) -> JSONObject {
        [
            "root_object_id": Evidence.stated(LineageFact.rootObjectID.path(in: document.document), root),
            "root_bucket_id": Evidence.stated(LineageFact.rootBucketID.path(in: document.document), bucket),
        ]
    }
}

extension OrphanMissingRootRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        """
        SELECT document_id, collection_id,
          'root object ' || root_object_id || ' is not in the input, though objects of ' || root_bucket_id || ' are'
            AS message,
          \(dialect.object([("root_object_id", "root_object_id"), ("root_bucket_id", "root_bucket_id")])) AS evidence
        FROM lk_doc
        WHERE root_object_id IS NOT NULL AND root_bucket_id IS NOT NULL
          AND root_object_id NOT IN (SELECT object_id FROM lk_object)
          AND root_bucket_id IN (SELECT bucket_id FROM lk_object)
          AND root_bucket_id NOT IN (SELECT bucket_id FROM lk_checked_bucket)
        """
    }
}
