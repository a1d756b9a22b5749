extension DecompositionGraph {
    /// The immediate sources of a node: none for objects and unlinked documents, one otherwise.
    public func parents(of id: NodeID) -> [Node] {
        guard let index = index(of: id) else { return [] }
        let parent = parentIndex[Int(index)]
        return parent >= 0 ? [nodes[Int(parent)]] : []
    }

    /// The nodes derived directly from a node, in input order.
    public func children(of id: NodeID) -> [Node] {
        guard let index = index(of: id) else { return [] }
        return children.members(of: Int(index)).map { nodes[Int($0)] }
    }

    /// Sources of sources, nearest first, up to `maxDepth` steps (all when `nil`).
    ///
    /// A cycle ends the walk when it comes back to a node already listed.
    public func ancestors(of id: NodeID, maxDepth: Int? = nil) -> [Node] {
        guard let start = index(of: id) else { return [] }
        var result: [Node] = []
        var seen: Set<Int32> = [start]
        var current = parentIndex[Int(start)]
        while current >= 0, seen.insert(current).inserted, maxDepth.map({ result.count < $0 }) ?? true {
            result.append(nodes[Int(current)])
            current = parentIndex[Int(current)]
        }
        return result
    }

    /// Everything derived from a node, breadth first, up to `maxDepth` levels (all when `nil`).
    public func descendants(of id: NodeID, maxDepth: Int? = nil) -> [Node] {
        guard let start = index(of: id) else { return [] }
        return descendantIndices(of: [start], maxDepth: maxDepth).map { nodes[Int($0)] }
    }

    /// The whole tree of a root object: the object, everything derived from it, and every document
    /// that states it as root even where the chain between them is broken.
    public func tree(ofRootObject objectID: String) -> [Node] {
        var starts: [Int32] = []
        guard let root = index(of: .object(objectID)) else { return [] }
        starts.append(root)
        starts.append(contentsOf: documentsByRoot.members(of: Int(root)))
        guard !starts.isEmpty else { return [] }
        let order = descendantIndices(of: starts, maxDepth: nil, includeStarts: true)
        return order.map { nodes[Int($0)] }
    }

    /// The depth of a node below the bucket object its ancestry reaches: 0 for an object, 1 for a
    /// document made from an object, and so on; `nil` when the ancestry is a cycle or ends at a
    /// document (one with no stated source, or a ghost).
    public func tier(of id: NodeID) -> Int? {
        guard let index = index(of: id) else { return nil }
        return tier(ofIndex: index)
    }

    /// The "derived from" edges whose both ends are among `nodes`, as (source, derived) pairs in
    /// the order of `nodes`: what a picture of that selection draws.
    public func edges(among nodes: some Collection<Node>) -> [(source: Node, derived: Node)] {
        let included = Set(nodes.map(\.index))
        var result: [(source: Node, derived: Node)] = []
        for node in nodes {
            let parent = parentIndex[node.index]
            if parent >= 0, included.contains(Int(parent)) {
                result.append((self.nodes[Int(parent)], node))
            }
        }
        return result
    }

    /// The node and its ancestors up to the top of its ancestry, nearest first.
    public func pathToRoot(from id: NodeID) -> [Node] {
        guard let start = node(id) else { return [] }
        return [start] + ancestors(of: id)
    }

    // MARK: - Index-level helpers

    func tier(ofIndex index: Int32) -> Int? {
        var depth = 0
        var current = index
        while parentIndex[Int(current)] >= 0 {
            depth += 1
            if depth > nodes.count { return nil }
            current = parentIndex[Int(current)]
        }
        let top = nodes.kind(at: Int(current))
        return top.isDocument ? nil : depth
    }

    /// The tier recorded for nodes whose ancestry is a cycle.
    static let cycleTier: Int32 = -1
    /// The tier recorded for nodes whose ancestry ends at a document, not at a bucket object.
    static let unknownTier: Int32 = -4

    /// Tiers of every node in one linear pass: objects 0, documents their depth below the object
    /// their ancestry reaches, ``cycleTier`` or ``unknownTier`` where there is no such object.
    func allTiers() -> [Int32] {
        let unvisited: Int32 = -2
        let inProgress: Int32 = -3
        var tiers = [Int32](repeating: unvisited, count: nodes.count)
        var stack: [Int32] = []
        for start in 0..<nodes.count where tiers[start] == unvisited {
            var current = Int32(start)
            stack.removeAll(keepingCapacity: true)
            while current >= 0, tiers[Int(current)] == unvisited {
                tiers[Int(current)] = inProgress
                stack.append(current)
                current = parentIndex[Int(current)]
            }
            // The tier of the node above the top of the stack; the stack's nodes count down from it.
            var depth: Int32
            var sentinel: Int32?
            if current >= 0 {
                let reached = tiers[Int(current)]
                if reached == inProgress || reached == Self.cycleTier {
                    sentinel = Self.cycleTier
                } else if reached == Self.unknownTier {
                    sentinel = Self.unknownTier
                }
                depth = reached
            } else if let top = stack.last, !nodes.kind(at: Int(top)).isDocument {
                depth = -1
            } else {
                depth = 0
                sentinel = Self.unknownTier
            }
            while let node = stack.popLast() {
                depth += 1
                tiers[Int(node)] = sentinel ?? depth
            }
        }
        return tiers
    }

    func descendantIndices(of starts: [Int32], maxDepth: Int?, includeStarts: Bool = false) -> [Int32] {
        var seen = Set(starts)
        var result: [Int32] = includeStarts ? starts : []
        var frontier = starts
        var depth = 0
        while !frontier.isEmpty, maxDepth.map({ depth < $0 }) ?? true {
            var next: [Int32] = []
            for index in frontier {
                for child in children.members(of: Int(index)) {
                    if seen.insert(child).inserted {
                        next.append(child)
                    }
                }
            }
            result.append(contentsOf: next)
            frontier = next
            depth += 1
        }
        return result
    }
}
