/// `orphan.missing-parent`: a collection-sourced document's source document is absent while the
/// input does hold documents of that source collection (so the parent should have been there).
package struct OrphanMissingParentRule: AuditRule {
    /// The stable rule id.
    package let id = "orphan.missing-parent"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary =
        "a collection-sourced document's source document is absent while the input holds documents of that collection"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard document.lineage.effectiveSourceKind == .collection else { return }
        let parentIndex = context.graph.parentIndex[document.nodeIndex]
        guard parentIndex >= 0 else { return }
        // Field by field: the parent's node would make the parent's id string.
        let nodes = context.graph.nodes
        guard nodes.kind(at: Int(parentIndex)) == .ghostDocument,
            let collection = document.lineage.sourceCollectionID ?? nodes.collectionID(at: Int(parentIndex)),
            context.collectionsWithDocuments.contains(collection)
        else { return }
        let parent = nodes[Int(parentIndex)]
        let held = context.graph.documentCount(inCollection: collection)
        let sourcePath =
            document.lineage.sourceDocumentID != nil
            ? LineageFact.sourceDocumentID.path(in: document.document)
            : document.document.chainPath + "[-2].document_id"
        findings.append(
            finding(
                document,
                "source document \(parent.id.rawID) is not in the input, though \(held) document(s) of \(collection) are",
                evidence: [
                    "source_document_id": Evidence.stated(sourcePath, parent.id.rawID),
                    "source_collection_id": Evidence.stated(
                        LineageFact.sourceCollectionID.path(in: document.document), collection),
                    "documents_of_source_collection": .number(JSONNumber(held)),
                ]))
    }
}

extension OrphanMissingParentRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        """
        SELECT l.document_id, l.collection_id,
          'source document ' || l.parent_document_id || ' is not in the input, though '
            || CAST(held.documents AS STRING) || ' document(s) of ' || held.collection_id || ' are' AS message,
          \(dialect.object([
              ("source_document_id", "l.parent_document_id"), ("source_collection_id", "held.collection_id"),
              ("documents_of_source_collection", "held.documents"),
          ])) AS evidence
        FROM lk_link l
        JOIN lk_doc d ON d.document_id = l.document_id
        JOIN lk_ghost_document g ON g.document_id = l.parent_document_id
        JOIN (SELECT collection_id, count(*) AS documents FROM lk_doc GROUP BY collection_id) held
          ON held.collection_id = coalesce(d.source_collection_id, g.collection_id)
        WHERE d.source_kind = 'collection'
        """
    }
}
