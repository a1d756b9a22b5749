import LineageKit

/// Writes a decomposition graph (or part of it) as a JSON node and edge list.
public struct GraphJSONWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// `{"nodes": [{"id", "kind", "collection_id", "bucket_id", "findings"}], "edges": [{"from", "to"}]}`;
    /// with `positions` (``GraphvizRenderer/positions(of:)``), each node placed in them also has
    /// `"position": {"x", "y", "width", "height"}` in points, y upwards.
    public func json(
        of graph: DecompositionGraph, nodes selection: [DecompositionGraph.Node]? = nil, findings: [Finding] = [],
        positions: [String: NodePosition]? = nil
    ) -> JSONValue {
        let nodes = selection ?? Array(graph.nodes)
        var rules: [String: [String]] = [:]
        for finding in findings {
            if let document = finding.documentID { rules[document, default: []].append(finding.rule) }
        }
        let nodeValues: [JSONValue] = nodes.map { node in
            var value: JSONObject = [
                "id": .string(node.id.rawID), "kind": .string(node.kind.rawValue),
                "collection_id": node.collectionID.map(JSONValue.string) ?? .null,
                "bucket_id": node.bucketID.map(JSONValue.string) ?? .null,
                "findings": .array((rules[node.id.rawID] ?? []).map(JSONValue.string)),
            ]
            if let place = positions?[node.id.rawID] {
                value["position"] = [
                    "x": .number(JSONNumber(place.x)), "y": .number(JSONNumber(place.y)),
                    "width": .number(JSONNumber(place.width)), "height": .number(JSONNumber(place.height)),
                ]
            }
            return .object(value)
        }
        let edges: [JSONValue] = graph.edges(among: nodes).map {
            ["from": .string($0.source.id.rawID), "to": .string($0.derived.id.rawID)]
        }
        return ["nodes": .array(nodeValues), "edges": .array(edges)]
    }
}
