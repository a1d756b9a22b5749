/// What every export reads: the graph, the nodes to export, and the audit's findings by node,
/// with the facts the formats share (each document's extractor, each node's tier).
struct ExportInput {
    let graph: DecompositionGraph
    /// Positions in ``DecompositionGraph/nodes`` to export, in graph order.
    let included: [Int]
    /// Whether each node is exported.
    let isIncluded: [Bool]
    /// Findings about each document, by document id.
    let findings: [String: [Finding]]
    /// Each node's tier (``DecompositionGraph/allTiers()``; negative when unknown).
    let tiers: [Int32]
    /// Each collection's configured extractor.
    private let configuredExtractor: [String: String]

    init(graph: DecompositionGraph, nodes: [DecompositionGraph.Node]?, findings: [Finding]) {
        self.graph = graph
        var isIncluded = [Bool](repeating: nodes == nil, count: graph.nodes.count)
        if let nodes { for node in nodes { isIncluded[node.index] = true } }
        self.isIncluded = isIncluded
        included = isIncluded.indices.filter { isIncluded[$0] }
        var byDocument: [String: [Finding]] = [:]
        for finding in findings {
            if let document = finding.documentID { byDocument[document, default: []].append(finding) }
        }
        self.findings = byDocument
        tiers = graph.allTiers()
        var configured: [String: String] = [:]
        for collection in graph.collections {
            if let extractor = collection.featureExtractorID { configured[collection.id] = extractor }
        }
        configuredExtractor = configured
    }

    /// The exported node's source, when it is exported too.
    func parent(of index: Int) -> Int? {
        let parent = graph.parentIndex[index]
        return parent >= 0 && isIncluded[Int(parent)] ? Int(parent) : nil
    }

    /// The extractor that made a document: its chain's last step, else its collection's configuration.
    func extractor(of index: Int) -> String? {
        let node = graph.nodes[index]
        if let document = graph.document(at: node), let step = document.lineage.chain?.last?.featureExtractorID {
            return step
        }
        return node.collectionID.flatMap { configuredExtractor[$0] }
    }

    /// When a document was made: its chain's last step's timestamp.
    func timestamp(of index: Int) -> String? {
        graph.document(at: graph.nodes[index])?.lineage.chain?.last?.timestamp
    }

    /// The worst severity among `findings`.
    static func worst(_ findings: [Finding]) -> Severity? { findings.map(\.severity).max() }
}

/// Bytes gathered into pieces and handed on, so an export is written as it is made and never
/// held whole.
struct ChunkedOutput {
    private(set) var buffer: [UInt8] = []
    let chunkSize: Int

    init(chunkSize: Int) {
        self.chunkSize = chunkSize
        buffer.reserveCapacity(min(chunkSize, 1 << 22) + 4096)
    }

    mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    mutating func append(_ value: JSONValue) { value.write(into: &buffer) }

    /// Hands the buffer on once it holds at least a chunk.
    mutating func flushIfFull(_ sink: ([UInt8]) throws -> Void) rethrows {
        guard buffer.count >= chunkSize else { return }
        try sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hands on what is left.
    mutating func finish(_ sink: ([UInt8]) throws -> Void) rethrows {
        if !buffer.isEmpty { try sink(buffer) }
        buffer.removeAll()
    }
}
