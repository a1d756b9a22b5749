import Foundation
import LineageKit
import LineageRender
import LineageTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Rendering through the real libgvc: structure, not pixels (Graphviz versions lay out differently).
@Suite("Graphviz rendering")
struct RenderTests {
    static func exampleGraph() throws -> DecompositionGraph {
        DecompositionGraph(snapshot: try SnapshotReader().read(.path(Fixtures.exampleData)))
    }

    /// Parses `bytes` as XML and returns the `id` attributes of its elements.
    static func xmlIDs(_ bytes: [UInt8]) throws -> Set<String> {
        final class Collector: NSObject, XMLParserDelegate {
            var ids: Set<String> = []
            func parser(
                _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]
            ) {
                if let id = attributes["id"] { ids.insert(id) }
            }
        }
        let parser = XMLParser(data: Data(bytes))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        return collector.ids
    }

    @Test("a root object's tree renders to well-formed SVG whose elements carry the document ids")
    func svgTree() throws {
        let graph = try Self.exampleGraph()
        let root = try #require(graph.rootObjectIDs.first)
        let tree = graph.tree(ofRootObject: root)
        let report = try Auditor().audit(graph)
        let dot = DOTWriter().dot(of: graph, nodes: tree, findings: report.findings)
        let svg = try GraphvizRenderer.render(dot: dot, format: .svg)
        let ids = try Self.xmlIDs(svg)
        for node in tree.prefix(20) {
            #expect(ids.contains(node.id.rawID), "\(node.id.rawID)")
        }
        let text = String(decoding: svg, as: UTF8.self)
        #expect(text.contains("stroke-dasharray") == tree.contains { $0.kind.isGhost })
    }

    @Test("PNG and PDF come back with their magic numbers and real content")
    func bitmapAndPDF() throws {
        let dot = "digraph { a -> b; b -> c; }"
        let png = try GraphvizRenderer.render(dot: dot, format: .png)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(png.count > 500)
        let pdf = try GraphvizRenderer.render(dot: dot, format: .pdf)
        #expect(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-")
        #expect(pdf.count > 500)
    }

    @Test("a picture too wide for a bitmap is rendered at a lower resolution, within cairo's limit")
    func wideBitmap() throws {
        let nodes = (0..<700).map { "n\($0) [label=\"a fairly long label \($0)\"];" }.joined(separator: " ")
        let png = try GraphvizRenderer.render(dot: "digraph { rankdir=LR; \(nodes) }", format: .png)
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(max(width, height) <= 32_000 && max(width, height) > 16_000, "\(width)×\(height)")
    }

    @Test("invalid DOT is an error carrying Graphviz's message, not a crash or stderr noise")
    func invalidDOT() throws {
        let error = try #require(throws: LineageRenderError.self) {
            try GraphvizRenderer.render(dot: "digraph { a -> ; ", format: .svg)
        }
        #expect(error.code == .invalidDOT)
        #expect(!error.message.isEmpty)
    }

    /// A graph of current-shape documents with these ids, all made from `root` into `collection`.
    static func graph(ofDocuments ids: [String], collection: String, root: String) -> DecompositionGraph {
        DecompositionGraph(
            documents: ids.map { id in
                Document(
                    id: id, collectionID: collection, shape: .current,
                    statements: [LineageStatement(place: .internal, rootObjectID: root, sourceType: .bucket)],
                    raw: RawJSON(bytes: []))
            })
    }

    @Test("label fields read on all cores land on their own node, in a picture of many pieces")
    func labelFieldsOnTheirNodes() throws {
        // Enough documents for several pieces of label reading; every seventh has no label field.
        let count = 1_200
        let documents = (0..<count).map { index in
            Document(
                id: "d\(index)", collectionID: "col_frames", shape: .current,
                statements: [
                    LineageStatement(place: .internal, rootObjectID: "obj_\(index / 10)", sourceType: .bucket)
                ],
                userFields: index % 7 == 0 ? [:] : ["frame_index": .number(JSONNumber(index))], raw: RawJSON(bytes: []))
        }
        let graph = DecompositionGraph(documents: documents)
        let dot = DOTWriter(options: .init(collapseThreshold: nil, labelFields: ["frame_index"])).dot(of: graph)
        for index in 0..<count {
            let labelled = dot.contains("\\nd\(index)\\nframe_index=\(index)\"")
            #expect(labelled == (index % 7 != 0), "d\(index)")
        }
    }

    @Test("hostile ids and labels are escaped: the DOT parses and the SVG is well-formed")
    func hostileInput() throws {
        let hostile = [
            #"doc_"]; node [shape=box"#, "doc_<script>alert(1)</script>", "doc_{braces}", "doc_back\\slash\\",
            "doc_new\nline\u{1}\u{7F}", "42doc", "doc_ünïcødé_😀",
        ]
        let graph = Self.graph(ofDocuments: hostile, collection: "col_\"quoted\"", root: "obj_<b>")
        let dot = DOTWriter().dot(of: graph)
        let svg = try GraphvizRenderer.render(dot: dot, format: .svg)
        let ids = try Self.xmlIDs(svg)
        for id in hostile {
            #expect(ids.contains(DOTWriter.nodeName(id)), "\(id)")
            #expect(DOTWriter.rawID(fromNodeName: DOTWriter.nodeName(id)) == id, "\(id) round-trips")
        }
        #expect(ids.contains("42doc"))
        #expect(!String(decoding: svg, as: UTF8.self).contains("<script>"))
        #expect(DOTWriter.quote("a\"b\\c\nd\u{0}") == #""a\"b\\c\nd""#)
    }

    @Test("ids that differ only in whitespace, control characters or entities stay distinct nodes and SVG ids")
    func distinctIDs() throws {
        let hostile = ["doc_x\ty", "doc_x y", "doc_x\ry", "doc_&amp;", "doc_&", "doc_%26", "doc_x%20y"]
        let graph = Self.graph(ofDocuments: hostile, collection: "col_a", root: "obj_1")
        let svg = try GraphvizRenderer.render(dot: DOTWriter().dot(of: graph), format: .svg)
        let nodeIDs = try Self.xmlIDs(svg).filter { $0.hasPrefix("doc_") }
        #expect(nodeIDs.count == hostile.count, "\(nodeIDs)")
        #expect(Set(nodeIDs.map(DOTWriter.rawID(fromNodeName:))) == Set(hostile))
    }

    @Test("wide leaf fan-outs collapse into a summary node; documents with findings stay visible")
    func collapse() throws {
        let graph = try Self.exampleGraph()
        let findings = try Auditor().audit(graph).findings
        let root = try #require(graph.nodes.first { $0.kind == .object && graph.children(of: $0.id).count > 20 })
        let tree = graph.tree(ofRootObject: root.id.rawID)
        let collapsed = DOTWriter().dot(of: graph, nodes: tree, findings: findings)
        let full = DOTWriter(options: .init(collapseThreshold: nil)).dot(of: graph, nodes: tree, findings: findings)
        #expect(collapsed.contains("col_frames ×"))
        #expect(!full.contains("×"))
        #expect(collapsed.count < full.count)
        for finding in findings where tree.contains(where: { $0.id.rawID == finding.documentID }) {
            #expect(collapsed.contains(DOTWriter.quote(finding.documentID ?? "")), "\(finding.rule) stays visible")
        }
        let svg = try GraphvizRenderer.render(dot: collapsed, format: .svg)
        #expect(try Self.xmlIDs(svg).contains { $0.hasPrefix("collapsed:") })
    }

    @Test("clusters by collection or root wrap nodes in cluster subgraphs that Graphviz accepts")
    func clusters() throws {
        let graph = try Self.exampleGraph()
        for clusters in DOTWriter.Clusters.allCases {
            let dot = DOTWriter(options: .init(clusters: clusters)).dot(of: graph)
            #expect(dot.contains("subgraph \"cluster_0\""))
            #expect(try GraphvizRenderer.render(dot: dot, format: .svg).count > 1000)
        }
        let byCollection = DOTWriter(options: .init(clusters: .collection)).dot(of: graph)
        #expect(byCollection.contains(#"label="col_frames""#))
    }

    @Test("concurrent renders are serialised and all succeed")
    func concurrency() async throws {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try GraphvizRenderer.render(dot: "digraph { n\(index) -> m\(index); }", format: .svg).count
                }
            }
            for try await size in group {
                #expect(size > 100)
            }
        }
    }
}
