internal import CGraphviz

/// Lays out pieces one by one and copies them, moved apart, into one graph whose nodes and edges
/// carry final positions: the in-process equivalent of `ccomps | dot | gvpack -array | neato -n2`.
///
/// dot's layout time grows faster than linearly with the graph, while a forest's trees are small:
/// laying each tree out alone keeps the whole linear in the number of trees. Callers hold
/// ``GraphvizRenderer``'s lock.
struct PackedGraph {
    /// The combined graph; the caller closes it with `agclose`.
    let graph: UnsafeMutablePointer<Agraph_t>

    /// Points left between packed pieces.
    static let margin: UInt32 = 16

    /// Lays out `components` with their engines in `context` and packs them into one graph.
    init(components: [LayoutComponent], context: OpaquePointer) throws {
        var pieces: [UnsafeMutablePointer<Agraph_t>] = []
        var laidOut = 0
        defer {
            for (position, piece) in pieces.enumerated() {
                if position < laidOut { gvFreeLayout(context, piece) }
                agclose(piece)
            }
        }
        var boxes: [Double] = []
        boxes.reserveCapacity(components.count * 4)
        for (position, component) in components.enumerated() {
            let piece = try Self.read(component, position: position)
            pieces.append(piece)
            try Self.layOut(piece, component, position: position, context: context)
            laidOut += 1
            lineage_attach_positions(piece)
            let box = Self.numbers(in: Self.attribute(of: piece, "bb") ?? "")
            boxes += box.count == 4 ? box : [0, 0, 0, 0]
        }
        var offsets = [Double](repeating: 0, count: components.count * 2)
        guard lineage_pack_boxes(boxes, Int32(components.count), Self.margin, &offsets) == 0 else {
            throw LineageRenderError(code: .layoutFailed, message: "packing \(components.count) pieces failed")
        }
        guard let combined = lineage_new_digraph("lineage") else {
            throw LineageRenderError(code: .layoutFailed, message: "could not create the packed graph")
        }
        var copier = Copier(target: combined)
        var bounds = (minX: Double.infinity, minY: Double.infinity, maxX: -Double.infinity, maxY: -Double.infinity)
        for (position, piece) in pieces.enumerated() {
            let shift = (x: offsets[2 * position], y: offsets[2 * position + 1])
            copier.copy(piece, shift: shift, prefix: "p\(position)_")
            bounds.minX = min(bounds.minX, boxes[4 * position] + shift.x)
            bounds.minY = min(bounds.minY, boxes[4 * position + 1] + shift.y)
            bounds.maxX = max(bounds.maxX, boxes[4 * position + 2] + shift.x)
            bounds.maxY = max(bounds.maxY, boxes[4 * position + 3] + shift.y)
        }
        if !pieces.isEmpty {
            Self.setAttribute(
                of: combined, "bb",
                [bounds.minX, bounds.minY, bounds.maxX, bounds.maxY].map(Self.format).joined(separator: ","))
        }
        graph = combined
    }

    /// Reads one piece's DOT text; the caller closes the graph.
    static func read(_ component: LayoutComponent, position: Int) throws -> UnsafeMutablePointer<Agraph_t> {
        guard let piece = component.dot.withCString({ lineage_read_graph($0) }) else {
            throw LineageRenderError(
                code: .invalidDOT,
                message: GraphvizRenderer.lastMessage(or: "piece \(position + 1) of the picture does not parse"))
        }
        return piece
    }

    /// Lays one piece out with its engine; the caller frees the layout.
    static func layOut(
        _ piece: UnsafeMutablePointer<Agraph_t>, _ component: LayoutComponent, position: Int, context: OpaquePointer
    ) throws {
        guard gvLayout(context, piece, component.engine.rawValue) == 0 else {
            throw LineageRenderError(
                code: .layoutFailed,
                message: GraphvizRenderer.lastMessage(
                    or: "layout of piece \(position + 1) with \(component.engine.rawValue) failed "
                        + "(is Graphviz's config6a installed?)"))
        }
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
