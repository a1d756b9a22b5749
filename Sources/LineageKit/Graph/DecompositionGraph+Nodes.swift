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
                let ghost = ghost(at: position)
                return Node(
                    id: ghost.id, kind: kind, collectionID: kind == .ghostDocument ? ghost.place : nil,
                    bucketID: kind == .ghostObject ? ghost.place : nil, index: position)
            }
        }

        /// Calls `body` with the UTF-8 bytes of the id of the node at `position` (its
        /// ``NodeID/rawID``), making no string of a document's packed id.
        func withRawID<Result>(at position: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows
            -> Result
        {
            var id: String
            switch kinds[position] {
            case .document: return try documents[Int(records[position])].withIDBytes(body)
            case .object: id = objects[Int(records[position])].id
            case .ghostDocument, .ghostObject: id = ghost(at: position).id.rawID
            }
            return try id.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }

        /// The kind of the node at `position`, as ``subscript(_:)`` gives it.
        func kind(at position: Int) -> NodeKind {
            kinds[position]
        }

        /// The collection of the node at `position`, as ``subscript(_:)`` gives it, without making
        /// its id.
        func collectionID(at position: Int) -> String? {
            switch kinds[position] {
            case .document: documents[Int(records[position])].collectionID
            case .object, .ghostObject: nil
            case .ghostDocument: ghost(at: position).place
            }
        }

        /// The bucket of the node at `position`, as ``subscript(_:)`` gives it, without making its
        /// id.
        func bucketID(at position: Int) -> String? {
            switch kinds[position] {
            case .object: objects[Int(records[position])].bucketID
            case .document, .ghostDocument: nil
            case .ghostObject: ghost(at: position).place
            }
        }

        /// The ghost at node `position`: ghosts are the last nodes.
        private func ghost(at position: Int) -> Ghost {
            ghosts[position - (kinds.count - ghosts.count)]
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
