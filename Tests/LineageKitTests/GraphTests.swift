import LineageTestSupport
import Testing

@testable import LineageKit

@Suite("Decomposition graph")
struct GraphTests {
    static func document(
        _ id: String, in collection: String, root: String = "obj_r", parent: String? = nil,
        parentCollection: String? = nil
    ) -> Document {
        var statement = LineageStatement(place: .internal, rootObjectID: root, rootBucketID: "bkt_1")
        if let parent {
            statement.sourceType = .collection
            statement.sourceDocumentID = parent
            statement.sourceCollectionID = parentCollection
        } else {
            statement.sourceType = .bucket
            statement.sourceObjectID = root
        }
        return Document(
            id: id, collectionID: collection, shape: .current, statements: [statement], raw: RawJSON(bytes: []))
    }

    static let root = BucketObject(id: "obj_r", bucketID: "bkt_1", json: [:])

    @Test("parents, children, ancestors, descendants, tiers and the path to the root")
    func smallTree() throws {
        let documents = [
            Self.document("frame_1", in: "col_frames"), Self.document("frame_2", in: "col_frames"),
            Self.document("scene_1", in: "col_scenes", parent: "frame_1", parentCollection: "col_frames"),
            Self.document("caption_1", in: "col_captions", parent: "scene_1", parentCollection: "col_scenes"),
        ]
        let graph = DecompositionGraph(documents: documents, objects: [Self.root])
        #expect(graph.children(of: .object("obj_r")).map(\.id) == [.document("frame_1"), .document("frame_2")])
        #expect(graph.parents(of: .document("scene_1")).map(\.id) == [.document("frame_1")])
        #expect(graph.parents(of: .object("obj_r")).isEmpty)
        #expect(
            graph.ancestors(of: .document("caption_1")).map(\.id.rawID) == ["scene_1", "frame_1", "obj_r"])
        #expect(graph.ancestors(of: .document("caption_1"), maxDepth: 1).map(\.id.rawID) == ["scene_1"])
        #expect(
            graph.descendants(of: .object("obj_r")).map(\.id.rawID) == ["frame_1", "frame_2", "scene_1", "caption_1"])
        #expect(graph.descendants(of: .object("obj_r"), maxDepth: 2).count == 3)
        #expect(graph.tier(of: .document("caption_1")) == 3)
        #expect(graph.tier(of: .object("obj_r")) == 0)
        #expect(graph.pathToRoot(from: .document("scene_1")).map(\.id.rawID) == ["scene_1", "frame_1", "obj_r"])
        #expect(graph.tree(ofRootObject: "obj_r").count == 5)
        #expect(graph.ghosts.isEmpty)
        #expect(graph.document("scene_1")?.collectionID == "col_scenes")
        #expect(graph.object("obj_r")?.bucketID == "bkt_1")
        #expect(graph.node(.object("obj_r"))?.bucketID == "bkt_1")
        #expect(graph.node(.object("obj_r"))?.collectionID == nil)
        #expect(graph.node(.document("scene_1"))?.collectionID == "col_scenes")
        #expect(graph.documentNodes(inCollection: "col_frames").count == 2)
    }

    @Test("absent parents and roots become ghost nodes with what their children say of them")
    func ghosts() throws {
        let documents = [
            Self.document(
                "scene_1", in: "col_scenes", root: "obj_gone", parent: "frame_gone", parentCollection: "col_frames")
        ]
        let graph = DecompositionGraph(documents: documents)
        let ghostDocument = try #require(graph.node(.document("frame_gone")))
        #expect(ghostDocument.kind == .ghostDocument)
        #expect(ghostDocument.collectionID == "col_frames")
        let ghostObject = try #require(graph.node(.object("obj_gone")))
        #expect(ghostObject.kind == .ghostObject)
        #expect(ghostObject.bucketID == "bkt_1")
        // Each node answers its own place only: a document has no bucket, an object no collection.
        #expect(ghostDocument.bucketID == nil && ghostObject.collectionID == nil)
        let scene = try #require(graph.node(.document("scene_1")))
        #expect(scene.collectionID == "col_scenes" && scene.bucketID == nil)
        #expect(graph.tier(of: .document("scene_1")) == nil, "the ancestry stops at a ghost document")
        #expect(graph.tree(ofRootObject: "obj_gone").map(\.id.rawID) == ["obj_gone", "scene_1"])
        #expect(graph.document("frame_gone") == nil)
    }

    @Test("nodes are made when read: objects, documents, then ghosts, each with its own id, place and position")
    func nodesMadeWhenRead() throws {
        let documents = [
            Self.document("frame_1", in: "col_frames"),
            Self.document("scene_1", in: "col_scenes", parent: "frame_1", parentCollection: "col_frames"),
            Self.document(
                "scene_2", in: "col_scenes", root: "obj_gone", parent: "frame_gone", parentCollection: "col_x"),
            Self.document("frame_1", in: "col_other"),
        ]
        let other = BucketObject(id: "obj_2", bucketID: "bkt_2", json: [:])
        let graph = DecompositionGraph(documents: documents, objects: [Self.root, other])
        let nodes = Array(graph.nodes)
        #expect(nodes.map(\.id.rawID) == ["obj_r", "obj_2", "frame_1", "scene_1", "scene_2", "obj_gone", "frame_gone"])
        #expect(nodes.map(\.kind) == [.object, .object, .document, .document, .document, .ghostObject, .ghostDocument])
        #expect(nodes.map(\.bucketID) == ["bkt_1", "bkt_2", nil, nil, nil, "bkt_1", nil])
        // A repeated id keeps its first record: frame_1 stays in col_frames.
        #expect(nodes.map(\.collectionID) == [nil, nil, "col_frames", "col_scenes", "col_scenes", nil, "col_x"])
        #expect(nodes.indices.allSatisfy { nodes[$0].index == $0 && graph.nodes[$0] == nodes[$0] })
        #expect(graph.nodes.count == 7 && graph.nodes.last?.id == .document("frame_gone"))
        #expect(graph.nodeKinds == nodes.map(\.kind))
        #expect(graph.nodes == DecompositionGraph(documents: documents, objects: [Self.root, other]).nodes)
        #expect(graph.nodes != DecompositionGraph(documents: documents, objects: [Self.root]).nodes)
    }

    @Test("cycles end walks instead of looping")
    func cycles() {
        let documents = [
            Self.document("a", in: "col_x", parent: "b"), Self.document("b", in: "col_x", parent: "c"),
            Self.document("c", in: "col_x", parent: "a"), Self.document("d", in: "col_y", parent: "a"),
        ]
        let graph = DecompositionGraph(documents: documents)
        #expect(graph.ancestors(of: .document("a")).map(\.id.rawID) == ["b", "c"])
        #expect(graph.tier(of: .document("a")) == nil)
        #expect(graph.descendants(of: .document("a")).map(\.id.rawID).sorted() == ["b", "c", "d"])
        let tiers = graph.allTiers()
        #expect(
            graph.nodes.filter { $0.kind == .document }.allSatisfy { tiers[$0.index] == DecompositionGraph.cycleTier })
    }

    @Test("a chain 200,000 documents deep is walked without recursion")
    func deepChain() {
        let depth = 200_000
        var documents = [Self.document("d0", in: "col_0")]
        for level in 1..<depth {
            documents.append(Self.document("d\(level)", in: "col_\(level % 7)", parent: "d\(level - 1)"))
        }
        let graph = DecompositionGraph(documents: documents, objects: [Self.root])
        #expect(graph.tier(of: .document("d\(depth - 1)")) == depth)
        #expect(graph.ancestors(of: .document("d\(depth - 1)")).count == depth)
        #expect(graph.descendants(of: .object("obj_r")).count == depth)
        #expect(graph.pathToRoot(from: .document("d\(depth - 1)")).last?.id == .object("obj_r"))
        #expect(graph.allTiers()[graph.node(.document("d\(depth - 1)"))!.index] == Int32(depth))
    }

    @Test("a fan-out of 200,000 children keeps input order")
    func wideFanOut() {
        let width = 200_000
        var documents: [Document] = []
        documents.reserveCapacity(width)
        for index in 0..<width {
            documents.append(Self.document("f\(index)", in: "col_frames"))
        }
        let graph = DecompositionGraph(documents: documents, objects: [Self.root])
        let children = graph.children(of: .object("obj_r"))
        #expect(children.count == width)
        #expect(children.first?.id == .document("f0"))
        #expect(children.last?.id == .document("f\(width - 1)"))
        #expect(graph.descendants(of: .object("obj_r"), maxDepth: 1).count == width)
        #expect(graph.documentNodes(withRootObject: "obj_r").count == width)
    }

    @Test("the pipeline graph counts documents per edge and marks configured edges")
    func pipeline() throws {
        let documents = [
            Self.document("frame_1", in: "col_frames"), Self.document("frame_2", in: "col_frames"),
            Self.document("scene_1", in: "col_scenes", parent: "frame_1"),
        ]
        let configs = [
            CollectionConfig(id: "col_frames", sourceType: .bucket, sourceBucketIDs: ["bkt_1"], json: [:]),
            CollectionConfig(id: "col_faces", sourceType: .collection, sourceCollectionIDs: ["col_frames"], json: [:]),
        ]
        let pipeline = PipelineGraph(graph: DecompositionGraph(documents: documents, collections: configs))
        let edges = pipeline.edges.map {
            "\($0.from.kind):\($0.from.id)->\($0.to.id)=\($0.documentCount)/\($0.configured)"
        }
        #expect(
            edges == [
                "bucket:bkt_1->col_frames=2/true", "collection:col_frames->col_faces=0/true",
                "collection:col_frames->col_scenes=1/false",
            ])
        #expect(pipeline.documentCounts[.collection("col_frames")] == 2)
    }
}
