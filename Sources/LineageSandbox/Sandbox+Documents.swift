internal import FlyingFox
import LineageKit

/// Deleting and creating documents, as today's API does: `DELETE …/documents/batch` by explicit
/// ids (synchronous, a result per id; the filter mode is not served) and `POST …/documents` with a
/// `DocumentCreateRequest`, answered with the new document in the current shape.
extension Sandbox {
    /// The keys a `DocumentCreateRequest` declares; any other is refused (422 `extra_forbidden`).
    static let createKeys: Set<String> = [
        "collection_id", "root_object_id", "root_bucket_id", "source_type", "source_collection_id",
        "source_document_id", "source_object_id", "lineage_path", "lineage_chain", "content_hash",
        "document_schema_version", "metadata", "features", "vectors",
    ]

    /// `DELETE /v1/collections/{collection}/documents/batch`.
    func deleteDocuments(collection: String, body: [UInt8]) -> HTTPResponse {
        guard store.collectionIndex[collection] != nil else { return notFound("collection", collection) }
        guard let request = (try? JSONValue(parsing: body, name: "body"))?.objectValue else {
            return fastAPIError(["body"], "Input should be a valid dictionary")
        }
        if request["filters"] != nil {
            return error(
                400, "BadRequestError", "the sandbox deletes by explicit document_ids only, not by filters")
        }
        guard let ids = request["document_ids"]?.arrayValue?.compactMap(\.stringValue), !ids.isEmpty,
            ids.count == request["document_ids"]?.arrayValue?.count
        else {
            return fastAPIError(["body", "document_ids"], "Provide document_ids (a list of strings) or filters")
        }
        guard ids.count <= Self.maximumPageSize else {
            return fastAPIError(
                ["body", "document_ids"], "List should have at most \(Self.maximumPageSize) items", type: "too_long")
        }
        var results: [JSONValue] = []
        var deleted = 0
        for id in ids {
            if store.documentIndex[collection]?[id] != nil {
                store.removeDocument(id, inCollection: collection)
                deleted += 1
                results.append(["document_id": .string(id), "success": true, "error": .null])
            } else {
                results.append(
                    ["document_id": .string(id), "success": false, "error": .string("Document '\(id)' not found")])
            }
        }
        lineageCache = nil
        return json(
            200,
            [
                "task_id": .null, "status": .null, "deleted_count": .number(JSONNumber(deleted)),
                "failed_count": .number(JSONNumber(ids.count - deleted)), "results": .array(results),
                "message": "Batch delete completed",
            ])
    }

    /// `GET /v1/buckets/{bucket}/batches/{batch}/failed-documents`: `{"results", "total"}`, paged
    /// by `limit` and `offset` (the API leaves the answer untyped; this is our shape).
    func failedDocuments(bucket: String, batch: String, parameters: [String: String]) -> HTTPResponse {
        guard store.batches[bucket]?.contains(where: { $0.value["batch_id"]?.stringValue == batch }) == true else {
            return notFound("batch", batch)
        }
        let all = store.failedDocuments[batch] ?? []
        guard let limit = Int(parameters["limit"] ?? "100"), (1...Self.maximumPageSize).contains(limit),
            let offset = Int(parameters["offset"] ?? "0"), offset >= 0
        else { return fastAPIError(["query", "limit"], "Input should be between 1 and \(Self.maximumPageSize)") }
        let page = offset < all.count ? Array(all[offset..<min(all.count, offset + limit)]) : []
        return json(200, ["results": .array(page), "total": .number(JSONNumber(all.count))])
    }

    /// `POST /v1/collections/{collection}/documents`.
    func createDocument(collection: String, body: [UInt8]) -> HTTPResponse {
        guard store.collectionIndex[collection] != nil else { return notFound("collection", collection) }
        guard let request = (try? JSONValue(parsing: body, name: "body"))?.objectValue else {
            return fastAPIError(["body"], "Input should be a valid dictionary")
        }
        if let extra = request.keys.first(where: { !Self.createKeys.contains($0) }) {
            return fastAPIError(["body", extra], "Extra inputs are not permitted", type: "extra_forbidden")
        }
        if let stated = request["collection_id"]?.stringValue, stated != collection {
            return fastAPIError(["body", "collection_id"], "collection_id \(stated) is not the path's \(collection)")
        }
        let metadata = request["metadata"]?.objectValue ?? JSONObject()
        if let system = metadata.keys.first(where: { Document.systemRootFieldNames.contains($0) }) {
            return fastAPIError(["body", "metadata", system], "\(system) is a system field, not a user field")
        }
        createdDocuments += 1
        var generator = SeededRandom(seed: options.seed ^ 0xC4EA7E ^ UInt64(createdDocuments))
        let id = "doc_" + String((0..<3).map { _ in String(generator.next(), radix: 16) }.joined().prefix(20))
        var lineage = JSONObject()
        for key in [
            "root_object_id", "root_bucket_id", "source_type", "source_object_id", "source_document_id",
            "source_collection_id",
        ] {
            if let value = request[key] { lineage[key] = value }
        }
        if let path = request["lineage_path"] { lineage["path"] = path }
        if let chain = request["lineage_chain"] { lineage["chain"] = chain }
        var internalPayload: JSONObject = [
            "document_id": .string(id), "collection_id": .string(collection),
            "namespace_id": .string(store.namespace ?? ""),
            "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z", "lineage": .object(lineage),
        ]
        if let hash = request["content_hash"] { internalPayload["content_hash"] = hash }
        var document: JSONObject = [
            "document_id": .string(id), "collection_id": .string(collection), "_internal": .object(internalPayload),
        ]
        for (key, value) in metadata { document[key] = value }
        store.addDocument(.object(document), id: id, inCollection: collection)
        lineageCache = nil
        return json(200, .object(document))
    }
}
