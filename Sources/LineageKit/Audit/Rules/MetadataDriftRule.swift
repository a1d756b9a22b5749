/// `drift.metadata`: a passthrough field's value differs from its expected value, or is missing.
///
/// The passthrough fields of a collection are its configuration's `field_passthrough` entries
/// (`target_path`, else `source_path`); without a configuration, the user fields the document
/// shares with its root object's metadata. The expected value is the root object's metadata value
/// when the root object is in the input (and has the field), otherwise the source document's.
/// The evidence carries the expected values, which corrections turn into PATCH requests.
package struct MetadataDriftRule: AuditRule {
    /// The stable rule id.
    package let id = "drift.metadata"
    /// The severity of this rule's findings.
    package let severity = Severity.warning
    /// When the rule fires, in one line.
    package let summary =
        "a passthrough field's value differs from the root object's (or source document's), or is missing"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        let root = context.rootMetadata(of: document)
        let fields: [AuditContext.PassthroughPair]
        if let configured = context.passthroughFields(of: document) {
            fields = configured
        } else if let root {
            fields = root.metadata.keys.map { AuditContext.PassthroughPair(field: $0, sourcePath: $0) }.filter { pair in
                switch Self.print(of: document.document, pair.fieldHash) {
                case .absent: false
                case .present: true
                case .unknown: document.document.userFields[pair.field] != nil
                }
            }
        } else {
            return
        }
        guard !fields.isEmpty else { return }
        var source: DocumentUnderAudit?
        var sourceLooked = false
        var drifted: [JSONValue] = []
        var expectedValues = JSONObject()
        for index in fields.indices {
            let field = fields[index].field
            let sourcePath = fields[index].sourcePath
            var expected: JSONValue?
            var fromRoot = false
            // Equal fingerprints settle a field without reading the document's fields from its
            // file; anything else is compared exactly.
            let actualPrint = Self.print(of: document.document, fields[index].fieldHash)
            if let root, let value = root.metadata.value(atPath: sourcePath) {
                if case .present(let actual) = actualPrint, let sourceHash = fields[index].sourceHash,
                    context.rootMetadataPrint(of: document, nameHash: sourceHash) == actual
                {
                    continue
                }
                expected = value
                fromRoot = true
            } else {
                if !sourceLooked {
                    source = context.lentSourceDocument(of: document)
                    sourceLooked = true
                }
                guard let source else { continue }
                let sourcePrint = Self.print(of: source.document, fields[index].sourceHash)
                if sourcePrint == .absent { continue }
                if case .present = sourcePrint, sourcePrint == actualPrint { continue }
                expected = source.document.userField(sourcePath)
            }
            guard let expected else { continue }
            let actual = document.document.userField(field)
            guard actual != expected else { continue }
            let origin =
                fromRoot
                ? "root object \(root?.id ?? "?") metadata.\(sourcePath)"
                : "source document \(source?.document.id ?? "?") \(sourcePath)"
            var entry: JSONObject = [
                "field": .string(field), "expected": expected, "expected_from": .string(origin),
                "missing": .bool(actual == nil),
            ]
            if let actual { entry["actual"] = actual }
            drifted.append(.object(entry))
            expectedValues[field] = expected
        }
        guard !drifted.isEmpty else { return }
        let names = expectedValues.keys.joined(separator: ", ")
        findings.append(
            finding(
                document, "\(drifted.count) passthrough field(s) differ from their source: \(names)",
                evidence: ["fields": .array(drifted), "expected": .object(expectedValues)]))
    }

    /// What fingerprints say of the field whose name hashes to `nameHash` (unknown for a dotted
    /// path, `nil`, which may descend into objects).
    private static func print(of document: Document, _ nameHash: UInt64?) -> UserFieldPrint {
        nameHash.map { document.userFieldPrint(nameHash: $0) } ?? .unknown
    }
}

extension MetadataDriftRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables: each passthrough field (configured, else
    /// the root object's metadata fields the document has) against the root object's metadata,
    /// else the source document's field; JSON values compare as the engine writes them.
    package func sql(_ dialect: SQLDialect) -> String {
        func userField(_ fields: String, _ current: String, _ name: String) -> String {
            AuditScript.userField(dialect, fields: fields, current: current, name: name)
        }
        let configured = """
            SELECT d.document_id, coalesce(p.target_path, p.source_path) AS field, p.source_path
            FROM (
              SELECT d.document_id, \(dialect.explode("c.passthrough")) AS p
              FROM lk_doc d JOIN lk_collection c ON c.collection_id = d.collection_id
            ) d
            """
        let shared = """
            SELECT document_id, field, field AS source_path FROM (
              SELECT d.document_id, u.user_fields, u.has_internal, \(dialect.explode(dialect.keys("o.metadata"))) AS field
              FROM lk_doc d JOIN lk_object o ON o.object_id = d.root_object_id
              JOIN lk_doc_raw u ON u.document_id = d.document_id
              WHERE d.collection_id NOT IN (SELECT collection_id FROM lk_collection) AND o.metadata IS NOT NULL
            ) keyed
            WHERE \(userField("user_fields", "has_internal", "field")) IS NOT NULL
            """
        let rootValue = AuditScript.member(dialect, of: "o.metadata", name: "f.source_path")
        let sourceValue = userField("pu.user_fields", "pu.has_internal", "f.source_path")
        let fieldEvidence = dialect.object([
            ("field", "field"), ("expected", dialect.embedJSON("expected")), ("expected_from", "expected_from"),
            ("missing", "actual IS NULL"),
        ])
        let aggregated: String
        switch dialect {
        case .duckdb: aggregated = "'[' || string_agg(entry, ',' ORDER BY field) || ']'"
        case .spark: aggregated = "'[' || concat_ws(',', sort_array(collect_list(entry))) || ']'"
        }
        let names: String
        switch dialect {
        case .duckdb: names = "string_agg(field, ', ' ORDER BY field)"
        case .spark: names = "concat_ws(', ', sort_array(collect_list(field)))"
        }
        return """
            SELECT document_id, collection_id,
              CAST(count(*) AS STRING) || ' passthrough field(s) differ from their source: ' || \(names) AS message,
              \(dialect.object([("fields", dialect.embedJSON(aggregated))])) AS evidence
            FROM (
              SELECT document_id, collection_id, field, \(fieldEvidence) AS entry
              FROM (
                SELECT d.document_id, d.collection_id, f.field,
                  coalesce(\(rootValue), \(sourceValue)) AS expected,
                  CASE WHEN \(rootValue) IS NOT NULL THEN 'root object ' || o.object_id || ' metadata.' || f.source_path
                       ELSE 'source document ' || d.parent_document_id || ' ' || f.source_path END AS expected_from,
                  \(userField("u.user_fields", "u.has_internal", "f.field")) AS actual
                FROM (\(configured)
                  UNION ALL
                  \(shared)) f
                JOIN lk_doc d ON d.document_id = f.document_id
                JOIN lk_doc_raw u ON u.document_id = d.document_id
                LEFT JOIN lk_object o ON o.object_id = d.root_object_id
                LEFT JOIN lk_doc_raw pu ON pu.document_id = d.parent_document_id
              ) compared
              WHERE expected IS NOT NULL AND (actual IS NULL OR actual <> expected)
            ) drifted
            GROUP BY document_id, collection_id
            """
    }
}
