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
        try output.finish(sink)
        let included = input.included
        try ExportInput.renderInParallel(
            count: included.count,
            render: { range, bytes in
                for index in included[range] { Self.node(index, input, into: &bytes) }
            }, to: sink)
        // Edges are numbered by their node's position among the exported ones.
        try ExportInput.renderInParallel(
            count: included.count,
            render: { range, bytes in
                for position in range { Self.edge(included[position], number: position, input, into: &bytes) }
            }, to: sink)
        output.append("  </graph>\n</graphml>\n")
        try output.finish(sink)
    }

    private static func node(_ index: Int, _ input: ExportInput, into bytes: inout [UInt8]) {
        // Field by field: the node itself would make its id's string.
        let nodes = input.graph.nodes
        let kind = nodes.kind(at: index)
        bytes.append("    <node id=\"")
        nodes.withRawID(at: index) { bytes.appendXMLEscaped(utf8: $0, inAttribute: true) }
        bytes.append("\">")
        data("kind", kind.rawValue, into: &bytes)
        if let collection = nodes.collectionID(at: index) { data("collection", collection, into: &bytes) }
        if let bucket = nodes.bucketID(at: index) { data("bucket", bucket, into: &bytes) }
        if input.tiers[index] >= 0 { number("tier", Int(input.tiers[index]), into: &bytes) }
        data("ghost", kind.isGhost ? "true" : "false", into: &bytes)
        let found = input.findings[index] ?? []
        number("findings", found.count, into: &bytes)
        if !found.isEmpty {
            data("rules", Set(found.map(\.rule)).sorted().joined(separator: " "), into: &bytes)
            if let worst = ExportInput.worst(found) { data("severity", worst.rawValue, into: &bytes) }
        }
        bytes.append("</node>\n")
    }

    private static func edge(_ index: Int, number: Int, _ input: ExportInput, into bytes: inout [UInt8]) {
        guard let parent = input.parent(of: index) else { return }
        bytes.append(constant: "    <edge id=\"e")
        bytes.appendDecimal(number)
        bytes.append(constant: "\" source=\"")
        input.graph.nodes.withRawID(at: parent) { bytes.appendXMLEscaped(utf8: $0, inAttribute: true) }
        bytes.append("\" target=\"")
        input.graph.nodes.withRawID(at: index) { bytes.appendXMLEscaped(utf8: $0, inAttribute: true) }
        bytes.append("\">")
        if let extractor = input.extractorAndTime(of: index).extractor { data("extractor", extractor, into: &bytes) }
        bytes.append("</edge>\n")
    }

    private static func data(_ key: StaticString, _ value: String, into bytes: inout [UInt8]) {
        openData(key, into: &bytes)
        bytes.appendXMLEscaped(value)
        bytes.append(constant: "</data>")
    }

    private static func number(_ key: StaticString, _ value: Int, into bytes: inout [UInt8]) {
        openData(key, into: &bytes)
        bytes.appendDecimal(value)
        bytes.append(constant: "</data>")
    }

    /// `<data key="key">`: keys are constants that need no escaping.
    private static func openData(_ key: StaticString, into bytes: inout [UInt8]) {
        bytes.append(constant: "<data key=\"")
        bytes.append(constant: key)
        bytes.append(constant: "\">")
    }
}
