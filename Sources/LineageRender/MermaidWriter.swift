import LineageKit

/// Writes a decomposition graph (or part of it) as a Mermaid flowchart, for pasting into Markdown.
///
/// Mermaid node ids must be plain words, so nodes are numbered (`n0`, `n1`, …) and their real ids
/// go into the labels, with every character that could end a label or start markup replaced by a
/// Mermaid entity code. Ghost nodes are dashed; documents with findings are outlined by severity.
public struct MermaidWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// The Mermaid text of `nodes` of `graph` (all nodes when `nil`) and the edges between them.
    public func mermaid(
        of graph: DecompositionGraph, nodes selection: [DecompositionGraph.Node]? = nil, findings: [Finding] = []
    ) -> String {
        let picture = Picture(
            graph: graph, nodes: selection ?? Array(graph.nodes), findings: findings, settings: Picture.Settings())
        var lines = ["flowchart TD"]
        for node in picture.nodes {
            let label = Self.escape((node.place ?? "?") + ": " + node.id)
            let shape = node.kind == .object ? "[\"\(label)\"]" : "([\"\(label)\"])"
            var line = "  " + Self.name(of: node) + shape
            if node.isGhost {
                line += ":::ghost"
            } else if let severity = node.worst {
                line += ":::\(severity.rawValue)"
            }
            lines.append(line)
        }
        for edge in picture.edges {
            lines.append(
                "  " + Self.name(of: picture.nodes[edge.source]) + " --> " + Self.name(of: picture.nodes[edge.target]))
        }
        lines.append("  classDef ghost stroke-dasharray: 5 5")
        for severity in [Severity.error, .warning, .info] {
            let width = severity == .info ? 2 : 3
            lines.append("  classDef \(severity.rawValue) stroke:\(severity.outlineColour),stroke-width:\(width)px")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A node's Mermaid id: `n` and its place in the graph.
    private static func name(of node: Picture.Node) -> String {
        "n\(node.graphIndex ?? -1)"
    }

    /// Text safe inside a Mermaid `"…"` label: quotes, brackets, markup and control characters
    /// become entity codes or spaces.
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "#": out += "#35;"
            case "&": out += "#amp;"
            case "[", "]", "{", "}", "(", ")", "|", "`": out += "#\(scalar.value);"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
