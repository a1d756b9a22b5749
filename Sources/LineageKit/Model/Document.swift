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
    /// `ingestion_status` from `_internal.metadata` or `internal_metadata`, when present.
    public var ingestionStatus: String?
    /// The record exactly as read.
    public var raw: RawJSON
    /// The user fields as compact JSON object text, parsed on demand: a parsed object costs
    /// several times the memory of its text, and most documents' fields are never looked at.
    var userFieldsJSON: [UInt8]
    /// Whether ``ingestionStatus`` came from `_internal.metadata` (else `internal_metadata`).
    var ingestionStatusIsInternal = false
    /// The 1-based line and column the record starts at in ``raw``'s input (0 when unknown).
    var line: Int32 = 0
    var column: Int32 = 0

    /// Creates a document from its parts.
    public init(
        id: String, collectionID: String, shape: DocumentShape, schemaVersion: String? = nil,
        statements: [LineageStatement], userFields: JSONObject = JSONObject(), ingestionStatus: String? = nil,
        raw: RawJSON
    ) {
        self.init(
            id: id, collectionID: collectionID, shape: shape, schemaVersion: schemaVersion, statements: statements,
            userFieldsJSON: [], ingestionStatus: ingestionStatus, raw: raw)
        self.userFields = userFields
    }

    init(
        id: String, collectionID: String, shape: DocumentShape, schemaVersion: String?, statements: [LineageStatement],
        userFieldsJSON: [UInt8], ingestionStatus: String?, raw: RawJSON, line: Int32 = 0, column: Int32 = 0
    ) {
        self.id = id
        self.collectionID = collectionID
        self.shape = shape
        self.schemaVersion = schemaVersion
        self.statements = statements
        self.userFieldsJSON = userFieldsJSON
        self.ingestionStatus = ingestionStatus
        self.raw = raw
        self.line = line
        self.column = column
    }

    /// User fields: `metadata` (2025 shapes) or the non-system root fields (current shape).
    public var userFields: JSONObject {
        get {
            guard !userFieldsJSON.isEmpty else { return JSONObject() }
            // The text was validated when the document was read, so parsing it cannot fail.
            return userFieldsJSON.withUnsafeBytes { buffer in
                var scanner = JSONScanner(bytes: buffer)
                return (try? scanner.parseValue())?.objectValue ?? JSONObject()
            }
        }
        set {
            userFieldsJSON = []
            if !newValue.isEmpty { JSONValue.object(newValue).write(into: &userFieldsJSON) }
        }
    }

    /// One user field (a dotted path descends into objects), read without parsing the others.
    public func userField(_ path: String) -> JSONValue? {
        guard !userFieldsJSON.isEmpty else { return nil }
        var path = path
        return path.withUTF8 { pathBytes in
            let nameLength = pathBytes.firstIndex(of: UInt8(ascii: ".")) ?? pathBytes.count
            let name = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(pathBytes)[0..<nameLength])
            let found: JSONValue? = userFieldsJSON.withUnsafeBytes { buffer in
                var scanner = JSONScanner(bytes: buffer)
                var value: JSONValue?
                try? scanner.readObjectRawKeys { scanner, key in
                    if value == nil, FastHash.equal(key.bytes, name) {
                        value = try scanner.parseValue()
                    } else {
                        try scanner.skipValue()
                    }
                }
                return value
            }
            guard let found, nameLength < pathBytes.count else { return found }
            let rest = String(decoding: UnsafeBufferPointer(rebasing: pathBytes[(nameLength + 1)...]), as: UTF8.self)
            return found.objectValue?.value(atPath: rest)
        }
    }

    /// The top-level user fields among `names`, read in one pass without parsing the others
    /// (escaped keys are compared in their raw form).
    public func userFields(named names: [String]) -> JSONObject {
        var found = JSONObject()
        guard !userFieldsJSON.isEmpty, !names.isEmpty else { return found }
        userFieldsJSON.withUnsafeBytes { buffer in
            var scanner = JSONScanner(bytes: buffer)
            try? scanner.readObjectRawKeys { scanner, key in
                if let name = names.first(where: { FastHash.equal($0, key.bytes) }) {
                    found[name] = try scanner.parseValue()
                } else {
                    try scanner.skipValue()
                }
            }
        }
        return found
    }

    /// Root keys that are system fields in some shape and never user fields: everything else at
    /// the root of a current-shape document is a user field.
    public static let systemRootFieldNames: Set<String> = Set(
        RecordDecoder.systemRootFields.map {
            String(decoding: UnsafeRawBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount), as: UTF8.self)
        })

    /// The user fields of a document as the API returns it, and where they live: at the root
    /// beside `_internal` (the current shape; every root key but ``systemRootFieldNames``), or in
    /// `metadata` (the 2025 shapes). Writers of PATCH bodies and the sandbox share this rule.
    public static func userFields(inResponse document: JSONObject) -> (atRoot: Bool, fields: JSONObject) {
        guard document["_internal"] != nil else { return (false, document["metadata"]?.objectValue ?? JSONObject()) }
        return (true, JSONObject(document.filter { !systemRootFieldNames.contains($0.key) }.map { ($0.key, $0.value) }))
    }

    /// The field path ``ingestionStatus`` was read from.
    public var ingestionStatusPath: String {
        ingestionStatusIsInternal ? "_internal.metadata.ingestion_status" : "internal_metadata.ingestion_status"
    }

    /// Where the document was read from: file (or `<stdin>`), line and, for records inside a JSON
    /// array, column; `nil` for documents made in memory.
    public var location: SourceLocation? {
        guard line > 0 else { return nil }
        return SourceLocation(file: raw.origin.name, line: Int(line), column: column > 0 ? Int(column) : nil)
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
