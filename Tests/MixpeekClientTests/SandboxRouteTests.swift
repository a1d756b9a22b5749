import Testing

@testable import LineageSandbox

/// The sandbox's named routes: each method and path the client uses names exactly one route.
@Suite("Sandbox routes")
struct SandboxRouteTests {
    static func route(_ method: String, _ path: String) -> SandboxRoute? {
        SandboxRoute(method: method, path: path.split(separator: "/").map(String.init))
    }

    @Test("every endpoint parses to its route, with its ids in place")
    func endpoints() {
        let expected: [(String, String, SandboxRoute)] = [
            ("POST", "v1/collections/list", .listCollections),
            ("GET", "v1/collections/col_a", .collection("col_a")),
            ("POST", "v1/collections/col_a/export", .exportCollection("col_a")),
            ("GET", "v1/collections/col_a/reconciliation", .reconciliation(collection: "col_a")),
            ("POST", "v1/collections/col_a/documents/list", .listDocuments(collection: "col_a")),
            ("POST", "v1/collections/col_a/documents", .createDocument(collection: "col_a")),
            ("DELETE", "v1/collections/col_a/documents/batch", .deleteDocuments(collection: "col_a")),
            ("GET", "v1/collections/col_a/documents/doc_1", .document(collection: "col_a", id: "doc_1")),
            ("PATCH", "v1/collections/col_a/documents/doc_1", .patchDocument(collection: "col_a", id: "doc_1")),
            ("GET", "v1/collections/col_a/documents/doc_1/lineage", .documentLineage(collection: "col_a", id: "doc_1")),
            (
                "GET", "v1/collections/col_a/documents/doc_1/ancestors",
                .documentAncestors(collection: "col_a", id: "doc_1")
            ),
            (
                "GET", "v1/collections/col_a/documents/doc_1/descendants",
                .documentDescendants(collection: "col_a", id: "doc_1")
            ),
            ("GET", "v1/documents/doc_1", .documentAnywhere("doc_1")),
            ("GET", "v1/objects/obj_1/documents", .objectDocuments("obj_1")),
            ("GET", "v1/objects/obj_1/decomposition-tree", .decompositionTree("obj_1")),
            ("POST", "v1/buckets/bkt_1/objects/list", .listObjects(bucket: "bkt_1")),
            ("GET", "v1/buckets/bkt_1/objects/obj_1", .object(bucket: "bkt_1", id: "obj_1")),
            ("POST", "v1/buckets/bkt_1/batches/list", .listBatches(bucket: "bkt_1")),
            ("GET", "v1/buckets/bkt_1/batches/b_1", .batch(bucket: "bkt_1", id: "b_1")),
            ("GET", "v1/buckets/bkt_1/batches/b_1/failed-documents", .failedDocuments(bucket: "bkt_1", batch: "b_1")),
            ("POST", "api/v1/lineage", .lineageEvent),
        ]
        for (method, path, route) in expected {
            #expect(Self.route(method, path) == route, "\(method) /\(path)")
        }
        #expect(expected.filter { $0.2.isWrite }.count == 3)
        #expect(expected.filter { $0.2.isListing }.map(\.1).allSatisfy { $0.hasSuffix("/list") })
    }

    @Test("a wrong method, an extra or missing segment, or an unknown path names no route")
    func noRoute() {
        #expect(Self.route("GET", "v1/collections/list") == .collection("list"), "a GET of a collection named list")
        #expect(Self.route("PUT", "v1/collections/col_a/documents/doc_1") == nil)
        #expect(Self.route("GET", "v1/collections/col_a/documents/doc_1/siblings") == nil)
        #expect(Self.route("GET", "v1/collections") == nil)
        #expect(Self.route("GET", "v2/collections/col_a") == nil)
        #expect(Self.route("POST", "v1/collections/col_a/documents/doc_1") == nil)
    }
}
