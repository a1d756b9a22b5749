/// The one error type of LineageKit: what went wrong, where, and for which document.
///
/// Errors carry their cause so that a person can act on them: the file, line and column of bad
/// input, the document it belongs to, and a sentence saying what is wrong. Compare errors by
/// ``code``; read them through ``description``.
public struct LineageKitError: Error, Sendable, CustomStringConvertible {
    /// A stable category of error, for programs that branch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case malformedJSON = "malformed-json"
            case unknownRecordKind = "unknown-record-kind"
            case missingField = "missing-field"
            case wrongFieldType = "wrong-field-type"
            case conflictingDuplicate = "conflicting-duplicate"
            case duplicateKey = "duplicate-key"
            case unreadableInput = "unreadable-input"
            case inputChanged = "input-changed"
            case invalidArgument = "invalid-argument"
            case writeFailed = "write-failed"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The input is not valid JSON.
        public static let malformedJSON = Code(.malformedJSON)
        /// A record is neither a document, a bucket object nor a collection configuration.
        public static let unknownRecordKind = Code(.unknownRecordKind)
        /// A record lacks a field it must have (`document_id`, `collection_id`, …).
        public static let missingField = Code(.missingField)
        /// A field holds a value of the wrong JSON type.
        public static let wrongFieldType = Code(.wrongFieldType)
        /// The same id appears twice with different content.
        public static let conflictingDuplicate = Code(.conflictingDuplicate)
        /// A key appears twice in one object of a record.
        public static let duplicateKey = Code(.duplicateKey)
        /// A file or directory could not be read.
        public static let unreadableInput = Code(.unreadableInput)
        /// A file changed between reading it and reading a document from it again.
        public static let inputChanged = Code(.inputChanged)
        /// An argument given to the library is out of range or inconsistent.
        public static let invalidArgument = Code(.invalidArgument)
        /// An output file could not be written.
        public static let writeFailed = Code(.writeFailed)

        /// A short text for people.
        public var description: String { base.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// A sentence saying what is wrong, without the location.
    public let message: String
    /// Where in the input the problem is, when it comes from input.
    public let location: SourceLocation?
    /// The document (or object, or collection) the problem belongs to, when known.
    public let recordID: String?
    /// What to change to get past the error, when a setting can (``message`` does not name it).
    public let remedy: Remedy?

    /// Creates an error.
    public init(
        code: Code, message: String, location: SourceLocation? = nil, recordID: String? = nil, remedy: Remedy? = nil
    ) {
        self.code = code
        self.message = message
        self.location = location
        self.recordID = recordID
        self.remedy = remedy
    }

    /// `file:line:column: record ID: message`, leaving out what is unknown.
    public var description: String {
        var parts: [String] = []
        if let location { parts.append(location.description) }
        if let recordID { parts.append(recordID) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

/// A place in the input: a file (or `<stdin>`), a 1-based line and, where known, a 1-based column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file's path as given, or `<stdin>`.
    public let file: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column in bytes, when known.
    public let column: Int?

    /// Creates a location.
    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A short text for people.
    public var description: String {
        if let column { return "\(file):\(line):\(column)" }
        return "\(file):\(line)"
    }
}
