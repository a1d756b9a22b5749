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
        let nodes = selection ?? graph.nodes
        var worst: [String: Severity] = [:]
        for finding in findings {
            guard let document = finding.documentID else { continue }
            worst[document] = max(worst[document] ?? .info, finding.severity)
        }
        var lines = ["flowchart TD"]
        for node in nodes {
            let place = node.kind == .object || node.kind == .ghostObject ? node.bucketID : node.collectionID
            let label = Self.escape((place ?? "?") + ": " + node.id.rawID)
            let shape = node.kind == .object || node.kind == .ghostObject ? "[\"\(label)\"]" : "([\"\(label)\"])"
            var line = "  n\(node.index)\(shape)"
            if node.kind.isGhost {
                line += ":::ghost"
            } else if let severity = worst[node.id.rawID] {
                line += ":::\(severity.rawValue)"
            }
            lines.append(line)
        }
        for edge in graph.edges(among: nodes) {
            lines.append("  n\(edge.source.index) --> n\(edge.derived.index)")
        }
        lines.append("  classDef ghost stroke-dasharray: 5 5")
        for severity in [Severity.error, .warning, .info] {
            let width = severity == .info ? 2 : 3
            lines.append("  classDef \(severity.rawValue) stroke:\(severity.outlineColour),stroke-width:\(width)px")
        }
        return lines.joined(separator: "\n") + "\n"
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
