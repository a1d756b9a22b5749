import Foundation
import LineageKit

/// Where and as whom the client talks to Mixpeek. The API key is kept out of every description.
public struct MixpeekConfiguration: Sendable, CustomStringConvertible {
    /// The API's base URL, without `/v1`.
    public let baseURL: URL
    /// The namespace id (`ns_…`) or name, sent as `X-Namespace`.
    public let namespace: String
    /// The API key, sent as `Authorization: Bearer …`; never printed.
    let apiKey: String
    /// Items per list page (at most 1,000).
    public var pageSize: Int
    /// How failed requests are retried.
    public var retry: RetryPolicy
    /// Hears a sentence before each retry (what failed, which attempt comes), for a progress line.
    public var onRetry: (@Sendable (String) -> Void)?

    /// The default base URL.
    public static let defaultBaseURL = "https://api.mixpeek.com"

    /// Creates a configuration.
    ///
    /// - Throws: ``MixpeekError`` (`configuration`) for an empty key or namespace, a URL that is
    ///   not http(s), or plain `http://` to a host other than this machine without `insecure`.
    public init(
        baseURL: String, namespace: String, apiKey: String, insecure: Bool = false, pageSize: Int = 1000,
        retry: RetryPolicy = RetryPolicy()
    ) throws {
        var text = baseURL
        while text.hasSuffix("/") { text.removeLast() }
        try Self.refuseCredentials(in: text)
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host,
            ["http", "https"].contains(scheme)
        else {
            throw MixpeekError(code: .configuration, message: "'\(baseURL)' is not an http(s) URL")
        }
        if scheme == "http", !insecure, !Self.isLoopback(host) {
            throw MixpeekError(
                code: .configuration,
                message: "refusing plain http:// to \(host): the API key would cross the network unencrypted; "
                    + "use https://", remedy: .allowInsecure)
        }
        guard !namespace.isEmpty else {
            throw MixpeekError(code: .configuration, message: "no namespace was given", remedy: .namespace)
        }
        guard !apiKey.isEmpty else {
            throw MixpeekError(
                code: .configuration, message: "no API key was given", remedy: .apiKey)
        }
        guard (1...1000).contains(pageSize) else {
            throw MixpeekError(code: .configuration, message: "page size \(pageSize) is not between 1 and 1,000")
        }
        self.baseURL = url
        self.namespace = namespace
        self.apiKey = apiKey
        self.pageSize = pageSize
        self.retry = retry
    }

    /// A configuration from command-line values and the environment: `--base-url` else
    /// `MIXPEEK_BASE_URL` else the default; `--namespace` else `MIXPEEK_NAMESPACE`; the key from
    /// `--api-key-file` (first line, trimmed) else `MIXPEEK_API_KEY`.
    public static func resolve(
        baseURL: String?, namespace: String?, apiKeyFile: String?, insecure: Bool,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> MixpeekConfiguration {
        var key = environment["MIXPEEK_API_KEY"] ?? ""
        if let apiKeyFile {
            guard let data = FileManager.default.contents(atPath: apiKeyFile) else {
                throw MixpeekError(code: .configuration, message: "cannot read the API key file \(apiKeyFile)")
            }
            key =
                String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first
                .map { $0.trimmingCharacters(in: CharacterSet.whitespaces.union(["\u{FEFF}"])) } ?? ""
            guard !key.isEmpty else {
                throw MixpeekError(code: .configuration, message: "the API key file \(apiKeyFile) is empty")
            }
        }
        return try MixpeekConfiguration(
            baseURL: baseURL ?? environment["MIXPEEK_BASE_URL"] ?? defaultBaseURL,
            namespace: namespace ?? environment["MIXPEEK_NAMESPACE"] ?? "", apiKey: key, insecure: insecure)
    }

    /// Refuses a base URL that carries user info (`https://user:KEY@host`): it would be written
    /// into snapshots, plans and journals and printed. The message never repeats the URL.
    ///
    /// - Throws: ``MixpeekError`` (`configuration`).
    public static func refuseCredentials(in baseURL: String) throws {
        guard let components = URLComponents(string: baseURL) else {
            // Not a URL at all; an '@' before the path still means credentials.
            if let authority = baseURL.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first,
                authority.contains("@")
            {
                throw credentialsError
            }
            return
        }
        if components.user != nil || components.password != nil { throw credentialsError }
    }

    private static var credentialsError: MixpeekError {
        MixpeekError(
            code: .configuration,
            message: "the base URL holds credentials (user:password@host); they would be written to files and "
                + "printed. Give the URL without them, and the key on its own", remedy: .apiKey)
    }

    /// Whether `host` names this machine.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }

    /// Base URL and namespace; never the key.
    public var description: String { "\(baseURL.absoluteString) namespace \(namespace)" }

    /// `text` with the API key replaced, for anything that may echo a request.
    func redacted(_ text: String) -> String {
        apiKey.count >= 4 ? text.replacingOccurrences(of: apiKey, with: "[api key]") : text
    }
}
