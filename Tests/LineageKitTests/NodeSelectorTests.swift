import LineageTestSupport
import Testing

@testable import LineageKit

@Suite("Node selection")
struct NodeSelectorTests {
    static func graph() throws -> DecompositionGraph {
        DecompositionGraph(snapshot: try SnapshotReader().read(.path(Fixtures.exampleData)))
    }

    static let caption = "doc_20877f154fef3f4a728a"

    @Test("a document alone, with ancestors, with descendants, depth-limited, and its whole tree")
    func widening() throws {
        let graph = try Self.graph()
        let alone = try NodeSelector(Self.caption).select(in: graph)
        #expect(alone.map(\.id.rawID) == [Self.caption])
        let withAncestors = try NodeSelector("+" + Self.caption).select(in: graph)
        #expect(
            Set(withAncestors.map(\.id.rawID)) == Set(graph.pathToRoot(from: .document(Self.caption)).map(\.id.rawID)))
        #expect(try NodeSelector("1+" + Self.caption).select(in: graph).count == 2)
        let frame = try #require(graph.pathToRoot(from: .document(Self.caption)).dropFirst(2).first)
        let down = try NodeSelector(frame.id.rawID + "+").select(in: graph)
        #expect(down.count == graph.descendants(of: frame.id).count + 1)
        #expect(
            try NodeSelector(frame.id.rawID + "+1").select(in: graph).count == graph.children(of: frame.id).count + 1)
        let root = try #require(graph.pathToRoot(from: .document(Self.caption)).last)
        let tree = try NodeSelector("@" + Self.caption).select(in: graph)
        #expect(tree.count == graph.tree(ofRootObject: root.id.rawID).count)
        #expect(try NodeSelector(root.id.rawID).select(in: graph).count == tree.count, "an object names its tree")
    }

    @Test("collections, rules, unions and intersections")
    func sets() throws {
        let graph = try Self.graph()
        let findings = try Auditor().audit(graph).findings
        let scenes = try NodeSelector("collection:col_scenes").select(in: graph)
        #expect(scenes.count == graph.documentNodes(inCollection: "col_scenes").count)
        let mismatched = try NodeSelector("rule:mismatch.*").select(in: graph, findings: findings)
        #expect(
            Set(mismatched.map(\.id.rawID))
                == Set(findings.filter { $0.rule.hasPrefix("mismatch.") }.compactMap(\.documentID)))
        let union = try NodeSelector("collection:col_scenes, collection:col_captions").select(in: graph)
        #expect(union.count == scenes.count + graph.documentNodes(inCollection: "col_captions").count)
        let both = try NodeSelector("collection:col_captions&rule:cycle").select(in: graph, findings: findings)
        #expect(both.count == 2)
        #expect(both.allSatisfy { $0.collectionID == "col_captions" })
    }

    @Test("bad expressions and unknown names are errors that say which term")
    func errors() throws {
        let graph = try Self.graph()
        let unknown = try #require(throws: LineageKitError.self) { try NodeSelector("doc_nope").select(in: graph) }
        #expect(unknown.message.contains("doc_nope"))
        #expect(throws: LineageKitError.self) { try NodeSelector("doc_a+b") }
        #expect(throws: LineageKitError.self) { try NodeSelector("   ") }
        #expect(throws: LineageKitError.self) { try NodeSelector("collection:col_none").select(in: graph) }
    }
}
