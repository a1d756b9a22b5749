/// A processing batch as the API reports it (`BatchModel`): the objects it processed, what each
/// tier wrote, and what it lost (`…/batches/{id}/failed-documents`), as `lineage fetch --batches`
/// stores it in `batches.json`.
public struct ProcessingBatch: Sendable, Hashable {
    /// One tier's task: the collections it wrote and how many documents it says it wrote.
    public struct TierTask: Sendable, Hashable {
        /// Zero-based tier (0: bucket objects as source).
        public var tier: Int
        /// The collections the tier wrote.
        public var collectionIDs: [String]
        /// The task's status (`COMPLETED`, `FAILED`, …), when given.
        public var status: String?
        /// Documents the tier says it wrote (`documents_written`), once it has reported them.
        public var documentsWritten: Int?

        /// Creates a tier task.
        public init(tier: Int, collectionIDs: [String], status: String?, documentsWritten: Int?) {
            self.tier = tier
            self.collectionIDs = collectionIDs
            self.status = status
            self.documentsWritten = documentsWritten
        }
    }

    /// An object (or document) the batch failed to process.
    public struct Failure: Sendable, Hashable {
        /// The object that failed (`object_id`), else the source document (`document_id`).
        public var sourceID: String
        /// The collection it failed in, when given.
        public var collectionID: String?
        /// The tier it failed in, when given.
        public var tier: Int?
        /// What went wrong, as the API says.
        public var error: String?
        /// When it failed (ISO 8601), when given.
        public var timestamp: String?

        /// Creates a failure.
        public init(sourceID: String, collectionID: String?, tier: Int?, error: String?, timestamp: String?) {
            self.sourceID = sourceID
            self.collectionID = collectionID
            self.tier = tier
            self.error = error
            self.timestamp = timestamp
        }
    }

    /// The batch id (`btch_…`).
    public var batchID: String
    /// The bucket whose objects it processed.
    public var bucketID: String?
    /// The batch's status, when given.
    public var status: String?
    /// The objects it processed (`object_ids`).
    public var objectIDs: [String]
    /// Its tiers' tasks.
    public var tierTasks: [TierTask]
    /// What it failed to process: `failed-documents`, and the batch's own `failed_objects`.
    public var failures: [Failure]

    /// Creates a batch.
    public init(
        batchID: String, bucketID: String?, status: String?, objectIDs: [String], tierTasks: [TierTask],
        failures: [Failure]
    ) {
        self.batchID = batchID
        self.bucketID = bucketID
        self.status = status
        self.objectIDs = objectIDs
        self.tierTasks = tierTasks
        self.failures = failures
    }

    /// The key marking the file `lineage fetch --batches` writes.
    public static let fileKey = "lineage_batches"

    /// The contents of `batches.json`: `{"lineage_batches": 1, "fetched_at"?, "batches": [...]}`,
    /// each batch a `BatchModel` with its `failed_documents`.
    public static func file(_ batches: [JSONValue], fetchedAt: String? = nil) -> JSONValue {
        var file: JSONObject = [fileKey: 1]
        if let fetchedAt { file["fetched_at"] = .string(fetchedAt) }
        file["batches"] = .array(batches)
        return .object(file)
    }

    /// Reads one batch as `batches.json` holds it: a `BatchModel` with its failed documents under
    /// `failed_documents` (each `{"object_id" or "document_id", "collection_id", "tier_num",
    /// "error", "timestamp"}`).
    ///
    /// - Throws: ``LineageKitError`` (`missingField`, `wrongFieldType`) naming the batch and what is wrong.
    public init(json value: JSONValue) throws {
        guard let object = value.objectValue, let id = object["batch_id"]?.stringValue else {
            throw LineageKitError(code: .missingField, message: "a batch has no batch_id")
        }
        func fail(_ message: String) -> LineageKitError {
            LineageKitError(code: .wrongFieldType, message: "batch \(id): " + message)
        }
        var tierTasks: [TierTask] = []
        for (position, entry) in (object["tier_tasks"]?.arrayValue ?? []).enumerated() {
            guard let task = entry.objectValue else { throw fail("tier task \(position + 1) is not an object") }
            let written = task["documents_written"]
            if let written, written != .null, written.intValue == nil {
                throw fail("tier task \(position + 1) has documents_written \(written.serialized()), not an integer")
            }
            tierTasks.append(
                TierTask(
                    tier: task["tier_num"]?.intValue ?? position,
                    collectionIDs: task["collection_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    status: task["status"]?.stringValue, documentsWritten: written?.intValue))
        }
        var failures: [Failure] = []
        let documents = object["failed_documents"]?.arrayValue ?? []
        for (position, entry) in (documents + (object["failed_objects"]?.arrayValue ?? [])).enumerated() {
            guard let source = entry["object_id"]?.stringValue ?? entry["document_id"]?.stringValue else {
                throw fail("a failed document names no object_id or document_id")
            }
            // The batch's `failed_objects` repeat its failed documents: those not listed there are added.
            if position >= documents.count, failures.contains(where: { $0.sourceID == source }) { continue }
            let failure = Failure(
                sourceID: source, collectionID: entry["collection_id"]?.stringValue, tier: entry["tier_num"]?.intValue,
                error: entry["error"]?.stringValue ?? entry["error_message"]?.stringValue,
                timestamp: entry["timestamp"]?.stringValue ?? entry["failed_at"]?.stringValue)
            // A failure listed twice alike is one failure.
            if !failures.contains(where: {
                $0.sourceID == failure.sourceID && $0.collectionID == failure.collectionID && $0.tier == failure.tier
                    && $0.timestamp == failure.timestamp
            }) {
                failures.append(failure)
            }
        }
        self.init(
            batchID: id, bucketID: object["bucket_id"]?.stringValue, status: object["status"]?.stringValue,
            objectIDs: object["object_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [], tierTasks: tierTasks,
            failures: failures)
    }
}
