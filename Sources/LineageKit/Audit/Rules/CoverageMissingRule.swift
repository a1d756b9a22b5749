/// `coverage.missing` (warning): a source object the API says produced no document in a
/// collection, with the API's reason (`no_document`, `failed`, `processing`, `skipped`,
/// `unknown`) and the object's age, per object and collection.
///
/// It reads what `lineage fetch --reconciliation` stored (`reconciliation.json`) and stays silent
/// without it. Each finding is cross-checked against the snapshot: when the snapshot does hold
/// documents of the collection made from the object (the reconciliation is older than the
/// documents, or wrong), the message and evidence say so.
package struct CoverageMissingRule: AuditRule {
    /// The stable rule id.
    package let id = "coverage.missing"
    /// The severity of this rule's findings.
    package let severity = Severity.warning
    /// When the rule fires, in one line.
    package let summary = "the API's reconciliation lists a source object that produced no document"

    /// Creates the rule.
    package init() {}

    /// Checks the namespace as a whole.
    package func checkNamespace(in context: AuditContext, into findings: inout [Finding]) {
        let graph = context.graph
        for reconciliation in graph.reconciliations.sorted(by: { $0.collectionID < $1.collectionID }) {
            for discrepancy in reconciliation.discrepancies {
                let held = graph.documentNodes(withRootObject: discrepancy.objectID)
                    .filter { $0.collectionID == reconciliation.collectionID }
                var message = "object \(discrepancy.objectID)"
                if let bucket = discrepancy.bucketID { message += " (\(bucket))" }
                message += " produced no document in \(reconciliation.collectionID): \(discrepancy.reason)"
                var details: [String] = []
                if let status = discrepancy.status { details.append("status \(status)") }
                if let age = discrepancy.ageSeconds { details.append(Self.describe(age: age) + " old") }
                if !details.isEmpty { message += " (" + details.joined(separator: ", ") + ")" }
                if let error = discrepancy.error { message += ": " + error }
                if !held.isEmpty {
                    message +=
                        "; but the snapshot holds \(held.count) document(s) of it there, so the "
                        + "reconciliation is older than the documents"
                }
                var evidence: JSONObject = [
                    "object_id": .string(discrepancy.objectID),
                    "bucket_id": discrepancy.bucketID.map(JSONValue.string) ?? .null,
                    "reason": .string(discrepancy.reason), "status": discrepancy.status.map(JSONValue.string) ?? .null,
                    "age_seconds": discrepancy.ageSeconds.map { .number(JSONNumber($0)) } ?? .null,
                    "error": discrepancy.error.map(JSONValue.string) ?? .null,
                    "documents_in_snapshot": .number(JSONNumber(held.count)),
                    "source_object_count": .number(JSONNumber(reconciliation.sourceObjectCount)),
                    "produced_object_count": .number(JSONNumber(reconciliation.producedObjectCount)),
                    "discrepancies_truncated": .bool(reconciliation.discrepanciesTruncated),
                ]
                if let fetchedAt = reconciliation.fetchedAt { evidence["fetched_at"] = .string(fetchedAt) }
                findings.append(
                    Finding(
                        rule: id, severity: severity, documentID: nil, collectionID: reconciliation.collectionID,
                        message: message, evidence: evidence))
            }
        }
    }

    /// `3 s`, `4.2 min`, `5.1 h`, `2.0 d`.
    static func describe(age seconds: Double) -> String {
        func tenths(_ value: Double) -> String {
            let scaled = Int((value * 10).rounded())
            return "\(scaled / 10).\(scaled % 10)"
        }
        switch seconds {
        case ..<120: return "\(Int(seconds)) s"
        case ..<7200: return tenths(seconds / 60) + " min"
        case ..<172_800: return tenths(seconds / 3600) + " h"
        default: return tenths(seconds / 86400) + " d"
        }
    }
}

extension CoverageMissingRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables: the discrepancies of the reconciliation
    /// file `lineage fetch --reconciliation` writes, when it is among the inputs.
    package func sql(_ dialect: SQLDialect) -> String {
        let file = CollectionReconciliation.fileKey
        let entry = dialect.object([
            ("object_id", "object_id"), ("bucket_id", "bucket_id"), ("reason", "reason"), ("status", "status"),
            ("documents_in_snapshot", "coalesce(held.documents, 0)"),
        ])
        return """
            SELECT CAST(NULL AS STRING) AS document_id, r.collection_id,
              'object ' || r.object_id || coalesce(' (' || r.bucket_id || ')', '') || ' produced no document in '
                || r.collection_id || ': ' || r.reason
                || CASE WHEN held.documents > 0 THEN '; but the snapshot holds ' || CAST(held.documents AS STRING)
                   || ' document(s) of it there, so the reconciliation is older than the documents' ELSE '' END
                AS message,
              \(entry) AS evidence
            FROM (
              SELECT collection_id, \(dialect.string("discrepancy", "$.object_id")) AS object_id,
                \(dialect.string("discrepancy", "$.bucket_id")) AS bucket_id,
                \(dialect.string("discrepancy", "$.reason")) AS reason,
                \(dialect.string("discrepancy", "$.status")) AS status
              FROM (
                SELECT \(dialect.string("reconciliation", "$.collection_id")) AS collection_id,
                  \(dialect.explodeJSON(dialect.json("reconciliation", "$.discrepancies"))) AS discrepancy
                FROM (
                  SELECT \(dialect.explodeJSON(dialect.json("j", "$.collections"))) AS reconciliation
                  FROM lk_lineage_file WHERE \(dialect.json("j", "$." + file)) IS NOT NULL
                ) reconciliations
              ) discrepancies
            ) r
            LEFT JOIN (
              SELECT collection_id, root_object_id, count(*) AS documents FROM lk_doc GROUP BY collection_id, root_object_id
            ) held ON held.collection_id = r.collection_id AND held.root_object_id = r.object_id
            """
    }
}
