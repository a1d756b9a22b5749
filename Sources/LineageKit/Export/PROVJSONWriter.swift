/// Writes the decomposition graph as W3C PROV-JSON (the PROV-JSON submission's layout), which
/// the `prov` Python package and ProvStore read.
///
/// - every object and document is an entity (`prov:type` `mixpeek:Object` or `mixpeek:Document`,
///   with its collection or bucket, tier, ghost flag, and the audit's findings as
///   `lineage:findings`, `lineage:rules` and `lineage:severity`);
/// - every application of an extractor to one source, making documents of one collection, is an
///   activity (`mixpeek:Extraction`, with the extractor and collection, and the earliest and latest
///   chain timestamp of what it made as start and end);
/// - `used` (the activity used the source), `wasGeneratedBy` (each document, at its chain
///   timestamp) and `wasDerivedFrom` (each document from its source, through the activity).
///
/// Identifiers are qualified names: `mixpeek:` and the id, with bytes outside letters, digits,
/// `_`, `.` and `-` written `%XX`.
public struct PROVJSONWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// The namespaces the document declares.
    public static let prefixes: [(String, String)] = [
        ("mixpeek", "urn:mixpeek:"), ("lineage", "urn:lineagekit:"),
    ]

    /// Writes `nodes` of `graph` (all when `nil`) and the derivations between them, handing the
    /// text to `sink` in pieces of about `chunkSize` bytes.
    public func write(
        graph: DecompositionGraph, nodes: [DecompositionGraph.Node]? = nil, findings: [Finding] = [],
        chunkSize: Int = 1 << 20, to sink: ([UInt8]) throws -> Void
    ) rethrows {
        let input = ExportInput(graph: graph, nodes: nodes, findings: findings)
        let included = input.included
        // Each derived document's extractor and time, on all cores; then its activity: one per
        // (source, collection, extractor), numbered in order of first appearance.
        let ranges = pieceRanges(of: included.count)
        let facts = mapPieces(ranges.count) { piece in
            included[ranges[piece]].map { index in
                input.parent(of: index) == nil ? (nil, nil) : input.extractorAndTime(of: index)
            }
        }.flatMap { $0 }
        var activityOf: [ActivityKey: Int] = [:]
        var activities: [(key: ActivityKey, start: String?, end: String?)] = []
        var activityOfDocument = [Int32](repeating: -1, count: graph.nodes.count)
        for (position, index) in included.enumerated() {
            guard let parent = input.parent(of: index) else { continue }
            let (extractor, time) = facts[position]
            let key = ActivityKey(source: parent, collection: graph.nodes.collectionID(at: index), extractor: extractor)
            let number: Int
            if let known = activityOf[key] {
                number = known
                if let time {
                    if activities[number].start.map({ time < $0 }) ?? true { activities[number].start = time }
                    if activities[number].end.map({ time > $0 }) ?? true { activities[number].end = time }
                }
            } else {
                number = activities.count
                activityOf[key] = number
                activities.append((key, time, time))
            }
            activityOfDocument[index] = Int32(number)
        }
        let activityOfNode = activityOfDocument
        let firstDerived = included.firstIndex { activityOfNode[$0] >= 0 }

        var output = ChunkedOutput(chunkSize: chunkSize)
        output.append("{\n  \"prefix\": ")
        output.append(.object(JSONObject(Self.prefixes.map { ($0.0, JSONValue.string($0.1)) })))
        output.append(",\n  \"entity\": {")
        try output.finish(sink)
        try ExportInput.renderInParallel(
            count: included.count,
            render: { range, bytes in
                for position in range {
                    Self.startMember(first: position == 0, into: &bytes)
                    Self.writeIdentifier(nodeAt: included[position], of: graph, into: &bytes)
                    bytes.append(constant: ": ")
                    Self.writeEntity(included[position], input, into: &bytes)
                }
            }, to: sink)
        output.append(included.isEmpty ? "},\n  \"activity\": {" : "\n  },\n  \"activity\": {")
        try output.finish(sink)
        let made = activities
        try ExportInput.renderInParallel(
            count: made.count,
            render: { range, bytes in
                for number in range {
                    let activity = made[number]
                    Self.startMember(first: number == 0, into: &bytes)
                    Self.writeNumbered("lineage:extraction", number, into: &bytes)
                    bytes.append(constant: ": ")
                    var object = InlineJSONObject(into: &bytes)
                    object.string("prov:type", "mixpeek:Extraction", into: &bytes)
                    if let start = activity.start { object.string("prov:startTime", start, into: &bytes) }
                    if let end = activity.end { object.string("prov:endTime", end, into: &bytes) }
                    if let extractor = activity.key.extractor {
                        object.string("mixpeek:feature_extractor_id", extractor, into: &bytes)
                    }
                    if let collection = activity.key.collection {
                        object.string("mixpeek:collection_id", collection, into: &bytes)
                    }
                    object.string("lineage:source", graph.nodes[activity.key.source].id.rawID, into: &bytes)
                    object.close(into: &bytes)
                }
            }, to: sink)
        output.append(made.isEmpty ? "},\n  \"used\": {" : "\n  },\n  \"used\": {")
        try output.finish(sink)
        try ExportInput.renderInParallel(
            count: made.count,
            render: { range, bytes in
                for number in range {
                    let activity = made[number]
                    Self.startMember(first: number == 0, into: &bytes)
                    Self.writeNumbered("lineage:u", number, into: &bytes)
                    bytes.append(constant: ": ")
                    var object = InlineJSONObject(into: &bytes)
                    object.key("prov:activity", into: &bytes)
                    Self.writeNumbered("lineage:extraction", number, into: &bytes)
                    object.key("prov:entity", into: &bytes)
                    Self.writeIdentifier(nodeAt: activity.key.source, of: graph, into: &bytes)
                    if let start = activity.start { object.string("prov:time", start, into: &bytes) }
                    object.close(into: &bytes)
                }
            }, to: sink)
        for section in ["wasGeneratedBy", "wasDerivedFrom"] {
            output.append(activities.isEmpty ? "},\n  \"\(section)\": {" : "\n  },\n  \"\(section)\": {")
            try output.finish(sink)
            let generation = section == "wasGeneratedBy"
            try ExportInput.renderInParallel(
                count: included.count,
                render: { range, bytes in
                    for position in range {
                        let index = included[position]
                        let activity = Int(activityOfNode[index])
                        guard activity >= 0 else { continue }
                        Self.startMember(first: position == firstDerived, into: &bytes)
                        Self.writeNumbered(generation ? "lineage:g" : "lineage:d", index, into: &bytes)
                        bytes.append(constant: ": ")
                        var object = InlineJSONObject(into: &bytes)
                        if generation {
                            object.key("prov:entity", into: &bytes)
                            Self.writeIdentifier(nodeAt: index, of: graph, into: &bytes)
                            object.key("prov:activity", into: &bytes)
                            Self.writeNumbered("lineage:extraction", activity, into: &bytes)
                            if let time = facts[position].1 { object.string("prov:time", time, into: &bytes) }
                        } else {
                            object.key("prov:generatedEntity", into: &bytes)
                            Self.writeIdentifier(nodeAt: index, of: graph, into: &bytes)
                            object.key("prov:usedEntity", into: &bytes)
                            Self.writeIdentifier(nodeAt: input.parent(of: index) ?? index, of: graph, into: &bytes)
                            object.key("prov:activity", into: &bytes)
                            Self.writeNumbered("lineage:extraction", activity, into: &bytes)
                            object.key("prov:generation", into: &bytes)
                            Self.writeNumbered("lineage:g", index, into: &bytes)
                            object.key("prov:usage", into: &bytes)
                            Self.writeNumbered("lineage:u", activity, into: &bytes)
                        }
                        object.close(into: &bytes)
                    }
                }, to: sink)
        }
        output.append(activities.isEmpty ? "}\n}\n" : "\n  }\n}\n")
        try output.finish(sink)
    }

    /// Starts a section's member on its own line, after a comma unless it is the section's first.
    private static func startMember(first: Bool, into bytes: inout [UInt8]) {
        bytes.append(constant: first ? "\n    " : ",\n    ")
    }

    /// Writes the attributes of the entity of the node at `index`.
    private static func writeEntity(_ index: Int, _ input: ExportInput, into bytes: inout [UInt8]) {
        // Field by field: the node itself would make its id's string.
        let nodes = input.graph.nodes
        let kind = nodes.kind(at: index)
        var object = InlineJSONObject(into: &bytes)
        let isObject = !kind.isDocument
        object.string("prov:type", isObject ? "mixpeek:Object" : "mixpeek:Document", into: &bytes)
        if let collection = nodes.collectionID(at: index) {
            object.string("mixpeek:collection_id", collection, into: &bytes)
        }
        if let bucket = nodes.bucketID(at: index) { object.string("mixpeek:bucket_id", bucket, into: &bytes) }
        if input.tiers[index] >= 0 { object.integer("lineage:tier", Int(input.tiers[index]), into: &bytes) }
        object.bool("lineage:ghost", kind.isGhost, into: &bytes)
        let found = input.findings[index] ?? []
        object.integer("lineage:findings", found.count, into: &bytes)
        if !found.isEmpty {
            object.string("lineage:rules", Set(found.map(\.rule)).sorted().joined(separator: " "), into: &bytes)
            if let worst = ExportInput.worst(found) { object.string("lineage:severity", worst.rawValue, into: &bytes) }
        }
        object.close(into: &bytes)
    }

    /// One extractor applied to one source for one collection.
    private struct ActivityKey: Hashable {
        var source: Int
        var collection: String?
        var extractor: String?
    }

    /// Writes the qualified name of a document or object id, quoted: `"mixpeek:` and the id's local
    /// name, whose bytes need no JSON escape.
    static func writeIdentifier(nodeAt index: Int, of graph: DecompositionGraph, into bytes: inout [UInt8]) {
        bytes.append(constant: "\"mixpeek:")
        graph.nodes.withRawID(at: index) { appendLocalName(utf8: $0, into: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes a numbered qualified name of our own, quoted: `prefix` and `number`.
    static func writeNumbered(_ prefix: StaticString, _ number: Int, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(constant: prefix)
        bytes.appendDecimal(number)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `id` as the local part of a qualified name: letters, digits, `_`, `.` and `-` kept,
    /// every other UTF-8 byte `%XX`.
    static func appendLocalName(utf8: UnsafeRawBufferPointer, into bytes: inout [UInt8]) {
        guard !utf8.allSatisfy(isNameByte) else {
            bytes.append(contentsOf: utf8)
            return
        }
        let hex: StaticString = "0123456789ABCDEF"
        for byte in utf8 {
            if isNameByte(byte) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex.utf8Start[Int(byte >> 4)])
                bytes.append(hex.utf8Start[Int(byte & 0x0F)])
            }
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
            true
        default: false
        }
    }
}
