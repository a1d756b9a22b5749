import Foundation
import LineageKit

/// Sends OpenLineage events to an HTTP endpoint (Marquez, DataHub, OpenMetadata or any
/// `POST /api/v1/lineage` receiver), one event a request, with a bearer token when given.
///
/// A RunEvent names its run, so a consumer that receives it twice keeps one: connection failures
/// and the statuses ``RetryPolicy`` retries (429 and 5xx, after `Retry-After` when stated) are
/// retried as the policy says. Events over ``maximumEventBytes`` are refused before anything is
/// sent (Dataplex takes at most 5 MB a message).
public struct OpenLineageClient: Sendable {
    /// The endpoint events are posted to.
    public let endpoint: URL
    /// The bearer token, when the endpoint needs one; never printed.
    private let apiKey: String?
    /// How failed requests are retried.
    public var retry: RetryPolicy
    /// The largest event sent, in bytes.
    public var maximumEventBytes: Int
    /// Called before each retry with what failed.
    public var onRetry: (@Sendable (String) -> Void)?
    private let transport: any HTTPTransport

    /// The path OpenLineage's HTTP transport posts to.
    public static let defaultPath = "/api/v1/lineage"
    /// Dataplex's limit on one message.
    public static let defaultMaximumEventBytes = 5 * 1024 * 1024

    /// Creates a client for `url`: an endpoint, or a server whose path is empty or `/`, which gets
    /// ``defaultPath``.
    ///
    /// - Throws: ``MixpeekError`` (`configuration`) when `url` is not an http or https URL.
    public init(
        url: String, apiKey: String?, retry: RetryPolicy = RetryPolicy(),
        maximumEventBytes: Int = OpenLineageClient.defaultMaximumEventBytes,
        transport: any HTTPTransport = URLSessionTransport()
    ) throws {
        guard var components = URLComponents(string: url), ["http", "https"].contains(components.scheme ?? ""),
            components.host?.isEmpty == false
        else {
            throw MixpeekError(
                code: .configuration, message: "the OpenLineage endpoint '\(url)' is not an http(s) URL")
        }
        if components.path.isEmpty || components.path == "/" { components.path = Self.defaultPath }
        guard let endpoint = components.url else {
            throw MixpeekError(code: .configuration, message: "the OpenLineage endpoint '\(url)' is not a URL")
        }
        self.endpoint = endpoint
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.retry = retry
        self.maximumEventBytes = maximumEventBytes
        self.transport = transport
    }

    /// Posts one event and returns how many attempts it took.
    ///
    /// - Throws: ``MixpeekError``: `invalidRequest` for an event over ``maximumEventBytes`` or a
    ///   4xx answer, `unauthorized`/`forbidden` for 401/403, `server`/`rateLimited`/`transport`
    ///   when retries ran out, `gaveUp` when the deadline did.
    @discardableResult
    public func post(_ event: JSONValue) async throws -> Int {
        let body = Array(event.serialized().utf8)
        let label = "POST " + endpoint.path
        guard body.count <= maximumEventBytes else {
            throw MixpeekError(
                code: .invalidRequest,
                message: "an event of \(body.count) bytes is over the limit of \(maximumEventBytes) bytes",
                request: label)
        }
        var headers = ["Content-Type": "application/json", "Accept": "application/json", "User-Agent": "LineageKit"]
        if let apiKey { headers["Authorization"] = "Bearer " + apiKey }
        let request = TransportRequest(method: "POST", url: endpoint, headers: headers, body: body)
        let exchange = RetryingExchange(
            policy: retry, label: label, host: endpoint.host ?? "the endpoint", onRetry: onRetry)
        return try await exchange.run(failure: Self.failure) { try await transport.send(request) }.attempts
    }

    /// The error for a non-2xx answer, with the body's first 300 bytes.
    private static func failure(_ response: TransportResponse, label: String) -> MixpeekError {
        let code: MixpeekError.Code
        switch response.status {
        case 401: code = .unauthorized
        case 403: code = .forbidden
        case 429: code = .rateLimited
        case 500...: code = .server
        default: code = .invalidRequest
        }
        let text = String(decoding: response.body.prefix(300), as: UTF8.self)
        return MixpeekError(
            code: code, message: "the OpenLineage endpoint answered \(response.status): \(text)",
            status: response.status, request: label)
    }
}
