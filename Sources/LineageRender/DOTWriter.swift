import LineageKit

/// Writes a decomposition graph (or part of it) as DOT text, every id and label escaped.
///
/// Objects are boxes, documents ellipses coloured by collection, ghost nodes (references to
/// absent records) dashed; findings from an audit outline their documents (red for errors,
/// orange for warnings) and list their rule ids in the tooltip. Each node carries its id as the
/// DOT `id` attribute, so SVG output has an element whose `id` is the document or object id.
public struct DOTWriter: Sendable {
    /// What to draw and how.
    public struct Options: Sendable {
        /// Labels longer than this are cut with an ellipsis.
        public var maximumLabelLength: Int
        /// Whether to draw rankdir left-to-right instead of top-to-bottom.
        public var leftToRight: Bool
        /// Leaf siblings of one parent in one collection, without findings, are drawn as one
        /// summary node ("col_frames ×120") when there are more than this many; `nil` never collapses.
        public var collapseThreshold: Int?
        /// Boxes drawn around the documents of one collection or of one root object's tree.
        public var clusters: Clusters?

        /// Creates options.
        public init(
            maximumLabelLength: Int = 40, leftToRight: Bool = false, collapseThreshold: Int? = 12,
            clusters: Clusters? = nil
        ) {
            self.maximumLabelLength = maximumLabelLength
            self.leftToRight = leftToRight
            self.collapseThreshold = collapseThreshold
            self.clusters = clusters
        }
    }

    /// How nodes are grouped into boxes.
    public enum Clusters: String, Sendable, CaseIterable {
        /// One box per collection.
        case collection
        /// One box per root object's tree.
        case root
    }

    /// The options in force.
    public var options: Options

    /// Creates a writer.
    public init(options: Options = Options()) {
        self.options = options
    }

    private static let palette = [
        "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#d9d9d9",
        "#bc80bd", "#ccebc5", "#ffed6f",
    ]

    /// The DOT text of `nodes` of `graph` (all nodes when `nil`) and the edges between them.
    public func dot(
        of graph: DecompositionGraph, nodes selection: [DecompositionGraph.Node]? = nil, findings: [Finding] = []
    ) -> String {
        let nodes = selection ?? graph.nodes
        let included = Set(nodes.map(\.index))
        var findingsByDocument: [String: [Finding]] = [:]
        for finding in findings {
            if let document = finding.documentID { findingsByDocument[document, default: []].append(finding) }
        }
        let collections = Array(Set(nodes.compactMap(\.collectionID))).sorted()
        var colour: [String: String] = [:]
        for (position, collection) in collections.enumerated() {
            colour[collection] = Self.palette[position % Self.palette.count]
        }
        let collapsed = collapse(nodes, of: graph, included: included, findings: findingsByDocument)
        var out = "digraph lineage {\n"
        out += "  graph [rankdir=\(options.leftToRight ? "LR" : "TB"), fontname=\"Helvetica\"];\n"
        out += "  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n"
        out += "  edge [color=\"#666666\", arrowsize=0.6];\n"
        var clustered: [String: [String]] = [:]
        for node in nodes where !collapsed.hidden.contains(node.index) {
            var attributes: [(String, String)] = [("id", node.id.rawID)]
            let short = String(node.id.rawID.prefix(12))
            switch node.kind {
            case .object, .ghostObject:
                attributes.append(("shape", "box"))
                attributes.append(("label", truncate((node.bucketID ?? "bucket ?") + "\n" + short)))
                attributes.append(("fillcolor", "#eeeeee"))
                attributes.append(("class", node.kind == .object ? "object" : "object ghost"))
            case .document, .ghostDocument:
                attributes.append(("shape", "ellipse"))
                attributes.append(("label", truncate((node.collectionID ?? "collection ?") + "\n" + short)))
                attributes.append(("fillcolor", node.collectionID.flatMap { colour[$0] } ?? "#ffffff"))
                attributes.append(("class", node.kind == .document ? "document" : "document ghost"))
            }
            var tooltip = node.id.rawID
            if node.kind.isGhost {
                attributes.append(("style", "filled,dashed"))
                tooltip += " (not in the input)"
            }
            if let found = findingsByDocument[node.id.rawID], !found.isEmpty {
                let worst = found.map(\.severity).max() ?? .info
                attributes.append(("color", worst == .error ? "#d62728" : worst == .warning ? "#ff7f0e" : "#1f77b4"))
                attributes.append(("penwidth", "2.5"))
                tooltip += "\n" + found.map(\.rule).joined(separator: ", ")
            }
            attributes.append(("tooltip", tooltip))
            let line =
                "  " + Self.quote(node.id.rawID) + " ["
                + attributes.map { "\($0.0)=\(Self.quote($0.1))" }.joined(separator: ", ") + "];\n"
            if let key = clusterKey(of: node, in: graph) {
                clustered[key, default: []].append(line)
            } else {
                out += line
            }
        }
        for (position, key) in clustered.keys.sorted().enumerated() {
            out += "  subgraph \(Self.quote("cluster_\(position)")) {\n"
            out += "    label=\(Self.quote(key)); style=\"rounded,dashed\"; color=\"#999999\";\n"
            for line in clustered[key] ?? [] { out += "  " + line }
            out += "  }\n"
        }
        for edge in graph.edges(among: nodes) where !collapsed.hidden.contains(edge.derived.index) {
            out += "  " + Self.quote(edge.source.id.rawID) + " -> " + Self.quote(edge.derived.id.rawID) + ";\n"
        }
        for summary in collapsed.summaries {
            let id = "collapsed:\(summary.parent.id.rawID):\(summary.collection)"
            let attributes = [
                ("id", id), ("shape", "folder"), ("label", truncate("\(summary.collection) ×\(summary.count)")),
                ("fillcolor", colour[summary.collection] ?? "#ffffff"), ("class", "collapsed"),
                ("tooltip", "\(summary.count) documents of \(summary.collection) without findings or children"),
            ]
            out +=
                "  " + Self.quote(id) + " ["
                + attributes.map { "\($0.0)=\(Self.quote($0.1))" }
                .joined(separator: ", ") + "];\n"
            out += "  " + Self.quote(summary.parent.id.rawID) + " -> " + Self.quote(id) + ";\n"
        }
        out += "}\n"
        return out
    }

    /// The box a node goes in, by the options' clustering.
    private func clusterKey(of node: DecompositionGraph.Node, in graph: DecompositionGraph) -> String? {
        switch options.clusters {
        case nil: return nil
        case .collection?: return node.collectionID
        case .root?:
            if node.kind == .object || node.kind == .ghostObject { return node.id.rawID }
            return graph.document(at: node)?.lineage.rootObjectID
        }
    }

    /// Leaf siblings folded into one summary node per parent and collection.
    private struct Collapsed {
        struct Summary {
            let parent: DecompositionGraph.Node
            let collection: String
            let count: Int
        }

        var hidden: Set<Int> = []
        var summaries: [Summary] = []
    }

    private func collapse(
        _ nodes: [DecompositionGraph.Node], of graph: DecompositionGraph, included: Set<Int>,
        findings: [String: [Finding]]
    ) -> Collapsed {
        var result = Collapsed()
        guard let threshold = options.collapseThreshold else { return result }
        for parent in nodes {
            var groups: [String: [DecompositionGraph.Node]] = [:]
            for child in graph.children(of: parent.id) where included.contains(child.index) {
                let isLeaf = !graph.children(of: child.id).contains { included.contains($0.index) }
                guard child.kind == .document, isLeaf, findings[child.id.rawID] == nil,
                    let collection = child.collectionID
                else { continue }
                groups[collection, default: []].append(child)
            }
            for (collection, members) in groups.sorted(by: { $0.key < $1.key }) where members.count > threshold {
                result.hidden.formUnion(members.map(\.index))
                result.summaries.append(.init(parent: parent, collection: collection, count: members.count))
            }
        }
        return result
    }

    private func truncate(_ text: String) -> String {
        text.count <= options.maximumLabelLength ? text : String(text.prefix(options.maximumLabelLength - 1)) + "…"
    }

    /// A DOT double-quoted string: quotes and backslashes escaped, newlines as `\n`, and other
    /// control characters dropped, so no input can end the string or inject attributes.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
