/// Accumulates nodes and "derived from" links while a ``DecompositionGraph`` is built.
struct GraphBuilder {
    var nodes: [DecompositionGraph.Node] = []
    var indexByID: [DecompositionGraph.NodeID: Int32] = [:]
    var parentIndex: [Int32] = []
    var recordIndex: [Int32] = []
    var byRoot: [String: [Int32]] = [:]
    var byCollection: [String: [Int32]] = [:]

    init(capacity: Int) {
        nodes.reserveCapacity(capacity)
        indexByID.reserveCapacity(capacity)
        parentIndex.reserveCapacity(capacity)
        recordIndex.reserveCapacity(capacity)
    }

    @discardableResult
    mutating func addNode(
        _ id: DecompositionGraph.NodeID, kind: DecompositionGraph.NodeKind, collectionID: String?, bucketID: String?,
        record: Int
    ) -> Int32 {
        if let existing = indexByID[id] { return existing }
        let index = Int32(nodes.count)
        nodes.append(.init(id: id, kind: kind, collectionID: collectionID, bucketID: bucketID, index: Int(index)))
        indexByID[id] = index
        parentIndex.append(-1)
        recordIndex.append(Int32(record))
        return index
    }

    /// Links a document to its immediate source (creating a ghost when the source is absent)
    /// and indexes it by root object and collection; ghost root objects are created too.
    mutating func link(_ document: Document) {
        guard let index = indexByID[.document(document.id)], nodes[Int(index)].kind == .document,
            parentIndex[Int(index)] == -1
        else { return }
        let lineage = document.lineage
        byCollection[document.collectionID, default: []].append(index)
        if let root = lineage.rootObjectID {
            byRoot[root, default: []].append(index)
            addNode(.object(root), kind: .ghostObject, collectionID: nil, bucketID: lineage.rootBucketID, record: -1)
        }
        guard let source = Self.source(of: lineage) else { return }
        let parent: Int32
        switch source {
        case .document(let id):
            parent = addNode(
                .document(id), kind: .ghostDocument, collectionID: lineage.sourceCollectionID, bucketID: nil,
                record: -1)
        case .object(let id):
            let bucket = id == lineage.rootObjectID ? lineage.rootBucketID : nil
            parent = addNode(.object(id), kind: .ghostObject, collectionID: nil, bucketID: bucket, record: -1)
        }
        if parent != index { parentIndex[Int(index)] = parent }
    }

    /// The immediate source a lineage names: the source document for collection sources (else the
    /// chain's second-to-last step document), the source object or root object for bucket sources.
    static func source(of lineage: ResolvedLineage) -> DecompositionGraph.NodeID? {
        switch lineage.effectiveSourceKind {
        case .collection?:
            if let id = lineage.sourceDocumentID { return .document(id) }
            if let chain = lineage.chain, chain.count >= 2, let id = chain[chain.count - 2].documentID {
                return .document(id)
            }
            return nil
        case .bucket?:
            return (lineage.sourceObjectID ?? lineage.rootObjectID).map { .object($0) }
        case .other?:
            if let id = lineage.sourceDocumentID { return .document(id) }
            return (lineage.sourceObjectID ?? lineage.rootObjectID).map { .object($0) }
        case nil:
            return nil
        }
    }

    /// Children lists in compressed form: offsets per node into one index array, in input order.
    static func children(of parents: [Int32]) -> (offsets: [Int32], indices: [Int32]) {
        var offsets = [Int32](repeating: 0, count: parents.count + 1)
        for parent in parents where parent >= 0 {
            offsets[Int(parent) + 1] += 1
        }
        for position in 0..<parents.count {
            offsets[position + 1] += offsets[position]
        }
        var fill = offsets
        var indices = [Int32](repeating: 0, count: Int(offsets[parents.count]))
        for (child, parent) in parents.enumerated() where parent >= 0 {
            indices[Int(fill[Int(parent)])] = Int32(child)
            fill[Int(parent)] += 1
        }
        return (offsets, indices)
    }
}
