/// Accumulates nodes and "derived from" links while a ``DecompositionGraph`` is built.
struct GraphBuilder {
    /// Each node's kind; a node's id and place are read from its record (``recordIndex``), or
    /// for a ghost from ``ghosts``.
    var kinds: [DecompositionGraph.NodeKind] = []
    /// The ghost nodes, which come after every other node.
    var ghosts: [DecompositionGraph.Ghost] = []
    var objectIndex: IDTable
    var documentIndex: IDTable
    var parentIndex: [Int32] = []
    var recordIndex: [Int32] = []
    /// For each node, the node of its stated root object (documents only; -1 otherwise).
    var rootIndex: [Int32] = []
    var collectionIndex = IDTable()
    var collectionIDs: [String] = []
    /// For each node, its position in ``collectionIDs`` (documents only; -1 otherwise).
    var collectionOfNode: [Int32] = []

    /// Makes room for `capacity` nodes. When the documents come with their index
    /// (`documentsIndexed`, for ``addDocuments(_:index:firstNode:)``), the document index is
    /// adopted there, so it is not made empty here first (a million documents: a 17 MB table
    /// written and thrown away).
    init(capacity: Int, documentsIndexed: Bool = false) {
        objectIndex = IDTable(capacity: capacity / 8)
        documentIndex = documentsIndexed ? IDTable() : IDTable(capacity: capacity)
        kinds.reserveCapacity(capacity)
        parentIndex.reserveCapacity(capacity)
        recordIndex.reserveCapacity(capacity)
        rootIndex.reserveCapacity(capacity)
        collectionOfNode.reserveCapacity(capacity)
    }

    @discardableResult
    mutating func addNode(
        _ id: DecompositionGraph.NodeID, kind: DecompositionGraph.NodeKind, collectionID: String?, bucketID: String?,
        record: Int
    ) -> Int32 {
        let index = Int32(kinds.count)
        let existing: Int32
        switch id {
        case .object(let key): existing = objectIndex.insert(key, value: index)
        case .document(let key): existing = documentIndex.insert(key, value: index)
        }
        if existing >= 0 { return existing }
        if kind.isGhost {
            ghosts.append(.init(id: id, place: kind == .ghostDocument ? collectionID : bucketID))
        } else {
            precondition(ghosts.isEmpty, "ghosts come after every object and document")
        }
        kinds.append(kind)
        parentIndex.append(-1)
        recordIndex.append(Int32(record))
        rootIndex.append(-1)
        collectionOfNode.append(collectionID.map { collection(for: $0) } ?? -1)
        return index
    }

    /// Adds every document as a node, in order from `firstNode`, adopting `index` (id → position in
    /// `documents`, each id once) as the document index.
    mutating func addDocuments(_ documents: UnsafeBufferPointer<Document>, index: IDTable, firstNode: Int32) {
        documentIndex = index
        documentIndex.shiftValues(by: firstNode)
        var lastCollection = (id: "", index: Int32(-1))
        for position in documents.indices {
            let collectionID = documents[position].collectionID
            if collectionID != lastCollection.id { lastCollection = (collectionID, collection(for: collectionID)) }
            collectionOfNode.append(lastCollection.index)
        }
        kinds.append(contentsOf: repeatElement(.document, count: documents.count))
        parentIndex.append(contentsOf: repeatElement(-1, count: documents.count))
        rootIndex.append(contentsOf: repeatElement(-1, count: documents.count))
        recordIndex.append(contentsOf: 0..<Int32(documents.count))
    }

    /// Links every document node (`nodes[position]`, -1 for none) to its source and root object:
    /// lookups run on all cores against the finished indices; documents whose source or root is
    /// absent are then linked one by one in document order, so ghosts are made (and numbered) as
    /// a serial build would make them.
    mutating func linkAll(_ documents: UnsafeBufferPointer<Document>, nodes documentNodes: [Int32]) {
        let missing: Int32 = -2
        var roots = [Int32](repeating: -1, count: documents.count)
        var parents = [Int32](repeating: -1, count: documents.count)
        let (objectIndex, documentIndex, shared) = (objectIndex, documentIndex, WorkerShared(documents))
        roots.withUnsafeMutableBufferPointer { roots in
            parents.withUnsafeMutableBufferPointer { parents in
                let output = WorkerShared((roots: roots, parents: parents))
                forEachPiece(of: documents.count) { range in
                    let documents = shared.value
                    for position in range where documentNodes[position] >= 0 {
                        let lineage = ResolvedLineage(documents[position].storedStatements)
                        if let root = lineage.rootObjectID {
                            let node = objectIndex.value(for: root)
                            output.value.roots[position] = node >= 0 ? node : missing
                        }
                        switch Self.source(of: lineage) {
                        case .document(let id)?:
                            let node = documentIndex.value(for: id)
                            output.value.parents[position] = node >= 0 ? node : missing
                        case .object(let id)?:
                            let node = objectIndex.value(for: id)
                            output.value.parents[position] = node >= 0 ? node : missing
                        case nil: break
                        }
                    }
                }
            }
        }
        for position in documents.indices where documentNodes[position] >= 0 {
            let node = documentNodes[position]
            if roots[position] == missing || parents[position] == missing {
                link(ResolvedLineage(documents[position].storedStatements), at: node)
                continue
            }
            rootIndex[Int(node)] = roots[position]
            if parents[position] != node { parentIndex[Int(node)] = parents[position] }
        }
    }

    private mutating func collection(for id: String) -> Int32 {
        let position = collectionIndex.insert(id, value: Int32(collectionIDs.count))
        if position >= 0 { return position }
        collectionIDs.append(id)
        return Int32(collectionIDs.count - 1)
    }

    /// Links the document at `index` to its immediate source (creating a ghost when the source is
    /// absent) and to its root object (creating a ghost root when absent).
    mutating func link(_ lineage: ResolvedLineage, at index: Int32) {
        if let root = lineage.rootObjectID {
            rootIndex[Int(index)] = addNode(
                .object(root), kind: .ghostObject, collectionID: nil, bucketID: lineage.rootBucketID, record: -1)
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
            if let chain = lineage.storedChain, chain.count >= 2, let id = chain[chain.count - 2].documentID {
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
}

/// Groups of node indices in compressed form: group `g` is `members[offsets[g]..<offsets[g + 1]]`,
/// in node order. Used for children per node, documents per root and per collection.
struct NodeGroups: Sendable {
    let offsets: [Int32]
    let members: [Int32]

    /// Groups nodes by `groupOf[node]` (nodes with a negative group belong to none).
    init(groupOf: [Int32], groupCount: Int) {
        var offsets = [Int32](repeating: 0, count: groupCount + 1)
        for group in groupOf where group >= 0 {
            offsets[Int(group) + 1] += 1
        }
        for position in 0..<groupCount {
            offsets[position + 1] += offsets[position]
        }
        var fill = offsets
        var members = [Int32](repeating: 0, count: Int(offsets[groupCount]))
        for (node, group) in groupOf.enumerated() where group >= 0 {
            members[Int(fill[Int(group)])] = Int32(node)
            fill[Int(group)] += 1
        }
        self.offsets = offsets
        self.members = members
    }

    /// The positions in ``members`` of group `group`.
    func range(of group: Int) -> Range<Int> {
        Int(offsets[group])..<Int(offsets[group + 1])
    }

    /// The members of group `group`.
    func members(of group: Int) -> ArraySlice<Int32> {
        members[range(of: group)]
    }
}
