/// The one error type of LineageCorrections: a plan, patch file or journal that cannot be used, or
/// a guard that stopped an apply.
public struct CorrectionsError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the file and line or document.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
