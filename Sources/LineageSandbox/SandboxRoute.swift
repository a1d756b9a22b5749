/// The endpoints the sandbox answers, by name, each parsed from its method and path template:
/// the one place that says which requests exist.
enum SandboxRoute: Equatable, Sendable {
    /// `POST /v1/collections/list`.
    case listCollections
    /// `GET /v1/collections/{collection}`.
    case collection(String)
    /// `POST /v1/collections/{collection}/export`.
    case exportCollection(String)
    /// `GET /v1/collections/{collection}/reconciliation`.
    case reconciliation(collection: String)
    /// `POST /v1/collections/{collection}/documents/list`.
    case listDocuments(collection: String)
    /// `POST /v1/collections/{collection}/documents`.
    case createDocument(collection: String)
    /// `DELETE /v1/collections/{collection}/documents/batch`.
    case deleteDocuments(collection: String)
    /// `GET /v1/collections/{collection}/documents/{document}`.
    case document(collection: String, id: String)
    /// `PATCH /v1/collections/{collection}/documents/{document}`.
    case patchDocument(collection: String, id: String)
    /// `GET /v1/collections/{collection}/documents/{document}/lineage`.
    case documentLineage(collection: String, id: String)
    /// `GET /v1/collections/{collection}/documents/{document}/ancestors`.
    case documentAncestors(collection: String, id: String)
    /// `GET /v1/collections/{collection}/documents/{document}/descendants`.
    case documentDescendants(collection: String, id: String)
    /// `GET /v1/documents/{document}`.
    case documentAnywhere(String)
    /// `GET /v1/objects/{object}/documents`.
    case objectDocuments(String)
    /// `GET /v1/objects/{object}/decomposition-tree`.
    case decompositionTree(String)
    /// `POST /v1/buckets/{bucket}/objects/list`.
    case listObjects(bucket: String)
    /// `GET /v1/buckets/{bucket}/objects/{object}`.
    case object(bucket: String, id: String)
    /// `POST /v1/buckets/{bucket}/batches/list`.
    case listBatches(bucket: String)
    /// `GET /v1/buckets/{bucket}/batches/{batch}`.
    case batch(bucket: String, id: String)
    /// `GET /v1/buckets/{bucket}/batches/{batch}/failed-documents`.
    case failedDocuments(bucket: String, batch: String)
    /// `POST /api/v1/lineage`: OpenLineage events (namespaces are in the events, not a header).
    case lineageEvent

    /// One route: method, path template (`{…}` segments capture, in order) and how to make it.
    private struct Template: Sendable {
        let method: String
        let segments: [Substring]
        let make: @Sendable ([String]) -> SandboxRoute

        init(_ method: String, _ path: String, _ make: @escaping @Sendable ([String]) -> SandboxRoute) {
            self.method = method
            self.segments = path.split(separator: "/")
            self.make = make
        }

        func match(_ method: String, _ path: [String]) -> SandboxRoute? {
            guard method == self.method, path.count == segments.count else { return nil }
            var captured: [String] = []
            for (segment, part) in zip(segments, path) {
                if segment.hasPrefix("{") {
                    captured.append(part)
                } else if segment != part {
                    return nil
                }
            }
            return make(captured)
        }
    }

    private static let templates: [Template] = [
        Template("POST", "v1/collections/list") { _ in .listCollections },
        Template("GET", "v1/collections/{collection}") { .collection($0[0]) },
        Template("POST", "v1/collections/{collection}/export") { .exportCollection($0[0]) },
        Template("GET", "v1/collections/{collection}/reconciliation") { .reconciliation(collection: $0[0]) },
        Template("POST", "v1/collections/{collection}/documents/list") { .listDocuments(collection: $0[0]) },
        Template("POST", "v1/collections/{collection}/documents") { .createDocument(collection: $0[0]) },
        Template("DELETE", "v1/collections/{collection}/documents/batch") { .deleteDocuments(collection: $0[0]) },
        Template("GET", "v1/collections/{collection}/documents/{document}") {
            .document(collection: $0[0], id: $0[1])
        },
        Template("PATCH", "v1/collections/{collection}/documents/{document}") {
            .patchDocument(collection: $0[0], id: $0[1])
        },
        Template("GET", "v1/collections/{collection}/documents/{document}/lineage") {
            .documentLineage(collection: $0[0], id: $0[1])
        },
        Template("GET", "v1/collections/{collection}/documents/{document}/ancestors") {
            .documentAncestors(collection: $0[0], id: $0[1])
        },
        Template("GET", "v1/collections/{collection}/documents/{document}/descendants") {
            .documentDescendants(collection: $0[0], id: $0[1])
        },
        Template("GET", "v1/documents/{document}") { .documentAnywhere($0[0]) },
        Template("GET", "v1/objects/{object}/documents") { .objectDocuments($0[0]) },
        Template("GET", "v1/objects/{object}/decomposition-tree") { .decompositionTree($0[0]) },
        Template("POST", "v1/buckets/{bucket}/objects/list") { .listObjects(bucket: $0[0]) },
        Template("GET", "v1/buckets/{bucket}/objects/{object}") { .object(bucket: $0[0], id: $0[1]) },
        Template("POST", "v1/buckets/{bucket}/batches/list") { .listBatches(bucket: $0[0]) },
        Template("GET", "v1/buckets/{bucket}/batches/{batch}") { .batch(bucket: $0[0], id: $0[1]) },
        Template("GET", "v1/buckets/{bucket}/batches/{batch}/failed-documents") {
            .failedDocuments(bucket: $0[0], batch: $0[1])
        },
        Template("POST", "api/v1/lineage") { _ in .lineageEvent },
    ]

    /// The route `method` and `path` (its segments) name, or `nil` when there is none.
    init?(method: String, path: [String]) {
        for template in Self.templates {
            if let route = template.match(method, path) {
                self = route
                return
            }
        }
        return nil
    }

    /// Whether the request changes documents (what a lost answer can hide).
    var isWrite: Bool {
        switch self {
        case .createDocument, .deleteDocuments, .patchDocument: true
        default: false
        }
    }

    /// Whether the request is a listing (`POST …/list`), which today's API answers empty, with a
    /// warning, for a namespace that does not resolve.
    var isListing: Bool {
        switch self {
        case .listCollections, .listDocuments, .listObjects, .listBatches: true
        default: false
        }
    }
}
