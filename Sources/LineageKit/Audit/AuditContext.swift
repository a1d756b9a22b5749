/// What the rules share: the graph, and indices computed once per audit.
public struct AuditContext: Sendable {
    /// The graph under audit.
    public let graph: DecompositionGraph
    /// Collection configurations by collection id.
    public let configs: [String: CollectionConfig]
    /// Buckets holding at least one object of the input.
    public let bucketsWithObjects: Set<String>
    /// Collections holding at least one document of the input.
    public let collectionsWithDocuments: Set<String>

    /// Prepares a context for `graph`.
    public init(graph: DecompositionGraph) {
        self.graph = graph
        var configs: [String: CollectionConfig] = [:]
        for config in graph.collections where configs[config.id] == nil {
            configs[config.id] = config
        }
        self.configs = configs
        self.bucketsWithObjects = Set(graph.objects.map(\.bucketID))
        self.collectionsWithDocuments = Set(graph.documentCollectionIDs)
    }

    /// The document `document` was made from, when it is in the input.
    public func sourceDocument(of document: DocumentUnderAudit) -> Document? {
        let parent = graph.parentIndex[document.node.index]
        guard parent >= 0 else { return nil }
        return graph.document(at: graph.nodes[Int(parent)])
    }

    /// The bucket object at the root of `document`'s tree, when it is in the input.
    public func rootObject(of document: DocumentUnderAudit) -> BucketObject? {
        document.lineage.rootObjectID.flatMap { graph.object($0) }
    }
}
