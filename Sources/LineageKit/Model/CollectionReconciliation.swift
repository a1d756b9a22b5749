/// What the API says of one collection's conservation: source objects submitted to it against
/// objects that produced a document (`GET /v1/collections/{id}/reconciliation`), as
/// `lineage fetch --reconciliation` stores it in `reconciliation.json`.
public struct CollectionReconciliation: Sendable, Hashable {
    /// A source object that produced no document, and why, as the API says.
    public struct Discrepancy: Sendable, Hashable {
        /// The source object.
        public var objectID: String
        /// Its bucket, when given.
        public var bucketID: String?
        /// `no_document`, `failed`, `processing`, `skipped` or `unknown`.
        public var reason: String
        /// The object's processing status when the API looked.
        public var status: String?
        /// Seconds since the object was created, when given.
        public var ageSeconds: Double?
        /// The object's own error message, when it failed.
        public var error: String?

        /// Creates a discrepancy.
        public init(
            objectID: String, bucketID: String?, reason: String, status: String?, ageSeconds: Double?, error: String?
        ) {
            self.objectID = objectID
            self.bucketID = bucketID
            self.reason = reason
            self.status = status
            self.ageSeconds = ageSeconds
            self.error = error
        }
    }

    /// The collection.
    public var collectionID: String
    /// Distinct source objects submitted to the collection.
    public var sourceObjectCount: Int
    /// Distinct source objects that produced at least one document.
    public var producedObjectCount: Int
    /// Documents the collection has produced.
    public var documentCount: Int
    /// The objects that produced no document (up to the API's limit).
    public var discrepancies: [Discrepancy]
    /// Whether the API had more discrepancies than it listed.
    public var discrepanciesTruncated: Bool
    /// When it was fetched (ISO 8601), when known.
    public var fetchedAt: String?

    /// Creates a reconciliation.
    public init(
        collectionID: String, sourceObjectCount: Int, producedObjectCount: Int, documentCount: Int,
        discrepancies: [Discrepancy], discrepanciesTruncated: Bool, fetchedAt: String? = nil
    ) {
        self.collectionID = collectionID
        self.sourceObjectCount = sourceObjectCount
        self.producedObjectCount = producedObjectCount
        self.documentCount = documentCount
        self.discrepancies = discrepancies
        self.discrepanciesTruncated = discrepanciesTruncated
        self.fetchedAt = fetchedAt
    }

    /// Reads one `CollectionReconciliationResponse`.
    ///
    /// - Throws: ``LineageKitError`` (`missingField`, `wrongFieldType`) naming what is wrong.
    public init(response value: JSONValue, fetchedAt: String? = nil) throws {
        func fail(_ message: String) -> LineageKitError {
            LineageKitError(code: .wrongFieldType, message: "a reconciliation " + message)
        }
        guard let object = value.objectValue, let collection = object["collection_id"]?.stringValue else {
            throw LineageKitError(code: .missingField, message: "a reconciliation has no collection_id")
        }
        var discrepancies: [Discrepancy] = []
        for entry in object["discrepancies"]?.arrayValue ?? [] {
            guard let objectID = entry["object_id"]?.stringValue, let reason = entry["reason"]?.stringValue else {
                throw fail("of \(collection) lists a discrepancy without object_id or reason")
            }
            var age: Double?
            if case .number(let number)? = entry["age_seconds"] { age = number.doubleValue }
            discrepancies.append(
                Discrepancy(
                    objectID: objectID, bucketID: entry["bucket_id"]?.stringValue, reason: reason,
                    status: entry["status"]?.stringValue, ageSeconds: age, error: entry["error"]?.stringValue))
        }
        self.init(
            collectionID: collection, sourceObjectCount: object["source_object_count"]?.intValue ?? 0,
            producedObjectCount: object["produced_object_count"]?.intValue ?? 0,
            documentCount: object["document_count"]?.intValue ?? 0, discrepancies: discrepancies,
            discrepanciesTruncated: object["discrepancies_truncated"]?.boolValue ?? false, fetchedAt: fetchedAt)
    }

    /// The key of the file `lineage fetch --reconciliation` writes: `{"lineage_reconciliation": 1,
    /// "fetched_at": …, "collections": [CollectionReconciliationResponse, …]}`.
    public static let fileKey = "lineage_reconciliation"
}
