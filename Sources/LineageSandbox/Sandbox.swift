internal import FlyingFox
import FlyingSocks
import Foundation
import LineageKit
import Synchronization

typealias JSONValue = LineageKit.JSONValue

/// A local server speaking the Mixpeek API endpoints LineageKit uses, from a snapshot directory:
/// for tests over real HTTP, and for rehearsing corrections before touching production.
///
/// It enforces the API key and namespace, answers with the API's error envelope, paginates in
/// any of the three documented shapes, applies PATCHes in memory (written back with
/// ``Options/persist``), injects faults on request, and counts requests per method and path
/// (`GET /_sandbox/requests`).
public actor Sandbox {
    /// How list responses page.
    public enum Pagination: String, Sendable, CaseIterable {
        /// `{"next_cursor": …}`.
        case cursor
        /// `{"page", "page_size", "total", "total_pages", "next_page", "previous_page", "next_cursor"}`:
        /// today's `PaginationResponse` (totals only with `include_total`).
        case pages
        /// `{"has_more", "limit", "offset", "total_count"}`.
        case hasMore = "has-more"
    }

    /// What a PATCH does to the user fields (the API does not document it).
    public enum PatchSemantics: String, Sendable, CaseIterable {
        /// The body's user fields replace the document's user fields.
        case replace
        /// The body's fields are set, `null` removes one (JSON Merge Patch); other fields stay.
        case merge
    }

    /// Which PATCH body keys the sandbox takes, as the API did at different dates.
    public enum PatchKeys: String, Sendable, CaseIterable {
        /// Today (from 2026-11-02): only `metadata`; any other key is refused with 422
        /// `extra_forbidden` naming the accepted keys.
        case metadata
        /// Before 2026-11-02: other keys are ignored, and the answer's `warnings` name them.
        case warn
        /// Older behaviour we once assumed: a current-shape document's user fields may also be sent
        /// at the body's root.
        case any
        /// No API date: a server taking user fields only at the body's root, refusing a `metadata`
        /// key with 422 `extra_forbidden` naming the accepted keys. Exercises apply's fallback.
        case root
        /// No API date: as ``root``, but a `metadata` key is ignored and named in `warnings`.
        /// Exercises apply's reading of warnings.
        case rootWarn = "root-warn"
    }

    /// How a request whose `X-Namespace` does not resolve is answered.
    public enum UnresolvedNamespace: String, Sendable, CaseIterable {
        /// Today's API: a list call answers 200 with no results, a `warnings` entry
        /// (`resource: namespace, reason: unresolved`) and an `X-Namespace-Unresolved` header;
        /// other calls answer 404.
        case warning
        /// Every call answers 404 with `details.resource = "namespace"` (older API).
        case notFound = "404"
    }

    /// How the sandbox behaves.
    public struct Options: Sendable {
        /// Address to listen on (an IPv4 address).
        public var host: String
        /// Port; 0 picks a free one.
        public var port: UInt16
        /// The key requests must carry; `nil` accepts any.
        public var apiKey: String?
        /// The namespace requests must name; `nil` takes the snapshot's, else accepts any.
        public var namespace: String?
        /// How lists page.
        public var pagination: Pagination
        /// What PATCH does.
        public var patchSemantics: PatchSemantics
        /// Which PATCH body keys are taken.
        public var patchKeys: PatchKeys
        /// How an unresolved namespace is answered.
        public var unresolvedNamespace: UnresolvedNamespace
        /// Document listings end after this many documents, with a `warnings` entry saying the
        /// listing is incomplete (as the API's capped sorted listings do); `nil` for complete ones.
        public var truncateListingsAfter: Int?
        /// Share of API requests answered with a random 500, 502, 503 or 504.
        public var failRate: Double
        /// Share of API requests answered with 429 (half with `Retry-After: 0`, half without).
        public var rateLimitRate: Double
        /// Share of writes (PATCH, DELETE, document creation) carried out and then answered with a
        /// 504, as when a gateway times out after the server acted: the client cannot tell.
        public var lostAnswerRate: Double
        /// Share of list pages that start with the previous page's last item again, as when
        /// ordering shifts during a listing. Which pages do is fixed by the seed, the listing and the
        /// page's offset, not by the order concurrent requests arrive in.
        public var duplicateRate: Double
        /// Delay added to every API request.
        public var latencyMilliseconds: Int
        /// Whether PATCHed documents are written back to the snapshot's `documents.jsonl`.
        public var persist: Bool
        /// Seed of the fault injection, so a run can be repeated.
        public var seed: UInt64

        /// Creates options.
        public init(
            host: String = "127.0.0.1", port: UInt16 = 0, apiKey: String? = nil, namespace: String? = nil,
            pagination: Pagination = .cursor, patchSemantics: PatchSemantics = .merge, patchKeys: PatchKeys = .metadata,
            unresolvedNamespace: UnresolvedNamespace = .warning, truncateListingsAfter: Int? = nil,
            failRate: Double = 0, rateLimitRate: Double = 0, lostAnswerRate: Double = 0, duplicateRate: Double = 0,
            latencyMilliseconds: Int = 0, persist: Bool = false, seed: UInt64 = 1
        ) {
            self.lostAnswerRate = lostAnswerRate
            self.patchKeys = patchKeys
            self.unresolvedNamespace = unresolvedNamespace
            self.truncateListingsAfter = truncateListingsAfter
            self.duplicateRate = duplicateRate
            self.host = host
            self.port = port
            self.apiKey = apiKey
            self.namespace = namespace
            self.pagination = pagination
            self.patchSemantics = patchSemantics
            self.failRate = failRate
            self.rateLimitRate = rateLimitRate
            self.latencyMilliseconds = latencyMilliseconds
            self.persist = persist
            self.seed = seed
        }
    }

    private let directory: String
    let options: Options
    var store: SandboxStore
    /// Lineage of every document, built on the first lineage request (PATCH never changes it).
    var lineageCache: LineageIndex?
    /// Documents created through the API so far (their ids come from it).
    var createdDocuments: UInt64 = 0
    var random: SeededRandom
    private var requests: [String: Int] = [:]
    private var faults: [String: Int] = [:]
    /// Writes carried out whose answer was replaced by a 504, by request.
    private var lostAnswers: [String: Int] = [:]
    /// OpenLineage events received at `POST /api/v1/lineage`, in order.
    private var lineageEvents: [JSONValue] = []
    private var server: HTTPServer?
    private var task: Task<Void, any Error>?

    /// The largest request body the sandbox takes (1 MiB), answered 413 beyond.
    static let maximumBodySize = 1 << 20

    /// The largest page the API serves, and its offset cap.
    static let maximumPageSize = 1000
    static let offsetCap = 10_000

    /// Loads the snapshot at `directory`.
    ///
    /// - Throws: `LineageKitError` naming the file and line of a bad record.
    public init(snapshot directory: String, options: Options = Options()) throws {
        self.directory = directory
        self.options = options
        store = try SandboxStore(directory: directory)
        random = SeededRandom(seed: options.seed)
    }

    /// Starts listening and returns the base URL (`http://127.0.0.1:PORT`).
    public func start() async throws -> String {
        let address = try sockaddr_in.inet(ip4: options.host, port: options.port)
        let server = HTTPServer(address: address, timeout: 60, logger: .disabled)
        await server.appendRoute("*") { [weak self] request in
            guard let self else { return HTTPResponse(statusCode: .serviceUnavailable) }
            return await self.handle(request)
        }
        self.server = server
        let ended = StartFailure()
        task = Task {
            do {
                try await server.run()
            } catch {
                ended.record(error)
                throw error
            }
        }
        // run() fails at once when the address is taken; say so rather than wait for a timeout.
        for _ in 0..<200 {
            if case .ip4(_, let port)? = await server.listeningAddress { return "http://\(options.host):\(port)" }
            try await Task.sleep(nanoseconds: 50_000_000)
            if let failure = ended.error {
                throw LineageKitError(
                    code: .invalidArgument,
                    message: "cannot listen on \(options.host):\(options.port): \(failure) (is the port in use?)")
            }
        }
        throw LineageKitError(
            code: .invalidArgument, message: "the sandbox did not start listening on \(options.host):\(options.port)")
    }

    /// Stops the server (writing documents back first with ``Options/persist``).
    public func stop() async throws {
        if options.persist { try store.writeDocuments(to: directory) }
        await server?.stop(timeout: 1)
        task?.cancel()
        server = nil
    }

    /// Requests received per `METHOD /path` (faults included), and faults injected per `METHOD /path`.
    public func counts() -> (requests: [String: Int], faults: [String: Int]) {
        (requests, faults)
    }

    /// Writes carried out whose answers were lost (``Options/lostAnswerRate``), by request.
    public func lostAnswerCounts() -> [String: Int] { lostAnswers }

    /// The document as the sandbox holds it now.
    public func document(_ id: String, inCollection collection: String) -> LineageKit.JSONValue? {
        store.documentIndex[collection]?[id].flatMap { store.documents[collection]?[$0].value }
    }

    /// Every document as the sandbox holds it now, in snapshot order.
    public func allDocuments() -> [LineageKit.JSONValue] {
        store.order.compactMap { store.documents[$0.collection]?[$0.position].value }
    }

    // MARK: - Requests

    private func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let rawPath = request.target.path(percentEncoded: true)
        let segments = rawPath.split(separator: "/", omittingEmptySubsequences: true).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        let method = request.method.rawValue
        if segments == ["_sandbox", "lineage-events"], method == "GET" {
            return json(200, .array(lineageEvents))
        }
        if segments == ["_sandbox", "requests"], method == "GET" {
            return json(
                200,
                [
                    "requests": Self.object(requests), "faults": Self.object(faults),
                    "lost_answers": Self.object(lostAnswers),
                ])
        }
        let key = method + " " + rawPath
        requests[key, default: 0] += 1
        if segments.first == Self.exportPrefix, method == "GET" {
            return exportDownload(
                segments, signature: request.query.first { $0.name == "X-Amz-Signature" }?.value,
                authorization: request.headers[HTTPHeader("Authorization")])
        }
        if options.latencyMilliseconds > 0 {
            try? await Task.sleep(nanoseconds: UInt64(options.latencyMilliseconds) * 1_000_000)
        }
        if let expected = options.apiKey, request.headers[HTTPHeader("Authorization")] != "Bearer " + expected {
            return error(401, "UnauthorizedError", "Invalid or missing API key")
        }
        let route = SandboxRoute(method: method, path: segments)
        let namespace = request.headers[HTTPHeader("X-Namespace")] ?? ""
        if route != .lineageEvent, let expected = options.namespace ?? store.namespace, namespace != expected {
            if options.unresolvedNamespace == .warning, route?.isListing == true {
                return unresolvedListing(namespace, collections: route == .listCollections)
            }
            return error(
                404, "NotFoundError", "Namespace '\(namespace)' not found",
                ["resource": "namespace", "id": .string(namespace)])
        }
        let roll = Double.random(in: 0..<1, using: &random)
        if roll < options.failRate {
            faults[key, default: 0] += 1
            let status = [500, 502, 503, 504][Int(random.next() % 4)]
            return error(status, "InternalServerError", "injected failure")
        }
        if roll < options.failRate + options.rateLimitRate {
            faults[key, default: 0] += 1
            var response = error(429, "TooManyRequestsError", "Rate limit exceeded")
            if random.next() % 2 == 0 { response.headers[HTTPHeader("Retry-After")] = "0" }
            return response
        }
        let body = (try? await request.bodyData).map { [UInt8]($0) } ?? []
        guard body.count <= Self.maximumBodySize else {
            return error(
                413, "PayloadTooLargeError",
                "Request body of \(body.count) bytes is over the limit of \(Self.maximumBodySize) bytes",
                ["limit": .number(JSONNumber(Self.maximumBodySize))])
        }
        guard let route else {
            return error(404, "NotFoundError", "No route for \(method) /\(segments.joined(separator: "/"))")
        }
        let response = answer(route, query: request.query, body: body, host: request.headers[HTTPHeader("Host")])
        if route.isWrite, options.lostAnswerRate > 0, Double.random(in: 0..<1, using: &random) < options.lostAnswerRate
        {
            lostAnswers[key, default: 0] += 1
            return error(504, "GatewayTimeoutError", "injected: the request was carried out, its answer lost")
        }
        return response
    }

    /// Stores one OpenLineage event, as Marquez's `POST /api/v1/lineage` does (201, no body);
    /// a body that is not a JSON object with `eventTime`, `producer` and `schemaURL` gets 400.
    private func receiveLineageEvent(_ body: [UInt8]) -> HTTPResponse {
        guard let event = try? JSONValue(parsing: body, name: "event"), event.objectValue != nil,
            ["eventTime", "producer", "schemaURL"].allSatisfy({ event[$0]?.stringValue != nil })
        else {
            return error(
                400, "BadRequestError", "not an OpenLineage event (eventTime, producer and schemaURL are required)")
        }
        lineageEvents.append(event)
        return HTTPResponse(statusCode: .created)
    }

    /// The answer to one routed request.
    private func answer(
        _ route: SandboxRoute, query: [HTTPRequest.QueryItem], body: [UInt8], host: String?
    ) -> HTTPResponse {
        let parameters = Dictionary(query.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        switch route {
        case .lineageEvent:
            return receiveLineageEvent(body)
        case .listCollections:
            return list(store.collections, kind: .collections, parameters: parameters, body: body)
        case .collection(let id):
            guard let index = store.collectionIndex[id] else { return notFound("collection", id) }
            return raw(200, store.collections[index].bytes)
        case .exportCollection(let collection):
            return export(collection: collection, body: body, host: host)
        case .reconciliation(let collection):
            return reconciliation(collection: collection, parameters: parameters)
        case .listDocuments(let collection):
            guard store.collectionIndex[collection] != nil else { return notFound("collection", collection) }
            return list(store.documents[collection] ?? [], kind: .documents, parameters: parameters, body: body)
        case .document(let collection, let id):
            guard let entry = documentEntry(collection, id) else { return notFound("document", id) }
            return raw(200, entry.bytes)
        case .documentLineage(let collection, let id):
            guard documentEntry(collection, id) != nil else { return notFound("document", id) }
            return lineage(collection: collection, document: id)
        case .documentAncestors(let collection, let id):
            guard documentEntry(collection, id) != nil else { return notFound("document", id) }
            return ancestors(collection: collection, document: id)
        case .documentDescendants(let collection, let id):
            guard documentEntry(collection, id) != nil else { return notFound("document", id) }
            return descendants(collection: collection, document: id)
        case .documentAnywhere(let id):
            guard let key = lineageIndex().byID[id]?.first, let entry = documentEntry(key.collection, key.id) else {
                return notFound("document", id)
            }
            return raw(200, entry.bytes)
        case .deleteDocuments(let collection):
            return deleteDocuments(collection: collection, body: body)
        case .createDocument(let collection):
            return createDocument(collection: collection, body: body)
        case .patchDocument(let collection, let id):
            return patch(collection: collection, id: id, body: body)
        case .objectDocuments(let object):
            return objectDocuments(object, parameters: parameters, query: query)
        case .decompositionTree(let object):
            return decompositionTree(object, includeDocumentIDs: parameters["include_document_ids"] == "true")
        case .listObjects(let bucket):
            return list(store.objects[bucket] ?? [], kind: .objects, parameters: parameters, body: body)
        case .listBatches(let bucket):
            return list(store.batches[bucket] ?? [], kind: .batches, parameters: parameters, body: body)
        case .batch(let bucket, let id):
            guard let entry = store.batches[bucket]?.first(where: { $0.value["batch_id"]?.stringValue == id }) else {
                return notFound("batch", id)
            }
            return raw(200, entry.bytes)
        case .failedDocuments(let bucket, let batch):
            return failedDocuments(bucket: bucket, batch: batch, parameters: parameters)
        case .object(let bucket, let id):
            guard let index = store.objectIndex[bucket]?[id], let entry = store.objects[bucket]?[index] else {
                return notFound("object", id)
            }
            return raw(200, entry.bytes)
        }
    }

    func documentEntry(_ collection: String, _ id: String) -> SandboxStore.Entry? {
        store.documentIndex[collection]?[id].flatMap { store.documents[collection]?[$0] }
    }

    /// What a list call answers for a namespace that does not resolve for the key, today.
    private func unresolvedListing(_ namespace: String, collections: Bool) -> HTTPResponse {
        var body: JSONObject = [
            "results": [], "pagination": ["total": 0, "next_cursor": nil],
            "warnings": [
                [
                    "resource": "namespace", "id": .string(namespace), "reason": "unresolved",
                    "next_step": "check the X-Namespace header: it names no namespace this API key can use",
                ]
            ],
        ]
        if collections { body["total_count"] = 0 }
        var response = json(200, .object(body))
        response.headers[HTTPHeader("X-Namespace-Unresolved")] = namespace
        return response
    }

    /// What a list call lists, for its response's extra fields.
    enum ListKind {
        case collections, documents, objects, batches
    }

    /// A draw in 0..<1 fixed by the listing (its first item), its kind and the page's offset, so
    /// which pages repeat an item does not depend on the order concurrent requests arrive in.
    static func pageDraw(seed: UInt64, listing first: [UInt8], kind: ListKind, offset: Int) -> Double {
        let key = String(decoding: first, as: UTF8.self) + "\(kind)/\(offset)"
        var random = SeededRandom(seed: seed ^ key.hashValueStable)
        return Double.random(in: 0..<1, using: &random)
    }

    /// One page of `entries` in the configured pagination shape. Takes every pagination form the
    /// API's SDK sends: `limit` or `page_size`; `offset` or `page` (from 1); `cursor`,
    /// `next_cursor` or `after` (query) or `cursor` (body); `include_total` (query or body).
    func list(
        _ all: [SandboxStore.Entry], kind: ListKind, parameters: [String: String], body: [UInt8]
    ) -> HTTPResponse {
        let request = (try? JSONValue(parsing: body.isEmpty ? Array("{}".utf8) : body, name: "body"))?.objectValue
        guard let request else { return fastAPIError(["body"], "Input should be a valid dictionary") }
        var entries = all
        var warnings: [String] = []
        if kind == .documents, let cap = options.truncateListingsAfter, entries.count > cap {
            entries = Array(entries.prefix(cap))
            warnings.append(
                "listing incomplete: the sorted listing scanned only the first \(cap) matching points, so pagination "
                    + "ends at the cap rather than the end of the collection")
        }
        let bodyLimit = request["limit"]?.intValue.map(String.init)
        guard let limit = Int(parameters["limit"] ?? parameters["page_size"] ?? bodyLimit ?? "10"),
            (1...Self.maximumPageSize).contains(limit)
        else {
            return fastAPIError(
                ["query", parameters["limit"] != nil ? "limit" : "page_size"],
                "Input should be between 1 and \(Self.maximumPageSize)")
        }
        var offset = 0
        if let text = parameters["offset"] {
            guard let value = Int(text), (0...Self.offsetCap).contains(value) else {
                return fastAPIError(["query", "offset"], "Input should be between 0 and \(Self.offsetCap)")
            }
            offset = value
        } else if let text = parameters["page"] {
            guard let page = Int(text), page >= 1 else {
                return fastAPIError(["query", "page"], "Input should be greater than or equal to 1")
            }
            offset = (page - 1) * limit
        } else if let value = request["offset"]?.intValue {
            guard (0...Self.offsetCap).contains(value) else {
                return fastAPIError(["body", "offset"], "Input should be between 0 and \(Self.offsetCap)")
            }
            offset = value
        }
        let cursorText =
            request["cursor"]?.stringValue ?? parameters["cursor"] ?? parameters["next_cursor"] ?? parameters["after"]
        if let cursor = cursorText, !cursor.isEmpty {
            guard cursor.hasPrefix("cur_"), let position = Int(cursor.dropFirst(4)), position >= 0 else {
                return error(400, "BadRequestError", "Invalid cursor")
            }
            offset = position
        }
        let includeTotal = parameters["include_total"] == "true" || request["include_total"]?.boolValue == true
        let end = min(entries.count, offset + limit)
        var page = offset < end ? Array(entries[offset..<end]) : []
        if !page.isEmpty, offset > 0, offset <= entries.count,
            Self.pageDraw(seed: options.seed, listing: entries[0].bytes, kind: kind, offset: offset)
                < options.duplicateRate
        {
            page.insert(entries[offset - 1], at: 0)
        }
        let more = end < entries.count
        let total = JSONValue.number(JSONNumber(entries.count))
        let pages = JSONValue.number(JSONNumber((entries.count + limit - 1) / limit))
        var pagination: JSONObject
        switch options.pagination {
        case .cursor:
            pagination = ["next_cursor": more ? .string("cur_\(end)") : .null]
            if includeTotal { pagination["total"] = total }
        case .pages:
            let number = offset / limit + 1
            pagination = [
                "page": .number(JSONNumber(number)), "page_size": .number(JSONNumber(limit)),
                "next_page": more ? .string("\(number + 1)") : .null,
                "previous_page": number > 1 ? .string("\(number - 1)") : .null,
                "total": includeTotal ? total : .null, "total_pages": includeTotal ? pages : .null,
                // Today's PaginationResponse carries a cursor beside the page numbers.
                "next_cursor": more ? .string("cur_\(end)") : .null,
            ]
        case .hasMore:
            pagination = [
                "has_more": .bool(more), "limit": .number(JSONNumber(limit)), "offset": .number(JSONNumber(offset)),
                "total_count": total,
            ]
        }
        // Past the offset cap, deep pages come with a cursor in every shape, as in the API.
        if options.pagination != .cursor, more, end > Self.offsetCap - limit {
            pagination["next_cursor"] = .string("cur_\(end)")
        }
        var out = Array(#"{"results":["#.utf8)
        for (position, entry) in page.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out += entry.bytes
        }
        out += Array(#"],"pagination":"#.utf8)
        JSONValue.object(pagination).write(into: &out)
        switch kind {
        case .collections, .batches:
            out += Array(#","total_count":"#.utf8) + Array(String(all.count).utf8)
        case .documents where includeTotal:
            out += Array(#","total_documents":"#.utf8) + Array(String(entries.count).utf8)
        default: break
        }
        if !warnings.isEmpty {
            out += Array(#","warnings":"#.utf8)
            JSONValue.array(warnings.map(JSONValue.string)).write(into: &out)
        }
        out += Array("}".utf8)
        return raw(200, out)
    }

    /// Applies a PATCH to a document's user fields, in the document's own shape: `metadata` sets
    /// them for every shape (merge: each key sent is set and `null` removes one, the others stay;
    /// replace: the fields become the body's, `null`s left out), as today's API documents.
    private func patch(collection: String, id: String, body: [UInt8]) -> HTTPResponse {
        guard let index = store.documentIndex[collection]?[id],
            var document = store.documents[collection]?[index].value.objectValue
        else { return notFound("document", id) }
        guard let patch = (try? JSONValue(parsing: body, name: "body"))?.objectValue else {
            return fastAPIError(["body"], "Input should be a valid dictionary")
        }
        if let metadata = patch["metadata"], metadata.objectValue == nil {
            return fastAPIError(["body", "metadata"], "Input should be a valid dictionary", type: "dict_type")
        }
        let (atRoot, current) = Document.userFields(inResponse: document)
        let others = patch.keys.filter { $0 != "metadata" }
        if let system = others.first(where: { Document.systemRootFieldNames.contains($0) }),
            options.patchKeys != .metadata
        {
            return fastAPIError(["body", system], "System fields cannot be changed through PATCH", type: "value_error")
        }
        var sent = patch["metadata"]?.objectValue ?? JSONObject()
        if atRoot, let system = sent.keys.first(where: { Document.systemRootFieldNames.contains($0) }) {
            return fastAPIError(
                ["body", "metadata", system], "\(system) is a system field, not a user field", type: "value_error")
        }
        var warnings: [String] = []
        switch options.patchKeys {
        case .metadata:
            if let extra = others.first {
                return json(
                    422,
                    [
                        "detail": [
                            [
                                "type": "extra_forbidden", "loc": ["body", .string(extra)],
                                "msg": "Extra inputs are not permitted; accepted keys: metadata",
                                "input": patch[extra] ?? .null, "ctx": ["accepted": ["metadata"]],
                            ]
                        ]
                    ])
            }
        case .warn:
            if !others.isEmpty {
                warnings.append("ignored keys not declared by the body: " + others.joined(separator: ", "))
            }
        case .any:
            if atRoot {
                for key in others where !Document.systemRootFieldNames.contains(key) { sent[key] = patch[key] }
            } else if !others.isEmpty {
                warnings.append("ignored keys not declared by the body: " + others.joined(separator: ", "))
            }
        case .root, .rootWarn:
            if patch["metadata"] != nil {
                let accepted = JSONValue.array(["<user field names>"])
                guard options.patchKeys == .rootWarn else {
                    return json(
                        422,
                        [
                            "detail": [
                                [
                                    "type": "extra_forbidden", "loc": ["body", "metadata"],
                                    "msg": "Extra inputs are not permitted; accepted keys: user fields",
                                    "ctx": ["accepted": accepted],
                                ]
                            ]
                        ])
                }
                warnings.append("ignored keys not declared by the body: metadata")
            }
            sent = JSONObject()
            for key in others where !Document.systemRootFieldNames.contains(key) { sent[key] = patch[key] }
        }
        var fields = options.patchSemantics == .merge ? current : JSONObject()
        for (key, value) in sent {
            if value == .null { fields[key] = nil } else { fields[key] = value }
        }
        if atRoot {
            var kept = JSONObject(document.filter { current[$0.key] == nil }.map { ($0.key, $0.value) })
            for (key, value) in fields { kept[key] = value }
            document = kept
        } else {
            document["metadata"] = .object(fields)
        }
        let entry = SandboxStore.Entry(.object(document))
        store.documents[collection]?[index] = entry
        guard !warnings.isEmpty else { return raw(200, entry.bytes) }
        var answer = document
        answer["warnings"] = .array(warnings.map(JSONValue.string))
        return json(200, .object(answer))
    }

    // MARK: - Responses

    func raw(_ status: Int, _ bytes: [UInt8]) -> HTTPResponse {
        HTTPResponse(
            statusCode: HTTPStatusCode(status, phrase: status == 200 ? "OK" : "Error"),
            headers: [HTTPHeader("Content-Type"): "application/json"], body: Data(bytes))
    }

    func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
        raw(status, Array(value.serialized().utf8))
    }

    /// The API's error envelope.
    func error(_ status: Int, _ type: String, _ message: String, _ details: JSONObject? = nil) -> HTTPResponse {
        json(
            status,
            [
                "success": false, "status": .number(JSONNumber(status)),
                "error": [
                    "message": .string(message), "type": .string(type),
                    "details": details.map(JSONValue.object) ?? .null,
                ],
            ])
    }

    /// FastAPI's validation error body.
    func fastAPIError(_ location: [String], _ message: String, type: String = "value_error") -> HTTPResponse {
        json(
            422,
            [
                "detail": [
                    ["loc": .array(location.map(JSONValue.string)), "msg": .string(message), "type": .string(type)]
                ]
            ])
    }

    func notFound(_ resource: String, _ id: String) -> HTTPResponse {
        error(
            404, "NotFoundError", "\(resource.capitalized) '\(id)' not found",
            ["resource": .string(resource), "id": .string(id)])
    }

    private static func object(_ counts: [String: Int]) -> JSONValue {
        .object(JSONObject(counts.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number(JSONNumber($0.value))) }))
    }
}

/// The error the server's task ended with, read while waiting for it to listen.
private final class StartFailure: Sendable {
    private let state = Mutex<(any Error)?>(nil)

    func record(_ error: any Error) { state.withLock { $0 = error } }
    var error: (any Error)? { state.withLock { $0 } }
}
