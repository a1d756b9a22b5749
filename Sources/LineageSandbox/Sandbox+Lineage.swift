internal import FlyingFox
import Foundation
import LineageKit

/// Every served document's resolved lineage, and who points at whom: what the lineage,
/// ancestors, descendants, object and reconciliation routes answer from.
struct LineageIndex: Sendable {
    struct Key: Hashable, Sendable {
        var collection: String
        var id: String
    }

    var documents: [Key: Document] = [:]
    /// Documents by id (an id may, against the API's rules, repeat across collections).
    var byID: [String: [Key]] = [:]
    /// Documents by the source document they name.
    var children: [String: [Key]] = [:]
    /// Documents by root object.
    var byRoot: [String: [Key]] = [:]
    /// Every key in snapshot order.
    var order: [Key] = []

    init(_ store: SandboxStore) {
        var bytes: [UInt8] = []
        for place in store.order {
            guard let entry = store.documents[place.collection]?[place.position] else { continue }
            bytes += entry.bytes
            bytes.append(0x0A)
        }
        let snapshot = try? SnapshotReader(options: .init(keepGoing: true)).read(.bytes(bytes, name: "sandbox"))
        for document in snapshot?.documents ?? [] {
            let key = Key(collection: document.collectionID, id: document.id)
            guard documents[key] == nil else { continue }
            documents[key] = document
            order.append(key)
            byID[document.id, default: []].append(key)
            if let source = document.lineage.sourceDocumentID { children[source, default: []].append(key) }
            if let root = document.lineage.rootObjectID { byRoot[root, default: []].append(key) }
        }
    }
}

extension Sandbox {
    func lineageIndex() -> LineageIndex {
        if let lineageCache { return lineageCache }
        let index = LineageIndex(store)
        lineageCache = index
        return index
    }

    private func document(_ key: LineageIndex.Key) -> JSONValue? {
        documentEntry(key.collection, key.id)?.value
    }

    /// `GET /v1/collections/{c}/documents/{d}/lineage`: the SDK's `DocumentLineageResponse`.
    func lineage(collection: String, document id: String) -> HTTPResponse {
        let index = lineageIndex()
        var body: JSONObject = ["document_id": .string(id), "collection_id": .string(collection)]
        guard let document = index.documents[.init(collection: collection, id: id)], !document.lineage.isEmpty else {
            body["lineage"] = .null
            body["depth"] = 0
            body["total_steps"] = 0
            body["message"] = "the document carries no lineage"
            return json(200, .object(body))
        }
        let lineage = document.lineage
        let chain = (lineage.chain ?? []).map { step -> JSONValue in
            [
                "collection_id": step.collectionID.map(JSONValue.string) ?? .null,
                "feature_extractor_id": step.featureExtractorID.map(JSONValue.string) ?? .null,
                "document_id": step.documentID.map(JSONValue.string) ?? .null,
                "timestamp": step.timestamp.map(JSONValue.string) ?? .null,
            ]
        }
        body["lineage"] = [
            "root_object_id": lineage.rootObjectID.map(JSONValue.string) ?? .null,
            "root_bucket_id": lineage.rootBucketID.map(JSONValue.string) ?? .null,
            "source_type": lineage.sourceType.map { .string($0.description) } ?? .null,
            "source_object_id": lineage.sourceObjectID.map(JSONValue.string) ?? .null,
            "source_document_id": lineage.sourceDocumentID.map(JSONValue.string) ?? .null,
            "source_collection_id": lineage.sourceCollectionID.map(JSONValue.string) ?? .null,
            "source_row": .null, "lineage_chain": .array(chain),
        ]
        body["depth"] = .number(JSONNumber(max(chain.count, ancestorKeys(of: id, in: index).count + 1)))
        body["total_steps"] = .number(JSONNumber(chain.count))
        return json(200, .object(body))
    }

    /// The documents above `id`, root first, following source documents (stopping at a missing
    /// one or a cycle).
    private func ancestorKeys(of id: String, in index: LineageIndex) -> [LineageIndex.Key] {
        var keys: [LineageIndex.Key] = []
        var seen: Set<String> = [id]
        var current = index.byID[id]?.first.flatMap { index.documents[$0] }
        while let source = current?.lineage.sourceDocumentID, seen.insert(source).inserted,
            let key = index.byID[source]?.first
        {
            keys.append(key)
            current = index.documents[key]
        }
        return keys.reversed()
    }

    /// `GET …/documents/{d}/ancestors`: every document up the chain, root first (the document
    /// itself left out), as `DocumentResponse`s.
    func ancestors(collection: String, document id: String) -> HTTPResponse {
        let index = lineageIndex()
        return json(200, .array(ancestorKeys(of: id, in: index).compactMap(document)))
    }

    /// `GET …/documents/{d}/descendants`: the documents whose source is this one (depth 1, at
    /// most 100), as `DocumentResponse`s.
    func descendants(collection: String, document id: String) -> HTTPResponse {
        let index = lineageIndex()
        return json(200, .array((index.children[id] ?? []).prefix(100).compactMap(document)))
    }

    /// `GET /v1/objects/{o}/documents[?collection_ids=…]`: every document made from the object.
    func objectDocuments(_ object: String, parameters: [String: String], query: [HTTPRequest.QueryItem])
        -> HTTPResponse
    {
        let chosen = Set(
            query.filter { $0.name == "collection_ids" }.flatMap { $0.value.split(separator: ",").map(String.init) })
        let keys = (lineageIndex().byRoot[object] ?? []).filter { chosen.isEmpty || chosen.contains($0.collection) }
        return json(
            200,
            [
                "object_id": .string(object), "total_documents": .number(JSONNumber(keys.count)),
                "results": .array(keys.compactMap(document)),
            ])
    }

    /// `GET /v1/objects/{o}/decomposition-tree`: the collections the object's documents sit in,
    /// nested by source collection, with counts (and ids on request).
    func decompositionTree(_ object: String, includeDocumentIDs: Bool) -> HTTPResponse {
        let index = lineageIndex()
        let keys = index.byRoot[object] ?? []
        var byCollection: [String: [String]] = [:]
        var parent: [String: String] = [:]
        var order: [String] = []
        var bucket: String?
        for key in keys {
            guard let document = index.documents[key] else { continue }
            if byCollection[key.collection] == nil { order.append(key.collection) }
            byCollection[key.collection, default: []].append(key.id)
            if let source = document.lineage.sourceCollectionID, source != key.collection {
                parent[key.collection] = parent[key.collection] ?? source
            }
            bucket = bucket ?? document.lineage.rootBucketID
        }
        func node(_ collection: String, _ seen: Set<String>) -> JSONValue {
            var entry: JSONObject = [
                "collection_id": .string(collection),
                "document_count": .number(JSONNumber(byCollection[collection]?.count ?? 0)),
            ]
            if includeDocumentIDs {
                entry["document_ids"] = .array((byCollection[collection] ?? []).map(JSONValue.string))
            }
            let next = order.filter { parent[$0] == collection && !seen.contains($0) }
            entry["children"] = .array(next.map { node($0, seen.union([$0])) })
            return .object(entry)
        }
        let roots = order.filter { parent[$0] == nil || byCollection[parent[$0] ?? ""] == nil }
        return json(
            200,
            [
                "object_id": .string(object), "bucket_id": bucket.map(JSONValue.string) ?? .null,
                "total_documents": .number(JSONNumber(keys.count)),
                "tree": .array(roots.map { node($0, [$0]) }),
            ])
    }

    /// `GET /v1/collections/{c}/reconciliation?limit=`: the SDK's
    /// `CollectionReconciliationResponse`. Source objects are the objects of the collection's
    /// source buckets (for a collection fed by collections: the root objects of their documents);
    /// each one that produced no document is a discrepancy, with a reason from its status.
    func reconciliation(collection: String, parameters: [String: String]) -> HTTPResponse {
        guard let configuration = store.collectionIndex[collection].map({ store.collections[$0].value }) else {
            return notFound("collection", collection)
        }
        let limit = Int(parameters["limit"] ?? "100") ?? -1
        guard (1...1000).contains(limit) else {
            return fastAPIError(["query", "limit"], "Input should be between 1 and 1000")
        }
        let index = lineageIndex()
        let source = configuration["source"]
        var sources: [(object: String, bucket: String?, record: JSONValue?)] = []
        if source?["type"]?.stringValue == "collection" {
            var upstream = (source?["collection_ids"]?.arrayValue ?? []).compactMap(\.stringValue)
            if let one = source?["collection_id"]?.stringValue { upstream.append(one) }
            var seen: Set<String> = []
            for key in index.order where upstream.contains(key.collection) {
                guard let lineage = index.documents[key]?.lineage, let root = lineage.rootObjectID,
                    seen.insert(root).inserted
                else { continue }
                let record = lineage.rootBucketID.flatMap { bucket in
                    store.objectIndex[bucket]?[root].flatMap { store.objects[bucket]?[$0].value }
                }
                sources.append((root, lineage.rootBucketID, record))
            }
        } else {
            for bucket in (source?["bucket_ids"]?.arrayValue ?? []).compactMap(\.stringValue) {
                for entry in store.objects[bucket] ?? [] {
                    guard let id = entry.value["object_id"]?.stringValue else { continue }
                    sources.append((id, bucket, entry.value))
                }
            }
        }
        let documents = index.order.filter { $0.collection == collection }
        let produced = Set(documents.compactMap { index.documents[$0]?.lineage.rootObjectID })
        let missing = sources.filter { !produced.contains($0.object) }
        let now = Date()
        let formatter = ISO8601DateFormatter()
        let discrepancies = missing.prefix(limit).map { source -> JSONValue in
            let status = source.record?["status"]?.stringValue
            let reason: String
            switch status?.uppercased() {
            case "FAILED", "COMPLETED_WITH_ERRORS": reason = "failed"
            case "PROCESSING", "PENDING", "IN_PROGRESS": reason = "processing"
            case "SKIPPED", "CANCELED": reason = "skipped"
            case "COMPLETED": reason = "no_document"
            default: reason = "unknown"
            }
            var age = JSONValue.null
            if let created = source.record?["created_at"]?.stringValue, let date = formatter.date(from: created) {
                age = .number(JSONNumber(Double(Int(now.timeIntervalSince(date)))))
            }
            return [
                "object_id": .string(source.object), "bucket_id": source.bucket.map(JSONValue.string) ?? .null,
                "reason": .string(reason), "status": status.map(JSONValue.string) ?? .null, "age_seconds": age,
                "error": source.record?["error"] ?? .null,
            ]
        }
        return json(
            200,
            [
                "collection_id": .string(collection),
                "source_object_count": .number(JSONNumber(sources.count)),
                "produced_object_count": .number(JSONNumber(sources.count - missing.count)),
                "document_count": .number(JSONNumber(documents.count)),
                "delta": .number(JSONNumber(missing.count)), "discrepancies": .array(discrepancies),
                "discrepancies_truncated": .bool(missing.count > limit), "limit": .number(JSONNumber(limit)),
            ])
    }
}
