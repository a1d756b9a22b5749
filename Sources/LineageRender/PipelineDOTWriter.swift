import LineageKit

/// Writes the collection-level pipeline as DOT: buckets and collections with their document and
/// finding counts, "feeds" edges labelled with how many documents took them.
///
/// Edges a collection configuration does not declare (when configurations were given) are dashed,
/// and collections with error findings are outlined in red, with warnings in orange.
public struct PipelineDOTWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// The DOT text of `pipeline`, with `findings` counted per collection.
    public func dot(of pipeline: PipelineGraph, findings: [Finding] = [], configured: Bool = false) -> String {
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
        var out = "digraph pipeline {\n"
        out += "  graph [rankdir=LR, fontname=\"Helvetica\"];\n"
        out += "  node [fontname=\"Helvetica\", fontsize=11, style=filled, fillcolor=\"#f5f5f5\"];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#666666\"];\n"
        for node in pipeline.nodes {
            var label = node.id
            var attributes: [(String, String)] = [("id", node.kind + ":" + node.id)]
            switch node {
            case .bucket:
                attributes.append(("shape", "cylinder"))
            case .collection(let id):
                attributes.append(("shape", "box"))
                attributes.append(("style", "filled,rounded"))
                label += "\n\(pipeline.documentCounts[node] ?? 0) documents"
                let errorCount = errors[id] ?? 0
                let warningCount = warnings[id] ?? 0
                if errorCount + warningCount > 0 {
                    label += "\n\(errorCount) errors, \(warningCount) warnings"
                    attributes.append(("color", (errorCount > 0 ? Severity.error : .warning).outlineColour))
                    attributes.append(("penwidth", "2.5"))
                }
            }
            attributes.append(("label", label))
            out +=
                "  " + DOTWriter.quote(node.kind + ":" + node.id) + " ["
                + attributes.map { "\($0.0)=\(DOTWriter.quote($0.1))" }.joined(separator: ", ") + "];\n"
        }
        for edge in pipeline.edges {
            var attributes = [("label", "\(edge.documentCount)")]
            if configured && !edge.configured {
                attributes.append(("style", "dashed"))
                attributes.append(("tooltip", "not declared by the collection's configuration"))
            }
            out +=
                "  " + DOTWriter.quote(edge.from.kind + ":" + edge.from.id) + " -> "
                + DOTWriter.quote(edge.to.kind + ":" + edge.to.id) + " ["
                + attributes.map { "\($0.0)=\(DOTWriter.quote($0.1))" }.joined(separator: ", ") + "];\n"
        }
        out += "}\n"
        return out
    }
}
