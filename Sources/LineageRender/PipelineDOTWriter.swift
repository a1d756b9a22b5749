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
        let picture = Picture(pipeline: pipeline, findings: findings, configured: configured)
        var out = "digraph pipeline {\n"
        out += "  graph [rankdir=LR, fontname=\"Helvetica\"];\n"
        out += "  node [fontname=\"Helvetica\", fontsize=11, style=filled, fillcolor=\"#f5f5f5\"];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#666666\"];\n"
        for node in picture.nodes { out += "  " + DOTWriter.statement(of: node) }
        for edge in picture.edges {
            out += "  "
            DOTWriter.appendEdge(edge, of: picture, to: &out)
        }
        out += "}\n"
        return out
    }
}
