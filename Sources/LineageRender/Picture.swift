import LineageKit

/// What one picture of a graph shows, before it is written in a drawing language: its nodes, what
/// each stands for and how it is marked (ghost, worst finding, a diff's change), the edges between
/// them and the boxes that group them.
///
/// ``DOTWriter``, ``MermaidWriter`` and ``PipelineDOTWriter`` each build one and write it in their
/// language, so a ghost, a finding or a diff's mark is decided in one place for every picture.
struct Picture {
    /// What a node stands for.
    enum Kind: Equatable {
        /// A source object in a bucket.
        case object
        /// A document in a collection.
        case document
        /// Leaf siblings of one parent in one collection, folded into one node.
        case summary(count: Int)
        /// A bucket of the collection-level pipeline.
        case bucket
        /// A collection of the collection-level pipeline.
        case collection
    }

    /// How a diff marks a node.
    enum Change {
        /// In the new snapshot only.
        case added
        /// In the old snapshot only.
        case removed
        /// In both, with different lineage or user fields.
        case changed
    }

    /// How an edge is marked, when it is.
    enum EdgeMark {
        /// Leads to an added node.
        case added
        /// Leads to a removed node.
        case removed
        /// Held in the old snapshot, not in the new one.
        case noLongerHolds
        /// Not declared by the collection's configuration.
        case undeclared
    }

    /// One node.
    struct Node {
        /// Its name in the picture and its SVG `id`: ``DOTWriter/nodeName(_:)`` of its id, or a
        /// `kind:id` name for summaries and pipeline nodes.
        let name: String
        /// The document, object, bucket or collection id.
        let id: String
        /// Its position in the decomposition graph; `nil` for summaries and pipeline nodes.
        let graphIndex: Int?
        let kind: Kind
        /// Whether it stands for a record the input lacks.
        let isGhost: Bool
        /// The bucket of an object, the collection of a document or summary.
        let place: String?
        /// The label, its lines cut to the settings' length.
        var label: String
        /// The fill colour: the collection's for documents and summaries.
        var fill: String?
        var change: Change?
        /// The rule ids of its findings, in the order found.
        var rules: [String] = []
        /// The severity of its worst finding.
        var worst: Severity?
        /// The box it is drawn in, if any.
        var cluster: String?
    }

    /// One edge, as positions in ``nodes``.
    struct Edge {
        let source: Int
        let target: Int
        var mark: EdgeMark?
        var label: String?
    }

    /// What a picture of a decomposition graph folds, groups and labels.
    struct Settings {
        var maximumLabelLength = 40
        var collapseThreshold: Int?
        var clusters: DOTWriter.Clusters?
        var labelFields: [String] = []
        var changes: ChangeMarks?
    }

    var nodes: [Node] = []
    var edges: [Edge] = []
    /// The fill colour of each collection drawn.
    var collectionColours: [String: String] = [:]
    /// The severities of the findings drawn.
    var severities: Set<Severity> = []
    var hasGhosts = false

    static let palette = [
        "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#d9d9d9",
        "#bc80bd", "#ccebc5", "#ffed6f",
    ]

    /// The picture of `selection` of `graph` and the edges among it, with `findings` on their
    /// documents.
    init(graph: DecompositionGraph, nodes selection: [DecompositionGraph.Node], findings: [Finding], settings: Settings)
    {
        let included = Set(selection.map(\.index))
        var findingsByDocument: [String: [Finding]] = [:]
        for finding in findings {
            if let document = finding.documentID { findingsByDocument[document, default: []].append(finding) }
        }
        for (position, collection) in Set(selection.compactMap(\.collectionID)).sorted().enumerated() {
            collectionColours[collection] = Self.palette[position % Self.palette.count]
        }
        hasGhosts = selection.contains { $0.kind.isGhost }
        let collapsed = Self.collapse(
            selection, of: graph, included: included, findings: findingsByDocument, settings: settings)
        var position: [Int: Int] = [:]
        let visible = selection.filter { !collapsed.hidden.contains($0.index) }
        let labelLines = Self.labelLines(of: visible, in: graph, settings)
        let (colours, findingsOfDocument) = (collectionColours, findingsByDocument)
        nodes = Array(zip(visible, labelLines)).concurrentMap { node, lines in
            Self.node(
                for: node, in: graph, labelLines: lines, findings: findingsOfDocument[node.id.rawID] ?? [],
                colours: colours, settings: settings)
        }
        for (drawn, node) in visible.enumerated() {
            position[node.index] = drawn
            if !findingsByDocument.isEmpty, let found = findingsByDocument[node.id.rawID] {
                severities.formUnion(found.map(\.severity))
            }
        }
        for edge in graph.edges(among: selection) {
            guard let source = position[edge.source.index], let target = position[edge.derived.index] else {
                continue
            }
            var mark: EdgeMark?
            switch nodes[target].change {
            case .added?: mark = .added
            case .removed?: mark = .removed
            default: mark = nil
            }
            edges.append(Edge(source: source, target: target, mark: mark))
        }
        if let changes = settings.changes {
            let positionOfID = Dictionary(
                selection.compactMap { node in position[node.index].map { (node.id.rawID, $0) } },
                uniquingKeysWith: { first, _ in first })
            for edge in changes.removedEdges {
                guard let source = positionOfID[edge.source], let target = positionOfID[edge.derived] else { continue }
                edges.append(Edge(source: source, target: target, mark: .noLongerHolds))
            }
        }
        for summary in collapsed.summaries {
            guard let parent = position[summary.parent.index] else { continue }
            let name =
                "collapsed:" + DOTWriter.nodeName(summary.parent.id.rawID) + ":"
                + DOTWriter.nodeName(summary.collection)
            edges.append(Edge(source: parent, target: nodes.count))
            nodes.append(
                Node(
                    name: name, id: summary.collection, graphIndex: nil, kind: .summary(count: summary.count),
                    isGhost: false, place: summary.collection,
                    label: Self.truncate("\(summary.collection) ×\(summary.count)", settings),
                    fill: collectionColours[summary.collection] ?? "#ffffff", cluster: nodes[parent].cluster))
        }
    }

    /// Positions in ``nodes`` grouped by connection (edges, and shared clusters), in the order
    /// their first member was drawn.
    func connectedPieces() -> [[Int]] {
        var parent = Array(nodes.indices)
        func root(_ vertex: Int) -> Int {
            var vertex = vertex
            while parent[vertex] != vertex {
                parent[vertex] = parent[parent[vertex]]
                vertex = parent[vertex]
            }
            return vertex
        }
        func join(_ first: Int, _ second: Int) {
            let (a, b) = (root(first), root(second))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        for edge in edges { join(edge.source, edge.target) }
        var firstInCluster: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            guard let key = node.cluster else { continue }
            if let first = firstInCluster[key] { join(first, index) } else { firstInCluster[key] = index }
        }
        var pieceOfRoot: [Int: Int] = [:]
        var pieces: [[Int]] = []
        for index in nodes.indices {
            let top = root(index)
            if let piece = pieceOfRoot[top] {
                pieces[piece].append(index)
            } else {
                pieceOfRoot[top] = pieces.count
                pieces.append([index])
            }
        }
        return pieces
    }

    /// A graph node as drawn: label, colour, cluster, findings and the diff's mark.
    private static func node(
        for node: DecompositionGraph.Node, in graph: DecompositionGraph, labelLines: [String], findings: [Finding],
        colours: [String: String], settings: Settings
    ) -> Node {
        let short = String(node.id.rawID.prefix(12))
        let isObject = node.kind == .object || node.kind == .ghostObject
        var label: String
        var fill: String
        if isObject {
            label = truncate((node.bucketID ?? "bucket ?") + "\n" + short, settings)
            fill = "#eeeeee"
        } else {
            label = truncate((node.collectionID ?? "collection ?") + "\n" + short, settings)
            for line in labelLines { label += "\n" + truncate(line, settings) }
            fill = node.collectionID.flatMap { colours[$0] } ?? "#ffffff"
        }
        var change: Change?
        if let changes = settings.changes {
            let id = node.id.rawID
            if changes.added.contains(id) {
                change = .added
            } else if changes.removed.contains(id) {
                change = .removed
            } else if changes.changed.contains(id) {
                change = .changed
            }
        }
        return Node(
            name: DOTWriter.nodeName(node.id.rawID), id: node.id.rawID, graphIndex: node.index,
            kind: isObject ? .object : .document, isGhost: node.kind.isGhost,
            place: isObject ? node.bucketID : node.collectionID, label: label, fill: fill, change: change,
            rules: findings.map(\.rule), worst: findings.map(\.severity).max(),
            cluster: clusterKey(of: node, in: graph, settings))
    }

    /// For each of `nodes`, the ``tellingFields(of:labelFields:)`` of its document (none for others),
    /// found on all cores: each document's fields are read again from its file, which made most
    /// of a large picture's DOT time when done one document after another.
    private static func labelLines(
        of nodes: [DecompositionGraph.Node], in graph: DecompositionGraph, _ settings: Settings
    ) -> [[String]] {
        guard !settings.labelFields.isEmpty else { return Array(repeating: [], count: nodes.count) }
        let labelFields = settings.labelFields
        return nodes.concurrentMap { node in
            graph.document(at: node).map { tellingFields(of: $0, labelFields: labelFields) } ?? []
        }
    }

    /// Up to two of the settings' label fields the document has, as `field=value`.
    private static func tellingFields(of document: Document, labelFields: [String]) -> [String] {
        guard !labelFields.isEmpty else { return [] }
        var lines: [String] = []
        let fields = document.userFields(named: labelFields)
        for field in labelFields where lines.count < 2 {
            guard let value = fields[field] else { continue }
            switch value {
            case .string(let text): lines.append("\(field)=\(text)")
            case .number(let number): lines.append("\(field)=\(number.text)")
            case .bool(let flag): lines.append("\(field)=\(flag)")
            default: continue
            }
        }
        return lines
    }

    /// The box a node goes in, by the settings' clustering.
    private static func clusterKey(
        of node: DecompositionGraph.Node, in graph: DecompositionGraph, _ settings: Settings
    ) -> String? {
        switch settings.clusters {
        case nil: return nil
        case .collection?: return node.collectionID
        case .root?:
            if node.kind == .object || node.kind == .ghostObject { return node.id.rawID }
            return graph.document(at: node)?.lineage.rootObjectID
        }
    }

    /// Leaf siblings folded into one summary node per parent and collection.
    private struct Collapsed {
        struct Summary {
            let parent: DecompositionGraph.Node
            let collection: String
            let count: Int
        }

        var hidden: Set<Int> = []
        var summaries: [Summary] = []
    }

    private static func collapse(
        _ nodes: [DecompositionGraph.Node], of graph: DecompositionGraph, included: Set<Int>,
        findings: [String: [Finding]], settings: Settings
    ) -> Collapsed {
        var result = Collapsed()
        guard let threshold = settings.collapseThreshold else { return result }
        for parent in nodes {
            var groups: [String: [DecompositionGraph.Node]] = [:]
            for child in graph.children(of: parent.id) where included.contains(child.index) {
                let isLeaf = !graph.children(of: child.id).contains { included.contains($0.index) }
                guard child.kind == .document, isLeaf, findings[child.id.rawID] == nil,
                    let collection = child.collectionID, !isMarked(child.id.rawID, settings)
                else { continue }
                groups[collection, default: []].append(child)
            }
            for (collection, members) in groups.sorted(by: { $0.key < $1.key }) where members.count > threshold {
                result.hidden.formUnion(members.map(\.index))
                result.summaries.append(.init(parent: parent, collection: collection, count: members.count))
            }
        }
        return result
    }

    /// Whether a diff's marks name the node (marked nodes are never folded into a summary).
    private static func isMarked(_ id: String, _ settings: Settings) -> Bool {
        guard let changes = settings.changes else { return false }
        return changes.added.contains(id) || changes.removed.contains(id) || changes.changed.contains(id)
    }

    private static func truncate(_ text: String, _ settings: Settings) -> String {
        let limit = settings.maximumLabelLength
        // A string of no more bytes than the limit has no more characters either.
        if text.utf8.count <= limit || text.count <= limit { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}

extension Picture {
    /// The picture of the collection-level pipeline: buckets and collections labelled with their
    /// document and finding counts, edges with how many documents took them, and (when
    /// `configured`) edges no configuration declares marked.
    init(pipeline: PipelineGraph, findings: [Finding], configured: Bool) {
        var errors: [String: Int] = [:]
        var warnings: [String: Int] = [:]
        for finding in findings {
            guard let collection = finding.collectionID else { continue }
            switch finding.severity {
            case .error: errors[collection, default: 0] += 1
            case .warning: warnings[collection, default: 0] += 1
            case .info: break
            }
        }
        var position: [PipelineGraph.Node: Int] = [:]
        for node in pipeline.nodes {
            position[node] = nodes.count
            switch node {
            case .bucket(let id):
                nodes.append(
                    Node(
                        name: node.kind + ":" + id, id: id, graphIndex: nil, kind: .bucket, isGhost: false, place: nil,
                        label: id))
            case .collection(let id):
                var drawn = Node(
                    name: node.kind + ":" + id, id: id, graphIndex: nil, kind: .collection, isGhost: false, place: nil,
                    label: id + "\n\(pipeline.documentCounts[node] ?? 0) documents")
                let errorCount = errors[id] ?? 0
                let warningCount = warnings[id] ?? 0
                if errorCount + warningCount > 0 {
                    drawn.label += "\n\(errorCount) errors, \(warningCount) warnings"
                    drawn.worst = errorCount > 0 ? .error : .warning
                }
                nodes.append(drawn)
            }
        }
        for edge in pipeline.edges {
            guard let source = position[edge.from], let target = position[edge.to] else { continue }
            edges.append(
                Edge(
                    source: source, target: target, mark: configured && !edge.configured ? .undeclared : nil,
                    label: "\(edge.documentCount)"))
        }
    }
}
