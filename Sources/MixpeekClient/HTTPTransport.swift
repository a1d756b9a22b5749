import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP request, as the client builds it.
public struct TransportRequest: Sendable {
    /// `GET`, `POST`, `PATCH`.
    public var method: String
    /// The full URL, path segments already percent-encoded.
    public var url: URL
    /// Header fields.
    public var headers: [String: String]
    /// The body, if any.
    public var body: [UInt8]?

    /// Creates a request.
    public init(method: String, url: URL, headers: [String: String] = [:], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One HTTP response.
public struct TransportResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields, names lowercased.
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// What the client sends requests through. Failures to connect or dropped connections throw;
/// every response, whatever its status, returns.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response.
    func send(_ request: TransportRequest) async throws -> TransportResponse
}

/// The transport over Foundation's `URLSession` (FoundationNetworking on Linux): no dependency,
/// HTTP/1.1 keep-alive, async/await.
public struct URLSessionTransport: HTTPTransport {
    private let session: URLSession

    /// Creates a transport with its own session (no cookies, no cache, 60 s per request).
    public init(timeout: TimeInterval = 60) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    /// Sends `request` through the session.
    ///
    /// A cancelled task still waits for its request to end (at most the timeout): cancelling a
    /// `URLSession` task from Swift task cancellation deadlocks swift-corelibs-foundation when the
    /// request completes at the same moment (seen when a run stops on an error with requests in
    /// flight), so the completion-handler API is used without a cancellation handler.
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        let session = self.session
        let (data, response): (Data, URLResponse) = try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: urlRequest) { data, response, error in
                if let response {
                    continuation.resume(returning: (data ?? Data(), response))
                } else {
                    continuation.resume(throwing: error ?? URLError(.badServerResponse))
                }
            }.resume()
        }
        guard let http = response as? HTTPURLResponse else {
            throw MixpeekError(code: .invalidResponse, message: "the response is not HTTP")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return TransportResponse(status: http.statusCode, headers: headers, body: [UInt8](data))
    }
}
