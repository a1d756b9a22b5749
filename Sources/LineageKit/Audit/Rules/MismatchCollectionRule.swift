/// `mismatch.collection`: the chain's last step names another collection than the document's own.
package struct MismatchCollectionRule: AuditRule {
    /// The stable rule id.
    package let id = "mismatch.collection"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary = "the chain's last step names another collection than the document's own"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        var wrong: [JSONValue] = []
        for statement in document.document.storedStatements {
            // Index into the chain rather than `last`, which would copy the whole step.
            guard let chain = statement.storedChain, !chain.isEmpty, let last = chain[chain.count - 1].collectionID,
                last != document.document.collectionID
            else { continue }
            wrong.append(
                Evidence.stated(statement.place.fieldPath("chain") + "[\(chain.count - 1)].collection_id", last))
        }
        guard let first = wrong.first?["value"]?.stringValue else { return }
        findings.append(
            finding(
                document, "the chain ends in \(first), but the document is in \(document.document.collectionID)",
                evidence: [
                    "collection_id": Evidence.stated("collection_id", document.document.collectionID),
                    "chain_last_steps": .array(wrong),
                ]))
    }
}

extension MismatchCollectionRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables: any place whose chain ends elsewhere.
    package func sql(_ dialect: SQLDialect) -> String {
        let last = dialect.element("chain", "-1") + ".collection_id"
        return """
            SELECT document_id, collection_id,
              'the chain ends in ' || min(\(last)) || ', but the document is in ' || collection_id AS message,
              \(dialect.object([("collection_id", "collection_id"), ("chain_last_step", "min(\(last))")])) AS evidence
            FROM lk_stmt
            WHERE \(dialect.size("chain")) > 0 AND \(last) <> collection_id
            GROUP BY document_id, collection_id
            """
    }
}
