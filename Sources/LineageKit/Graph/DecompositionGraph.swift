/// The decomposition graph of a namespace: bucket objects, documents, and ghost nodes for
/// references to objects and documents that are not in the input, joined by "derived from" edges.
///
/// Each document has at most one immediate source, its resolved ``ResolvedLineage``: a bucket
/// object for bucket-sourced documents, a document for collection-sourced ones. So the graph is a
/// forest, except where lineage is broken into a cycle; every query guards against cycles and
/// none recurses, so deep chains and wide fan-outs cost memory, never stack.
///
/// Nodes are addressed by ``NodeID``. Building is linear in the input.
public struct DecompositionGraph: Sendable {
    /// A node's identity: an object id or a document id.
    public enum NodeID: Sendable, Hashable, CustomStringConvertible {
        /// A bucket object (`obj_…`).
        case object(String)
        /// A document (`doc_…`).
        case document(String)

        /// The bare id.
        public var rawID: String {
            switch self {
            case .object(let id), .document(let id): id
            }
        }

        /// A short text for people.
        public var description: String { rawID }
    }

    /// What a node stands for.
    public enum NodeKind: String, Sendable, Hashable {
        /// A bucket object in the input.
        case object
        /// A document in the input.
        case document
        /// An object referenced by a document but absent from the input.
        case ghostObject = "ghost-object"
        /// A document referenced by a document but absent from the input.
        case ghostDocument = "ghost-document"

        /// Whether the node stands for something absent from the input.
        public var isGhost: Bool { self == .ghostObject || self == .ghostDocument }
        /// Whether the node stands for a document, in the input or not (else an object).
        var isDocument: Bool { self == .document || self == .ghostDocument }
    }

    /// One node of the graph.
    public struct Node: Sendable, Hashable {
        // The order packs a node into 40 bytes: the id's tag byte, the kind and the 32-bit
        // position share its last word. A document's collection and an object's bucket are one
        // field, as no node has both.
        private let place: String?
        /// The node's identity.
        public let id: NodeID
        /// What the node stands for.
        public let kind: NodeKind
        private let position: Int32

        /// The collection, for documents (for ghost documents, as their children state it).
        public var collectionID: String? { kind.isDocument ? place : nil }
        /// The bucket, for objects (for ghost objects, as the documents referencing them state it).
        public var bucketID: String? { kind.isDocument ? nil : place }
        /// The node's position in ``DecompositionGraph/nodes``.
        public var index: Int { Int(position) }

        init(id: NodeID, kind: NodeKind, collectionID: String?, bucketID: String?, index: Int) {
            self.id = id
            self.kind = kind
            assert(
                (kind.isDocument ? bucketID : collectionID) == nil,
                "a \(kind) node has no \(kind.isDocument ? "bucket" : "collection")")
            place = kind.isDocument ? collectionID : bucketID
            position = Int32(index)
        }
    }

    /// Every node: objects, then documents, then ghosts, each in input order.
    public let nodes: Nodes
    /// The kind of every node, apart from ``nodes`` so that scans over a million nodes read one
    /// byte each instead of copying (and retaining the strings of) each ``Node``.
    public let nodeKinds: [NodeKind]
    /// The documents of the input, in input order.
    public let documents: [Document]
    /// The bucket objects of the input, in input order.
    public let objects: [BucketObject]
    /// The collection configurations given, in input order.
    public let collections: [CollectionConfig]

    let objectIndex: IDTable
    let documentIndex: IDTable
    /// For each node, the index of its immediate source, or -1.
    let parentIndex: [Int32]
    /// The children of each node.
    let children: NodeGroups
    /// For each node, its position in ``documents`` or ``objects`` (-1 for ghosts).
    let recordIndex: [Int32]
    /// For each position in ``documents``, its node (-1 for a repeated id, which keeps its first record).
    let documentNodeIndex: [Int32]
    /// The documents stating each (object) node as their root.
    let documentsByRoot: NodeGroups
    /// Collection ids, in order of first appearance, and the documents of each.
    let collectionIDs: [String]
    let collectionIndex: IDTable
    let documentsByCollection: NodeGroups
    /// For each node, its collection's position in ``collectionIDs`` (documents only; -1 otherwise).
    let collectionOfNode: [Int32]

    /// What the API said of each collection's conservation (from the snapshot), for
    /// `coverage.missing`.
    public var reconciliations: [CollectionReconciliation] = []
    /// Buckets whose root objects were all looked up when fetched (``Snapshot/checkedBuckets``),
    /// for `orphan.deleted-root`.
    public var checkedBuckets: Set<String> = []
    /// The processing batches (``Snapshot/batches``), for `batch.unreconciled`.
    public var batches: [ProcessingBatch] = []

    /// Builds the graph of a snapshot.
    public init(snapshot: Snapshot) {
        self.init(
            documents: snapshot.documents, objects: snapshot.objects, collections: snapshot.collections,
            documentIndex: snapshot.documentIndex)
        reconciliations = snapshot.reconciliations
        checkedBuckets = snapshot.checkedBuckets
        batches = snapshot.batches
    }

    /// Builds the graph of documents, objects and collection configurations.
    ///
    /// Ids are expected to be unique (``SnapshotReader`` makes them so); a repeated id keeps its
    /// first record.
    public init(documents: [Document], objects: [BucketObject] = [], collections: [CollectionConfig] = []) {
        self.init(documents: documents, objects: objects, collections: collections, documentIndex: nil)
    }

    /// Builds the graph; `knownIndex`, when given, maps every document id (each once) to its
    /// position in `documents`, so ids need not be hashed again.
    init(
        documents: [Document], objects: [BucketObject], collections: [CollectionConfig],
        documentIndex knownIndex: IDTable?
    ) {
        var builder = GraphBuilder(capacity: documents.count + objects.count, documentsIndexed: knownIndex != nil)
        objects.withUnsafeBufferPointer { objects in
            for position in objects.indices {
                builder.addNode(
                    .object(objects[position].id), kind: .object, collectionID: nil,
                    bucketID: objects[position].bucketID, record: position)
            }
        }
        var documentNodes = [Int32](repeating: -1, count: documents.count)
        documents.withUnsafeBufferPointer { documents in
            if let knownIndex, builder.kinds.count == objects.count {
                // Objects and documents are unique: the document at position p is node objects.count + p.
                let first = Int32(builder.kinds.count)
                builder.addDocuments(documents, index: knownIndex, firstNode: first)
                for position in documents.indices { documentNodes[position] = first + Int32(position) }
            } else {
                for position in documents.indices {
                    let node = builder.addNode(
                        .document(documents[position].id), kind: .document,
                        collectionID: documents[position].collectionID, bucketID: nil, record: position)
                    if builder.recordIndex[Int(node)] == Int32(position) { documentNodes[position] = node }
                }
            }
            builder.linkAll(documents, nodes: documentNodes)
        }
        self.documentNodeIndex = documentNodes
        self.documents = documents
        self.objects = objects
        self.collections = collections
        self.nodes = Nodes(
            kinds: builder.kinds, records: builder.recordIndex, documents: documents, objects: objects,
            ghosts: builder.ghosts)
        self.nodeKinds = builder.kinds
        self.objectIndex = builder.objectIndex
        self.documentIndex = builder.documentIndex
        self.parentIndex = builder.parentIndex
        self.recordIndex = builder.recordIndex
        self.children = NodeGroups(groupOf: builder.parentIndex, groupCount: builder.kinds.count)
        self.documentsByRoot = NodeGroups(groupOf: builder.rootIndex, groupCount: builder.kinds.count)
        self.collectionIDs = builder.collectionIDs
        self.collectionIndex = builder.collectionIndex
        var documentCollections = builder.collectionOfNode
        for index in nodeKinds.indices where nodeKinds[index] != .document {
            documentCollections[index] = -1
        }
        self.documentsByCollection = NodeGroups(groupOf: documentCollections, groupCount: builder.collectionIDs.count)
        self.collectionOfNode = documentCollections
    }

    /// The index of the node with this id.
    func index(of id: NodeID) -> Int32? {
        let index: Int32
        switch id {
        case .object(let key): index = objectIndex.value(for: key)
        case .document(let key): index = documentIndex.value(for: key)
        }
        return index >= 0 ? index : nil
    }

    // MARK: - Lookup

    /// The node with this id, if the graph has one.
    public func node(_ id: NodeID) -> Node? {
        index(of: id).map { nodes[Int($0)] }
    }

    /// The document with this id, if it was in the input.
    public func document(_ id: String) -> Document? {
        guard let index = index(of: .document(id)), recordIndex[Int(index)] >= 0,
            nodes.kind(at: Int(index)) == .document
        else { return nil }
        return documents[Int(recordIndex[Int(index)])]
    }

    /// The bucket object with this id, if it was in the input.
    public func object(_ id: String) -> BucketObject? {
        guard let index = index(of: .object(id)), recordIndex[Int(index)] >= 0, nodes.kind(at: Int(index)) == .object
        else { return nil }
        return objects[Int(recordIndex[Int(index)])]
    }

    /// The document a document node stands for (nil for objects and ghosts).
    public func document(at node: Node) -> Document? {
        node.kind == .document ? documents[Int(recordIndex[node.index])] : nil
    }

    /// The document the node at `index` stands for (nil for objects and ghosts), without making
    /// the node.
    func document(atNode index: Int) -> Document? {
        nodeKinds[index] == .document ? documents[Int(recordIndex[index])] : nil
    }

    /// The ghost nodes: references to objects and documents absent from the input.
    public var ghosts: [Node] {
        nodeKinds.indices.filter { nodeKinds[$0].isGhost }.map { nodes[$0] }
    }

    /// The document nodes whose resolved root object is `objectID`.
    public func documentNodes(withRootObject objectID: String) -> [Node] {
        guard let root = index(of: .object(objectID)) else { return [] }
        return documentsByRoot.members(of: Int(root)).map { nodes[Int($0)] }
    }

    /// The document nodes of a collection.
    public func documentNodes(inCollection collectionID: String) -> [Node] {
        let collection = collectionIndex.value(for: collectionID)
        guard collection >= 0 else { return [] }
        return documentsByCollection.members(of: Int(collection)).map { nodes[Int($0)] }
    }

    /// How many documents a collection holds.
    public func documentCount(inCollection collectionID: String) -> Int {
        let collection = collectionIndex.value(for: collectionID)
        return collection >= 0 ? documentsByCollection.range(of: Int(collection)).count : 0
    }

    /// The root object ids documents state, sorted.
    public var rootObjectIDs: [String] {
        // By position: a node made for each document would make the document's id string.
        nodes.indices.filter { documentsByRoot.range(of: $0).count > 0 }.map { nodes[$0].id.rawID }.sorted()
    }

    /// The collection ids documents are in, sorted.
    public var documentCollectionIDs: [String] {
        collectionIDs.enumerated().filter { documentsByCollection.range(of: $0.offset).count > 0 }.map(\.element)
            .sorted()
    }
}
