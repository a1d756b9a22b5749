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
        var output = ChunkedOutput(chunkSize: chunkSize)
        // Activities: one per (source, collection, extractor), in order of first appearance.
        var activityOf: [ActivityKey: Int] = [:]
        var activities: [(key: ActivityKey, start: String?, end: String?)] = []
        var activityOfDocument = [Int32](repeating: -1, count: graph.nodes.count)
        for index in input.included {
            guard let parent = input.parent(of: index) else { continue }
            let key = ActivityKey(
                source: parent, collection: graph.nodes[index].collectionID, extractor: input.extractor(of: index))
            let time = input.timestamp(of: index)
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

        output.append("{\n  \"prefix\": ")
        output.append(.object(JSONObject(Self.prefixes.map { ($0.0, JSONValue.string($0.1)) })))
        output.append(",\n  \"entity\": {")
        var first = true
        func member(_ id: String, _ value: JSONValue) {
            output.append(first ? "\n    " : ",\n    ")
            first = false
            output.append(.string(id))
            output.append(": ")
            output.append(value)
        }
        for index in input.included {
            let node = graph.nodes[index]
            var attributes = JSONObject()
            let isObject = node.kind == .object || node.kind == .ghostObject
            attributes["prov:type"] = .string(isObject ? "mixpeek:Object" : "mixpeek:Document")
            if let collection = node.collectionID { attributes["mixpeek:collection_id"] = .string(collection) }
            if let bucket = node.bucketID { attributes["mixpeek:bucket_id"] = .string(bucket) }
            if input.tiers[index] >= 0 { attributes["lineage:tier"] = .number(JSONNumber(Int(input.tiers[index]))) }
            attributes["lineage:ghost"] = .bool(node.kind.isGhost)
            let found = node.kind == .document ? input.findings[node.id.rawID] ?? [] : []
            attributes["lineage:findings"] = .number(JSONNumber(found.count))
            if !found.isEmpty {
                attributes["lineage:rules"] = .string(Set(found.map(\.rule)).sorted().joined(separator: " "))
                if let worst = ExportInput.worst(found) { attributes["lineage:severity"] = .string(worst.rawValue) }
            }
            member(Self.identifier(node.id.rawID), .object(attributes))
            try output.flushIfFull(sink)
        }
        output.append(first ? "},\n  \"activity\": {" : "\n  },\n  \"activity\": {")
        first = true
        for (number, activity) in activities.enumerated() {
            var attributes: JSONObject = ["prov:type": "mixpeek:Extraction"]
            if let start = activity.start { attributes["prov:startTime"] = .string(start) }
            if let end = activity.end { attributes["prov:endTime"] = .string(end) }
            if let extractor = activity.key.extractor {
                attributes["mixpeek:feature_extractor_id"] = .string(extractor)
            }
            if let collection = activity.key.collection { attributes["mixpeek:collection_id"] = .string(collection) }
            attributes["lineage:source"] = .string(graph.nodes[activity.key.source].id.rawID)
            member(Self.activityIdentifier(number), .object(attributes))
            try output.flushIfFull(sink)
        }
        output.append(first ? "},\n  \"used\": {" : "\n  },\n  \"used\": {")
        first = true
        for (number, activity) in activities.enumerated() {
            var attributes: JSONObject = [
                "prov:activity": .string(Self.activityIdentifier(number)),
                "prov:entity": .string(Self.identifier(graph.nodes[activity.key.source].id.rawID)),
            ]
            if let start = activity.start { attributes["prov:time"] = .string(start) }
            member("lineage:u\(number)", .object(attributes))
            try output.flushIfFull(sink)
        }
        for (section, relation) in [("wasGeneratedBy", 0), ("wasDerivedFrom", 1)] {
            output.append(first ? "},\n  \"\(section)\": {" : "\n  },\n  \"\(section)\": {")
            first = true
            for index in input.included where activityOfDocument[index] >= 0 {
                let activity = Self.activityIdentifier(Int(activityOfDocument[index]))
                let entity = Self.identifier(graph.nodes[index].id.rawID)
                var attributes: JSONObject
                if relation == 0 {
                    attributes = ["prov:entity": .string(entity), "prov:activity": .string(activity)]
                    if let time = input.timestamp(of: index) { attributes["prov:time"] = .string(time) }
                    member("lineage:g\(index)", .object(attributes))
                } else {
                    let source = graph.nodes[input.parent(of: index) ?? index].id.rawID
                    attributes = [
                        "prov:generatedEntity": .string(entity), "prov:usedEntity": .string(Self.identifier(source)),
                        "prov:activity": .string(activity), "prov:generation": .string("lineage:g\(index)"),
                        "prov:usage": .string("lineage:u\(activityOfDocument[index])"),
                    ]
                    member("lineage:d\(index)", .object(attributes))
                }
                try output.flushIfFull(sink)
            }
        }
        output.append(first ? "}\n}\n" : "\n  }\n}\n")
        try output.finish(sink)
    }

    /// One extractor applied to one source for one collection.
    private struct ActivityKey: Hashable {
        var source: Int
        var collection: String?
        var extractor: String?
    }

    /// The qualified name of a document or object id.
    static func identifier(_ id: String) -> String { "mixpeek:" + localName(id) }

    static func activityIdentifier(_ number: Int) -> String { "lineage:extraction\(number)" }

    /// `id` as the local part of a qualified name: letters, digits, `_`, `.` and `-` kept, every
    /// other UTF-8 byte `%XX`.
    static func localName(_ id: String) -> String {
        var out = ""
        for byte in id.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
