import Foundation
import LineageKit
import Synchronization

/// A client of the Mixpeek REST API endpoints LineageKit needs: collections, documents (list,
/// get, patch) and bucket objects (list, get), with pagination in every shape the API has
/// documented, retries, and errors that say what to check.
public struct MixpeekClient: Sendable {
    /// Where and as whom requests go.
    public let configuration: MixpeekConfiguration
    private let transport: any HTTPTransport
    private let counters = Counters()

    /// The API's 10,000 cap on list offsets; deeper pages need a cursor.
    public static let offsetCap = 10_000

    /// Creates a client.
    public init(configuration: MixpeekConfiguration, transport: any HTTPTransport = URLSessionTransport()) {
        self.configuration = configuration
        self.transport = transport
    }

    /// Requests sent so far (retries included) and retries made.
    public var requestCounts: (requests: Int, retries: Int) { counters.values }

    /// Every item of a paginated listing, and how many repeated items were dropped.
    public struct Listing: Sendable {
        /// The items, in the order first seen.
        public var items: [JSONValue]
        /// Items seen again on a later page (ordering can shift during a listing) and dropped.
        public var duplicatesDropped: Int
        /// The total the server announced, when it did.
        public var announcedTotal: Int?
        /// What the API's `warnings` said of the listing (it ended before the end of the
        /// collection): empty when the listing is complete.
        public var warnings: [String] = []
        /// Items listed (once each), whether kept in ``items`` or handed to a page callback.
        public var count = 0
    }

    // MARK: - Endpoints

    /// `POST /v1/collections/list`, every page.
    public func listCollections() async throws -> Listing {
        try await list(["collections", "list"], idKey: "collection_id", progress: nil)
    }

    /// `GET /v1/collections/{id}`.
    public func collection(_ id: String) async throws -> JSONValue {
        try await send("GET", ["collections", id])
    }

    /// `POST /v1/collections/{id}/documents/list`, every page; `progress` gets the count so far
    /// and the announced total.
    public func listDocuments(
        inCollection collection: String, progress: (@Sendable (Int, Int?) -> Void)? = nil
    ) async throws -> Listing {
        try await list(["collections", collection, "documents", "list"], idKey: "document_id", progress: progress)
    }

    /// `POST /v1/collections/{id}/documents/list`, every page, each page's new items handed to
    /// `page` as they arrive instead of kept: memory stays one page whatever the collection's size.
    /// The returned listing has no ``Listing/items``, only counts and warnings.
    public func listDocuments(
        inCollection collection: String, progress: (@Sendable (Int, Int?) -> Void)? = nil,
        page: @escaping ([JSONValue]) throws -> Void
    ) async throws -> Listing {
        try await list(
            ["collections", collection, "documents", "list"], idKey: "document_id", progress: progress, onPage: page)
    }

    /// `GET /v1/collections/{collection}/documents/{id}`.
    public func document(_ id: String, inCollection collection: String) async throws -> JSONValue {
        try await send("GET", ["collections", collection, "documents", id])
    }

    /// `PATCH /v1/collections/{collection}/documents/{id}` with `body`; returns the updated document.
    public func patchDocument(_ id: String, inCollection collection: String, body: JSONValue) async throws -> JSONValue
    {
        try await send("PATCH", ["collections", collection, "documents", id], body: body)
    }

    /// `DELETE /v1/collections/{collection}/documents/batch` by explicit ids (never the filter
    /// mode): the `BatchDeleteDocumentsResponse`, with a result per id. At most
    /// ``deleteBatchLimit`` ids a call; `reason` goes to the API's audit event.
    public func deleteDocuments(_ ids: [String], inCollection collection: String, reason: String?) async throws
        -> JSONValue
    {
        guard !ids.isEmpty, ids.count <= Self.deleteBatchLimit else {
            throw MixpeekError(
                code: .configuration,
                message: "a batch delete takes 1 to \(Self.deleteBatchLimit) document ids, not \(ids.count)")
        }
        var body: JSONObject = ["document_ids": .array(ids.map(JSONValue.string))]
        if let reason { body["reason"] = .string(String(reason.prefix(500))) }
        return try await send("DELETE", ["collections", collection, "documents", "batch"], body: .object(body))
    }

    /// The most ids one batch delete takes.
    public static let deleteBatchLimit = 1000

    /// `POST /v1/collections/{collection}/documents`: creates a document (`DocumentCreateRequest`)
    /// and returns it, with the id the API gave it. Never retried once the request may have
    /// reached the server (a retry could create it twice): only refused connections and 429s are.
    public func createDocument(inCollection collection: String, body: JSONValue) async throws -> JSONValue {
        try await send("POST", ["collections", collection, "documents"], body: body, idempotent: false)
    }

    /// `POST /v1/buckets/{bucket}/batches/list`, every page: the bucket's processing batches
    /// (`BatchModel`, with their `tier_tasks`).
    public func listBatches(inBucket bucket: String) async throws -> Listing {
        try await list(["buckets", bucket, "batches", "list"], idKey: "batch_id", progress: nil)
    }

    /// `GET /v1/buckets/{bucket}/batches/{batch}/failed-documents`, every page (`limit`/`offset`):
    /// what the batch failed to process. The API leaves the answer untyped; its entries are read
    /// from `results`, `failed_documents` or `documents`.
    public func failedDocuments(ofBatch batch: String, inBucket bucket: String) async throws -> [JSONValue] {
        var entries: [JSONValue] = []
        let limit = configuration.pageSize
        while true {
            let page = try await send(
                "GET", ["buckets", bucket, "batches", batch, "failed-documents"],
                query: [("limit", String(limit)), ("offset", String(entries.count))])
            let items =
                page.arrayValue ?? page["results"]?.arrayValue ?? page["failed_documents"]?.arrayValue
                ?? page["documents"]?.arrayValue ?? []
            entries += items
            if items.count < limit || page.arrayValue != nil { return entries }
        }
    }

    /// `GET /v1/documents/{id}`: a document by id alone, whatever its collection.
    public func document(_ id: String) async throws -> JSONValue {
        try await send("GET", ["documents", id])
    }

    /// `GET /v1/collections/{collection}/documents/{id}/lineage`: the `DocumentLineageResponse`.
    public func lineage(ofDocument id: String, inCollection collection: String) async throws -> JSONValue {
        try await send("GET", ["collections", collection, "documents", id, "lineage"])
    }

    /// `GET …/documents/{id}/ancestors`: the documents up the chain, root first.
    public func ancestors(ofDocument id: String, inCollection collection: String) async throws -> [JSONValue] {
        try await array(send("GET", ["collections", collection, "documents", id, "ancestors"]), "ancestors")
    }

    /// `GET …/documents/{id}/descendants`: the documents made from this one (depth 1; the API
    /// lists at most ``descendantsCap``).
    public func descendants(ofDocument id: String, inCollection collection: String) async throws -> [JSONValue] {
        try await array(send("GET", ["collections", collection, "documents", id, "descendants"]), "descendants")
    }

    /// The most children `descendants` lists in one answer.
    public static let descendantsCap = 100

    /// `GET /v1/objects/{id}/documents`: every document made from the object.
    public func documents(ofObject id: String) async throws -> [JSONValue] {
        let answer = try await send("GET", ["objects", id, "documents"])
        return try array(answer["results"] ?? answer["documents"] ?? .null, "the object's documents")
    }

    /// `GET /v1/objects/{id}/decomposition-tree`.
    public func decompositionTree(ofObject id: String, includeDocumentIDs: Bool = false) async throws -> JSONValue {
        try await send(
            "GET", ["objects", id, "decomposition-tree"],
            query: includeDocumentIDs ? [("include_document_ids", "true")] : [])
    }

    /// `GET /v1/collections/{id}/reconciliation?limit=`: the `CollectionReconciliationResponse`.
    public func reconciliation(ofCollection id: String, limit: Int = 1000) async throws -> JSONValue {
        try await send("GET", ["collections", id, "reconciliation"], query: [("limit", String(limit))])
    }

    /// A collection's documents exported by the API to a file, and where to download it.
    public struct CollectionExport: Sendable {
        /// The presigned URL of the file (valid for about an hour; it carries its own signature).
        public var downloadURL: URL
        /// How many documents the API says the file holds.
        public var documentCount: Int
        /// `json` (JSON Lines) or `parquet`.
        public var format: String
    }

    /// `POST /v1/collections/{id}/export`: has the API write the collection's documents to a file
    /// (`format` `json`, JSON Lines, or `parquet`), without the list endpoint's offset cap.
    public func exportCollection(_ id: String, format: String) async throws -> CollectionExport {
        let path = ["collections", id, "export"]
        let response = try await send("POST", path, body: ["format": .string(format), "include_vectors": false])
        guard let link = response["download_url"]?.stringValue, let url = URL(string: link),
            url.scheme == "https" || url.scheme == "http"
        else { throw invalid(path, "the export response has no download_url") }
        guard let count = response["document_count"]?.intValue else {
            throw invalid(path, "the export response has no document_count")
        }
        return CollectionExport(
            downloadURL: url, documentCount: count, format: response["format"]?.stringValue ?? format)
    }

    /// Downloads an export's presigned URL into the file at `path` (replacing it), retrying as
    /// for API requests. The API key and namespace are not sent: the URL is signed for itself,
    /// and usually points at another host (object storage).
    public func download(_ url: URL, to path: String) async throws {
        let request = TransportRequest(method: "GET", url: url, headers: ["User-Agent": "LineageKit"])
        let transport = self.transport
        _ = try await exchange(
            label: "GET export download", host: url.host ?? "the export's host",
            failure: { response, label in
                MixpeekError(
                    code: .invalidResponse,
                    message: "the export download answered HTTP \(response.status): "
                        + String(decoding: response.body.prefix(200), as: UTF8.self),
                    status: response.status, request: label)
            }, attempt: { try await transport.download(request, to: path) })
    }

    private func array(_ value: JSONValue, _ what: String) throws -> [JSONValue] {
        guard let items = value.arrayValue else {
            throw MixpeekError(code: .invalidResponse, message: "the answer for \(what) is not a JSON array")
        }
        return items
    }

    /// `POST /v1/buckets/{bucket}/objects/list`, every page.
    public func listObjects(inBucket bucket: String) async throws -> Listing {
        try await list(["buckets", bucket, "objects", "list"], idKey: "object_id", progress: nil)
    }

    /// `GET /v1/buckets/{bucket}/objects/{id}`.
    public func object(_ id: String, inBucket bucket: String) async throws -> JSONValue {
        try await send("GET", ["buckets", bucket, "objects", id])
    }

    // MARK: - Pagination

    /// Follows a listing to its end. The next page is asked for by `next_cursor` when the server
    /// gives one, else by offset (`has_more`, or `page` < `total_pages`, or `next_page`); a page
    /// with no items ends it, and so does an offset that would pass the 10,000 cap with no cursor.
    private func list(
        _ path: [String], idKey: String, progress: (@Sendable (Int, Int?) -> Void)?,
        onPage: (([JSONValue]) throws -> Void)? = nil
    ) async throws -> Listing {
        var listing = Listing(items: [], duplicatesDropped: 0, announcedTotal: nil)
        var seen: Set<String> = []
        var offset = 0
        var cursor: String?
        while true {
            var query = [("limit", String(configuration.pageSize))]
            var body: JSONObject = [:]
            if let cursor {
                query.append(("cursor", cursor))
                body["cursor"] = .string(cursor)
            } else {
                query.append(("offset", String(offset)))
                // The total (for progress and ETA) costs the API a little; ask on the first page only.
                if offset == 0 { query.append(("include_total", "true")) }
            }
            let page = try await send("POST", path, query: query, body: .object(body))
            guard let object = page.objectValue else { throw invalid(path, "a list response is not a JSON object") }
            for warning in try listWarnings(object, path: path) where !listing.warnings.contains(warning) {
                listing.warnings.append(warning)
            }
            let items = try Self.items(of: object, path: path)
            if items.isEmpty { break }
            var fresh: [JSONValue] = []
            for item in items {
                guard let id = item.objectValue?[idKey]?.stringValue else {
                    throw invalid(path, "an item of the list has no \(idKey)")
                }
                if seen.insert(id).inserted {
                    fresh.append(item)
                } else {
                    listing.duplicatesDropped += 1
                }
            }
            listing.count += fresh.count
            if let onPage { try onPage(fresh) } else { listing.items += fresh }
            let pagination = object["pagination"]?.objectValue ?? JSONObject()
            if let total = pagination["total"]?.intValue ?? pagination["total_count"]?.intValue
                ?? object["total_count"]?.intValue
            {
                listing.announcedTotal = total
            }
            progress?(listing.count, listing.announcedTotal)
            if let next = pagination["next_cursor"]?.stringValue, !next.isEmpty {
                cursor = next
                continue
            }
            guard cursor == nil else { break }
            let more: Bool
            if let hasMore = pagination["has_more"]?.boolValue {
                more = hasMore
            } else if let page = pagination["page"]?.intValue, let pages = pagination["total_pages"]?.intValue {
                more = page < pages
            } else {
                more = pagination["next_page"].map { $0 != .null } ?? false
            }
            guard more else { break }
            // A page may repeat an item when ordering shifts; the offset counts positions.
            offset += min(items.count, configuration.pageSize)
            if offset > Self.offsetCap {
                throw MixpeekError(
                    code: .invalidResponse,
                    message: "the listing goes past the API's \(Self.offsetCap)-item offset cap and the server "
                        + "offers no cursor; \(listing.count) items were read",
                    request: "POST " + Self.display(path))
            }
        }
        return listing
    }

    /// The warnings of a list page. An entry saying the namespace did not resolve for the key
    /// (`resource: namespace, reason: unresolved`) is an error: the empty list is not the
    /// namespace's contents. Every other entry (a string, or a `{resource, id, reason, next_step}`
    /// object) says the listing is incomplete, and is returned as text.
    private func listWarnings(_ page: JSONObject, path: [String]) throws -> [String] {
        guard let entries = page["warnings"]?.arrayValue else { return [] }
        var warnings: [String] = []
        for entry in entries {
            if let text = entry.stringValue {
                warnings.append(text)
                continue
            }
            guard let object = entry.objectValue else { continue }
            let resource = object["resource"]?.stringValue ?? ""
            let reason = object["reason"]?.stringValue ?? ""
            if resource == "namespace", reason == "unresolved" {
                throw unresolvedNamespace("POST " + Self.display(path))
            }
            let parts = [resource, object["id"]?.stringValue, reason, object["next_step"]?.stringValue]
            warnings.append(parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": "))
        }
        return warnings
    }

    /// The error for a namespace the API says did not resolve for this key.
    private func unresolvedNamespace(_ label: String) -> MixpeekError {
        MixpeekError(
            code: .namespaceNotFound,
            message: "namespace '\(configuration.namespace)' did not resolve for this API key (the API answered "
                + "with an empty result marked unresolved, which is not the namespace's contents); check the "
                + "namespace and the key",
            request: label, remedy: .namespace)
    }

    /// The items of a list page: `results`, or the documents of each of `groups`.
    private static func items(of page: JSONObject, path: [String]) throws -> [JSONValue] {
        if let results = page["results"]?.arrayValue { return results }
        if let groups = page["groups"]?.arrayValue {
            return groups.flatMap { $0.objectValue?["documents"]?.arrayValue ?? [] }
        }
        throw MixpeekError(
            code: .invalidResponse, message: "the list response has neither results nor groups",
            request: "POST " + display(path))
    }

    // MARK: - Requests

    /// Sends one request, retrying as the policy says, and returns the JSON body of a 2xx answer.
    private func send(
        _ method: String, _ path: [String], query: [(String, String)] = [], body: JSONValue? = nil,
        idempotent: Bool = true
    ) async throws -> JSONValue {
        let label = method + " " + Self.display(path)
        let request = TransportRequest(
            method: method, url: try url(path, query: query),
            headers: [
                "Authorization": "Bearer " + configuration.apiKey, "X-Namespace": configuration.namespace,
                "Accept": "application/json", "Content-Type": "application/json",
                "User-Agent": "LineageKit",
            ],
            body: body.map { Array($0.serialized().utf8) })
        let transport = self.transport
        let response = try await exchange(
            label: label, host: configuration.baseURL.absoluteString, idempotent: idempotent,
            failure: { response, label in failure(response, label: label) },
            attempt: { try await transport.send(request) })
        if let unresolved = response.headers["x-namespace-unresolved"],
            !["", "0", "false"].contains(unresolved.lowercased())
        {
            throw unresolvedNamespace(label)
        }
        do {
            return try JSONValue(parsing: response.body, name: label)
        } catch {
            throw MixpeekError(
                code: .invalidResponse, message: "the response is not JSON: \(error)", status: response.status,
                request: label)
        }
    }

    /// Runs `attempt` (one request) until it gets a 2xx answer, as ``RetryingExchange`` does, with
    /// this client's policy and request counts; any other answer throws `failure`'s error.
    private func exchange(
        label: String, host: String, idempotent: Bool = true, failure: (TransportResponse, String) -> MixpeekError,
        attempt send: () async throws -> TransportResponse
    ) async throws -> TransportResponse {
        let counters = counters
        let exchange = RetryingExchange(
            policy: configuration.retry, label: label, host: host, idempotent: idempotent,
            onRetry: configuration.onRetry, countRequest: { counters.request() }, countRetry: { counters.retry() })
        return try await exchange.run(failure: failure, send: send).response
    }

    /// Whether a failed request certainly never reached the server (the connection was refused or
    /// the host is unknown), so that even a request that is not idempotent may be sent again.
    static func neverSent(_ error: any Error) -> Bool {
        let code =
            (error as? URLError)?.code
            ?? ((error as NSError).domain == NSURLErrorDomain ? URLError.Code(rawValue: (error as NSError).code) : nil)
        return [.cannotConnectToHost, .cannotFindHost, .dnsLookupFailed].contains(code)
    }

    /// A failed connection in a few words, and whether retrying for long is pointless.
    static func connectionFailure(_ error: any Error) -> (reason: String, hopeless: Bool) {
        let code: URLError.Code
        if let urlError = error as? URLError {
            code = urlError.code
        } else if (error as NSError).domain == NSURLErrorDomain {
            code = URLError.Code(rawValue: (error as NSError).code) ?? .unknown
        } else {
            return ("the connection failed", false)
        }
        switch code {
        case .cannotConnectToHost: return ("connection refused (is the server running?)", true)
        case .cannotFindHost, .dnsLookupFailed: return ("the host name does not resolve", true)
        case .notConnectedToInternet: return ("no network connection", true)
        case .timedOut: return ("no answer within the timeout", false)
        case .networkConnectionLost: return ("the connection was lost", false)
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid:
            return ("the TLS handshake failed (certificate or protocol)", true)
        default: return ("the connection failed (URL error \(code.rawValue))", false)
        }
    }

    /// The error a non-2xx response stands for, from either error body the API uses.
    private func failure(_ response: TransportResponse, label: String) -> MixpeekError {
        let status = response.status
        let body = try? JSONValue(parsing: response.body, name: label)
        let envelope = body?.objectValue?["error"]?.objectValue
        var type = envelope?["type"]?.stringValue
        var detail = envelope?["message"]?.stringValue
        if detail == nil, let fastAPI = body?.objectValue?["detail"] {
            type = type ?? "ValidationError"
            if let text = fastAPI.stringValue {
                detail = text
            } else if let entries = fastAPI.arrayValue {
                detail = entries.compactMap { entry -> String? in
                    guard let object = entry.objectValue else { return nil }
                    let place = (object["loc"]?.arrayValue ?? []).map { $0.stringValue ?? $0.serialized() }
                        .joined(separator: ".")
                    let message = object["msg"]?.stringValue ?? "invalid"
                    return place.isEmpty ? message : "\(place): \(message)"
                }.joined(separator: "; ")
            }
        }
        if detail == nil, let details = envelope?["details"]?.objectValue?["validation_errors"]?.arrayValue {
            detail = details.compactMap { $0.objectValue?["message"]?.stringValue }.joined(separator: "; ")
        }
        let said = configuration.redacted(
            "\(status)\(type.map { " \($0)" } ?? "")\(detail.map { ": \($0)" } ?? "")")
        let resource = envelope?["details"]?.objectValue?["resource"]?.stringValue?.lowercased()
        switch status {
        case 401:
            return MixpeekError(
                code: .unauthorized,
                message: "the API key was refused (\(said))", status: status, request: label, body: body,
                remedy: .apiKey)
        case 403:
            return MixpeekError(
                code: .forbidden, message: "not allowed (\(said)); check the key's permissions and quota",
                status: status, request: label, body: body)
        case 404 where resource == "namespace" || (detail ?? "").lowercased().contains("namespace"):
            return MixpeekError(
                code: .namespaceNotFound,
                message: "namespace '\(configuration.namespace)' was not found (\(said))", status: status,
                request: label, body: body, remedy: .namespace)
        case 404:
            return MixpeekError(
                code: .notFound, message: "not found (\(said))", status: status, request: label, body: body)
        case 400, 422:
            return MixpeekError(
                code: .invalidRequest, message: "the request was refused (\(said))", status: status, request: label,
                body: body)
        case 429:
            return MixpeekError(
                code: .rateLimited, message: "rate limited (\(said))", status: status, request: label, body: body)
        default:
            return MixpeekError(
                code: status >= 500 ? .server : .invalidResponse, message: "the server answered \(said)",
                status: status, request: label, body: body)
        }
    }

    /// The URL of `/v1/` + `path`, each segment percent-encoded so that no id can change the path.
    private func url(_ path: [String], query: [(String, String)]) throws -> URL {
        var text = configuration.baseURL.absoluteString + "/v1/" + path.map(Self.encodeSegment).joined(separator: "/")
        if !query.isEmpty {
            text += "?" + query.map { Self.encodeSegment($0.0) + "=" + Self.encodeSegment($0.1) }.joined(separator: "&")
        }
        guard let url = URL(string: text) else {
            throw MixpeekError(code: .configuration, message: "cannot make a URL of \(Self.display(path))")
        }
        return url
    }

    /// Percent-encodes everything but letters, digits, `-`, `_` and `~` (dots too, so `..` stays
    /// an id and never climbs the path).
    static func encodeSegment(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out +=
                    "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    private static func display(_ path: [String]) -> String {
        "/v1/" + path.joined(separator: "/")
    }

    private func invalid(_ path: [String], _ message: String) -> MixpeekError {
        MixpeekError(code: .invalidResponse, message: message, request: "POST " + Self.display(path))
    }
}

/// Request and retry counts, shared by copies of a client.
final class Counters: Sendable {
    private let state = Mutex((requests: 0, retries: 0))

    func request() { state.withLock { $0.requests += 1 } }
    func retry() { state.withLock { $0.retries += 1 } }
    var values: (requests: Int, retries: Int) { state.withLock { $0 } }
}
