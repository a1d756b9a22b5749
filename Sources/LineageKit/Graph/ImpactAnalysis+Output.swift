import Foundation

/// The impact as `lineage impact` prints it: JSON (a stable contract, docs/cli.md), CSV and text.
extension ImpactAnalysis {
    /// The impact as JSON: `direction`, a `summary`, `collections`, `buckets`, `edges` and every
    /// affected node in `nodes` (kind, id, collection, bucket, distance, selected).
    public func json(selection: String) -> JSONValue {
        func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
        func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        let selected = affected.count { $0.distance == 0 }
        return [
            "selection": .string(selection), "direction": .string(direction.rawValue),
            "summary": [
                "selected": number(selected), "documents": number(documentCount), "objects": number(objectCount),
                "collections": number(collections.count),
                "ghosts": number(affected.count { $0.node.kind.isGhost }),
            ],
            "collections": .array(
                collections.map {
                    [
                        "collection_id": .string($0.collectionID), "documents": number($0.documents),
                        "selected": number($0.selected), "nearest_distance": number($0.nearestDistance),
                    ]
                }),
            "buckets": .array(
                objectsByBucket.map { ["bucket_id": optional($0.bucketID), "objects": number($0.objects)] }),
            "edges": .array(
                edges.map {
                    [
                        "from": ["kind": .string($0.from.kind), "id": .string($0.from.id)], "to": .string($0.to),
                        "extractor": optional($0.extractor), "documents": number($0.documents),
                    ]
                }),
            "nodes": .array(
                affected.map {
                    [
                        "kind": .string($0.node.kind.rawValue), "id": .string($0.node.id.rawID),
                        "collection_id": optional($0.node.collectionID), "bucket_id": optional($0.node.bucketID),
                        "distance": number($0.distance), "selected": .bool($0.distance == 0),
                    ]
                }),
        ]
    }

    /// The affected nodes as CSV (RFC 4180, a header row): `kind,id,collection_id,bucket_id,distance,selected`.
    public var csv: String {
        var out = "kind,id,collection_id,bucket_id,distance,selected\r\n"
        for entry in affected {
            let fields = [
                entry.node.kind.rawValue, entry.node.id.rawID, entry.node.collectionID ?? "", entry.node.bucketID ?? "",
                String(entry.distance), entry.distance == 0 ? "true" : "false",
            ]
            out += fields.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The impact for people: totals, collections, edges, and the first `maximumNodes` nodes
    /// reached (`nil` for all; `moreHint`, in parentheses after "and N more", says how to see the rest).
    public func text(selection: String, maximumNodes: Int? = 20, moreHint: String? = nil) -> String {
        let selected = affected.count { $0.distance == 0 }
        let word = direction == .downstream ? "downstream of" : "upstream of"
        var out = "\(selection): \(selected) node(s) selected; with everything \(word) them, "
        out += "\(documentCount) document(s) in \(collections.count) collection(s) and \(objectCount) object(s)\n"
        if !collections.isEmpty {
            out += "\nBy collection (documents, of them selected, steps from the selection):\n"
            for count in collections {
                out += "  \(count.collectionID): \(count.documents) (\(count.selected) selected), "
                out += "\(count.nearestDistance) step(s)\n"
            }
        }
        if !objectsByBucket.isEmpty {
            out += "\nBy bucket (objects):\n"
            for (bucket, objects) in objectsByBucket { out += "  \(bucket ?? "(missing objects)"): \(objects)\n" }
        }
        if !edges.isEmpty {
            out += "\nPipeline edges (documents):\n"
            for edge in edges {
                out +=
                    "  \(edge.from.id) → \(edge.to) by \(edge.extractor ?? "an unstated extractor"): \(edge.documents)\n"
            }
        }
        let reached = affected.filter { $0.distance > 0 }
        if !reached.isEmpty {
            out += "\n\(direction == .downstream ? "Reached downstream" : "Reached upstream") (\(reached.count)):\n"
            let shown = maximumNodes.map { Array(reached.prefix($0)) } ?? reached
            for entry in shown {
                let place = entry.node.collectionID ?? entry.node.bucketID ?? ""
                out += "  \(entry.node.id.rawID) (\(place), \(entry.distance) step(s))\n"
            }
            if shown.count < reached.count {
                out += "  " + .andMore(reached.count - shown.count, hint: moreHint) + "\n"
            }
        }
        return out
    }

    /// A CSV field, quoted when it holds a comma, quote, CR or LF (quotes doubled); a field that
    /// a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`.
    package static func csvField(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
