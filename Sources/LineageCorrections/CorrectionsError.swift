import LineageKit

/// The one error type of LineageCorrections: a plan, patch file or journal that cannot be used, or
/// a guard that stopped an apply.
public struct CorrectionsError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the file and line or document.
    public let message: String
    /// What to change to get past the error, when a setting can (``message`` does not name it).
    public let remedy: Remedy?

    /// Creates an error.
    public init(_ message: String, remedy: Remedy? = nil) {
        self.message = message
        self.remedy = remedy
    }

    /// The message.
    public var description: String { message }
}
