/// Counts that describe a namespace: what was read, how it is spread over collections, tiers and
/// input shapes, how many references point at absent records, and the pipeline between collections.
public struct NamespaceStatistics: Sendable {
    /// Documents read.
    public var documents: Int
    /// Bucket objects read.
    public var objects: Int
    /// Distinct collections: those holding documents and those configured.
    public var collections: Int
    /// Collection configurations read.
    public var collectionConfigs: Int
    /// Documents per collection id.
    public var documentsPerCollection: [String: Int]
    /// Documents per tier (1 = made from a bucket object). Documents whose ancestry is a cycle are
    /// counted under ``cycleTier``, those whose ancestry does not reach an object under ``unknownTier``.
    public var documentsPerTier: [Int: Int]
    /// Documents per input shape.
    public var documentsPerShape: [DocumentShape: Int]
    /// The ``documentsPerTier`` key of documents whose ancestry is a cycle.
    public static let cycleTier = Int(DecompositionGraph.cycleTier)
    /// The ``documentsPerTier`` key of documents whose ancestry does not reach a bucket object.
    public static let unknownTier = Int(DecompositionGraph.unknownTier)
    /// Referenced objects absent from the input.
    public var ghostObjects: Int
    /// Referenced documents absent from the input.
    public var ghostDocuments: Int
    /// The collection-level pipeline.
    public var pipeline: PipelineGraph
    /// What the read skipped and merged.
    public var read: ReadReport

    /// Computes the statistics of a snapshot and its graph.
    public init(snapshot: Snapshot, graph: DecompositionGraph) {
        documents = graph.documents.count
        objects = graph.objects.count
        collectionConfigs = graph.collections.count
        // Counted by index on all cores; the documents are read in place, not copied.
        let pieces = graph.documents.withUnsafeBufferPointer { documents in
            let shared = WorkerShared((documents, graph))
            let ranges = pieceRanges(of: documents.count)
            return mapPieces(ranges.count) { piece in
                let range = ranges[piece]
                let (documents, graph) = shared.value
                var perCollectionIndex = [Int](repeating: 0, count: graph.collectionIDs.count)
                var perCollection: [String: Int] = [:]
                var perShape = [Int](repeating: 0, count: DocumentShape.allCases.count)
                for position in range {
                    let node = graph.documentNodeIndex[position]
                    let collection = node >= 0 ? graph.collectionOfNode[Int(node)] : -1
                    if collection >= 0 {
                        perCollectionIndex[Int(collection)] += 1
                    } else {
                        perCollection[documents[position].collectionID, default: 0] += 1
                    }
                    perShape[DocumentShape.allCases.firstIndex(of: documents[position].shape) ?? 0] += 1
                }
                for (index, count) in perCollectionIndex.enumerated() where count > 0 {
                    perCollection[graph.collectionIDs[index], default: 0] += count
                }
                var shapes: [DocumentShape: Int] = [:]
                for (index, count) in perShape.enumerated() where count > 0 {
                    shapes[DocumentShape.allCases[index]] = count
                }
                return (perCollection, shapes)
            }
        }
        var perCollection: [String: Int] = [:]
        var perShape: [DocumentShape: Int] = [:]
        for (collections, shapes) in pieces {
            perCollection.merge(collections, uniquingKeysWith: +)
            perShape.merge(shapes, uniquingKeysWith: +)
        }
        documentsPerCollection = perCollection
        documentsPerShape = perShape
        collections = Set(perCollection.keys).union(graph.collections.map(\.id)).count
        var perTier: [Int: Int] = [:]
        let tiers = graph.allTiers()
        var ghostObjectCount = 0
        var ghostDocumentCount = 0
        for (index, kind) in graph.nodeKinds.enumerated() {
            switch kind {
            case .document: perTier[Int(tiers[index]), default: 0] += 1
            case .ghostObject: ghostObjectCount += 1
            case .ghostDocument: ghostDocumentCount += 1
            case .object: break
            }
        }
        documentsPerTier = perTier
        ghostObjects = ghostObjectCount
        ghostDocuments = ghostDocumentCount
        pipeline = PipelineGraph(graph: graph)
        read = snapshot.report
    }
}

extension NamespaceStatistics {
    /// The statistics as JSON, keys in a stable order (the `lineage stats --format json` contract).
    public var json: JSONValue {
        func counts<Key>(_ dictionary: [Key: Int], key: (Key) -> String) -> JSONValue {
            .object(
                JSONObject(
                    dictionary.map { (key: key($0.key), value: JSONValue.number(JSONNumber($0.value))) }
                        .sorted { $0.key < $1.key }))
        }
        let tiers = documentsPerTier.keys.sorted().map { tier -> (key: String, value: JSONValue) in
            (Self.tierLabel(tier, json: true), .number(JSONNumber(documentsPerTier[tier] ?? 0)))
        }
        let edges: [JSONValue] = pipeline.edges.map { edge in
            [
                "from": .string(edge.from.id), "from_kind": .string(edge.from.kind), "to": .string(edge.to.id),
                "documents": .number(JSONNumber(edge.documentCount)), "configured": .bool(edge.configured),
            ]
        }
        return [
            "documents": .number(JSONNumber(documents)),
            "objects": .number(JSONNumber(objects)),
            "collections": .number(JSONNumber(collections)),
            "collection_configs": .number(JSONNumber(collectionConfigs)),
            "documents_per_collection": counts(documentsPerCollection) { $0 },
            "documents_per_tier": .object(JSONObject(tiers)),
            "documents_per_shape": counts(documentsPerShape) { $0.rawValue },
            "ghost_objects": .number(JSONNumber(ghostObjects)),
            "ghost_documents": .number(JSONNumber(ghostDocuments)),
            "pipeline": .array(edges),
            "input": [
                "files": .number(JSONNumber(read.files.count)),
                "bytes": .number(JSONNumber(read.bytes)),
                "skipped_records": .number(JSONNumber(read.skippedRecords)),
                "identical_duplicates": .number(JSONNumber(read.identicalDuplicates)),
            ],
        ]
    }

    /// The statistics as text for a terminal: one section per table, aligned columns.
    public func text() -> String {
        var lines: [String] = []
        lines.append("Read \(read.files.count) file(s), \(Self.formatBytes(read.bytes))")
        if read.skippedRecords > 0 { lines.append("Skipped \(read.skippedRecords) bad record(s)") }
        if read.identicalDuplicates > 0 {
            lines.append("Merged \(read.identicalDuplicates) identical duplicate record(s)")
        }
        lines.append("")
        lines.append(
            contentsOf: Self.table(
                "Namespace",
                [
                    ("documents", documents), ("objects", objects), ("collections", collections),
                    ("collection configs", collectionConfigs), ("ghost objects", ghostObjects),
                    ("ghost documents", ghostDocuments),
                ]))
        lines.append("")
        lines.append(
            contentsOf: Self.table("Documents per collection", documentsPerCollection.sorted { $0.key < $1.key }))
        lines.append("")
        let tiers = documentsPerTier.keys.sorted().map { tier in
            (Self.tierLabel(tier, json: false), documentsPerTier[tier] ?? 0)
        }
        lines.append(contentsOf: Self.table("Documents per tier", tiers))
        lines.append("")
        let shapes = documentsPerShape.keys.sorted().map { ($0.rawValue, documentsPerShape[$0] ?? 0) }
        lines.append(contentsOf: Self.table("Documents per input shape", shapes))
        lines.append("")
        lines.append("Pipeline")
        if pipeline.edges.isEmpty { lines.append("  (no edges)") }
        let fromWidth = pipeline.edges.map { $0.from.id.count + 1 + $0.from.kind.count }.max() ?? 0
        let toWidth = pipeline.edges.map(\.to.id.count).max() ?? 0
        let countWidth = pipeline.edges.map { String($0.documentCount).count }.max() ?? 0
        for edge in pipeline.edges {
            let from = "\(edge.from.kind) \(edge.from.id)"
            let count = String(edge.documentCount)
            var line =
                "  " + from.padding(to: fromWidth) + " -> " + edge.to.id.padding(to: toWidth) + "  "
                + String(repeating: " ", count: countWidth - count.count) + count + " document(s)"
            if !edge.configured && collectionConfigs > 0 { line += "  (not configured)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func tierLabel(_ tier: Int, json: Bool) -> String {
        switch tier {
        case cycleTier: json ? "cycle" : "in a cycle"
        case unknownTier: json ? "unknown" : "unknown (no bucket object above)"
        default: json ? String(tier) : "tier \(tier)"
        }
    }

    private static func table(_ title: String, _ rows: [(String, Int)]) -> [String] {
        guard !rows.isEmpty else { return [title, "  (none)"] }
        let width = rows.map(\.0.count).max() ?? 0
        let numberWidth = rows.map { String($0.1).count }.max() ?? 0
        return [title]
            + rows.map { label, count in
                let number = String(count)
                return "  " + label + String(repeating: " ", count: width - label.count + 2)
                    + String(repeating: " ", count: numberWidth - number.count) + number
            }
    }

    static func formatBytes(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
