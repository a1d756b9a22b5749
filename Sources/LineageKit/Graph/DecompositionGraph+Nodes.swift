extension DecompositionGraph {
    /// Every node of a graph: objects, then documents, then ghosts, each in input order.
    ///
    /// A node is made when it is read, from what the graph keeps anyway: each node's kind and
    /// record, the documents and objects themselves, and the ghosts' ids. A graph of a million
    /// documents so keeps no 40-byte ``Node`` for each of them.
    public struct Nodes: RandomAccessCollection, Equatable, Sendable {
        let kinds: [NodeKind]
        let records: [Int32]
        let documents: [Document]
        let objects: [BucketObject]
        /// The ghosts, the last nodes, in node order.
        let ghosts: [Ghost]

        /// The first node's position: 0.
        public var startIndex: Int { 0 }
        /// One past the last node's position.
        public var endIndex: Int { kinds.count }

        /// The node at `position`.
        public subscript(position: Int) -> Node {
            let kind = kinds[position]
            switch kind {
            case .document:
                // Field by field: copying the whole document would retain all it holds.
                let record = Int(records[position])
                return Node(
                    id: .document(documents[record].id), kind: kind, collectionID: documents[record].collectionID,
                    bucketID: nil, index: position)
            case .object:
                let record = Int(records[position])
                return Node(
                    id: .object(objects[record].id), kind: kind, collectionID: nil, bucketID: objects[record].bucketID,
                    index: position)
            case .ghostDocument, .ghostObject:
                let ghost = ghosts[position - (kinds.count - ghosts.count)]
                return Node(
                    id: ghost.id, kind: kind, collectionID: kind == .ghostDocument ? ghost.place : nil,
                    bucketID: kind == .ghostObject ? ghost.place : nil, index: position)
            }
        }

        /// Node lists are equal when they hold equal nodes in the same order, as arrays of nodes were.
        public static func == (lhs: Nodes, rhs: Nodes) -> Bool {
            lhs.elementsEqual(rhs)
        }
    }

    /// A node for something absent from the input: its id, and the collection (of a document) or
    /// bucket (of an object) the input states for it.
    struct Ghost: Sendable {
        let id: NodeID
        let place: String?
    }
}
