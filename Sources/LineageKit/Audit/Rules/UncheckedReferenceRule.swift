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
                    guard let document = graph.document(at: graph.nodes[Int(child)]),
                        let collection = document.lineage.sourceCollectionID ?? node.collectionID,
                        !context.collectionsWithDocuments.contains(collection), context.configs[collection] == nil
                    else { continue }
                    collections[collection, default: 0] += 1
                }
            case .ghostObject:
                for member in graph.documentsByRoot.members(of: node.index) {
                    guard let document = graph.document(at: graph.nodes[Int(member)]),
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
