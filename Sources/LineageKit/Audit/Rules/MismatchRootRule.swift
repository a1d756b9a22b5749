/// `mismatch.root`: two places in one document disagree on the root object or root bucket.
package struct MismatchRootRule: AuditRule {
    /// The stable rule id.
    package let id = "mismatch.root"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary = "two places in one document disagree on root object or root bucket"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        let statements = document.document.storedStatements
        guard statements.count > 1 else { return }
        let disagreements = [LineageFact.rootObjectID, .rootBucketID].compactMap {
            $0.disagreement(among: statements)
        }
        guard !disagreements.isEmpty else { return }
        let described = disagreements.map { disagreement -> String in
            let field = disagreement["field"]?.stringValue ?? "?"
            let values = (disagreement["values"]?.arrayValue ?? []).map {
                "\($0["value"]?.stringValue ?? "null") (\($0["path"]?.stringValue ?? "?"))"
            }
            return "\(field): " + values.joined(separator: " vs ")
        }
        findings.append(
            finding(
                document, "places disagree on " + described.joined(separator: "; "),
                evidence: ["disagreements": .array(disagreements.map(JSONValue.object))]))
    }
}

extension MismatchRootRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        """
        SELECT document_id, collection_id,
          'places disagree on ' || concat_ws('; ',
            CASE WHEN distinct_root_object_id > 1 THEN 'root_object_id' END,
            CASE WHEN distinct_root_bucket_id > 1 THEN 'root_bucket_id' END) AS message,
          \(dialect.object([
              ("root_object_ids", "distinct_root_object_id"), ("root_bucket_ids", "distinct_root_bucket_id"),
          ])) AS evidence
        FROM lk_doc WHERE distinct_root_object_id > 1 OR distinct_root_bucket_id > 1
        """
    }
}
