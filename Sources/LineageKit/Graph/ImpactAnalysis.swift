/// What a change to some documents or objects reaches: everything derived from them (downstream,
/// what deleting or re-extracting them affects) or everything they derive from (upstream, where
/// a problem may have come from).
///
/// The affected set is the selection and every node reached from it along "derived from" edges,
/// each with its distance from the nearest selected node (0 for the selection). Counts per
/// collection and bucket, and the pipeline edges (source collection or bucket → collection, by
/// extractor) among affected nodes, summarise it.
public struct ImpactAnalysis: Sendable {
    /// Which way to walk.
    public enum Direction: String, Sendable, CaseIterable {
        /// To everything derived from the selection.
        case downstream
        /// To everything the selection derives from.
        case upstream
    }

    /// One affected node.
    public struct AffectedNode: Sendable, Hashable {
        /// The node.
        public var node: DecompositionGraph.Node
        /// Steps from the nearest selected node (0: selected).
        public var distance: Int
    }

    /// Affected documents of one collection.
    public struct CollectionCount: Sendable, Hashable {
        /// The collection.
        public var collectionID: String
        /// Affected documents in it (ghost documents included).
        public var documents: Int
        /// Of those, the ones the selection named.
        public var selected: Int
        /// The nearest distance of any of its documents from the selection.
        public var nearestDistance: Int
    }

    /// One pipeline edge among affected nodes: documents of `to` made from a document of the
    /// collection `from` (or an object of the bucket `from`) by `extractor`.
    public struct PipelineEdge: Sendable, Hashable {
        /// The source: a collection or a bucket.
        public var from: PipelineGraph.Node
        /// The collection the derived documents are in.
        public var to: String
        /// The extractor that made them: the last step of their chain, else the collection's
        /// configuration; `nil` when neither says.
        public var extractor: String?
        /// How many affected documents took this edge.
        public var documents: Int
    }

    /// Which way the walk went.
    public let direction: Direction
    /// Every affected node, in order of distance, then graph order.
    public let affected: [AffectedNode]
    /// Affected documents per collection, nearest first, then by id.
    public let collections: [CollectionCount]
    /// Affected objects per bucket (ghost objects under `nil`), by bucket id.
    public let objectsByBucket: [(bucketID: String?, objects: Int)]
    /// The pipeline edges among affected nodes, by source, target and extractor.
    public let edges: [PipelineEdge]

    /// Walks `graph` from `selection` in `direction`.
    public init(graph: DecompositionGraph, selection: [DecompositionGraph.Node], direction: Direction) {
        self.direction = direction
        var distance = [Int32](repeating: -1, count: graph.nodes.count)
        var order: [Int32] = []
        for node in selection where distance[node.index] < 0 {
            distance[node.index] = 0
            order.append(Int32(node.index))
        }
        var frontier = order
        var step: Int32 = 0
        while !frontier.isEmpty {
            step += 1
            var next: [Int32] = []
            for index in frontier {
                switch direction {
                case .downstream:
                    for child in graph.children.members(of: Int(index)) where distance[Int(child)] < 0 {
                        distance[Int(child)] = step
                        next.append(child)
                    }
                case .upstream:
                    let parent = graph.parentIndex[Int(index)]
                    if parent >= 0, distance[Int(parent)] < 0 {
                        distance[Int(parent)] = step
                        next.append(parent)
                    }
                }
            }
            order += next
            frontier = next
        }
        affected = order.map { AffectedNode(node: graph.nodes[Int($0)], distance: Int(distance[Int($0)])) }

        var byCollection: [String: CollectionCount] = [:]
        var byBucket: [String?: Int] = [:]
        var edgeCounts: [PipelineEdgeKey: Int] = [:]
        let extractorOfCollection = Dictionary(
            graph.collections.map { ($0.id, $0.featureExtractorID) }, uniquingKeysWith: { first, _ in first })
        for entry in affected {
            let node = entry.node
            switch node.kind {
            case .object, .ghostObject:
                byBucket[node.kind == .object ? node.bucketID : nil, default: 0] += 1
                continue
            case .document, .ghostDocument:
                break
            }
            let collection = node.collectionID ?? "(unknown collection)"
            var count =
                byCollection[collection]
                ?? CollectionCount(collectionID: collection, documents: 0, selected: 0, nearestDistance: entry.distance)
            count.documents += 1
            if entry.distance == 0 { count.selected += 1 }
            count.nearestDistance = min(count.nearestDistance, entry.distance)
            byCollection[collection] = count
            // The edge into this document, when its source is affected too.
            let parent = graph.parentIndex[node.index]
            guard parent >= 0, distance[Int(parent)] >= 0 else { continue }
            let from: PipelineGraph.Node
            switch graph.nodes.kind(at: Int(parent)) {
            case .object, .ghostObject: from = .bucket(graph.nodes.bucketID(at: Int(parent)) ?? "(unknown bucket)")
            case .document, .ghostDocument:
                from = .collection(graph.nodes.collectionID(at: Int(parent)) ?? "(unknown collection)")
            }
            let extractor =
                graph.document(at: node)?.lineage.storedChain?.last?.featureExtractorID
                ?? extractorOfCollection[collection] ?? nil
            edgeCounts[PipelineEdgeKey(from: from, to: collection, extractor: extractor), default: 0] += 1
        }
        collections = byCollection.values.sorted {
            ($0.nearestDistance, $0.collectionID) < ($1.nearestDistance, $1.collectionID)
        }
        objectsByBucket = byBucket.map { (bucketID: $0.key, objects: $0.value) }.sorted {
            ($0.bucketID ?? "") < ($1.bucketID ?? "")
        }
        edges = edgeCounts.map {
            PipelineEdge(from: $0.key.from, to: $0.key.to, extractor: $0.key.extractor, documents: $0.value)
        }.sorted { ($0.from, $0.to, $0.extractor ?? "") < ($1.from, $1.to, $1.extractor ?? "") }
    }

    private struct PipelineEdgeKey: Hashable {
        var from: PipelineGraph.Node
        var to: String
        var extractor: String?
    }

    /// Affected documents (ghosts included).
    public var documentCount: Int { collections.reduce(0) { $0 + $1.documents } }
    /// Affected objects (ghosts included).
    public var objectCount: Int { objectsByBucket.reduce(0) { $0 + $1.objects } }
}

extension ImpactAnalysis {
    /// For each collection, how many documents of other collections derive from its documents,
    /// directly or not: what `lineage impact collection:NAME` reaches beyond the collection, for
    /// every collection in one pass up each document's ancestry (a cycle is walked once).
    public static func downstreamDocumentCounts(in graph: DecompositionGraph) -> [String: Int] {
        var counts = [Int](repeating: 0, count: graph.collectionIDs.count)
        var visited: [Int32] = []
        var reached: [Int32] = []
        for index in graph.nodeKinds.indices {
            let kind = graph.nodeKinds[index]
            guard kind.isDocument else { continue }
            let own = graph.collectionOfNode[index]
            visited.removeAll(keepingCapacity: true)
            reached.removeAll(keepingCapacity: true)
            var current = graph.parentIndex[index]
            while current >= 0, current != Int32(index), !visited.contains(current) {
                visited.append(current)
                let collection = graph.collectionOfNode[Int(current)]
                if collection >= 0, collection != own, !reached.contains(collection) { reached.append(collection) }
                current = graph.parentIndex[Int(current)]
            }
            for collection in reached { counts[Int(collection)] += 1 }
        }
        return Dictionary(
            zip(graph.collectionIDs, counts).map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
    }
}
