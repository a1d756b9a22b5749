/// `orphan.deleted-root` (error): the root object is absent from a bucket whose root objects were
/// all looked up when the snapshot was fetched (its manifest's `buckets_checked`): the API no
/// longer has it, so the document's source is gone (Mixpeek's "Lineage broken (can't find source
/// object)"). Inputs that did not fetch objects that way get ``OrphanMissingRootRule``'s warning.
package struct OrphanDeletedRootRule: AuditRule {
    /// The stable rule id.
    package let id = "orphan.deleted-root"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary = "the root object is gone from a bucket whose objects were all looked up when fetched"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard let (root, bucket) = OrphanMissingRootRule.absentRoot(of: document, in: context),
            context.graph.checkedBuckets.contains(bucket)
        else { return }
        var evidence = OrphanMissingRootRule.evidence(document, root: root, bucket: bucket)
        evidence["bucket_checked"] = true
        findings.append(
            finding(
                document, "root object \(root) no longer exists in \(bucket), whose objects were all looked up",
                evidence: evidence))
    }
}

extension OrphanDeletedRootRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        """
        SELECT document_id, collection_id,
          'root object ' || root_object_id || ' no longer exists in ' || root_bucket_id
            || ', whose objects were all looked up' AS message,
          \(dialect.object([("root_object_id", "root_object_id"), ("root_bucket_id", "root_bucket_id")])) AS evidence
        FROM lk_doc
        WHERE root_object_id IS NOT NULL AND root_object_id NOT IN (SELECT object_id FROM lk_object)
          AND root_bucket_id IN (SELECT bucket_id FROM lk_checked_bucket)
        """
    }
}
