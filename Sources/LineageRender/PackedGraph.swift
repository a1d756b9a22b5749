internal import CGraphviz

/// Lays out pieces one by one and copies them, moved apart, into one graph whose nodes and edges
/// carry final positions: the in-process equivalent of `ccomps | dot | gvpack -array | neato -n2`.
///
/// dot's layout time grows faster than linearly with the graph, while a forest's trees are small:
/// laying each tree out alone keeps the whole linear in the number of trees. Callers hold
/// ``GraphvizRenderer``'s lock.
enum PackedGraph {
    /// Points left between packed pieces.
    static let margin: UInt32 = 16

    /// Lays out `components` with their engines in `context` and packs them into one graph whose
    /// nodes and edges carry final positions (lay it out with `nop2`).
    static func combine(_ components: [LayoutComponent], context: OpaquePointer) throws -> GraphvizGraph {
        var pieces = GraphvizGraphList(capacity: components.count)
        var boxes: [Double] = []
        boxes.reserveCapacity(components.count * 4)
        for (position, component) in components.enumerated() {
            let piece = try laidOutPiece(component, position: position, context: context)
            piece.attachPositions()
            let box = piece.withPointer { numbers(in: attribute(of: $0, "bb") ?? "") }
            boxes += box.count == 4 ? box : [0, 0, 0, 0]
            pieces.append(piece)
        }
        var offsets = [Double](repeating: 0, count: components.count * 2)
        guard lineage_pack_boxes(boxes, Int32(components.count), Self.margin, &offsets) == 0 else {
            throw LineageRenderError(code: .layoutFailed, message: "packing \(components.count) pieces failed")
        }
        let combined = try GraphvizGraph(emptyDigraphNamed: "lineage")
        combined.withPointer { target in
            var copier = Copier(target: target)
            var bounds = (
                minX: Double.infinity, minY: Double.infinity, maxX: -Double.infinity, maxY: -Double.infinity
            )
            for position in 0..<pieces.count {
                let shift = (x: offsets[2 * position], y: offsets[2 * position + 1])
                pieces.withGraph(at: position) { piece in
                    piece.withPointer { copier.copy($0, shift: shift, prefix: "p\(position)_") }
                }
                bounds.minX = min(bounds.minX, boxes[4 * position] + shift.x)
                bounds.minY = min(bounds.minY, boxes[4 * position + 1] + shift.y)
                bounds.maxX = max(bounds.maxX, boxes[4 * position + 2] + shift.x)
                bounds.maxY = max(bounds.maxY, boxes[4 * position + 3] + shift.y)
            }
            if pieces.count > 0 {
                setAttribute(
                    of: target, "bb",
                    [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].map(format).joined(separator: ","))
            }
        }
        return combined
    }

    /// One piece read and laid out with its engine; errors name the piece by its position.
    static func laidOutPiece(_ component: LayoutComponent, position: Int, context: OpaquePointer) throws
        -> GraphvizGraph
    {
        var piece = try GraphvizGraph(
            dot: component.dot, failure: "piece \(position + 1) of the picture does not parse")
        try piece.layOut(
            with: component.engine.rawValue, in: context,
            failure: "layout of piece \(position + 1) with \(component.engine.rawValue) failed "
                + "(is Graphviz's config6a installed?)")
        return piece
    }

    /// Copies pieces' nodes, edges and clusters into the target, with every coordinate moved.
    private struct Copier {
        let target: UnsafeMutablePointer<Agraph_t>
        var declared: [Int32: Set<String>] = [:]
        var rootAttributesCopied = false

        init(target: UnsafeMutablePointer<Agraph_t>) {
            self.target = target
        }

        mutating func copy(_ piece: UnsafeMutablePointer<Agraph_t>, shift: (x: Double, y: Double), prefix: String) {
            for kind in [AGRAPH, AGNODE, AGEDGE] { declareAttributes(of: piece, kind: kind) }
            if !rootAttributesCopied {
                agcopyattr(piece, target)
                rootAttributesCopied = true
            }
            var node = agfstnode(piece)
            while let current = node {
                if let copy = agnode(target, agnameof(current), 1) {
                    agcopyattr(current, copy)
                    PackedGraph.move(copy, ["pos", "lp", "xlp"], by: shift)
                }
                node = agnxtnode(piece, current)
            }
            node = agfstnode(piece)
            while let current = node {
                var edge = agfstout(piece, current)
                while let out = edge {
                    if let tail = agnode(target, agnameof(lineage_edge_tail(out)), 0),
                        let head = agnode(target, agnameof(lineage_edge_head(out)), 0),
                        let copy = agedge(target, tail, head, nil, 1)
                    {
                        agcopyattr(out, copy)
                        PackedGraph.move(copy, ["pos", "lp", "xlp", "head_lp", "tail_lp"], by: shift)
                    }
                    edge = agnxtout(piece, out)
                }
                node = agnxtnode(piece, current)
            }
            copySubgraphs(of: piece, into: target, shift: shift, prefix: prefix)
        }

        /// Copies clusters (and other subgraphs) with their members, renamed per piece so the
        /// pieces' `cluster_0`s stay apart; `cluster` stays at the front, as Graphviz requires.
        private func copySubgraphs(
            of source: UnsafeMutablePointer<Agraph_t>, into parent: UnsafeMutablePointer<Agraph_t>,
            shift: (x: Double, y: Double), prefix: String
        ) {
            var subgraph = agfstsubg(source)
            while let current = subgraph {
                let name = String(cString: agnameof(current))
                let renamed = name.hasPrefix("cluster") ? "cluster_" + prefix + name.dropFirst(7) : prefix + name
                if let copy = lineage_subgraph(parent, renamed) {
                    agcopyattr(current, copy)
                    PackedGraph.move(copy, ["bb", "lp"], by: shift)
                    var member = agfstnode(current)
                    while let node = member {
                        if let copied = agnode(target, agnameof(node), 0) { agsubnode(copy, copied, 1) }
                        member = agnxtnode(current, node)
                    }
                    copySubgraphs(of: current, into: copy, shift: shift, prefix: prefix)
                }
                subgraph = agnxtsubg(current)
            }
        }

        /// Declares in the target every attribute `piece` declares for `kind`, with its default.
        private mutating func declareAttributes(of piece: UnsafeMutablePointer<Agraph_t>, kind: Int32) {
            var symbol = agnxtattr(piece, kind, nil)
            while let current = symbol {
                let name = String(cString: current.pointee.name)
                if declared[kind, default: []].insert(name).inserted {
                    let value = kind == AGRAPH ? "" : current.pointee.defval.map { String(cString: $0) } ?? ""
                    name.withCString { key in
                        value.withCString {
                            _ = agattr(
                                target, kind, UnsafeMutablePointer(mutating: key), UnsafeMutablePointer(mutating: $0))
                        }
                    }
                }
                symbol = agnxtattr(piece, kind, current)
            }
        }
    }

    /// Adds `shift` to every x, y pair in the named coordinate attributes of `object`.
    private static func move(_ object: UnsafeMutableRawPointer, _ names: [String], by shift: (x: Double, y: Double)) {
        for name in names {
            guard let text = attribute(of: object, name), !text.isEmpty else { continue }
            setAttribute(of: object, name, moved(text, by: shift))
        }
    }

    /// `text` (Graphviz coordinates: `x,y`, `llx,lly,urx,ury`, or splines `e,x,y x,y ...;...`)
    /// with `shift` added to each x and each y; the `e,`/`s,` markers and separators are kept.
    static func moved(_ text: String, by shift: (x: Double, y: Double)) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var token = ""
        var isX = true
        func flush() {
            guard !token.isEmpty else { return }
            if token == "e" || token == "s" {
                out += token
            } else if let value = Double(token) {
                out += format(value + (isX ? shift.x : shift.y))
                isX.toggle()
            } else {
                out += token
            }
            token = ""
        }
        for character in text {
            if character == "," || character == " " || character == ";" {
                flush()
                out.append(character)
            } else {
                token.append(character)
            }
        }
        flush()
        return out
    }

    /// The numbers of a comma-separated list (`bb`).
    static func numbers(in text: String) -> [Double] {
        text.split(separator: ",").compactMap { Double($0) }
    }

    /// A coordinate as Graphviz writes them: no trailing `.0`.
    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func attribute(of object: UnsafeMutableRawPointer, _ name: String) -> String? {
        name.withCString { key in
            agget(object, UnsafeMutablePointer(mutating: key)).map { String(cString: $0) }
        }
    }

    /// Sets an attribute, declaring it (with an empty default) when the graph does not yet.
    static func setAttribute(of object: UnsafeMutableRawPointer, _ name: String, _ value: String) {
        name.withCString { key in
            value.withCString { text in
                "".withCString { empty in
                    _ = agsafeset(
                        object, UnsafeMutablePointer(mutating: key), UnsafeMutablePointer(mutating: text),
                        UnsafeMutablePointer(mutating: empty))
                }
            }
        }
    }
}
