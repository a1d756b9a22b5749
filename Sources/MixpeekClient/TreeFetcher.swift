import Foundation
import LineageKit

/// Brings down one document's tree, or its ancestors or descendants, through the API's lineage
/// endpoints instead of listing the namespace: `GET /v1/documents/{id}`, `…/lineage`,
/// `…/ancestors`, `…/descendants` and `GET /v1/objects/{id}/documents`, plus the root object and
/// the collections involved.
public struct TreeFetcher: Sendable {
    private let client: MixpeekClient

    /// Creates a fetcher.
    public init(client: MixpeekClient) {
        self.client = client
    }

    /// What came down, and what the API could not give in full.
    public struct Result: Sendable {
        /// Documents, objects and collections, as a fetch gives them.
        public var fetched: NamespaceFetcher.Result
        /// Documents whose children reached the API's cap of one answer, so more may exist.
        public var cappedChildren: [String]
    }

    /// Fetches what `request` names.
    ///
    /// - Throws: ``MixpeekError`` (`notFound` when the document or object does not exist).
    public func fetch(_ request: NodeSelector.TreeRequest) async throws -> Result {
        var documents: [String: JSONValue] = [:]
        var order: [String] = []
        func add(_ values: [JSONValue]) {
            for value in values {
                guard let id = value["document_id"]?.stringValue, documents[id] == nil else { continue }
                documents[id] = value
                order.append(id)
            }
        }
        var root: (object: String, bucket: String?)?
        var capped: [String] = []
        if request.id.hasPrefix("obj_") {
            add(try await client.documents(ofObject: request.id))
            root = (request.id, nil)
        } else {
            let document = try await client.document(request.id)
            guard let collection = document["collection_id"]?.stringValue else {
                throw MixpeekError(code: .invalidResponse, message: "document \(request.id) has no collection_id")
            }
            add([document])
            let lineage = try await client.lineage(ofDocument: request.id, inCollection: collection)["lineage"]
            if let object = lineage?["root_object_id"]?.stringValue {
                root = (object, lineage?["root_bucket_id"]?.stringValue)
            }
            if request.wholeTree, let root {
                add(try await client.documents(ofObject: root.object))
            }
            if request.ancestors != nil {
                var ancestors = try await client.ancestors(ofDocument: request.id, inCollection: collection)
                if case .some(.some(let depth)) = request.ancestors { ancestors = Array(ancestors.suffix(depth)) }
                add(ancestors)
            }
            if let limit = request.descendants {
                var frontier = [(request.id, collection)]
                var depth = 0
                var seen: Set<String> = [request.id]
                while !frontier.isEmpty, limit.map({ depth < $0 }) ?? true {
                    depth += 1
                    var next: [(String, String)] = []
                    for (id, collection) in frontier {
                        let children = try await client.descendants(ofDocument: id, inCollection: collection)
                        if children.count >= MixpeekClient.descendantsCap { capped.append(id) }
                        add(children)
                        for child in children {
                            guard let childID = child["document_id"]?.stringValue, seen.insert(childID).inserted,
                                let childCollection = child["collection_id"]?.stringValue
                            else { continue }
                            next.append((childID, childCollection))
                        }
                    }
                    frontier = next
                }
            }
        }
        var objects: [JSONValue] = []
        if let root {
            var bucket = root.bucket
            if bucket == nil {
                let read = try SnapshotReader(options: .init(keepGoing: true)).read(
                    .bytes(JSONValue.jsonLines(order.compactMap { documents[$0] }), name: "tree"))
                bucket = read.documents.lazy.compactMap(\.lineage.rootBucketID).first
            }
            if let bucket {
                do {
                    objects.append(try await client.object(root.object, inBucket: bucket))
                } catch let error as MixpeekError where error.code == .notFound {
                    // A missing root object stays a ghost in the picture.
                }
            }
        }
        var collections: [JSONValue] = []
        var seenCollections: Set<String> = []
        for id in order {
            guard let collection = documents[id]?["collection_id"]?.stringValue,
                seenCollections.insert(collection).inserted
            else { continue }
            do {
                collections.append(try await client.collection(collection))
            } catch let error as MixpeekError where error.code == .notFound {
                continue
            }
        }
        return Result(
            fetched: NamespaceFetcher.Result(
                collections: collections, documents: order.compactMap { documents[$0] }, objects: objects,
                duplicatesDropped: 0, missingObjects: []),
            cappedChildren: capped)
    }
}
