import LineageKit
import LineageRender
import LineageTestSupport
import Testing

/// The exact DOT and Mermaid text for fixed pictures of `examples/data`. A change in the writers
/// shows up here as a diff to review; `LINEAGE_UPDATE_GOLDEN=1 swift test --filter Golden`
/// rewrites the files in Tests/Fixtures/golden after a deliberate change.
@Suite("Golden DOT and Mermaid")
struct GoldenTests {
    static let cases: [(name: String, selection: String)] = [
        ("video-tree", "obj_59e6bef262237ddb301f"),
        ("findings", "rule:mismatch.* rule:cycle rule:orphan.*"),
        ("ancestry", "+doc_20877f154fef3f4a728a"),
    ]

    @Test("DOT and Mermaid of fixed selections match the golden files", arguments: cases.map(\.name))
    func golden(name: String) throws {
        let selection = try #require(Self.cases.first { $0.name == name }?.selection)
        let graph = DecompositionGraph(snapshot: try SnapshotReader().read(.path(Fixtures.exampleData)))
        let findings = try Auditor().audit(graph).findings
        let nodes = try NodeSelector(selection).select(in: graph, findings: findings)
        #expect(!nodes.isEmpty)
        let dot = DOTWriter().dot(of: graph, nodes: nodes, findings: findings)
        let mermaid = MermaidWriter().mermaid(of: graph, nodes: nodes, findings: findings)
        let goldenDOT = try Fixtures.golden("\(name).gv", actual: dot)
        let goldenMermaid = try Fixtures.golden("\(name).mmd", actual: mermaid)
        #expect(goldenDOT != nil, "Tests/Fixtures/golden/\(name).gv is missing")
        #expect(goldenMermaid != nil, "Tests/Fixtures/golden/\(name).mmd is missing")
        #expect(dot == goldenDOT)
        #expect(mermaid == goldenMermaid)
    }

    @Test("the collection-level DOT matches its golden file")
    func pipeline() throws {
        let graph = DecompositionGraph(snapshot: try SnapshotReader().read(.path(Fixtures.exampleData)))
        let findings = try Auditor().audit(graph).findings
        let dot = PipelineDOTWriter().dot(of: PipelineGraph(graph: graph), findings: findings, configured: true)
        let golden = try Fixtures.golden("pipeline.gv", actual: dot)
        #expect(golden != nil, "Tests/Fixtures/golden/pipeline.gv is missing")
        #expect(dot == golden)
    }
}
