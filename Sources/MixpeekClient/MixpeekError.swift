import LineageKit

/// The one error type of MixpeekClient: what the API (or the way to it) said, in words a person
/// can act on. The API key never appears in it.
public struct MixpeekError: Error, Sendable, CustomStringConvertible {
    /// A stable category of error.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case configuration, unauthorized, forbidden
            case namespaceNotFound = "namespace-not-found"
            case notFound = "not-found"
            case invalidRequest = "invalid-request"
            case rateLimited = "rate-limited"
            case server, transport
            case invalidResponse = "invalid-response"
            case incompleteListing = "incomplete-listing"
            case gaveUp = "gave-up"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Missing or unsafe configuration (no key, plain HTTP to another host, bad URL).
        public static let configuration = Code(.configuration)
        /// 401: the API key was refused.
        public static let unauthorized = Code(.unauthorized)
        /// 403: the key may not do this, or a quota is used up.
        public static let forbidden = Code(.forbidden)
        /// 404 for the namespace itself.
        public static let namespaceNotFound = Code(.namespaceNotFound)
        /// 404 for a collection, bucket, document or object.
        public static let notFound = Code(.notFound)
        /// 400 or 422: the request was refused as invalid.
        public static let invalidRequest = Code(.invalidRequest)
        /// 429 after every retry.
        public static let rateLimited = Code(.rateLimited)
        /// 5xx after every retry.
        public static let server = Code(.server)
        /// The connection failed after every retry.
        public static let transport = Code(.transport)
        /// The response is not what the API documents.
        public static let invalidResponse = Code(.invalidResponse)
        /// A listing the API says is incomplete (its `warnings`): pagination ended before the end.
        public static let incompleteListing = Code(.incompleteListing)
        /// The retry budget (attempts or total time) ran out.
        public static let gaveUp = Code(.gaveUp)

        /// The code's stable name.
        public var description: String { base.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// What went wrong and what to do, one or two sentences.
    public let message: String
    /// The HTTP status, when a response came.
    public let status: Int?
    /// The request, as `METHOD /path`.
    public let request: String?
    /// The error response's body, when it was JSON (a 422's `detail` names refused keys).
    public let body: JSONValue?
    /// What to change to get past the error, when a setting can (``message`` does not name it).
    public let remedy: Remedy?

    /// Creates an error.
    public init(
        code: Code, message: String, status: Int? = nil, request: String? = nil, body: JSONValue? = nil,
        remedy: Remedy? = nil
    ) {
        self.code = code
        self.message = message
        self.status = status
        self.request = request
        self.body = body
        self.remedy = remedy
    }

    /// `request: message`.
    public var description: String {
        [request, message].compactMap { $0 }.joined(separator: ": ")
    }
}
