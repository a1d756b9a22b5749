import LineageKit

extension Severity {
    /// The colour every picture (DOT, Mermaid, the pipeline view) outlines a node or collection
    /// whose worst finding has this severity with, so the three agree.
    var outlineColour: String {
        switch self {
        case .error: "#d62728"
        case .warning: "#ff7f0e"
        case .info: "#1f77b4"
        }
    }
}
