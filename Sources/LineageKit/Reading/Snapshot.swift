/// Everything read from a set of inputs: documents, bucket objects and collection configurations.
public struct Snapshot: Sendable {
    /// The documents, in input order, each id once.
    public var documents: [Document] {
        didSet {
            documentIndex = nil
            reuseIndex = nil
        }
    }
    /// The bucket objects, in input order, each id once.
    public var objects: [BucketObject]
    /// The collection configurations, in input order, each id once.
    public var collections: [CollectionConfig]
    /// What the API said of each collection's conservation, when fetched (`reconciliation.json`).
    public var reconciliations: [CollectionReconciliation]
    /// Buckets whose root objects were all looked up when the snapshot was fetched (its manifest's
    /// `buckets_checked`): a root object of one of these that is absent is gone from the API, not
    /// merely left out of the input.
    public var checkedBuckets: Set<String> = []
    /// The processing batches, when fetched (`batches.json`, `lineage fetch --batches`).
    public var batches: [ProcessingBatch] = []
    /// What was read, and what was skipped or merged on the way.
    public var report: ReadReport
    /// The reader's index of document ids to positions in ``documents``, handed to the graph so
    /// that it does not hash every id again; dropped whenever ``documents`` changes.
    var documentIndex: IDTable?
    /// The files read, as they were when read.
    var origins: [RecordOrigin] = []
    /// The documents by the fingerprint of their record, when read with
    /// ``SnapshotReader/Options/keepsRecordPrints``; dropped whenever ``documents`` changes.
    var reuseIndex: DocumentReuseIndex?

    /// Creates a snapshot.
    public init(
        documents: [Document] = [], objects: [BucketObject] = [], collections: [CollectionConfig] = [],
        reconciliations: [CollectionReconciliation] = [], report: ReadReport = ReadReport()
    ) {
        self.documents = documents
        self.objects = objects
        self.collections = collections
        self.reconciliations = reconciliations
        self.report = report
    }
}

extension Snapshot {
    /// The key marking a snapshot manifest (`snapshot.json`).
    public static let manifestKey = "lineage_snapshot"
    /// The manifest key listing the buckets whose root objects were all looked up.
    public static let checkedBucketsKey = "buckets_checked"

    /// Checks that no file the snapshot was read from has changed since (size and modification
    /// time). Documents keep only fingerprints of their user fields and read them from their file
    /// again when asked, so a file changed during a run makes those reads fail or, where an answer
    /// is wanted without an error (``Document/userFields``), come back empty: a command that
    /// reports on a snapshot checks this before it reports.
    ///
    /// - Throws: ``LineageKitError`` with code `inputChanged` naming the file.
    public func checkInputsUnchanged() throws {
        for origin in origins {
            try origin.checkUnchanged()
        }
    }

    /// Finds documents by collection and id, through the reader's index of their ids when the
    /// snapshot has it, else through one made now: a dictionary keyed by collection and id would
    /// make two strings and copy a document for each of a million documents.
    package func documentLookup() -> DocumentLookup {
        DocumentLookup(documents: documents, index: documentIndex ?? IDTable(indexing: documents))
    }
}

/// Documents of a snapshot found by collection and id (``Snapshot/documentLookup()``).
package struct DocumentLookup: Sendable {
    let documents: [Document]
    let index: IDTable

    /// The document `id` of collection `collectionID`, if the snapshot has it.
    package func document(collectionID: String, id: String) -> Document? {
        let position = index.value(for: id)
        guard position >= 0, documents[Int(position)].collectionID == collectionID else { return nil }
        return documents[Int(position)]
    }
}

/// What a read went through: files, bytes, and the records it skipped or merged.
public struct ReadReport: Sendable {
    /// The files read, in order (`<stdin>` for standard input).
    public var files: [String] = []
    /// The bytes read.
    public var bytes: Int = 0
    /// Records skipped because they were bad (only with `keepGoing`).
    public var skippedRecords: Int = 0
    /// The first problems met (at most ``SnapshotReader/Options/maximumReportedProblems``).
    public var problems: [LineageKitError] = []
    /// Records that repeated an earlier record's id with the same content, and were merged.
    public var identicalDuplicates: Int = 0
    /// Documents taken from an earlier snapshot because their record was unchanged, not decoded
    /// again (``SnapshotReader/read(_:reusingDocumentsOf:)``).
    public var reusedDocuments: Int = 0
    /// Files LineageKit itself wrote (baselines, plans, snapshot manifests), recognised by their
    /// marker key and not read as records.
    public var lineageFiles: [String] = []

    /// Creates an empty report.
    public init() {}
}
