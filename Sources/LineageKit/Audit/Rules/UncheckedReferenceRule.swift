/// `reference.unchecked` (info): documents name source collections or root buckets that are not
/// in the input at all, so their parents or roots could not be checked.
package struct UncheckedReferenceRule: AuditRule {
    /// The stable rule id.
    package let id = "reference.unchecked"
    /// The severity of this rule's findings.
    package let severity = Severity.info
    /// When the rule fires, in one line.
    package let summary = "documents name source collections or root buckets not included in the input"

    /// Creates the rule.
    package init() {}

    /// Checks the namespace as a whole.
    package func checkNamespace(in context: AuditContext, into findings: inout [Finding]) {
        // Only references to absent records can point outside the input, and every such reference
        // is a ghost node: walk the ghosts and their documents, not every document.
        let graph = context.graph
        var collections: [String: Int] = [:]
        var buckets: [String: Int] = [:]
        for index in graph.nodeKinds.indices where graph.nodeKinds[index].isGhost {
            let node = graph.nodes[index]
            switch node.kind {
            case .ghostDocument:
                for child in graph.children.members(of: node.index) {
                    guard let document = graph.document(atNode: Int(child)),
                        let collection = document.lineage.sourceCollectionID ?? node.collectionID,
                        !context.collectionsWithDocuments.contains(collection), context.configs[collection] == nil
                    else { continue }
                    collections[collection, default: 0] += 1
                }
            case .ghostObject:
                for member in graph.documentsByRoot.members(of: node.index) {
                    guard let document = graph.document(atNode: Int(member)),
                        let bucket = document.lineage.rootBucketID, !context.bucketsWithObjects.contains(bucket)
                    else { continue }
                    buckets[bucket, default: 0] += 1
                }
            default: break
            }
        }
        for (collection, count) in collections.sorted(by: { $0.key < $1.key }) {
            findings.append(
                Finding(
                    rule: id, severity: severity, documentID: nil, collectionID: collection,
                    message:
                        "\(count) document(s) name \(collection) as their source collection, but it is not in the input: "
                        + "their parents could not be checked",
                    evidence: ["collection_id": .string(collection), "documents": .number(JSONNumber(count))]))
        }
        for (bucket, count) in buckets.sorted(by: { $0.key < $1.key }) {
            findings.append(
                Finding(
                    rule: id, severity: severity, documentID: nil, collectionID: nil,
                    message:
                        "\(count) document(s) come from bucket \(bucket), but none of its objects is in the input: "
                        + "their root objects and passthrough fields could not be checked against it",
                    evidence: ["bucket_id": .string(bucket), "documents": .number(JSONNumber(count))]))
        }
    }
}

extension UncheckedReferenceRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        """
        SELECT CAST(NULL AS STRING) AS document_id, collection AS collection_id,
          CAST(count(*) AS STRING) || ' document(s) name ' || collection
            || ' as their source collection, but it is not in the input: their parents could not be checked'
            AS message,
          \(dialect.object([("collection_id", "collection"), ("documents", "count(*)")])) AS evidence
        FROM (
          SELECT coalesce(d.source_collection_id, g.collection_id) AS collection
          FROM lk_link l
          JOIN lk_doc d ON d.document_id = l.document_id
          JOIN lk_ghost_document g ON g.document_id = l.parent_document_id
        ) referenced
        WHERE collection IS NOT NULL AND collection NOT IN (SELECT collection_id FROM lk_doc)
          AND collection NOT IN (SELECT collection_id FROM lk_collection)
        GROUP BY collection
        UNION ALL
        SELECT CAST(NULL AS STRING), CAST(NULL AS STRING),
          CAST(count(*) AS STRING) || ' document(s) come from bucket ' || root_bucket_id
            || ', but none of its objects is in the input: their root objects and passthrough fields could not be '
            || 'checked against it',
          \(dialect.object([("bucket_id", "root_bucket_id"), ("documents", "count(*)")]))
        FROM lk_doc
        WHERE root_object_id IS NOT NULL AND root_bucket_id IS NOT NULL
          AND root_object_id NOT IN (SELECT object_id FROM lk_object)
          AND root_bucket_id NOT IN (SELECT bucket_id FROM lk_object)
        GROUP BY root_bucket_id
        """
    }
}
