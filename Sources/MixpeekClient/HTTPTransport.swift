import Foundation
import LineageKit

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
    /// Sends `request` and writes a 2xx answer's body to the file at `path` (replacing it) rather
    /// than returning it; other answers come back with their body, as from ``send(_:)``.
    func download(_ request: TransportRequest, to path: String) async throws -> TransportResponse
}

extension HTTPTransport {
    /// Downloads through ``send(_:)``, holding the body in memory on its way to the file.
    public func download(_ request: TransportRequest, to path: String) async throws -> TransportResponse {
        var response = try await send(request)
        guard (200..<300).contains(response.status) else { return response }
        let writer = try AtomicFileWriter(path: path, overwrite: true)
        try writer.write(response.body)
        try writer.commit()
        response.body = []
        return response
    }
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
        return try Self.response(response, body: [UInt8](data))
    }

    /// Downloads with a download task: the body streams to a temporary file, which is moved to
    /// `path` on a 2xx answer, so a large export never sits in memory.
    public func download(_ request: TransportRequest, to path: String) async throws -> TransportResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let session = self.session
        let staged = path + ".download-" + UUID().uuidString
        let response: URLResponse = try await withCheckedThrowingContinuation { continuation in
            session.downloadTask(with: urlRequest) { location, response, error in
                // The file at `location` is removed when this handler returns: move it now.
                guard let response, let location else {
                    continuation.resume(throwing: error ?? URLError(.badServerResponse))
                    return
                }
                do {
                    try FileManager.default.moveItem(at: location, to: URL(fileURLWithPath: staged))
                    continuation.resume(returning: response)
                } catch {
                    continuation.resume(throwing: error)
                }
            }.resume()
        }
        defer { try? FileManager.default.removeItem(atPath: staged) }
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            let body = (try? Data(contentsOf: URL(fileURLWithPath: staged))).map { [UInt8]($0.prefix(4096)) } ?? []
            return try Self.response(response, body: body)
        }
        guard rename(staged, path) == 0 else {
            throw MixpeekError(code: .invalidResponse, message: "cannot move the download to \(path)")
        }
        return try Self.response(response, body: [])
    }

    /// The transport's response for Foundation's.
    private static func response(_ response: URLResponse, body: [UInt8]) throws -> TransportResponse {
        guard let http = response as? HTTPURLResponse else {
            throw MixpeekError(code: .invalidResponse, message: "the response is not HTTP")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return TransportResponse(status: http.statusCode, headers: headers, body: body)
    }
}
