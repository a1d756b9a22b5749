import Foundation
import LineageKit
import LineageRender
import LineageTestSupport
import Testing

/// The DOT, Mermaid and pipeline pictures decide how a finding looks in one place (`Picture` and
/// `Severity`'s outline colour), so they agree severity by severity.
@Suite("Pictures agree")
struct PictureAgreementTests {
    /// The value of `key` in the first `key="…"` or `key:…` of `text` after `marker`.
    static func value(of key: String, in text: String, after marker: String) -> String? {
        guard let start = text.range(of: marker)?.upperBound else { return nil }
        let rest = text[start...]
        guard let keyEnd = rest.range(of: key)?.upperBound else { return nil }
        let value = rest[keyEnd...].drop { $0 == "\"" }
        return String(value.prefix { $0 != "\"" && $0 != "," && $0 != ";" })
    }

    @Test("each severity outlines a document in one colour in DOT and Mermaid, and a collection in the pipeline")
    func severityColours() throws {
        let graph = DecompositionGraph(snapshot: try SnapshotReader().read(.path(Fixtures.exampleData)))
        let document = try #require(graph.documents.first)
        let node = try #require(graph.nodes.first { $0.id.rawID == document.id })
        var colours: [Severity: String] = [:]
        for severity in [Severity.error, .warning, .info] {
            let finding = Finding(
                rule: "custom.look", severity: severity, documentID: document.id, collectionID: document.collectionID,
                message: "m")
            let dot = DOTWriter(options: .init(legend: false)).dot(of: graph, nodes: [node], findings: [finding])
            let dotColour = try #require(Self.value(of: "color=", in: dot, after: "class=\"document\""))
            #expect(dotColour.hasPrefix("#") && dotColour.count == 7, "\(dotColour)")
            let mermaid = MermaidWriter().mermaid(of: graph, nodes: [node], findings: [finding])
            #expect(mermaid.contains(":::\(severity.rawValue)\n"))
            let mermaidColour = Self.value(of: "stroke:", in: mermaid, after: "classDef \(severity.rawValue) ")
            #expect(mermaidColour == dotColour, "\(severity): DOT \(dotColour), Mermaid \(mermaidColour ?? "none")")
            if severity != .info {
                let pipeline = PipelineDOTWriter().dot(of: PipelineGraph(graph: graph), findings: [finding])
                let pipelineColour = Self.value(
                    of: "color=", in: pipeline, after: "\"collection:\(document.collectionID)\" [")
                #expect(
                    pipelineColour == dotColour, "\(severity): DOT \(dotColour), pipeline \(pipelineColour ?? "none")")
            }
            colours[severity] = dotColour
        }
        #expect(Set(colours.values).count == 3, "\(colours)")
    }
}
