/// The one error type of LineageRender: what Graphviz could not do, with Graphviz's own message.
public struct LineageRenderError: Error, Sendable, CustomStringConvertible {
    /// A stable category of error.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidDOT = "invalid-dot"
            case layoutFailed = "layout-failed"
            case renderFailed = "render-failed"
            case noContext = "no-context"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Graphviz could not parse the DOT text.
        public static let invalidDOT = Code(.invalidDOT)
        /// The layout engine failed (often a broken plugin install: no `config6a`).
        public static let layoutFailed = Code(.layoutFailed)
        /// The renderer failed or the format is not installed.
        public static let renderFailed = Code(.renderFailed)
        /// No Graphviz context could be created.
        public static let noContext = Code(.noContext)

        /// The code's stable name.
        public var description: String { base.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// What went wrong, with Graphviz's last message when it gave one.
    public let message: String

    /// A short text for people.
    public var description: String { "\(code): \(message)" }
}
