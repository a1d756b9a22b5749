/// The collection-level pipeline: buckets and collections as nodes, "feeds" edges between them,
/// with how many documents took each edge and whether a collection configuration declares it.
public struct PipelineGraph: Sendable, Hashable {
    /// A bucket or a collection.
    public enum Node: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// A bucket (`bkt_…`).
        case bucket(String)
        /// A collection (`col_…`).
        case collection(String)

        /// The bare id.
        public var id: String {
            switch self {
            case .bucket(let id), .collection(let id): id
            }
        }

        /// `bucket` or `collection`.
        public var kind: String {
            switch self {
            case .bucket: "bucket"
            case .collection: "collection"
            }
        }

        /// A short text for people.
        public var description: String { id }

        /// Orders values for stable, sorted output.
        public static func < (lhs: Node, rhs: Node) -> Bool {
            (lhs.kind, lhs.id) < (rhs.kind, rhs.id)
        }
    }

    /// One "feeds" edge.
    public struct Edge: Sendable, Hashable {
        /// Where documents come from.
        public var from: Node
        /// The collection they go into.
        public var to: Node
        /// How many documents of `to` state `from` as their source.
        public var documentCount: Int
        /// Whether `to`'s collection configuration declares `from` as its source.
        public var configured: Bool
    }

    /// Every edge, sorted by source then target.
    public let edges: [Edge]
    /// Documents per collection node.
    public let documentCounts: [Node: Int]

    /// Every node, sorted: buckets first.
    public var nodes: [Node] {
        Set(edges.flatMap { [$0.from, $0.to] }).union(documentCounts.keys).sorted()
    }

    /// What the document at `position` feeds from: its root bucket for a bucket source, its stated
    /// source collection (else its parent document's) otherwise. The document is read in place.
    private static func source(
        of documents: UnsafeBufferPointer<Document>, at position: Int, in graph: DecompositionGraph
    ) -> Node? {
        let lineage = ResolvedLineage(documents[position].storedStatements)
        switch lineage.effectiveSourceKind {
        case .bucket?:
            let objectBucket = (lineage.sourceObjectID ?? lineage.rootObjectID)
                .flatMap { graph.node(.object($0))?.bucketID }
            return (lineage.rootBucketID ?? objectBucket).map(Node.bucket)
        case .collection?, .other?:
            let parent = graph.parentIndex[Int(graph.documentNodeIndex[position])]
            let parentCollection = parent >= 0 ? graph.nodes.collectionID(at: Int(parent)) : nil
            return (lineage.sourceCollectionID ?? parentCollection).map(Node.collection)
        case nil:
            return nil
        }
    }

    /// Builds the pipeline from the documents of a graph and the collection configurations given.
    ///
    /// A bucket-sourced document feeds from its root bucket; a collection-sourced one from its
    /// stated source collection, else its parent document's collection.
    public init(graph: DecompositionGraph) {
        // Counted in pieces on all cores, reading the documents in place, then merged.
        let pieces = graph.documents.withUnsafeBufferPointer { documents in
            let shared = WorkerShared((documents, graph))
            let ranges = pieceRanges(of: documents.count)
            return mapPieces(ranges.count) { piece in
                let range = ranges[piece]
                let (documents, graph) = shared.value
                var counts: [Node: Int] = [:]
                var edgeCounts: [PairKey: Int] = [:]
                for position in range where graph.documentNodeIndex[position] >= 0 {
                    let target = Node.collection(documents[position].collectionID)
                    counts[target, default: 0] += 1
                    if let source = Self.source(of: documents, at: position, in: graph) {
                        edgeCounts[PairKey(from: source, to: target), default: 0] += 1
                    }
                }
                return (counts, edgeCounts)
            }
        }
        var counts: [Node: Int] = [:]
        var edgeCounts: [PairKey: Int] = [:]
        for (pieceCounts, pieceEdges) in pieces {
            counts.merge(pieceCounts, uniquingKeysWith: +)
            edgeCounts.merge(pieceEdges, uniquingKeysWith: +)
        }
        var configured: Set<PairKey> = []
        for config in graph.collections {
            let target = Node.collection(config.id)
            for bucket in config.sourceBucketIDs {
                configured.insert(PairKey(from: .bucket(bucket), to: target))
            }
            for collection in config.sourceCollectionIDs {
                configured.insert(PairKey(from: .collection(collection), to: target))
            }
        }
        let keys = Set(edgeCounts.keys).union(configured)
        self.edges = keys.map { key in
            Edge(from: key.from, to: key.to, documentCount: edgeCounts[key] ?? 0, configured: configured.contains(key))
        }.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
        self.documentCounts = counts
    }

    private struct PairKey: Hashable {
        let from: Node
        let to: Node
    }
}
