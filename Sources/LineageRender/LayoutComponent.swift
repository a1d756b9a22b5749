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
