/// One connected piece of a picture, laid out on its own before the pieces are packed together.
public struct LayoutComponent: Sendable, Hashable {
    /// A complete DOT graph.
    public var dot: String
    /// How many nodes it draws, for choosing an engine.
    public var nodeCount: Int
    /// The engine that lays this piece out.
    public var engine: GraphvizRenderer.Engine

    /// Creates a piece.
    public init(dot: String, nodeCount: Int, engine: GraphvizRenderer.Engine = .dot) {
        self.dot = dot
        self.nodeCount = nodeCount
        self.engine = engine
    }
}

/// Where Graphviz placed a node: its centre and size, in points, with y growing upwards.
public struct NodePosition: Sendable, Hashable {
    /// The centre's x.
    public var x: Double
    /// The centre's y (upwards, as in DOT's `pos`).
    public var y: Double
    /// The node's width.
    public var width: Double
    /// The node's height.
    public var height: Double

    /// Creates a position.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}
