/// A Mixpeek document, in any of the shapes the API has returned, with its lineage facts.
///
/// The model keeps every place the document states a lineage fact (``statements``) and offers one
/// resolved answer (``lineage``). User fields are the `metadata` object in the 2025 shapes and the
/// non-system root fields in the current shape. Nothing is lost: ``raw`` is the record exactly as
/// read, and ``json()`` parses it whole, unknown fields included.
public struct Document: Sendable {
    /// The id, packed (``PackedID``), or kept in the statements' store when it does not pack.
    var storedID: PackedID
    /// Every place the document states lineage facts, most authoritative first, where the reader
    /// keeps them (``LineageStore``).
    var storedStatements: StoredStatements
    /// The collection, shape, schema version, ingestion status and configuration hash, shared with
    /// the documents stating the same ones; `nil` when none is stated.
    var systemFacts: SharedFacts<DocumentSystemFacts>?
    // Ten words a document: 80 bytes.
    /// The record exactly as read.
    public var raw: RawJSON
    /// The 1-based line and column the record starts at in ``raw``'s input (0 when unknown).
    var line: Int32 = 0
    var column: Int32 = 0
    /// Where the user fields are: in ``raw`` (documents read from input, which keep only a
    /// fingerprint of each field in memory) or held here (documents made or changed in memory).
    var userFieldStorage: UserFieldStorage

    /// Creates a document from its parts.
    public init(
        id: String, collectionID: String, shape: DocumentShape, schemaVersion: String? = nil,
        statements: [LineageStatement], userFields: JSONObject = JSONObject(), ingestionStatus: String? = nil,
        raw: RawJSON
    ) {
        self.init(
            id: id, statements: StoredStatements(statements), userFieldStorage: .held([]),
            systemFacts: .make(DocumentSystemFacts(collectionID: collectionID, shape: shape)), raw: raw)
        self.schemaVersion = schemaVersion
        self.ingestionStatus = ingestionStatus
        self.userFields = userFields
    }

    /// A document whose id is `id`, in memory: kept in a store of its own with the statements
    /// when it does not pack.
    init(
        id: String, statements: StoredStatements, userFieldStorage: UserFieldStorage,
        systemFacts: SharedFacts<DocumentSystemFacts>?, raw: RawJSON
    ) {
        self.init(
            storedID: .kept(at: 0), statements: statements, userFieldStorage: userFieldStorage,
            systemFacts: systemFacts, raw: raw)
        self.id = id
    }

    /// A document whose id is `storedID` (kept, when it is, in `statements`' store).
    init(
        storedID: PackedID, statements: StoredStatements, userFieldStorage: UserFieldStorage,
        systemFacts: SharedFacts<DocumentSystemFacts>?, raw: RawJSON, line: Int32 = 0, column: Int32 = 0
    ) {
        self.storedID = storedID
        self.storedStatements = statements
        self.userFieldStorage = userFieldStorage
        self.systemFacts = systemFacts
        self.raw = raw
        self.line = line
        self.column = column
    }

    /// The document id (`doc_…`).
    public var id: String {
        get { storedID.keptIndex.map { storedStatements.store.ids[$0] } ?? storedID.string }
        set {
            if let packed = PackedID(packing: newValue) {
                storedID = packed
            } else {
                keep(statements: Array(storedStatements), id: newValue)
            }
        }
    }

    /// Every place the document states lineage facts, most authoritative first.
    public var statements: [LineageStatement] {
        get { Array(storedStatements) }
        set {
            if storedID.keptIndex == nil {
                storedStatements = StoredStatements(newValue)
            } else {
                keep(statements: newValue, id: id)
            }
        }
    }

    /// Puts `statements` and `id`, which does not pack, in a store of their own.
    private mutating func keep(statements: [LineageStatement], id: String) {
        let store = LineageStore(statements: statements, ids: [id])
        storedStatements = StoredStatements(store: store, start: 0, count: statements.count)
        storedID = .kept(at: 0)
    }

    /// Calls `body` with the id's UTF-8 bytes, making no string of a packed id.
    @inline(__always)
    func withIDBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        guard let index = storedID.keptIndex else { return try storedID.withBytes(body) }
        var id = storedStatements.store.ids[index]
        return try id.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }

    /// The id's ``FastHash``.
    var idHash: UInt64 {
        withIDBytes { FastHash.hash($0) }
    }

    /// The ``FastHash`` of the id of the document at `position`, read in place: calling
    /// ``idHash`` through a buffer's element copies the document (a retain and release of each
    /// of its parts).
    static func idHash(of documents: UnsafeBufferPointer<Document>, at position: Int) -> UInt64 {
        let id = documents[position].storedID
        guard let index = id.keptIndex else { return id.withBytes { FastHash.hash($0) } }
        return FastHash.hash(documents[position].storedStatements.store.ids[index])
    }

    /// Whether the document's id is `other`.
    func hasID(_ other: String) -> Bool {
        withIDBytes { FastHash.equal(other, $0) }
    }

    /// Whether the two documents have the same id.
    func hasSameID(as other: Document) -> Bool {
        if storedID.keptIndex == nil, other.storedID.keptIndex == nil { return storedID == other.storedID }
        return withIDBytes { mine in other.withIDBytes { FastHash.equal(mine, $0) } }
    }

    /// The collection holding the document (`col_…`).
    public var collectionID: String {
        get { systemFacts?.value.collectionID ?? "" }
        set { systemFacts = .changing(systemFacts) { $0.collectionID = newValue } }
    }

    /// The response shape the document was written in.
    public var shape: DocumentShape {
        get { systemFacts?.value.shape ?? .unknown }
        set { systemFacts = .changing(systemFacts) { $0.shape = newValue } }
    }

    /// `document_schema_version` (2025-10 shapes), as written.
    public var schemaVersion: String? {
        get { systemFacts?.value.schemaVersion }
        set { systemFacts = .changing(systemFacts) { $0.schemaVersion = newValue } }
    }

    /// `ingestion_status` from `_internal.metadata` or `internal_metadata`, when present.
    public var ingestionStatus: String? {
        get { systemFacts?.value.ingestionStatus }
        set { systemFacts = .changing(systemFacts) { $0.ingestionStatus = newValue } }
    }

    /// `feature_extractor_config_hash` from `_internal.metadata` or `internal_metadata`, when present.
    public var featureExtractorConfigHash: String? {
        get { systemFacts?.value.featureExtractorConfigHash }
        set { systemFacts = .changing(systemFacts) { $0.featureExtractorConfigHash = newValue } }
    }

    /// Whether ``ingestionStatus`` came from `_internal.metadata` (else `internal_metadata`).
    var ingestionStatusIsInternal: Bool {
        systemFacts?.value.ingestionStatusIsInternal ?? false
    }

    /// User fields: `metadata` (2025 shapes) or the non-system root fields (current shape).
    ///
    /// A document read from a file reads them from the file again (its record, by offset); when
    /// that file has changed or gone since, this is empty: use ``readUserFields()`` to get the error.
    public var userFields: JSONObject {
        get { (try? readUserFields()) ?? JSONObject() }
        set {
            var bytes: [UInt8] = []
            if !newValue.isEmpty { JSONValue.object(newValue).write(into: &bytes) }
            userFieldStorage = .held(bytes)
        }
    }

    /// User fields, read from the record's file again for documents read from files.
    ///
    /// - Throws: ``LineageKitError`` when the record's file has changed or cannot be read.
    public func readUserFields() throws -> JSONObject {
        switch userFieldStorage {
        case .held(let bytes):
            guard !bytes.isEmpty else { return JSONObject() }
            // The text was written by LineageKit from a value, so parsing it cannot fail.
            return bytes.withUnsafeBytes { buffer in
                var scanner = JSONScanner(bytes: buffer)
                return (try? scanner.parseValue())?.objectValue ?? JSONObject()
            }
        case .input(let prints):
            guard prints.count > 0, let record = try raw.value().objectValue else { return JSONObject() }
            return Self.userFields(inResponse: record).fields
        }
    }

    /// One user field: a top-level name, else a dotted path descending into objects (as
    /// `JSONObject.value(atPath:)` reads it).
    public func userField(_ path: String) -> JSONValue? {
        if !path.contains("."), userFieldPrint(path) == .absent { return nil }
        return userFields.value(atPath: path)
    }

    /// What the fingerprints of a read document say of the top-level user field `name`, without
    /// reading the file: absent, present with the fingerprint of its value's bytes as written, or
    /// unknown (documents made in memory).
    func userFieldPrint(_ name: String) -> UserFieldPrint {
        guard case .input = userFieldStorage else { return userFields[name] == nil ? .absent : .unknown }
        return userFieldPrint(nameHash: FastHash.hash(name))
    }

    /// ``userFieldPrint(_:)`` by the name's ``FastHash``.
    func userFieldPrint(nameHash: UInt64) -> UserFieldPrint {
        guard case .input(let prints) = userFieldStorage else { return .unknown }
        return prints.lookup(nameHash)
    }

    /// The fingerprints of every top-level user field, as (hash of the name, hash of the value's
    /// bytes) pairs in the order written: from memory for documents read from input, else made
    /// from the held fields (values written compactly).
    func userFieldPrintPairs() -> [(name: UInt64, value: UInt64)] {
        switch userFieldStorage {
        case .input(let prints):
            return prints.pairs
        case .held:
            var bytes: [UInt8] = []
            return userFields.map { member in
                bytes.removeAll(keepingCapacity: true)
                member.value.write(into: &bytes)
                return (FastHash.hash(member.key), bytes.withUnsafeBytes { FastHash.hash($0) })
            }
        }
    }

    /// The fingerprint of the value of the top-level user field whose name hashes to `nameHash`,
    /// `nil` when the document has no such field: from memory for documents read from input, else
    /// made from the held fields.
    func userFieldValuePrint(nameHash: UInt64) -> UInt64? {
        switch userFieldPrint(nameHash: nameHash) {
        case .present(let print): return print
        case .absent: return nil
        case .unknown: return userFieldPrintPairs().first { $0.name == nameHash }?.value
        }
    }

    /// Calls `body` with each top-level user field's (name hash, value hash) pair, as
    /// ``userFieldPrintPairs()`` lists them, without making an array for documents read from input.
    func forEachUserFieldPrint(_ body: (UInt64, UInt64) -> Void) {
        guard case .input(let prints) = userFieldStorage else {
            for pair in userFieldPrintPairs() { body(pair.name, pair.value) }
            return
        }
        prints.forEach(body)
    }

    /// The non-system root fields of a current-shape record, in order.
    static func rootUserFields(of record: JSONObject) -> JSONObject {
        JSONObject(record.filter { !systemRootFieldNames.contains($0.key) }.map { ($0.key, $0.value) })
    }

    /// Root keys that are system fields in some shape and never user fields: everything else at
    /// the root of a current-shape document is a user field.
    package static let systemRootFieldNames: Set<String> = Set(
        RecordDecoder.systemRootFields.map {
            String(decoding: UnsafeRawBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount), as: UTF8.self)
        })

    /// The user fields of a document as the API returns it, and where they live: at the root
    /// beside an `_internal` object (the current shape; every root key but
    /// the system root fields), or in `metadata` (the 2025 shapes, where `_internal` is absent or
    /// `null`). The reader (which decides ``DocumentShape/current`` by the same test), writers of
    /// PATCH bodies and the sandbox all use this rule.
    public static func userFields(inResponse document: JSONObject) -> (atRoot: Bool, fields: JSONObject) {
        guard document["_internal"]?.objectValue != nil else {
            return (false, document["metadata"]?.objectValue ?? JSONObject())
        }
        return (true, rootUserFields(of: document))
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
        ResolvedLineage(storedStatements)
    }

    /// The statement made in `place`, if the document has one.
    public func statement(in place: LineagePlace) -> LineageStatement? {
        storedStatements.first { $0.place == place }
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
        lhs.hasSameID(as: rhs) && lhs.collectionID == rhs.collectionID && lhs.shape == rhs.shape
            && lhs.schemaVersion == rhs.schemaVersion && lhs.storedStatements == rhs.storedStatements
            && lhs.userFields == rhs.userFields && lhs.ingestionStatus == rhs.ingestionStatus
    }

    /// Hashes the parts that equality compares.
    public func hash(into hasher: inout Hasher) {
        withIDBytes { hasher.combine(bytes: $0) }
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
