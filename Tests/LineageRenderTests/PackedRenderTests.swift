import Foundation
import LineageKit
import LineageRender
import LineageTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Forests laid out piece by piece and packed: one document, unique ids, no overlaps, and each
/// piece drawn exactly as it would be alone.
@Suite("Packed rendering")
struct PackedRenderTests {
    static func exampleGraph() throws -> (DecompositionGraph, [Finding]) {
        let graph = DecompositionGraph(snapshot: try SnapshotReader().read(.path(Fixtures.exampleData)))
        return (graph, try Auditor().audit(graph).findings)
    }

    /// Every `id` attribute of the XML, with how often it occurs, and the number of `<svg>` elements.
    static func xmlIDCounts(_ bytes: [UInt8]) throws -> (ids: [String: Int], svgElements: Int) {
        final class Collector: NSObject, XMLParserDelegate {
            var ids: [String: Int] = [:]
            var svgElements = 0
            func parser(
                _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]
            ) {
                if elementName == "svg" { svgElements += 1 }
                if let id = attributes["id"] { ids[id, default: 0] += 1 }
            }
        }
        let parser = XMLParser(data: Data(bytes))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        return (collector.ids, collector.svgElements)
    }

    /// Weakly connected pieces of the whole graph, counted independently of DOTWriter.
    static func connectedPieceCount(_ graph: DecompositionGraph) -> Int {
        var parent = Array(0..<graph.nodes.count)
        func root(_ index: Int) -> Int { parent[index] == index ? index : root(parent[index]) }
        for edge in graph.edges(among: graph.nodes) {
            let (a, b) = (root(edge.source.index), root(edge.derived.index))
            if a != b { parent[a] = b }
        }
        return Set(graph.nodes.indices.map(root)).count
    }

    @Test("a forest packs into one well-formed SVG: a nested <svg> per piece, every node once, no id twice")
    func packedSVG() throws {
        let (graph, findings) = try Self.exampleGraph()
        let writer = DOTWriter(options: .init(collapseThreshold: nil))
        let pieces = writer.components(of: graph, findings: findings)
        #expect(pieces.count == Self.connectedPieceCount(graph) + 1)
        #expect(pieces.first?.dot.contains("cluster_legend") == true)
        let svg = try GraphvizRenderer.render(components: pieces, format: .svg)
        let (ids, svgElements) = try Self.xmlIDCounts(svg)
        #expect(svgElements == pieces.count + 1)
        for node in graph.nodes {
            #expect(ids[node.id.rawID] == 1, "\(node.id.rawID)")
        }
        #expect(ids.filter { $0.value > 1 }.isEmpty, "duplicate ids: \(ids.filter { $0.value > 1 }.keys.sorted())")
        #expect(pieces.map(\.nodeCount).reduce(0, +) == graph.nodes.count + (pieces.first?.nodeCount ?? 0))
    }

    @Test("packed pieces do not overlap, and each is laid out exactly as it is alone")
    func packedPositions() throws {
        let (graph, findings) = try Self.exampleGraph()
        let pieces = DOTWriter().components(of: graph, findings: findings)
        let packed = try GraphvizRenderer.positions(of: pieces)
        var boxes: [(minX: Double, minY: Double, maxX: Double, maxY: Double)] = []
        for piece in pieces {
            let alone = try GraphvizRenderer.positions(of: [piece])
            #expect(!alone.isEmpty)
            let names = Array(alone.keys)
            let first = try #require(names.first.flatMap { packed[$0] })
            let anchor = try #require(names.first.flatMap { alone[$0] })
            let shift = (x: first.x - anchor.x, y: first.y - anchor.y)
            var box = (minX: Double.infinity, minY: Double.infinity, maxX: -Double.infinity, maxY: -Double.infinity)
            for name in names {
                let here = try #require(packed[name], "\(name) is in the packed picture")
                let there = try #require(alone[name])
                // Graphviz writes positions with five significant digits: far from the origin that
                // is whole points, so allow one point.
                #expect(
                    abs(here.x - there.x - shift.x) <= 1 && abs(here.y - there.y - shift.y) <= 1,
                    "\(name): \(here) vs \(there) shifted by \(shift)")
                box.minX = min(box.minX, here.x - here.width / 2)
                box.maxX = max(box.maxX, here.x + here.width / 2)
                box.minY = min(box.minY, here.y - here.height / 2)
                box.maxY = max(box.maxY, here.y + here.height / 2)
            }
            boxes.append(box)
        }
        for (index, box) in boxes.enumerated() {
            for other in boxes[(index + 1)...] {
                let apart =
                    box.maxX <= other.minX || other.maxX <= box.minX || box.maxY <= other.minY || other.maxY <= box.minY
                #expect(apart, "pieces \(index) and another overlap")
            }
        }
    }

    @Test("PNG and PDF of a packed forest come back whole")
    func packedBitmapAndPDF() throws {
        let (graph, findings) = try Self.exampleGraph()
        let pieces = DOTWriter().components(of: graph, findings: findings)
        let onePiece = try GraphvizRenderer.render(components: [pieces[1]], format: .png)
        let png = try GraphvizRenderer.render(components: pieces, format: .png)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: the width is the big-endian 32-bit number at offset 16.
        let width = { (bytes: [UInt8]) in bytes[16..<20].reduce(0) { $0 << 8 | Int($1) } }
        #expect(width(png) > width(onePiece))
        let pdf = try GraphvizRenderer.render(components: pieces, format: .pdf)
        #expect(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-")
        #expect(pdf.count > 5_000)
    }

    @Test("a piece that does not parse is named by its position")
    func invalidPiece() throws {
        let pieces = [
            LayoutComponent(dot: "digraph { a -> b; }", nodeCount: 2),
            LayoutComponent(dot: "digraph { a -> ; ", nodeCount: 1),
        ]
        for format in [GraphvizRenderer.Format.svg, .png] {
            let error = try #require(throws: LineageRenderError.self) {
                try GraphvizRenderer.render(components: pieces, format: format)
            }
            #expect(error.code == .invalidDOT)
            #expect(error.message.contains("piece 2") || error.message.contains("syntax"), "\(error.message)")
        }
    }

    @Test("hostile collection names and fields stay inside their strings in every piece")
    func hostilePieces() throws {
        let hostile = [#"col_"]; node [shape=box"#, "col_<script>x</script>", "col_\\\n{}"]
        let documents = hostile.enumerated().map { position, collection in
            Document(
                id: "doc_\(position)", collectionID: collection, shape: .current,
                statements: [LineageStatement(place: .internal, rootObjectID: "obj_\(position)", sourceType: .bucket)],
                userFields: ["frame_index": .string("\"]; x [label=\"<b>")], raw: RawJSON(bytes: []))
        }
        let graph = DecompositionGraph(documents: documents)
        let pieces = DOTWriter().components(of: graph)
        #expect(pieces.count == hostile.count + 1)
        let svg = try GraphvizRenderer.render(components: pieces, format: .svg)
        let (ids, _) = try Self.xmlIDCounts(svg)
        #expect(ids["doc_0"] == 1 && ids["doc_2"] == 1)
        #expect(!String(decoding: svg, as: UTF8.self).contains("<script>"))
    }
}
