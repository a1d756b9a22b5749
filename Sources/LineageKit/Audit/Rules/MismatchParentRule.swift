/// `mismatch.parent`: the source document is in the input but disagrees: another root object,
/// another collection than the stated source collection, or a chain whose collections are not
/// this chain minus its last step.
package struct MismatchParentRule: AuditRule {
    /// The stable rule id.
    package let id = "mismatch.parent"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary = "the source document exists but disagrees on root, collection or chain"

    /// Creates the rule.
    package init() {}

    /// Whether two chains name the same collections, step by step (compared in place).
    static func sameCollections(_ left: some Collection<LineageStep>, _ right: some Collection<LineageStep>) -> Bool {
        guard left.count == right.count else { return false }
        for (leftIndex, rightIndex) in zip(left.indices, right.indices)
        where left[leftIndex].collectionID != right[rightIndex].collectionID {
            return false
        }
        return true
    }

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard let parent = context.lentSourceDocument(of: document) else { return }
        let lineage = document.lineage
        let parentLineage = parent.lineage
        var problems: [String] = []
        var evidence: [JSONValue] = []
        if let root = lineage.rootObjectID, let parentRoot = parentLineage.rootObjectID, root != parentRoot {
            problems.append("its root object is \(parentRoot), not \(root)")
            evidence.append(
                [
                    "field": "root_object_id",
                    "values": [
                        Evidence.stated(LineageFact.rootObjectID.path(in: document.document), root),
                        Evidence.stated(
                            "\(parent.document.id): " + LineageFact.rootObjectID.path(in: parent.document), parentRoot),
                    ],
                ])
        }
        if let stated = lineage.sourceCollectionID, stated != parent.document.collectionID {
            problems.append("it is in \(parent.document.collectionID), not \(stated)")
            evidence.append(
                [
                    "field": "source_collection_id",
                    "values": [
                        Evidence.stated(LineageFact.sourceCollectionID.path(in: document.document), stated),
                        Evidence.stated("\(parent.document.id): collection_id", parent.document.collectionID),
                    ],
                ])
        }
        if let chain = lineage.storedChain, let parentChain = parentLineage.storedChain, !chain.isEmpty,
            !Self.sameCollections(parentChain, chain.dropLast())
        {
            let expected = chain.dropLast().map { $0.collectionID ?? "?" }
            let actual = parentChain.map { $0.collectionID ?? "?" }
            problems.append(
                "its chain is \(actual.joined(separator: " > ")), not \(expected.joined(separator: " > "))")
            evidence.append(
                [
                    "field": "chain",
                    "values": [
                        [
                            "path": .string(document.document.chainPath + " without its last step"),
                            "value": .array(expected.map(JSONValue.string)),
                        ],
                        [
                            "path": .string("\(parent.document.id): " + parent.document.chainPath),
                            "value": .array(actual.map(JSONValue.string)),
                        ],
                    ],
                ])
        }
        guard !problems.isEmpty else { return }
        findings.append(
            finding(
                document, "source document \(parent.document.id) disagrees: " + problems.joined(separator: "; "),
                evidence: ["source_document_id": .string(parent.document.id), "disagreements": .array(evidence)]))
    }
}

extension MismatchParentRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        func collections(_ chain: String) -> String {
            dialect.transform(chain, "x", "coalesce(x.collection_id, '?')")
        }
        let ownPrefix = dialect.slice("d.chain", from: "1", length: "\(dialect.size("d.chain")) - 1")
        return """
            SELECT document_id, collection_id,
              'source document ' || parent_document_id || ' disagrees: ' || message AS message,
              \(dialect.object([("source_document_id", "parent_document_id"), ("disagreements", "message")])) AS evidence
            FROM (
              SELECT l.document_id, l.collection_id, l.parent_document_id, concat_ws('; ',
                CASE WHEN d.root_object_id <> l.parent_root_object_id
                  THEN 'its root object is ' || l.parent_root_object_id || ', not ' || d.root_object_id END,
                CASE WHEN d.source_collection_id <> l.parent_collection_id
                  THEN 'it is in ' || l.parent_collection_id || ', not ' || d.source_collection_id END,
                CASE WHEN \(dialect.size("d.chain")) > 0 AND l.parent_chain IS NOT NULL
                    AND \(collections("l.parent_chain")) <> \(collections(ownPrefix))
                  THEN 'its chain is ' || \(dialect.join(collections("l.parent_chain"), " > "))
                    || ', not ' || \(dialect.join(collections(ownPrefix), " > ")) END) AS message
              FROM lk_link l JOIN lk_doc d ON d.document_id = l.document_id
              WHERE l.parent_exists
            ) compared
            WHERE message <> ''
            """
    }
}
