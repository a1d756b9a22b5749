/// `mismatch.source`: the document's source facts disagree with each other.
///
/// Fires when two places differ on source type or source ids; for a bucket source, when there is
/// a source document, a chain longer than one step, or a source object other than the root; for a
/// collection source, when there is no source document; and when the chain's second-to-last step
/// names another document or collection than the source fields.
package struct MismatchSourceRule: AuditRule {
    /// The stable rule id.
    package let id = "mismatch.source"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary =
        "the document's source facts disagree (between places, with the source type, or with the chain)"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        let lineage = document.lineage
        var problems: [String] = []
        var evidence: [JSONValue] = []
        let statements = document.document.storedStatements
        if statements.count > 1 {
            for fact in [LineageFact.sourceType, .sourceObjectID, .sourceDocumentID, .sourceCollectionID] {
                if let disagreement = fact.disagreement(among: statements) {
                    problems.append("places disagree on \(fact.field)")
                    evidence.append(.object(disagreement))
                }
            }
        }
        func problem(_ text: String, _ facts: [(LineageFact, String?)]) {
            problems.append(text)
            evidence.append(
                [
                    "problem": .string(text),
                    "values": .array(facts.map { Evidence.stated($0.0.path(in: document.document), $0.1) }),
                ])
        }
        switch lineage.sourceType {
        case .bucket?:
            if let sourceDocument = lineage.sourceDocumentID {
                problem(
                    "bucket source with a source document",
                    [(.sourceType, "bucket"), (.sourceDocumentID, sourceDocument)])
            }
            if let chain = lineage.storedChain, chain.count > 1 {
                problems.append("bucket source with a chain of \(chain.count) steps")
                evidence.append(
                    [
                        "problem": "bucket source with a chain longer than one step",
                        "values": [
                            Evidence.stated(LineageFact.sourceType.path(in: document.document), "bucket"),
                            ["path": .string(document.document.chainPath), "steps": .number(JSONNumber(chain.count))],
                        ],
                    ])
            }
            if let sourceObject = lineage.sourceObjectID, let root = lineage.rootObjectID, sourceObject != root {
                problem(
                    "bucket source object \(sourceObject) is not the root object \(root)",
                    [(.sourceObjectID, sourceObject), (.rootObjectID, root)])
            }
        case .collection?:
            if lineage.sourceDocumentID == nil {
                problem("collection source without a source document", [(.sourceType, "collection")])
            }
        default: break
        }
        if let chain = lineage.storedChain, chain.count >= 2 {
            let previous = chain.count - 2
            var stepPath: String { "\(document.document.chainPath)[\(previous)]" }
            if let stepDocument = chain[previous].documentID, let sourceDocument = lineage.sourceDocumentID,
                stepDocument != sourceDocument
            {
                problems.append(
                    "the chain's previous step names document \(stepDocument), the source fields \(sourceDocument)")
                evidence.append(
                    [
                        "problem": "chain and source fields name different source documents",
                        "values": [
                            Evidence.stated(stepPath + ".document_id", stepDocument),
                            Evidence.stated(LineageFact.sourceDocumentID.path(in: document.document), sourceDocument),
                        ],
                    ])
            }
            if let stepCollection = chain[previous].collectionID, let sourceCollection = lineage.sourceCollectionID,
                stepCollection != sourceCollection
            {
                problems.append(
                    "the chain's previous step names collection \(stepCollection), the source fields \(sourceCollection)"
                )
                evidence.append(
                    [
                        "problem": "chain and source fields name different source collections",
                        "values": [
                            Evidence.stated(stepPath + ".collection_id", stepCollection),
                            Evidence.stated(
                                LineageFact.sourceCollectionID.path(in: document.document), sourceCollection),
                        ],
                    ])
            }
        }
        guard !problems.isEmpty else { return }
        findings.append(finding(document, problems.joined(separator: "; "), evidence: ["problems": .array(evidence)]))
    }
}

extension MismatchSourceRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        let previous = dialect.element("chain", "-2")
        let problems = [
            ("distinct_source_type > 1", "'places disagree on source_type'"),
            ("distinct_source_object_id > 1", "'places disagree on source_object_id'"),
            ("distinct_source_document_id > 1", "'places disagree on source_document_id'"),
            ("distinct_source_collection_id > 1", "'places disagree on source_collection_id'"),
            ("source_type = 'bucket' AND source_document_id IS NOT NULL", "'bucket source with a source document'"),
            (
                "source_type = 'bucket' AND \(dialect.size("chain")) > 1",
                "'bucket source with a chain of ' || CAST(\(dialect.size("chain")) AS STRING) || ' steps'"
            ),
            (
                "source_type = 'bucket' AND source_object_id <> root_object_id",
                "'bucket source object ' || source_object_id || ' is not the root object ' || root_object_id"
            ),
            (
                "source_type = 'collection' AND source_document_id IS NULL",
                "'collection source without a source document'"
            ),
            (
                "\(dialect.size("chain")) >= 2 AND \(previous).document_id <> source_document_id",
                "'the previous step of the chain names document ' || \(previous).document_id || ', the source fields ' "
                    + "|| source_document_id"
            ),
            (
                "\(dialect.size("chain")) >= 2 AND \(previous).collection_id <> source_collection_id",
                "'the previous step of the chain names collection ' || \(previous).collection_id "
                    + "|| ', the source fields ' || source_collection_id"
            ),
        ]
        return """
            SELECT document_id, collection_id, message,
              \(dialect.object([("problems", "message")])) AS evidence
            FROM (
              SELECT document_id, collection_id,
                concat_ws('; ', \(problems.map { "CASE WHEN \($0.0) THEN \($0.1) END" }.joined(separator: ",\n      "))) AS message
              FROM lk_doc
            ) checked
            WHERE message <> ''
            """
    }
}
