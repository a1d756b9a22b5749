/// A Mixpeek document, in any of the shapes the API has returned, with its lineage facts.
///
/// The model keeps every place the document states a lineage fact (``statements``) and offers one
/// resolved answer (``lineage``). User fields are the `metadata` object in the 2025 shapes and the
/// non-system root fields in the current shape. Nothing is lost: ``raw`` is the record exactly as
/// read, and ``json()`` parses it whole, unknown fields included.
public struct Document: Sendable {
    /// The document id (`doc_…`).
    public var id: String
    /// The collection holding the document (`col_…`).
    public var collectionID: String
    /// The response shape the document was written in.
    public var shape: DocumentShape
    /// `document_schema_version` (2025-10 shapes), as written.
    public var schemaVersion: String?
    /// Every place the document states lineage facts, most authoritative first.
    public var statements: [LineageStatement]
    /// User fields: `metadata` (2025 shapes) or the non-system root fields (current shape).
    public var userFields: JSONObject
    /// `ingestion_status` from `_internal.metadata` or `internal_metadata`, when present.
    public var ingestionStatus: String?
    /// Where the document was read from, when it came from input.
    public var location: SourceLocation?
    /// The record exactly as read.
    public var raw: RawJSON

    /// Creates a document from its parts.
    public init(
        id: String, collectionID: String, shape: DocumentShape, schemaVersion: String? = nil,
        statements: [LineageStatement], userFields: JSONObject = JSONObject(), ingestionStatus: String? = nil,
        location: SourceLocation? = nil, raw: RawJSON
    ) {
        self.id = id
        self.collectionID = collectionID
        self.shape = shape
        self.schemaVersion = schemaVersion
        self.statements = statements
        self.userFields = userFields
        self.ingestionStatus = ingestionStatus
        self.location = location
        self.raw = raw
    }

    /// One answer per lineage fact, from the most authoritative place stating it.
    public var lineage: ResolvedLineage {
        ResolvedLineage(statements: statements)
    }

    /// The statement made in `place`, if the document has one.
    public func statement(in place: LineagePlace) -> LineageStatement? {
        statements.first { $0.place == place }
    }

    /// The whole record, unknown fields included.
    ///
    /// - Throws: ``LineageKitError`` when the record's file has changed or cannot be read.
    public func json() throws -> JSONValue {
        try raw.value()
    }

    /// The blob references: `source_blobs` and `document_blobs`, from `_internal` or the root.
    ///
    /// - Throws: ``LineageKitError`` when the record's file has changed or cannot be read.
    public func blobs() throws -> DocumentBlobs {
        let record = try json()
        func list(_ key: String) -> [JSONValue] {
            record["_internal"]?[key]?.arrayValue ?? record[key]?.arrayValue ?? []
        }
        return DocumentBlobs(sourceBlobs: list("source_blobs"), documentBlobs: list("document_blobs"))
    }
}

extension Document: Hashable {
    /// Documents are equal when their facts are; where each was read from does not matter.
    public static func == (lhs: Document, rhs: Document) -> Bool {
        lhs.id == rhs.id && lhs.collectionID == rhs.collectionID && lhs.shape == rhs.shape
            && lhs.schemaVersion == rhs.schemaVersion && lhs.statements == rhs.statements
            && lhs.userFields == rhs.userFields && lhs.ingestionStatus == rhs.ingestionStatus
    }

    /// Hashes the parts that equality compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(collectionID)
    }
}

/// The blob references of a document.
public struct DocumentBlobs: Sendable, Hashable {
    /// References to the bucket object's blobs the document was made from.
    public var sourceBlobs: [JSONValue]
    /// Blobs the document itself produced or points to (`BlobURLRef`).
    public var documentBlobs: [JSONValue]
}
