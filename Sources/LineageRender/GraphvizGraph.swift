internal import CGraphviz

/// One Graphviz graph and its layout, owned: the graph is closed, and its layout freed first, when
/// the owner goes, on every path. Every libcgraph/libgvc call on a graph goes through this type,
/// and the graph's pointer never outlives it (``withPointer(_:)`` lends it for one call).
///
/// Callers hold ``GraphvizRenderer``'s lock, as every Graphviz call needs.
struct GraphvizGraph: ~Copyable {
    private let pointer: UnsafeMutablePointer<Agraph_t>
    /// The context the graph was laid out in, whose layout is freed before the graph is closed.
    private var layoutContext: OpaquePointer?

    /// Reads DOT text; `failure` is the message when Graphviz gives none.
    init(dot: String, failure: @autoclosure () -> String) throws {
        guard let graph = dot.withCString({ lineage_read_graph($0) }) else {
            throw LineageRenderError(code: .invalidDOT, message: GraphvizRenderer.lastMessage(or: failure()))
        }
        pointer = graph
    }

    /// A new, empty directed graph named `name`.
    init(emptyDigraphNamed name: String) throws {
        guard let graph = lineage_new_digraph(name) else {
            throw LineageRenderError(code: .layoutFailed, message: "could not create the graph \(name)")
        }
        pointer = graph
    }

    deinit {
        if let layoutContext { gvFreeLayout(layoutContext, pointer) }
        agclose(pointer)
    }

    /// Lays the graph out with `engine` (`nop2` keeps the positions it has); `failure` is the
    /// message when Graphviz gives none.
    mutating func layOut(with engine: String, in context: OpaquePointer, failure: @autoclosure () -> String) throws {
        precondition(layoutContext == nil, "a graph is laid out once")
        guard gvLayout(context, pointer, engine) == 0 else {
            throw LineageRenderError(code: .layoutFailed, message: GraphvizRenderer.lastMessage(or: failure()))
        }
        layoutContext = context
    }

    /// The laid-out graph rendered as `format` (`svg`, `png`, `pdf`), copied out of Graphviz's
    /// buffer, which is freed here.
    func render(_ format: String, failure: @autoclosure () -> String) throws -> [UInt8] {
        guard let context = layoutContext else { preconditionFailure("a graph is laid out before it is rendered") }
        var result: UnsafeMutablePointer<CChar>?
        var length = 0
        guard lineage_render_data(context, pointer, format, &result, &length) == 0, let result else {
            throw LineageRenderError(code: .renderFailed, message: GraphvizRenderer.lastMessage(or: failure()))
        }
        defer { gvFreeRenderData(result) }
        return result.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// Writes the layout's positions (`pos`, `bb`, …) into the graph's attributes.
    func attachPositions() {
        lineage_attach_positions(pointer)
    }

    /// Scales a PNG's resolution down so that no side exceeds `largestSide` pixels.
    func fitBitmap(largestSide: Double) {
        lineage_fit_bitmap(pointer, largestSide)
    }

    /// Calls `body` with the graph's pointer, for reading and copying its nodes; the pointer must
    /// not escape `body`.
    func withPointer<T>(_ body: (UnsafeMutablePointer<Agraph_t>) throws -> T) rethrows -> T {
        try body(pointer)
    }
}

/// Graphs owned together, each closed (layout first) when the list goes: the pieces of a packed
/// picture, which must all stay laid out until they are copied into one.
struct GraphvizGraphList: ~Copyable {
    private let storage: UnsafeMutablePointer<GraphvizGraph>
    private let capacity: Int
    /// How many graphs the list holds.
    private(set) var count = 0

    /// An empty list with room for `capacity` graphs.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    /// Takes ownership of `graph`.
    mutating func append(_ graph: consuming GraphvizGraph) {
        precondition(count < capacity, "the list is full")
        (storage + count).initialize(to: graph)
        count += 1
    }

    /// Calls `body` with the graph at `index`, borrowed.
    func withGraph<T>(at index: Int, _ body: (borrowing GraphvizGraph) throws -> T) rethrows -> T {
        precondition(index >= 0 && index < count, "no graph at \(index)")
        return try body(storage[index])
    }
}
