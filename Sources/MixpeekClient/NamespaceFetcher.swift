import Foundation
import LineageKit
import Synchronization

/// Brings a namespace (or chosen collections) down from the API into a snapshot directory that
/// every LineageKit command reads: `documents.jsonl`, `objects.jsonl`, `collections.json` and a
/// `snapshot.json` manifest.
public struct NamespaceFetcher: Sendable {
    /// What to fetch.
    public struct Options: Sendable {
        /// Collections to fetch; `nil` fetches every collection of the namespace.
        public var collections: [String]?
        /// Whether to fetch the root objects the documents name, too.
        public var objects: Bool
        /// How many collections (and object requests) are fetched at once.
        public var concurrency: Int
        /// Keep going when the API says a listing is incomplete (its `warnings`), recording it in
        /// ``Result/incomplete``; otherwise such a listing stops the fetch.
        public var allowIncomplete: Bool
        /// Also fetch each collection's reconciliation (objects in against documents out).
        public var reconciliation: Bool
        /// Have the API export each collection to a file (`POST …/export`) and download it, instead
        /// of paging the list endpoint; only when fetching into a directory.
        public var export: ExportFormat?
        /// Also fetch the processing batches of the buckets the collections read and the documents
        /// name, each with its failed documents (`batch.unreconciled`).
        public var batches: Bool

        /// Creates options.
        public init(
            collections: [String]? = nil, objects: Bool = false, concurrency: Int = 4, allowIncomplete: Bool = false,
            reconciliation: Bool = false, export: ExportFormat? = nil, batches: Bool = false
        ) {
            self.batches = batches
            self.collections = collections
            self.objects = objects
            self.concurrency = max(1, concurrency)
            self.allowIncomplete = allowIncomplete
            self.reconciliation = reconciliation
            self.export = export
        }
    }

    /// The file format of a collection export.
    public enum ExportFormat: String, Sendable, CaseIterable {
        /// JSON Lines, joined into the snapshot's `documents.jsonl` (every command reads it).
        case json
        /// Parquet, kept as `documents-<collection>.parquet` files (SQL engines read them).
        case parquet
    }

    /// A listing the API said was incomplete.
    public struct IncompleteListing: Sendable, Equatable {
        /// What was listed: `collections`, `collection col_…` or `bucket bkt_…`.
        public var listing: String
        /// The API's warnings, as text.
        public var warnings: [String]

        /// Creates an entry.
        public init(listing: String, warnings: [String]) {
            self.listing = listing
            self.warnings = warnings
        }

        /// Reads an entry of `snapshot.json`'s `incomplete` list; `nil` when it is not one.
        public init?(json: JSONValue) {
            guard let listing = json["listing"]?.stringValue else { return nil }
            self.init(listing: listing, warnings: (json["warnings"]?.arrayValue ?? []).compactMap(\.stringValue))
        }

        /// The entry as `snapshot.json` records it: `{"listing", "warnings"}`.
        public var json: JSONValue {
            ["listing": .string(listing), "warnings": .array(warnings.map(JSONValue.string))]
        }
    }

    /// What came down.
    public struct Result: Sendable {
        /// Collection configurations, in the namespace's order.
        public var collections: [JSONValue]
        /// Documents, collection by collection, each in listing order.
        public var documents: [JSONValue]
        /// Root objects (with ``Options/objects``).
        public var objects: [JSONValue]
        /// Items seen twice during listings and dropped.
        public var duplicatesDropped: Int
        /// Root objects the documents name that the API has in none of the buckets looked in.
        public var missingObjects: [String]
        /// Root objects not in the bucket documents name but found in another: the documents'
        /// bucket is wrong, not the object missing (`mismatch.*` findings say more).
        public var misplacedObjects: [(id: String, namedBucket: String, foundBucket: String)] = []
        /// Buckets whose root objects (every one the documents name) were all looked up: each came
        /// down or the API answered that it does not exist. The manifest records them as
        /// `buckets_checked`, so that an absent root object there reads as deleted.
        public var checkedBuckets: [String] = []
        /// Listings the API said were incomplete (only with ``Options/allowIncomplete``).
        public var incomplete: [IncompleteListing]
        /// Each collection's `CollectionReconciliationResponse` (with ``Options/reconciliation``).
        public var reconciliations: [JSONValue] = []
        /// The processing batches, each with `failed_documents` (with ``Options/batches``); `nil`
        /// when not fetched.
        public var batches: [JSONValue]?
        /// What came down, as inputs for `SnapshotReader`, each named after the namespace and
        /// base URL of `client`.
        public func sources(from client: MixpeekClient) -> [InputSource] {
            let origin = "\(client.configuration.namespace) at \(client.configuration.baseURL.absoluteString)"
            var sources: [InputSource] = [
                .bytes(JSONValue.jsonLines(documents), name: "documents of \(origin)"),
                .bytes(JSONValue.jsonLines(objects), name: "objects of \(origin)"),
                .bytes(JSONValue.jsonLines(collections), name: "collections of \(origin)"),
            ]
            if let batches {
                let file = ProcessingBatch.file(batches).serialized()
                sources.append(.bytes(Array(file.utf8), name: "batches of \(origin)"))
            }
            // The buckets looked up whole, as `snapshot.json` records them, so a root gone from one
            // reads as deleted here too, as it does from a fetched snapshot.
            if !checkedBuckets.isEmpty {
                let manifest: JSONValue = [
                    .init(Snapshot.manifestKey): 1,
                    .init(Snapshot.checkedBucketsKey): .array(checkedBuckets.sorted().map(JSONValue.string)),
                ]
                sources.append(.bytes(Array(manifest.serialized().utf8), name: "manifest of \(origin)"))
            }
            return sources
        }

        /// Documents fetched: ``documents``'s count, or (fetching straight into a directory with
        /// ``fetch(into:namespace:baseURL:overwrite:now:progress:)``) those written there.
        public var documentCount = 0

        /// Creates a result.
        public init(
            collections: [JSONValue], documents: [JSONValue], objects: [JSONValue], duplicatesDropped: Int,
            missingObjects: [String], incomplete: [IncompleteListing] = []
        ) {
            self.collections = collections
            self.documents = documents
            self.objects = objects
            self.duplicatesDropped = duplicatesDropped
            self.missingObjects = missingObjects
            self.incomplete = incomplete
        }
    }

    /// Progress: documents fetched so far, and the total when the server announced totals for
    /// every collection fetched so far.
    public typealias Progress = @Sendable (_ documents: Int, _ total: Int?) -> Void

    private let client: MixpeekClient
    private let options: Options

    /// Creates a fetcher.
    public init(client: MixpeekClient, options: Options = Options()) {
        self.client = client
        self.options = options
    }

    /// Fetches the collections' configurations and documents (and objects on request).
    ///
    /// - Throws: ``MixpeekError``: `namespaceNotFound` when the namespace does not resolve for the
    ///   key, `incompleteListing` when the API says a listing ended before its end (unless
    ///   ``Options/allowIncomplete``), and the client's other errors.
    public func fetch(progress: Progress? = nil) async throws -> Result {
        try await run(progress: progress, parts: nil)
    }

    /// Fetches straight into a snapshot directory at `path` (as ``write(_:to:namespace:baseURL:overwrite:now:)``
    /// would write it), each page written to a staging file as it arrives, so memory holds a few
    /// pages and never the namespace. The result's ``Result/documents`` is empty;
    /// ``Result/documentCount`` says how many were written.
    ///
    /// - Throws: as ``fetch(progress:)``, and `LineageKitError` (`writeFailed`) when `path`
    ///   exists without `overwrite` or cannot be written. Nothing is left behind on failure.
    public func fetch(
        into path: String, namespace: String, baseURL: String, overwrite: Bool, now: Date = Date(),
        progress: Progress? = nil
    ) async throws -> Result {
        let staging = try Self.stage(path, overwrite: overwrite)
        do {
            let result = try await run(progress: progress, parts: staging)
            try Self.joinParts(count: result.collections.count, in: staging)
            try Self.finish(result, staging: staging, to: path, namespace: namespace, baseURL: baseURL, now: now)
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw Self.wrapped(error, path)
        }
    }

    /// The part file of the collection at `position` in a staging directory.
    static func partPath(_ position: Int, in staging: String) -> String {
        staging + "/.part-\(position).jsonl"
    }

    /// Concatenates the collections' part files, in order, into `documents.jsonl`.
    static func joinParts(count: Int, in staging: String) throws {
        let output = try AtomicFileWriter(path: staging + "/documents.jsonl", overwrite: false)
        for position in 0..<count {
            let part = partPath(position, in: staging)
            guard let handle = FileHandle(forReadingAtPath: part) else { continue }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try output.write([UInt8](chunk))
            }
            try handle.close()
            try FileManager.default.removeItem(atPath: part)
        }
        try output.commit()
    }

    /// The fetch, keeping documents in memory (`parts` nil) or writing each collection's pages
    /// to its part file in the staging directory `parts`.
    private func run(progress: Progress?, parts: String?) async throws -> Result {
        if options.export != nil && parts == nil {
            throw MixpeekError(
                code: .invalidRequest, message: "an export is fetched into a directory: use fetch(into:…)")
        }
        var configurations: [JSONValue]
        var duplicates = 0
        var incomplete: [IncompleteListing] = []
        if let chosen = options.collections {
            configurations = []
            for id in chosen { configurations.append(try await client.collection(id)) }
        } else {
            let listing = try await client.listCollections()
            configurations = listing.items
            duplicates += listing.duplicatesDropped
            try check(listing, "collections", into: &incomplete)
        }
        let ids = configurations.compactMap { $0.objectValue?["collection_id"]?.stringValue }
        configurations = configurations.filter { $0.objectValue?["collection_id"]?.stringValue != nil }
        let tally = Tally(collections: ids.count)
        let wantObjects = options.objects
        let listings = try await Concurrently.map(ids.count, limit: options.concurrency) {
            position -> (MixpeekClient.Listing, [String: Set<String>]) in
            let report: @Sendable (Int, Int?) -> Void = { count, total in
                let (sum, known) = tally.update(position, count: count, total: total)
                progress?(sum, known)
            }
            guard let parts else {
                return (try await client.listDocuments(inCollection: ids[position], progress: report), [:])
            }
            if let format = options.export {
                return try await exportDocuments(
                    of: ids[position], at: position, format: format, into: parts, wantObjects: wantObjects,
                    progress: report)
            }
            let part = try AtomicFileWriter(path: Self.partPath(position, in: parts), overwrite: false)
            var roots: [String: Set<String>] = [:]
            let listing = try await client.listDocuments(inCollection: ids[position], progress: report) { items in
                let bytes = JSONValue.jsonLines(items)
                try part.write(bytes)
                if wantObjects {
                    for (bucket, objects) in try Self.roots(of: bytes) { roots[bucket, default: []].formUnion(objects) }
                }
            }
            try part.commit()
            return (listing, roots)
        }
        var documents: [JSONValue] = []
        var wanted: [String: Set<String>] = [:]
        var count = 0
        for (position, (listing, roots)) in listings.enumerated() {
            try check(listing, "collection \(ids[position])", into: &incomplete)
            documents += listing.items
            count += listing.count
            duplicates += listing.duplicatesDropped
            for (bucket, objects) in roots { wanted[bucket, default: []].formUnion(objects) }
        }
        var result = Result(
            collections: configurations, documents: documents, objects: [], duplicatesDropped: duplicates,
            missingObjects: [], incomplete: incomplete)
        result.documentCount = count
        if options.objects {
            if parts == nil { wanted = try Self.roots(of: JSONValue.jsonLines(documents)) }
            try await fetchObjects(wanted: wanted, into: &result)
        }
        if options.batches {
            if wanted.isEmpty, parts == nil { wanted = try Self.roots(of: JSONValue.jsonLines(documents)) }
            try await fetchBatches(
                buckets: Set(wanted.keys).union(configurations.flatMap(Self.sourceBuckets)), into: &result)
        }
        if options.reconciliation {
            result.reconciliations = try await Concurrently.map(ids.count, limit: options.concurrency) { position in
                try await client.reconciliation(ofCollection: ids[position])
            }
        }
        return result
    }

    /// Has the API export one collection and downloads the file into the staging directory: JSON
    /// Lines as the collection's part file, Parquet as `documents-<collection>.parquet`. A JSON
    /// Lines file must hold as many documents as the API said it exported.
    private func exportDocuments(
        of collection: String, at position: Int, format: ExportFormat, into staging: String, wantObjects: Bool,
        progress: @Sendable (Int, Int?) -> Void
    ) async throws -> (MixpeekClient.Listing, [String: Set<String>]) {
        let export = try await client.exportCollection(collection, format: format.rawValue)
        guard export.format == format.rawValue else {
            throw MixpeekError(
                code: .invalidResponse,
                message: "asked for a \(format.rawValue) export of \(collection), the API made \(export.format)")
        }
        let file =
            format == .json
            ? Self.partPath(position, in: staging)
            : staging + "/documents-" + MixpeekClient.encodeSegment(collection) + ".parquet"
        try await client.download(export.downloadURL, to: file)
        var listing = MixpeekClient.Listing(items: [], duplicatesDropped: 0, announcedTotal: export.documentCount)
        listing.count = export.documentCount
        var roots: [String: Set<String>] = [:]
        if format == .json {
            // Read in pieces of whole lines, so an export of any size needs a piece of memory.
            var lines = 0
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw MixpeekError(code: .invalidResponse, message: "cannot read the export of \(collection) back")
            }
            defer { try? handle.close() }
            var carried: [UInt8] = []
            while true {
                let chunk = try handle.read(upToCount: 16 << 20) ?? Data()
                carried += chunk
                let end =
                    chunk.isEmpty ? carried.count : (carried.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0)
                let piece = Array(carried[..<end])
                carried.removeFirst(end)
                lines += piece.split(separator: UInt8(ascii: "\n")).filter { $0.contains { $0 > 32 } }.count
                if wantObjects, !piece.isEmpty {
                    for (bucket, objects) in try Self.roots(of: piece) { roots[bucket, default: []].formUnion(objects) }
                }
                if chunk.isEmpty { break }
            }
            guard lines == export.documentCount else {
                throw MixpeekError(
                    code: .invalidResponse,
                    message: "the export of \(collection) says it holds \(export.documentCount) document(s), "
                        + "the file downloaded holds \(lines): it is incomplete, so nothing was written")
            }
        }
        progress(export.documentCount, export.documentCount)
        return (listing, roots)
    }

    /// Stops the fetch on a listing the API says is incomplete, or records it.
    private func check(_ listing: MixpeekClient.Listing, _ name: String, into incomplete: inout [IncompleteListing])
        throws
    {
        guard !listing.warnings.isEmpty else { return }
        guard options.allowIncomplete else {
            throw MixpeekError(
                code: .incompleteListing,
                message:
                    "the API says the listing of \(name) is incomplete (\(listing.warnings.joined(separator: "; "))"
                    + ", after \(listing.count) item(s)): a snapshot of it would miss items, and the audit would "
                    + "report their relatives as orphans. Nothing was written")
        }
        incomplete.append(IncompleteListing(listing: name, warnings: listing.warnings))
    }

    /// The root objects (by bucket) that documents, as JSON Lines, name.
    static func roots(of documents: [UInt8]) throws -> [String: Set<String>] {
        let snapshot = try SnapshotReader(options: .init(keepGoing: true)).read(
            .bytes(documents, name: "fetched documents"))
        var wanted: [String: Set<String>] = [:]
        for document in snapshot.documents {
            guard let root = document.lineage.rootObjectID, let bucket = document.lineage.rootBucketID else { continue }
            wanted[bucket, default: []].insert(root)
        }
        return wanted
    }

    /// Gets the root objects the documents name: one by one when a bucket has few, else by
    /// listing the bucket.
    func fetchObjects(wanted: [String: Set<String>], into result: inout Result) async throws {
        var objects: [JSONValue] = []
        for (bucket, ids) in wanted.sorted(by: { $0.key < $1.key }) {
            if ids.count > 200 {
                let listing = try await client.listObjects(inBucket: bucket)
                result.duplicatesDropped += listing.duplicatesDropped
                try check(listing, "bucket \(bucket)", into: &result.incomplete)
                if listing.warnings.isEmpty { result.checkedBuckets.append(bucket) }
                var found: Set<String> = []
                for object in listing.items {
                    guard let id = object.objectValue?["object_id"]?.stringValue, ids.contains(id) else { continue }
                    found.insert(id)
                    objects.append(object)
                }
                result.missingObjects += ids.subtracting(found).sorted()
                continue
            }
            let sorted = ids.sorted()
            let fetched = try await Concurrently.map(sorted.count, limit: options.concurrency) { position in
                do {
                    return try await client.object(sorted[position], inBucket: bucket) as JSONValue?
                } catch let error as MixpeekError where error.code == .notFound {
                    return nil
                }
            }
            for (position, object) in fetched.enumerated() {
                if let object { objects.append(object) } else { result.missingObjects.append(sorted[position]) }
            }
            result.checkedBuckets.append(bucket)
        }
        // An object missing from the bucket some documents name may be in another bucket that
        // other documents name: then the bucket is wrong, and the object is not missing.
        var found: [String: String] = [:]
        for object in objects {
            if let id = object["object_id"]?.stringValue, let bucket = object["bucket_id"]?.stringValue {
                found[id] = bucket
            }
        }
        var missing: [String] = []
        for id in Set(result.missingObjects).sorted() {
            if let bucket = found[id] {
                for (named, ids) in wanted.sorted(by: { $0.key < $1.key }) where ids.contains(id) && named != bucket {
                    result.misplacedObjects.append((id, named, bucket))
                }
            } else {
                missing.append(id)
            }
        }
        result.objects = objects
        result.missingObjects = missing
    }

    /// The buckets a collection configuration reads (`source.bucket_id` or `source.bucket_ids`).
    static func sourceBuckets(_ configuration: JSONValue) -> [String] {
        let source = configuration["source"]
        return ([source?["bucket_id"]] + (source?["bucket_ids"]?.arrayValue ?? []).map { Optional($0) })
            .compactMap { $0?.stringValue }
    }

    /// Lists the batches of `buckets` and gets each one's failed documents.
    func fetchBatches(buckets: Set<String>, into result: inout Result) async throws {
        var listed: [(bucket: String, batch: JSONValue)] = []
        for bucket in buckets.sorted() {
            let listing = try await client.listBatches(inBucket: bucket)
            try check(listing, "batches of bucket \(bucket)", into: &result.incomplete)
            result.duplicatesDropped += listing.duplicatesDropped
            listed += listing.items.map { (bucket, $0) }
        }
        let client = self.client
        let batches = listed
        result.batches = try await Concurrently.map(batches.count, limit: options.concurrency) { position in
            let (bucket, batch) = batches[position]
            guard var object = batch.objectValue, let id = object["batch_id"]?.stringValue else { return batch }
            object["failed_documents"] = .array(try await client.failedDocuments(ofBatch: id, inBucket: bucket))
            return .object(object)
        }
    }

    /// Writes `result` as a snapshot directory at `path`. Everything goes into a temporary
    /// directory beside it first, which is renamed into place when complete, so an interrupted
    /// fetch never leaves a snapshot that looks whole. An existing `path` is replaced only with
    /// `overwrite`.
    public static func write(
        _ result: Result, to path: String, namespace: String, baseURL: String, overwrite: Bool, now: Date = Date()
    ) throws {
        let staging = try stage(path, overwrite: overwrite)
        do {
            try writeLines(result.documents, to: staging + "/documents.jsonl")
            try finish(result, staging: staging, to: path, namespace: namespace, baseURL: baseURL, now: now)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw wrapped(error, path)
        }
    }

    /// A fresh staging directory beside `path` (refused when `path` exists without `overwrite`).
    static func stage(_ path: String, overwrite: Bool) throws -> String {
        let manager = FileManager.default
        if manager.fileExists(atPath: path), !overwrite {
            throw LineageKitError(
                code: .writeFailed, message: "\(path) exists; not replacing it", remedy: .allowOverwrite)
        }
        let parent = (path as NSString).deletingLastPathComponent
        let staging =
            (parent.isEmpty ? "." : parent) + "/." + (path as NSString).lastPathComponent
            + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        try? manager.removeItem(atPath: staging)
        do {
            try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw LineageKitError(code: .writeFailed, message: "cannot create \(staging): \(error)")
        }
        return staging
    }

    /// Writes everything but the documents into `staging`, then renames it into place.
    static func finish(
        _ result: Result, staging: String, to path: String, namespace: String, baseURL: String, now: Date
    ) throws {
        let manager = FileManager.default
        try writeLines(result.objects, to: staging + "/objects.jsonl")
        try AtomicFileWriter.write(
            JSONValue.array(result.collections).serialized(.pretty) + "\n", to: staging + "/collections.json")
        let formatter = ISO8601DateFormatter()
        var manifest: JSONValue = [
            "lineage_snapshot": 1, "namespace": .string(namespace), "base_url": .string(baseURL),
            "fetched_at": .string(formatter.string(from: now)),
            "counts": [
                "collections": .number(JSONNumber(result.collections.count)),
                "documents": .number(JSONNumber(max(result.documentCount, result.documents.count))),
                "objects": .number(JSONNumber(result.objects.count)),
                "duplicates_dropped": .number(JSONNumber(result.duplicatesDropped)),
                "missing_objects": .number(JSONNumber(result.missingObjects.count)),
                "misplaced_objects": .number(JSONNumber(result.misplacedObjects.count)),
            ],
        ]
        if var object = manifest.objectValue {
            if !result.incomplete.isEmpty { object["incomplete"] = .array(result.incomplete.map(\.json)) }
            if !result.checkedBuckets.isEmpty {
                object[Snapshot.checkedBucketsKey] = .array(result.checkedBuckets.sorted().map(JSONValue.string))
            }
            manifest = .object(object)
        }
        try AtomicFileWriter.write(manifest.serialized(.pretty) + "\n", to: staging + "/snapshot.json")
        if let batches = result.batches {
            let file = ProcessingBatch.file(batches, fetchedAt: formatter.string(from: now))
            try AtomicFileWriter.write(file.serialized(.pretty) + "\n", to: staging + "/batches.json")
        }
        if !result.reconciliations.isEmpty {
            let file: JSONValue = [
                CollectionReconciliation.fileKey: 1, "fetched_at": .string(formatter.string(from: now)),
                "collections": .array(result.reconciliations),
            ]
            try AtomicFileWriter.write(file.serialized(.pretty) + "\n", to: staging + "/reconciliation.json")
        }
        if manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }
        try manager.moveItem(atPath: staging, toPath: path)
    }

    static func wrapped(_ error: any Error, _ path: String) -> any Error {
        if error is LineageKitError || error is MixpeekError { return error }
        return LineageKitError(code: .writeFailed, message: "cannot write the snapshot \(path): \(error)")
    }

    static func writeLines(_ values: [JSONValue], to path: String) throws {
        let file = try AtomicFileWriter(path: path, overwrite: false)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for value in values {
            value.write(into: &buffer)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try file.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.write(buffer)
        try file.commit()
    }
}

/// Per-collection counts and totals, summed for progress.
private final class Tally: Sendable {
    private let state: Mutex<(counts: [Int], totals: [Int?])>

    init(collections: Int) {
        state = Mutex((Array(repeating: 0, count: collections), Array(repeating: nil, count: collections)))
    }

    func update(_ position: Int, count: Int, total: Int?) -> (Int, Int?) {
        state.withLock { state in
            state.counts[position] = count
            if let total { state.totals[position] = total }
            let sum = state.counts.reduce(0, +)
            let known = state.totals.allSatisfy { $0 != nil } ? state.totals.reduce(0) { $0 + ($1 ?? 0) } : nil
            return (sum, known)
        }
    }
}
