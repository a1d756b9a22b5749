/// Where records come from: a file or directory, standard input, or bytes in memory.
public enum InputSource: Sendable, Hashable, CustomStringConvertible {
    /// A file, or a directory whose `.json` and `.jsonl` files (not those of subdirectories) are
    /// read in name order.
    case path(String)
    /// Standard input, read whole; JSON Lines, a JSON array or a list-response envelope.
    case standardInput
    /// Bytes in memory, named for error messages.
    case bytes([UInt8], name: String)

    /// Parses a command-line argument: `-` is standard input, anything else a path.
    public init(argument: String) {
        self = argument == "-" ? .standardInput : .path(argument)
    }

    /// A short text for people.
    public var description: String {
        switch self {
        case .path(let path): path
        case .standardInput: "<stdin>"
        case .bytes(_, let name): name
        }
    }
}
