/// Writes the decomposition graph as GraphML (graphdrawing.org), which networkx, yEd, Gephi and
/// Neo4j's import read: a node per object and document, an edge per "derived from" link (source →
/// derived), with typed attributes.
///
/// Node attributes: `kind` (object, document, ghost-object, ghost-document), `collection`,
/// `bucket`, `tier` (int, when known), `ghost` (boolean), `findings` (int), `rules` (space-separated
/// rule ids) and `severity` (the worst finding's). Edge attributes: `extractor`. Every value is
/// XML-escaped, and characters XML cannot hold become U+FFFD.
public struct GraphMLWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// The attribute keys: (id, for, type).
    static let keys: [(id: String, target: String, type: String)] = [
        ("kind", "node", "string"), ("collection", "node", "string"), ("bucket", "node", "string"),
        ("tier", "node", "int"), ("ghost", "node", "boolean"), ("findings", "node", "int"),
        ("rules", "node", "string"), ("severity", "node", "string"), ("extractor", "edge", "string"),
    ]

    /// Writes `nodes` of `graph` (all when `nil`) and the edges between them, handing the text to
    /// `sink` in pieces of about `chunkSize` bytes.
    public func write(
        graph: DecompositionGraph, nodes: [DecompositionGraph.Node]? = nil, findings: [Finding] = [],
        chunkSize: Int = 1 << 20, to sink: ([UInt8]) throws -> Void
    ) rethrows {
        let input = ExportInput(graph: graph, nodes: nodes, findings: findings)
        var output = ChunkedOutput(chunkSize: chunkSize)
        output.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        output.append("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" ")
        output.append("xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ")
        output.append("xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns ")
        output.append("http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n")
        for key in Self.keys {
            output.append(
                "  <key id=\"\(key.id)\" for=\"\(key.target)\" attr.name=\"\(key.id)\" attr.type=\"\(key.type)\"/>\n")
        }
        output.append("  <graph id=\"lineage\" edgedefault=\"directed\">\n")
        for index in input.included {
            let node = graph.nodes[index]
            output.append("    <node id=\"\(AuditReport.xml(node.id.rawID))\">")
            Self.data("kind", node.kind.rawValue, into: &output)
            if let collection = node.collectionID { Self.data("collection", collection, into: &output) }
            if let bucket = node.bucketID { Self.data("bucket", bucket, into: &output) }
            if input.tiers[index] >= 0 { Self.data("tier", String(input.tiers[index]), into: &output) }
            Self.data("ghost", node.kind.isGhost ? "true" : "false", into: &output)
            let found = node.kind == .document ? input.findings[node.id.rawID] ?? [] : []
            Self.data("findings", String(found.count), into: &output)
            if !found.isEmpty {
                Self.data("rules", Set(found.map(\.rule)).sorted().joined(separator: " "), into: &output)
                if let worst = ExportInput.worst(found) { Self.data("severity", worst.rawValue, into: &output) }
            }
            output.append("</node>\n")
            try output.flushIfFull(sink)
        }
        var edge = 0
        for index in input.included {
            guard let parent = input.parent(of: index) else { continue }
            output.append("    <edge id=\"e\(edge)\" source=\"\(AuditReport.xml(graph.nodes[parent].id.rawID))\" ")
            output.append("target=\"\(AuditReport.xml(graph.nodes[index].id.rawID))\">")
            if let extractor = input.extractor(of: index) { Self.data("extractor", extractor, into: &output) }
            output.append("</edge>\n")
            edge += 1
            try output.flushIfFull(sink)
        }
        output.append("  </graph>\n</graphml>\n")
        try output.finish(sink)
    }

    private static func data(_ key: String, _ value: String, into output: inout ChunkedOutput) {
        output.append("<data key=\"\(key)\">\(AuditReport.xml(value))</data>")
    }
}
