/// `enrichment.partial` (warning): enrichment stopped part-way: the document's payload flag
/// `__fully_enriched` is `false`, or `__missing_features` lists features it lacks.
///
/// The flags sit beside the user fields (at the root in the current shape, in `metadata` in the
/// 2025 shapes); the 2026-02 spec filters on `__fully_enriched`, and Mixpeek's data-model page
/// names both. Documents without the flags are not judged.
package struct EnrichmentPartialRule: AuditRule {
    /// The stable rule id.
    package let id = "enrichment.partial"
    /// The severity of this rule's findings.
    package let severity = Severity.warning
    /// When the rule fires, in one line.
    package let summary = "__fully_enriched is false, or __missing_features lists features the document lacks"

    /// The payload flag saying enrichment finished.
    package static let fullyEnriched = "__fully_enriched"
    /// The payload flag listing the features enrichment did not produce.
    package static let missingFeatures = "__missing_features"
    /// Both flags, made once rather than for every document.
    private static let flags = [fullyEnriched, missingFeatures]

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        // Reads the record again only when fingerprints say either flag is there.
        let fields = document.userFields(named: Self.flags)
        let flag = fields[Self.fullyEnriched]
        let missing = fields[Self.missingFeatures]?.arrayValue ?? []
        guard flag == .bool(false) || !missing.isEmpty else { return }
        var evidence: JSONObject = [:]
        if let flag { evidence[Self.fullyEnriched] = flag }
        if !missing.isEmpty { evidence[Self.missingFeatures] = .array(missing) }
        let names = missing.map { $0.stringValue ?? $0.serialized() }
        let message =
            names.isEmpty
            ? "enrichment did not finish (__fully_enriched is false)"
            : "enrichment did not finish: missing " + names.joined(separator: ", ")
        findings.append(finding(document, message, evidence: evidence))
    }
}

extension EnrichmentPartialRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        let flag = "CAST(\(dialect.json("u.user_fields", "$." + Self.fullyEnriched)) AS STRING)"
        let missing = dialect.parse(dialect.json("u.user_fields", "$." + Self.missingFeatures), as: .array(.json))
        return """
            SELECT document_id, collection_id,
              CASE WHEN missing > 0 THEN 'enrichment did not finish: missing ' || CAST(missing AS STRING) || ' feature(s)'
                   ELSE 'enrichment did not finish (__fully_enriched is false)' END AS message,
              \(dialect.object([("fully_enriched", "flag"), ("missing_features", "missing")])) AS evidence
            FROM (
              SELECT d.document_id, d.collection_id, \(flag) AS flag, coalesce(\(dialect.size(missing)), 0) AS missing
              FROM lk_doc d JOIN lk_doc_raw u ON u.document_id = d.document_id
            ) flagged
            WHERE flag = 'false' OR missing > 0
            """
    }
}
