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

    /// The longest side of a PNG, in pixels: cairo's surfaces stop at 32,767, so a bigger picture
    /// is rendered at a lower resolution.
    static let largestBitmapSide = 32_000.0

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
        guard !components.isEmpty else {
            throw LineageRenderError(code: .invalidDOT, message: "there is nothing to draw: no pieces were given")
        }
        return try withContext { context in
            if components.count > 1, format == .svg {
                return try PackedSVG.render(components: components, context: context)
            }
            let graph = try laidOutGraph(components, context: context)
            if format == .png { graph.fitBitmap(largestSide: Self.largestBitmapSide) }
            return try graph.render(format.rawValue, failure: "rendering \(format.rawValue) failed")
        }
    }

    /// Where each node of the packed picture lies, by node name, as ``render(components:format:)``
    /// would draw it (before the renderer's margin).
    ///
    /// - Throws: ``LineageRenderError``.
    public static func positions(of components: [LayoutComponent]) throws -> [String: NodePosition] {
        guard !components.isEmpty else { return [:] }
        return try withContext { context in
            let laidOut = try laidOutGraph(components, context: context)
            laidOut.attachPositions()
            return laidOut.withPointer { graph in
                var positions: [String: NodePosition] = [:]
                var node = agfstnode(graph)
                while let current = node {
                    let center = PackedGraph.numbers(in: PackedGraph.attribute(of: current, "pos") ?? "")
                    let width = Double(PackedGraph.attribute(of: current, "width") ?? "") ?? 0
                    let height = Double(PackedGraph.attribute(of: current, "height") ?? "") ?? 0
                    if center.count >= 2 {
                        positions[DOTWriter.rawID(fromNodeName: String(cString: agnameof(current)))] = NodePosition(
                            x: center[0], y: center[1], width: width * 72, height: height * 72)
                    }
                    node = agnxtnode(graph, current)
                }
                return positions
            }
        }
    }

    /// The one Graphviz context, made on first use and kept for the life of the process.
    ///
    /// Freeing a context frees its font-name dictionary, but Graphviz 2.42's pango plugin keeps a
    /// pointer into it across renders and compares against it in the next context: a
    /// heap-use-after-free that AddressSanitizer shows (docs/graphviz.md). One context, used under
    /// the lock, is also what Graphviz's own tools do.
    nonisolated(unsafe) private static var sharedContext: OpaquePointer?

    /// Runs `body` with the process's Graphviz context, holding the process-wide lock, with
    /// Graphviz's messages kept off standard error.
    private static func withContext<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        lineage_silence_messages()
        if sharedContext == nil { sharedContext = gvContext() }
        guard let context = sharedContext else {
            throw LineageRenderError(code: .noContext, message: "gvContext() returned no context")
        }
        return try body(context)
    }

    /// One piece read and laid out with its engine, or several packed into one graph
    /// (``PackedGraph``) that keeps their positions.
    private static func laidOutGraph(_ components: [LayoutComponent], context: OpaquePointer) throws -> GraphvizGraph {
        if components.count == 1, let only = components.first {
            var graph = try GraphvizGraph(dot: only.dot, failure: "the DOT text does not parse")
            try graph.layOut(
                with: only.engine.rawValue, in: context,
                failure: "layout with \(only.engine.rawValue) failed (is Graphviz's config6a installed?)")
            return graph
        }
        var graph = try PackedGraph.combine(components, context: context)
        try graph.layOut(
            with: "nop2", in: context, failure: "layout with nop2 failed (is Graphviz's config6a installed?)")
        return graph
    }

    /// Graphviz's last error message (freed here), or `fallback`.
    static func lastMessage(or fallback: String) -> String {
        guard let message = aglasterr() else { return fallback }
        defer { free(message) }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? fallback : text
    }
}
