internal import CGraphviz
import Foundation

/// Lays out and renders DOT text in process through Graphviz's C library (libgvc); never a `dot`
/// subprocess.
///
/// - Important: Graphviz must be installed (Debian `libgraphviz-dev`, Homebrew `graphviz`), with
///   its plugin configuration (`config6a`) written by the package; without it layouts fail.
/// - Important: cgraph is not thread-safe, and even one context per thread crashes under
///   concurrent renders, so every call is serialised behind one process-wide lock. Rendering from
///   several threads is safe; it is not parallel.
public enum GraphvizRenderer {
    /// Output formats Graphviz renders.
    public enum Format: String, Sendable, CaseIterable {
        /// Scalable vector graphics.
        case svg
        /// A PNG bitmap.
        case png
        /// A PDF page.
        case pdf
    }

    /// Layout engines.
    public enum Engine: String, Sendable, CaseIterable {
        /// Hierarchical layers: the natural picture of a decomposition tree.
        case dot
        /// Force-directed, for large graphs.
        case sfdp
        /// Radial.
        case twopi
    }

    private static let lock = NSLock()

    /// Lays out `dot` with `engine` and renders it as `format`.
    ///
    /// Every C resource (graph, layout, context, rendered buffer) is released on every path, and
    /// the bytes are copied into Swift before the buffer is freed.
    ///
    /// - Throws: ``LineageRenderError`` with Graphviz's own message.
    public static func render(dot: String, format: Format, engine: Engine = .dot) throws -> [UInt8] {
        try render(components: [LayoutComponent(dot: dot, nodeCount: 0, engine: engine)], format: format)
    }

    /// Lays out each piece on its own with its engine, packs the pieces in rows (in the given
    /// order, 16 points apart) and renders the whole as `format`. SVG nests each piece's own
    /// `<svg>` in one document; PNG and PDF copy the laid-out pieces into one graph first.
    ///
    /// This is how a forest should be drawn: dot's time grows faster than linearly with the
    /// graph, so laying out a thousand small trees one by one is far faster than laying out one
    /// graph of all of them. One piece is laid out and rendered as it is.
    ///
    /// - Throws: ``LineageRenderError``; a piece that does not parse or lay out is named by its
    ///   position.
    public static func render(components: [LayoutComponent], format: Format) throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        lineage_silence_messages()
        guard let context = gvContext() else {
            throw LineageRenderError(code: .noContext, message: "gvContext() returned no context")
        }
        defer { gvFreeContext(context) }
        if components.count > 1, format == .svg {
            return try PackedSVG.render(components: components, context: context)
        }
        let graph: UnsafeMutablePointer<Agraph_t>
        let engine: String
        if components.count == 1, let only = components.first {
            guard let single = only.dot.withCString({ lineage_read_graph($0) }) else {
                throw LineageRenderError(code: .invalidDOT, message: lastMessage(or: "the DOT text does not parse"))
            }
            (graph, engine) = (single, only.engine.rawValue)
        } else {
            (graph, engine) = (try PackedGraph(components: components, context: context).graph, "nop2")
        }
        defer { agclose(graph) }
        guard gvLayout(context, graph, engine) == 0 else {
            throw LineageRenderError(
                code: .layoutFailed,
                message: lastMessage(or: "layout with \(engine) failed (is Graphviz's config6a installed?)"))
        }
        defer { gvFreeLayout(context, graph) }
        var result: UnsafeMutablePointer<CChar>?
        var length = 0
        guard lineage_render_data(context, graph, format.rawValue, &result, &length) == 0, let result else {
            throw LineageRenderError(
                code: .renderFailed, message: lastMessage(or: "rendering \(format.rawValue) failed"))
        }
        defer { gvFreeRenderData(result) }
        return result.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// Graphviz's last error message (freed here), or `fallback`.
    static func lastMessage(or fallback: String) -> String {
        guard let message = aglasterr() else { return fallback }
        defer { free(message) }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? fallback : text
    }
}
