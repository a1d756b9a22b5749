/// `reference.unchecked` (info): documents name source collections or root buckets that are not
/// in the input at all, so their parents or roots could not be checked.
public struct UncheckedReferenceRule: AuditRule {
    /// The stable rule id.
    public let id = "reference.unchecked"
    /// The severity of this rule's findings.
    public let severity = Severity.info
    /// When the rule fires, in one line.
    public let summary = "documents name source collections or root buckets not included in the input"

    /// Creates the rule.
    public init() {}

    /// Checks the namespace as a whole.
    public func checkNamespace(in context: AuditContext, into findings: inout [Finding]) {
        var collections: [String: Int] = [:]
        var buckets: [String: Int] = [:]
        // Documents repeat the same few collection and bucket ids: remember the last answer for each.
        var lastCollection: (id: String, known: Bool)?
        var lastBucket: (id: String, known: Bool)?
        for document in context.graph.documents {
            if let collection = document.statements.lazy.compactMap(\.sourceCollectionID).first {
                if lastCollection?.id != collection {
                    lastCollection = (
                        collection,
                        context.collectionsWithDocuments.contains(collection) || context.configs[collection] != nil
                    )
                }
                if lastCollection?.known == false { collections[collection, default: 0] += 1 }
            }
            if let bucket = document.statements.lazy.compactMap(\.rootBucketID).first {
                if lastBucket?.id != bucket {
                    lastBucket = (bucket, context.bucketsWithObjects.contains(bucket))
                }
                if lastBucket?.known == false { buckets[bucket, default: 0] += 1 }
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
