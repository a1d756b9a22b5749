/// `orphan.missing-parent`: a collection-sourced document's source document is absent while the
/// input does hold documents of that source collection (so the parent should have been there).
public struct OrphanMissingParentRule: AuditRule {
    /// The stable rule id.
    public let id = "orphan.missing-parent"
    /// The severity of this rule's findings.
    public let severity = Severity.error
    /// When the rule fires, in one line.
    public let summary =
        "a collection-sourced document's source document is absent while the input holds documents of that collection"

    /// Creates the rule.
    public init() {}

    /// Checks one document.
    public func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard document.lineage.effectiveSourceKind == .collection else { return }
        let parentIndex = context.graph.parentIndex[document.nodeIndex]
        guard parentIndex >= 0 else { return }
        let parent = context.graph.nodes[Int(parentIndex)]
        guard parent.kind == .ghostDocument,
            let collection = document.lineage.sourceCollectionID ?? parent.collectionID,
            context.collectionsWithDocuments.contains(collection)
        else { return }
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
