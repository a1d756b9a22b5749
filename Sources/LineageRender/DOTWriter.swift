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
        /// Top-level user fields shown under a document's id when it has them (at most two), in
        /// this order.
        public var labelFields: [String]
        /// Whether to draw a legend of collection colours and styles.
        public var legend: Bool
        /// Put before the ids of the legend and of pieces (`piece_3`), so several pictures can
        /// share one HTML page without repeating ids. Document and object ids are never prefixed.
        public var idPrefix: String
        /// Changes to mark, for a picture of a diff (`lineage graph --diff`): added nodes and the
        /// edges into them green, removed ones dashed and grey, changed ones with a double outline,
        /// and edges that no longer hold dashed; `nil` marks nothing.
        public var changes: ChangeMarks?

        /// The user fields that usually tell sibling documents apart.
        public static let defaultLabelFields = [
            "frame_index", "scene_index", "scene_type", "chunk_index", "face_index", "page", "timestamp_s",
        ]

        /// Creates options.
        public init(
            maximumLabelLength: Int = 40, leftToRight: Bool = false, collapseThreshold: Int? = 12,
            clusters: Clusters? = nil, labelFields: [String] = defaultLabelFields, legend: Bool = true,
            idPrefix: String = "", changes: ChangeMarks? = nil
        ) {
            self.idPrefix = idPrefix
            self.changes = changes
            self.maximumLabelLength = maximumLabelLength
            self.leftToRight = leftToRight
            self.collapseThreshold = collapseThreshold
            self.clusters = clusters
            self.labelFields = labelFields
            self.legend = legend
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
        let drawing = Drawing(writer: self, graph: graph, nodes: selection ?? graph.nodes, findings: findings)
        var out = drawing.header
        if let legend = drawing.legend { out += legend }
        out += drawing.body(of: Array(drawing.vertices.indices))
        return out + "}\n"
    }

    /// The same picture cut into its connected pieces (a root object's tree, usually), each a
    /// complete DOT graph to lay out on its own, the legend first; see
    /// ``GraphvizRenderer/render(components:format:)``. Nodes in one cluster stay in one piece.
    public func components(
        of graph: DecompositionGraph, nodes selection: [DecompositionGraph.Node]? = nil, findings: [Finding] = []
    ) -> [LayoutComponent] {
        let drawing = Drawing(writer: self, graph: graph, nodes: selection ?? graph.nodes, findings: findings)
        var pieces: [LayoutComponent] = []
        if let legend = drawing.legend {
            pieces.append(
                LayoutComponent(
                    dot: drawing.header + "  graph [id=\(Self.quote(options.idPrefix + "piece_legend"))];\n" + legend
                        + "}\n",
                    nodeCount: drawing.legendCount))
        }
        for (number, members) in drawing.connectedPieces().enumerated() {
            let id = "  graph [id=\(Self.quote(options.idPrefix + "piece_\(number)"))];\n"
            pieces.append(
                LayoutComponent(dot: drawing.header + id + drawing.body(of: members) + "}\n", nodeCount: members.count))
        }
        return pieces
    }

    /// One node statement of the picture, before it is placed in a graph or a cluster.
    private struct Vertex {
        let name: String
        let statement: String
        let cluster: String?
    }

    /// Everything one picture draws: node statements, edges between them, clusters and legend.
    private struct Drawing {
        var header = ""
        var legend: String?
        var legendCount = 0
        var vertices: [Vertex] = []
        /// Edges as positions in ``vertices``, by source.
        var derived: [[Int]] = []
        /// DOT attributes of marked edges (a diff's added and removed ones), by (source, derived).
        var edgeAttributes: [Int: [Int: String]] = [:]
        var clusterNames: [String: String] = [:]

        init(writer: DOTWriter, graph: DecompositionGraph, nodes: [DecompositionGraph.Node], findings: [Finding]) {
            let included = Set(nodes.map(\.index))
            var findingsByDocument: [String: [Finding]] = [:]
            for finding in findings {
                if let document = finding.documentID { findingsByDocument[document, default: []].append(finding) }
            }
            let collections = Array(Set(nodes.compactMap(\.collectionID))).sorted()
            var colour: [String: String] = [:]
            for (position, collection) in collections.enumerated() {
                colour[collection] = DOTWriter.palette[position % DOTWriter.palette.count]
            }
            let collapsed = writer.collapse(nodes, of: graph, included: included, findings: findingsByDocument)
            header = "digraph lineage {\n"
            header += "  graph [rankdir=\(writer.options.leftToRight ? "LR" : "TB"), fontname=\"Helvetica\"];\n"
            header += "  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n"
            header += "  edge [color=\"#666666\", arrowsize=0.6];\n"
            var position: [Int: Int] = [:]
            var edges: [(source: Int, derived: Int)] = []
            var severities: Set<Severity> = []
            for node in nodes where !collapsed.hidden.contains(node.index) {
                let found = findingsByDocument[node.id.rawID] ?? []
                severities.formUnion(found.map(\.severity))
                position[node.index] = vertices.count
                vertices.append(
                    Vertex(
                        name: DOTWriter.nodeName(node.id.rawID),
                        statement: writer.statement(of: node, in: graph, colour: colour, findings: found),
                        cluster: writer.clusterKey(of: node, in: graph)))
            }
            for edge in graph.edges(among: nodes) {
                guard let source = position[edge.source.index], let derived = position[edge.derived.index] else {
                    continue
                }
                edges.append((source, derived))
            }
            if let changes = writer.options.changes {
                let addedStyle = " [color=\"\(DOTWriter.addedColour)\", penwidth=2]"
                let removedStyle = " [color=\"\(DOTWriter.removedColour)\", style=dashed]"
                for (source, target) in edges {
                    let name = DOTWriter.rawID(fromNodeName: vertices[target].name)
                    if changes.added.contains(name) { edgeAttributes[source, default: [:]][target] = addedStyle }
                    if changes.removed.contains(name) { edgeAttributes[source, default: [:]][target] = removedStyle }
                }
                let positionOfID = Dictionary(
                    nodes.compactMap { node in position[node.index].map { (node.id.rawID, $0) } },
                    uniquingKeysWith: { first, _ in first })
                for edge in changes.removedEdges {
                    guard let source = positionOfID[edge.source], let target = positionOfID[edge.derived] else {
                        continue
                    }
                    edges.append((source, target))
                    edgeAttributes[source, default: [:]][target] =
                        " [color=\"\(DOTWriter.removedColour)\", style=dashed, tooltip=\"no longer derived from this\"]"
                }
            }
            for summary in collapsed.summaries {
                guard let parent = position[summary.parent.index] else {
                    continue
                }
                let id =
                    "collapsed:" + DOTWriter.nodeName(summary.parent.id.rawID) + ":"
                    + DOTWriter.nodeName(summary.collection)
                let attributes = [
                    ("id", id), ("shape", "folder"),
                    ("label", writer.truncate("\(summary.collection) ×\(summary.count)")),
                    ("fillcolor", colour[summary.collection] ?? "#ffffff"), ("class", "collapsed"),
                    ("tooltip", "\(summary.count) documents of \(summary.collection) without findings or children"),
                ]
                edges.append((parent, vertices.count))
                vertices.append(
                    Vertex(
                        name: id, statement: DOTWriter.statement(named: id, attributes),
                        cluster: vertices[parent].cluster))
            }
            derived = Array(repeating: [], count: vertices.count)
            for edge in edges { derived[edge.source].append(edge.derived) }
            for (number, key) in Set(vertices.compactMap(\.cluster)).sorted().enumerated() {
                clusterNames[key] = "cluster_\(number)"
            }
            if writer.options.legend, !collections.isEmpty {
                (legend, legendCount) = DOTWriter.legend(
                    colours: colour, severities: severities,
                    ghosts: nodes.contains { $0.kind.isGhost }, changes: writer.options.changes != nil,
                    idPrefix: writer.options.idPrefix)
            }
        }

        /// The node statements (grouped into their clusters) and edges of `members`.
        func body(of members: [Int]) -> String {
            var out = ""
            var clustered: [String: [Int]] = [:]
            for member in members {
                if let key = vertices[member].cluster {
                    clustered[key, default: []].append(member)
                } else {
                    out += "  " + vertices[member].statement
                }
            }
            for key in clustered.keys.sorted() {
                out += "  subgraph \(DOTWriter.quote(clusterNames[key] ?? "cluster")) {\n"
                out += "    label=\(DOTWriter.quote(key)); style=\"rounded,dashed\"; color=\"#999999\";\n"
                for member in clustered[key] ?? [] { out += "    " + vertices[member].statement }
                out += "  }\n"
            }
            for source in members {
                for target in derived[source] {
                    out += "  "
                    DOTWriter.appendQuoted(vertices[source].name, to: &out)
                    out += " -> "
                    DOTWriter.appendQuoted(vertices[target].name, to: &out)
                    if let attributes = edgeAttributes[source]?[target] { out += attributes }
                    out += ";\n"
                }
            }
            return out
        }

        /// Positions in ``vertices`` grouped by connection (edges, and shared clusters), in the
        /// order their first member was drawn.
        func connectedPieces() -> [[Int]] {
            var parent = Array(vertices.indices)
            func root(_ vertex: Int) -> Int {
                var vertex = vertex
                while parent[vertex] != vertex {
                    parent[vertex] = parent[parent[vertex]]
                    vertex = parent[vertex]
                }
                return vertex
            }
            func join(_ first: Int, _ second: Int) {
                let (a, b) = (root(first), root(second))
                if a != b { parent[max(a, b)] = min(a, b) }
            }
            for (source, targets) in derived.enumerated() {
                for target in targets { join(source, target) }
            }
            var firstInCluster: [String: Int] = [:]
            for (index, vertex) in vertices.enumerated() {
                guard let key = vertex.cluster else { continue }
                if let first = firstInCluster[key] { join(first, index) } else { firstInCluster[key] = index }
            }
            var pieceOfRoot: [Int: Int] = [:]
            var pieces: [[Int]] = []
            for index in vertices.indices {
                let top = root(index)
                if let piece = pieceOfRoot[top] {
                    pieces[piece].append(index)
                } else {
                    pieceOfRoot[top] = pieces.count
                    pieces.append([index])
                }
            }
            return pieces
        }
    }

    /// One node's DOT statement: shape, label, colours, finding outline, tooltip.
    private func statement(
        of node: DecompositionGraph.Node, in graph: DecompositionGraph, colour: [String: String], findings: [Finding]
    ) -> String {
        var attributes: [(String, String)] = [("id", Self.nodeName(node.id.rawID))]
        let short = String(node.id.rawID.prefix(12))
        switch node.kind {
        case .object, .ghostObject:
            attributes.append(("shape", "box"))
            attributes.append(("label", truncate((node.bucketID ?? "bucket ?") + "\n" + short)))
            attributes.append(("fillcolor", "#eeeeee"))
            attributes.append(("class", node.kind == .object ? "object" : "object ghost"))
        case .document, .ghostDocument:
            var label = truncate((node.collectionID ?? "collection ?") + "\n" + short)
            if let document = graph.document(at: node) {
                for line in tellingFields(of: document) { label += "\n" + truncate(line) }
            }
            attributes.append(("shape", "ellipse"))
            attributes.append(("label", label))
            attributes.append(("fillcolor", node.collectionID.flatMap { colour[$0] } ?? "#ffffff"))
            attributes.append(("class", node.kind == .document ? "document" : "document ghost"))
        }
        var tooltip = node.id.rawID
        if node.kind.isGhost {
            attributes.append(("style", "filled,dashed"))
            tooltip += " (not in the input)"
        }
        if let changes = options.changes {
            let id = node.id.rawID
            if changes.added.contains(id) {
                attributes = attributes.map { $0.0 == "fillcolor" ? ("fillcolor", Self.addedFill) : $0 }
                attributes = attributes.map { $0.0 == "class" ? ("class", $0.1 + " added") : $0 }
                if findings.isEmpty { attributes.append(("color", Self.addedColour)) }
                tooltip += " (added)"
            } else if changes.removed.contains(id) {
                attributes = attributes.map { $0.0 == "fillcolor" ? ("fillcolor", "#ffffff") : $0 }
                attributes = attributes.map { $0.0 == "class" ? ("class", $0.1 + " removed") : $0 }
                attributes.removeAll { $0.0 == "style" }
                attributes += [("style", "filled,dashed"), ("fontcolor", Self.removedColour)]
                if findings.isEmpty { attributes.append(("color", Self.removedColour)) }
                tooltip += " (removed)"
            } else if changes.changed.contains(id) {
                attributes = attributes.map { $0.0 == "class" ? ("class", $0.1 + " changed") : $0 }
                attributes.append(("peripheries", "2"))
                tooltip += " (changed)"
            }
        }
        if !findings.isEmpty {
            let worst = findings.map(\.severity).max() ?? .info
            attributes.append(("color", worst.outlineColour))
            attributes.append(("penwidth", "2.5"))
            tooltip += "\n" + findings.map(\.rule).joined(separator: ", ")
        }
        attributes.append(("tooltip", tooltip))
        return Self.statement(named: Self.nodeName(node.id.rawID), attributes)
    }

    /// `"name" [key="value", ...];` and a newline, every part quoted.
    private static func statement(named name: String, _ attributes: [(String, String)]) -> String {
        var out = ""
        out.reserveCapacity(64 + name.utf8.count * 3 + attributes.reduce(0) { $0 + $1.1.utf8.count + 12 })
        appendQuoted(name, to: &out)
        out += " ["
        for (position, (key, value)) in attributes.enumerated() {
            if position > 0 { out += ", " }
            out += key
            out += "="
            appendQuoted(value, to: &out)
        }
        out += "];\n"
        return out
    }

    /// The colours of a diff's marks.
    static let addedColour = "#2ca02c"
    static let addedFill = "#c7e9c0"
    static let removedColour = "#999999"

    /// Up to two of the options' label fields the document has, as `field=value`.
    private func tellingFields(of document: Document) -> [String] {
        guard !options.labelFields.isEmpty else { return [] }
        var lines: [String] = []
        let fields = document.userFields(named: options.labelFields)
        for field in options.labelFields where lines.count < 2 {
            guard let value = fields[field] else { continue }
            switch value {
            case .string(let text): lines.append("\(field)=\(text)")
            case .number(let number): lines.append("\(field)=\(number.text)")
            case .bool(let flag): lines.append("\(field)=\(flag)")
            default: continue
            }
        }
        return lines
    }

    /// A cluster naming each collection's colour and, when drawn, the ghost and finding styles.
    private static func legend(
        colours: [String: String], severities: Set<Severity>, ghosts: Bool, changes: Bool, idPrefix: String
    ) -> (String, Int) {
        var entries: [(String, [(String, String)])] = []
        for (collection, fill) in colours.sorted(by: { $0.key < $1.key }) {
            entries.append(("legend:\(collection)", [("label", collection), ("fillcolor", fill)]))
        }
        if ghosts {
            entries.append(
                ("legend:ghost", [("label", "not in the input"), ("fillcolor", "#ffffff"), ("style", "filled,dashed")]))
        }
        if changes {
            entries.append(("legend:added", [("label", "added"), ("fillcolor", addedFill), ("color", addedColour)]))
            entries.append(
                (
                    "legend:removed",
                    [
                        ("label", "removed"), ("fillcolor", "#ffffff"), ("color", removedColour),
                        ("fontcolor", removedColour), ("style", "filled,dashed"),
                    ]
                ))
            entries.append(("legend:changed", [("label", "changed"), ("fillcolor", "#ffffff"), ("peripheries", "2")]))
        }
        for severity in [Severity.error, .warning, .info] where severities.contains(severity) {
            entries.append(
                (
                    "legend:\(severity.rawValue)",
                    [
                        ("label", "\(severity.rawValue) finding"), ("fillcolor", "#ffffff"),
                        ("color", severity.outlineColour), ("penwidth", "2.5"),
                    ]
                ))
        }
        var out = "  subgraph \"cluster_legend\" {\n"
        out += "    label=\"legend\"; style=\"rounded\"; color=\"#999999\"; id=\(quote(idPrefix + "legend"));\n"
        for (name, attributes) in entries {
            out +=
                "    "
                + statement(
                    named: name, [("id", idPrefix + name), ("shape", "ellipse"), ("class", "legend")] + attributes)
        }
        out += "  }\n"
        return (out, entries.count)
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
                    let collection = child.collectionID, !isMarked(child.id.rawID)
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

    /// Whether a diff's marks name the node (marked nodes are never folded into a summary).
    private func isMarked(_ id: String) -> Bool {
        guard let changes = options.changes else { return false }
        return changes.added.contains(id) || changes.removed.contains(id) || changes.changed.contains(id)
    }

    private func truncate(_ text: String) -> String {
        // A string of no more bytes than the limit has no more characters either.
        if text.utf8.count <= options.maximumLabelLength || text.count <= options.maximumLabelLength { return text }
        return String(text.prefix(options.maximumLabelLength - 1)) + "…"
    }

    /// The DOT node name and SVG `id` of a node id: letters, digits, `_`, `.` and `-` as they are,
    /// every other UTF-8 byte as `%XX` (so `%` itself is `%25`). Distinct ids stay distinct
    /// (`doc_x\ty`, `doc_x y` and `doc_&amp;` each keep their own node), and nothing in the name
    /// is touched by DOT quoting or Graphviz's XML escaping. ``rawID(fromNodeName:)`` reverses it.
    public static func nodeName(_ rawID: String) -> String {
        let plain = rawID.utf8.allSatisfy(isPlainNameByte)
        if plain { return rawID }
        var out = ""
        out.reserveCapacity(rawID.utf8.count * 3)
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        for byte in rawID.utf8 {
            if isPlainNameByte(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(digits[Int(byte >> 4)])
                out.unicodeScalars.append(digits[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// The node id a ``nodeName(_:)`` stands for.
    public static func rawID(fromNodeName name: String) -> String {
        guard name.utf8.contains(UInt8(ascii: "%")) else { return name }
        var bytes: [UInt8] = []
        var utf8 = Array(name.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isPlainNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// A DOT double-quoted string: quotes and backslashes escaped, newlines as `\n`, and other
    /// control characters dropped, so no input can end the string or inject attributes.
    public static func quote(_ text: String) -> String {
        var out = ""
        appendQuoted(text, to: &out)
        return out
    }

    /// Appends ``quote(_:)`` of `text` to `out`, copying it whole when nothing needs escaping.
    static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        let plain = text.utf8.allSatisfy {
            $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\")
        }
        if plain {
            out += text
            out += "\""
            return
        }
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
        out += "\""
    }
}
