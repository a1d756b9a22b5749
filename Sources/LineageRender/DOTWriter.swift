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

    /// The DOT text of `nodes` of `graph` (all nodes when `nil`) and the edges between them.
    public func dot(
        of graph: DecompositionGraph, nodes selection: [DecompositionGraph.Node]? = nil, findings: [Finding] = []
    ) -> String {
        let drawing = Drawing(picture: picture(of: graph, nodes: selection, findings: findings), options: options)
        var out = drawing.header
        if let legend = drawing.legend { out += legend }
        out += drawing.body(of: Array(drawing.picture.nodes.indices))
        return out + "}\n"
    }

    /// The same picture cut into its connected pieces (a root object's tree, usually), each a
    /// complete DOT graph to lay out on its own, the legend first; see
    /// ``GraphvizRenderer/render(components:format:)``. Nodes in one cluster stay in one piece.
    public func components(
        of graph: DecompositionGraph, nodes selection: [DecompositionGraph.Node]? = nil, findings: [Finding] = []
    ) -> [LayoutComponent] {
        let drawing = Drawing(picture: picture(of: graph, nodes: selection, findings: findings), options: options)
        var pieces: [LayoutComponent] = []
        if let legend = drawing.legend {
            pieces.append(
                LayoutComponent(
                    dot: drawing.header + "  graph [id=\(Self.quote(options.idPrefix + "piece_legend"))];\n" + legend
                        + "}\n",
                    nodeCount: drawing.legendCount))
        }
        let idPrefix = options.idPrefix
        let numbered = Array(drawing.picture.connectedPieces().enumerated())
        return pieces
            + numbered.concurrentMap { number, members in
                let id = "  graph [id=\(Self.quote(idPrefix + "piece_\(number)"))];\n"
                return LayoutComponent(
                    dot: drawing.header + id + drawing.body(of: members) + "}\n", nodeCount: members.count)
            }
    }

    private func picture(
        of graph: DecompositionGraph, nodes selection: [DecompositionGraph.Node]?, findings: [Finding]
    ) -> Picture {
        let settings = Picture.Settings(
            maximumLabelLength: options.maximumLabelLength, collapseThreshold: options.collapseThreshold,
            clusters: options.clusters, labelFields: options.labelFields, changes: options.changes)
        return Picture(graph: graph, nodes: selection ?? Array(graph.nodes), findings: findings, settings: settings)
    }

    /// A picture in DOT: its header, legend, node statements and, by source, its edges.
    private struct Drawing {
        let picture: Picture
        let header: String
        var legend: String?
        var legendCount = 0
        let statements: [String]
        /// Positions in the picture's edges, by source node.
        let outgoing: [[Int]]
        let clusterNames: [String: String]

        init(picture: Picture, options: Options) {
            self.picture = picture
            var header = "digraph lineage {\n"
            header += "  graph [rankdir=\(options.leftToRight ? "LR" : "TB"), fontname=\"Helvetica\"];\n"
            header += "  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n"
            header += "  edge [color=\"#666666\", arrowsize=0.6];\n"
            self.header = header
            statements = picture.nodes.concurrentMap(DOTWriter.statement(of:))
            var outgoing = Array(repeating: [Int](), count: picture.nodes.count)
            for (position, edge) in picture.edges.enumerated() { outgoing[edge.source].append(position) }
            self.outgoing = outgoing
            var clusterNames: [String: String] = [:]
            for (number, key) in Set(picture.nodes.compactMap(\.cluster)).sorted().enumerated() {
                clusterNames[key] = "cluster_\(number)"
            }
            self.clusterNames = clusterNames
            if options.legend, !picture.collectionColours.isEmpty {
                (legend, legendCount) = DOTWriter.legend(
                    colours: picture.collectionColours, severities: picture.severities, ghosts: picture.hasGhosts,
                    changes: options.changes != nil, idPrefix: options.idPrefix)
            }
        }

        /// The node statements (grouped into their clusters) and edges of `members`.
        func body(of members: [Int]) -> String {
            var out = ""
            var clustered: [String: [Int]] = [:]
            for member in members {
                if let key = picture.nodes[member].cluster {
                    clustered[key, default: []].append(member)
                } else {
                    out += "  " + statements[member]
                }
            }
            for key in clustered.keys.sorted() {
                out += "  subgraph \(DOTWriter.quote(clusterNames[key] ?? "cluster")) {\n"
                out += "    label=\(DOTWriter.quote(key)); style=\"rounded,dashed\"; color=\"#999999\";\n"
                for member in clustered[key] ?? [] { out += "    " + statements[member] }
                out += "  }\n"
            }
            for source in members {
                for position in outgoing[source] {
                    out += "  "
                    DOTWriter.appendEdge(picture.edges[position], of: picture, to: &out)
                }
            }
            return out
        }
    }

    /// One node's DOT statement: shape, label, colours, finding outline, diff mark, tooltip.
    static func statement(of node: Picture.Node) -> String {
        var attributes: [(String, String)] = [("id", node.name)]
        switch node.kind {
        case .bucket, .collection:
            attributes.append(("shape", node.kind == .bucket ? "cylinder" : "box"))
            if node.kind == .collection { attributes.append(("style", "filled,rounded")) }
            if let worst = node.worst {
                attributes.append(("color", worst.outlineColour))
                attributes.append(("penwidth", "2.5"))
            }
            attributes.append(("label", node.label))
            return statement(named: node.name, attributes)
        case .summary(let count):
            attributes += [
                ("shape", "folder"), ("label", node.label), ("fillcolor", node.fill ?? "#ffffff"),
                ("class", "collapsed"),
                ("tooltip", "\(count) documents of \(node.place ?? "?") without findings or children"),
            ]
            return statement(named: node.name, attributes)
        case .object, .document:
            break
        }
        var tooltip = node.isGhost ? node.id + " (not in the input)" : node.id
        var style = node.isGhost ? "filled,dashed" : nil
        var fill = node.fill ?? "#ffffff"
        var classes = node.kind == .object ? "object" : "document"
        if node.isGhost { classes += " ghost" }
        var fontColour: String?
        var changeColour: String?
        var peripheries: String?
        switch node.change {
        case .added?:
            fill = addedFill
            classes += " added"
            changeColour = addedColour
            tooltip += " (added)"
        case .removed?:
            fill = "#ffffff"
            classes += " removed"
            style = "filled,dashed"
            fontColour = removedColour
            changeColour = removedColour
            tooltip += " (removed)"
        case .changed?:
            classes += " changed"
            peripheries = "2"
            tooltip += " (changed)"
        case nil:
            break
        }
        attributes += [
            ("shape", node.kind == .object ? "box" : "ellipse"), ("label", node.label), ("fillcolor", fill),
            ("class", classes),
        ]
        if let style { attributes.append(("style", style)) }
        if let fontColour { attributes.append(("fontcolor", fontColour)) }
        if let peripheries { attributes.append(("peripheries", peripheries)) }
        if let worst = node.worst {
            attributes.append(("color", worst.outlineColour))
            attributes.append(("penwidth", "2.5"))
            tooltip += "\n" + node.rules.joined(separator: ", ")
        } else if let changeColour {
            attributes.append(("color", changeColour))
        }
        attributes.append(("tooltip", tooltip))
        return statement(named: node.name, attributes)
    }

    /// `"source" -> "target" [...];` and a newline, with the edge's mark or label.
    static func appendEdge(_ edge: Picture.Edge, of picture: Picture, to out: inout String) {
        appendQuoted(picture.nodes[edge.source].name, to: &out)
        out += " -> "
        appendQuoted(picture.nodes[edge.target].name, to: &out)
        switch edge.mark {
        case .added?: out += " [color=\"\(addedColour)\", penwidth=2]"
        case .removed?: out += " [color=\"\(removedColour)\", style=dashed]"
        case .noLongerHolds?:
            out += " [color=\"\(removedColour)\", style=dashed, tooltip=\"no longer derived from this\"]"
        case .undeclared?, nil:
            var attributes: [(String, String)] = []
            if let label = edge.label { attributes.append(("label", label)) }
            if edge.mark == .undeclared {
                attributes.append(("style", "dashed"))
                attributes.append(("tooltip", "not declared by the collection's configuration"))
            }
            if !attributes.isEmpty { appendAttributes(attributes, to: &out) }
        }
        out += ";\n"
    }

    /// `"name" [key="value", ...];` and a newline, every part quoted.
    static func statement(named name: String, _ attributes: [(String, String)]) -> String {
        var out = ""
        out.reserveCapacity(64 + name.utf8.count * 3 + attributes.reduce(0) { $0 + $1.1.utf8.count + 12 })
        appendQuoted(name, to: &out)
        appendAttributes(attributes, to: &out)
        out += ";\n"
        return out
    }

    /// ` [key="value", ...]`, every value quoted.
    private static func appendAttributes(_ attributes: [(String, String)], to out: inout String) {
        out += " ["
        for (position, (key, value)) in attributes.enumerated() {
            if position > 0 { out += ", " }
            out += key
            out += "="
            appendQuoted(value, to: &out)
        }
        out += "]"
    }

    /// The colours of a diff's marks.
    static let addedColour = "#2ca02c"
    static let addedFill = "#c7e9c0"
    static let removedColour = "#999999"

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
