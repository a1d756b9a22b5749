/// A record read from input: one of the three kinds LineageKit understands.
enum Record: Sendable {
    case document(Document)
    case object(BucketObject)
    case collection(CollectionConfig)
}

/// A problem in one record, at a byte offset of the buffer it was decoded from.
struct RecordError: Error, Sendable {
    let code: LineageKitError.Code
    let offset: Int
    let message: String
    var recordID: String?
}

/// Decodes one JSON record into a ``Record``, reading only what lineage needs.
///
/// Documents, the bulk of any input, are decoded in one pass over their bytes: lineage fields,
/// user fields and ingestion status are read, everything else is validated and skipped (it stays
/// available through ``RawJSON``). Objects and collection configurations are few and are parsed whole.
struct RecordDecoder {
    private var strings = StringInterner()
    private var chains = ChainInterner()
    private var systemFacts = SharedFacts<DocumentSystemFacts>.Interner()
    private var statementFacts = SharedFacts<SharedStatementFacts>.Interner()
    private var statementIDs = SharedFacts<StatementIDs>.Interner()
    private var stepFacts = SharedFacts<SharedStepFacts>.Interner()
    /// Hashes of the keys seen in the objects being read, one frame per open object (reused
    /// between records, so checking for duplicate keys allocates nothing once warm).
    private var seenKeys: [UInt64] = []
    /// The hash of the key whose value is being read (set by `readUniqueKeys`).
    private var currentKeyHash: UInt64 = 0
    /// The record's non-system root fields and `metadata` members, as (key hash, value start,
    /// value end) triples; reused between records.
    private var rootFieldSpans: [UInt64] = []
    private var metadataSpans: [UInt64] = []
    private var printPairs: [UInt64] = []
    /// Where the user field fingerprints of the documents this decoder makes are kept.
    private let printStore = UserFieldPrintStore()
    /// Where the statements of the documents this decoder makes, and their chains' steps, are kept.
    private let lineageStore = LineageStore()

    /// Makes room in this decoder's stores for `expected` documents in all, `decoded` of which
    /// are decoded: as many statements, steps and fingerprints again, in proportion, and an eighth
    /// more. Room never written is never faulted in, so a generous guess costs no memory.
    func reserve(forDocuments expected: Int, decoded: Int) {
        guard decoded > 0, expected > decoded else { return }
        func scaled(_ count: Int) -> Int {
            let estimate = Int((Double(count) * Double(expected) / Double(decoded)).rounded(.up))
            return estimate + estimate / 8 + 16
        }
        lineageStore.reserve(statements: scaled(lineageStore.statements.count))
        lineageStore.reserve(steps: scaled(lineageStore.steps.count))
        printStore.reserve(values: scaled(printStore.values.count))
    }

    /// Root fields that are system fields in some shape and never user fields.
    static let systemRootFields: [StaticString] = [
        "document_id", "collection_id", "_internal", "document_blobs", "source_blobs", "_vectors", "vector",
        "presigned_url", "presigned_urls", "internal_metadata", "document_schema_version", "lineage",
        "lineage_chain", "lineage_path", "root_object_id", "root_bucket_id", "source_type", "source_object_id",
        "source_document_id", "source_collection_id", "object_id", "enrichments", "source_details", "_expanded",
    ]

    mutating func decode(
        _ bytes: UnsafeRawBufferPointer, start: Int, end: Int, location: SourceLocation, raw: () -> RawJSON
    ) throws(RecordError) -> Record {
        var scanner = JSONScanner(bytes: bytes, start: start, end: end)
        do {
            return try decodeRecord(&scanner, location: location, raw: raw)
        } catch let error as RecordError {
            throw Self.withRecordID(error, bytes: bytes, start: start, end: end)
        } catch let error as JSONSyntaxError {
            let recordError = RecordError(code: .malformedJSON, offset: error.offset, message: error.message)
            throw Self.withRecordID(recordError, bytes: bytes, start: start, end: end)
        } catch {
            throw RecordError(code: .malformedJSON, offset: start, message: "\(error)")
        }
    }

    // MARK: - Record kinds

    private mutating func decodeRecord(
        _ scanner: inout JSONScanner, location: SourceLocation, raw: () -> RawJSON
    ) throws -> Record {
        let recordStart = scanner.index
        guard scanner.peek() == UInt8(ascii: "{") else {
            throw RecordError(
                code: .unknownRecordKind, offset: scanner.index,
                message: "a record must be a JSON object, found \(scanner.peekTypeName())")
        }
        var fields = DocumentFields()
        seenKeys.removeAll(keepingCapacity: true)
        rootFieldSpans.removeAll(keepingCapacity: true)
        metadataSpans.removeAll(keepingCapacity: true)
        try readUniqueKeys(&scanner, path: "the record") { decoder, scanner, key in
            try decoder.readRootField(key, &scanner, into: &fields)
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else {
            throw RecordError(
                code: .malformedJSON, offset: scanner.index, message: "unexpected content after the record")
        }
        if fields.documentIDSeen && !fields.looksLikeLineageStep {
            return .document(
                try makeDocument(&fields, scanner: scanner, recordStart: recordStart, location: location, raw: raw))
        }
        var whole = JSONScanner(bytes: scanner.bytes, start: recordStart, end: scanner.end)
        let value = try whole.parseValue()
        if fields.hasObjectID && fields.hasBucketID {
            return .object(
                try RecordMapping.object(from: value, location: location, offset: recordStart, raw: raw()))
        }
        if fields.collectionID != nil && fields.hasCollectionConfigField {
            return .collection(try RecordMapping.collection(from: value, location: location, offset: recordStart))
        }
        if fields.looksLikeLineageStep {
            throw RecordError(
                code: .unknownRecordKind, offset: recordStart,
                message: "record of unknown kind: this is a lineage chain step (collection_id, feature_extractor_id, "
                    + "document_id, timestamp), not a document")
        }
        throw RecordError(
            code: .unknownRecordKind, offset: recordStart,
            message: "record of unknown kind: expected a document (document_id), a bucket object (object_id and "
                + "bucket_id) or a collection configuration (collection_id with source or feature_extractor); "
                + "keys are \(Self.keyList(value))")
    }

    private static func keyList(_ value: JSONValue) -> String {
        let keys = value.objectValue?.keys ?? []
        let shown = keys.prefix(8).joined(separator: ", ")
        return keys.count > 8 ? shown + ", …" : (shown.isEmpty ? "none" : shown)
    }

    // MARK: - Root fields

    private struct DocumentFields {
        /// The id, packed, or as text when it does not pack; `nil` for `null`.
        var documentID: ReadID?
        var documentIDSeen = false
        var documentIDOffset = 0
        var collectionID: String?
        var collectionIDSeen = false
        var collectionIDOffset = 0
        var hasObjectID = false
        var hasBucketID = false
        var hasCollectionConfigField = false
        var hasFeatureExtractorID = false
        var keyCount = 0
        var stepKeyCount = 0

        /// Keys only of a `LineageStep` (with its `feature_extractor_id`): a chain step saved on its own.
        var looksLikeLineageStep: Bool { hasFeatureExtractorID && keyCount == stepKeyCount }
        var schemaVersion: String?
        var hasInternal = false
        var internalStatement = StatementDraft(place: .internal)
        var nestedStatement = StatementDraft(place: .nested)
        var hasNested = false
        var rootStatement = StatementDraft(place: .root)
        var internalStatus: String?
        var legacyStatus: String?
        var internalConfigHash: String?
        var legacyConfigHash: String?
        var metadataRange: Range<Int>?
        var metadataOffset = 0
    }

    private mutating func readRootField(
        _ key: RawKey, _ scanner: inout JSONScanner, into fields: inout DocumentFields
    ) throws {
        fields.keyCount += 1
        if key == "document_id" || key == "collection_id" || key == "timestamp" || key == "feature_extractor_id" {
            fields.stepKeyCount += 1
        }
        if key == "document_id" {
            fields.documentIDSeen = true
            fields.documentIDOffset = scanner.index
            fields.documentID = try readDocumentID(&scanner)
        } else if key == "collection_id" {
            fields.collectionIDSeen = true
            fields.collectionIDOffset = scanner.index
            fields.collectionID = try readString(&scanner, path: "collection_id")
        } else if key == "_internal" {
            if scanner.peek() == UInt8(ascii: "n") {
                try scanner.skipValue()
                return
            }
            try requireObject(&scanner, path: "_internal")
            fields.hasInternal = true
            try readUniqueKeys(&scanner, path: "_internal") { decoder, scanner, key in
                if key == "lineage" {
                    try decoder.readLineageObject(
                        &scanner, into: &fields.internalStatement, prefix: "_internal.lineage")
                } else if key == "metadata" {
                    (fields.internalStatus, fields.internalConfigHash) = try decoder.readSystemMetadata(
                        &scanner, prefix: "_internal.metadata")
                } else {
                    try scanner.skipValue()
                }
            }
        } else if key == "lineage" {
            if scanner.peek() == UInt8(ascii: "n") {
                try scanner.skipValue()
                return
            }
            fields.hasNested = true
            try readLineageObject(&scanner, into: &fields.nestedStatement, prefix: "lineage")
        } else if key == "document_schema_version" {
            fields.schemaVersion = try readString(&scanner, path: key.string)
        } else if key == "internal_metadata" {
            (fields.legacyStatus, fields.legacyConfigHash) = try readSystemMetadata(
                &scanner, prefix: "internal_metadata")
        } else if key == "lineage_chain" {
            fields.rootStatement.chain = try readChain(&scanner, path: "lineage_chain")
        } else if key == "lineage_path" {
            fields.rootStatement.shared.path = try readString(&scanner, path: "lineage_path")
        } else if try readFlatLineageField(key, &scanner, into: &fields.rootStatement, prefix: "") {
            return
        } else if key == "metadata" {
            let keyHash = currentKeyHash
            fields.metadataOffset = scanner.index
            let start = scanner.index
            if scanner.peek() == UInt8(ascii: "{") {
                try readUniqueKeys(&scanner, path: "metadata") { decoder, scanner, _ in
                    let memberStart = scanner.index
                    try scanner.skipValue()
                    decoder.metadataSpans.append(decoder.currentKeyHash)
                    decoder.metadataSpans.append(UInt64(memberStart))
                    decoder.metadataSpans.append(UInt64(scanner.index))
                }
            } else {
                try scanner.skipValue()
            }
            fields.metadataRange = start..<scanner.index
            rootFieldSpans.append(keyHash)
            rootFieldSpans.append(UInt64(start))
            rootFieldSpans.append(UInt64(scanner.index))
        } else {
            if key == "object_id" {
                fields.hasObjectID = true
            } else if key == "bucket_id" {
                fields.hasBucketID = true
            } else if key == "source" || key == "feature_extractor" || key == "collection_name" {
                fields.hasCollectionConfigField = true
            } else if key == "feature_extractor_id" {
                fields.hasFeatureExtractorID = true
            }
            let keyHash = currentKeyHash
            let start = scanner.index
            try scanner.skipValue()
            if !Self.systemRootFields.contains(where: { key == $0 }) {
                rootFieldSpans.append(keyHash)
                rootFieldSpans.append(UInt64(start))
                rootFieldSpans.append(UInt64(scanner.index))
            }
        }
    }

    /// Reads one of the flat lineage fields shared by `_internal.lineage`, `lineage` and the root.
    private mutating func readFlatLineageField(
        _ key: RawKey, _ scanner: inout JSONScanner, into statement: inout StatementDraft,
        prefix: @autoclosure () -> String
    ) throws -> Bool {
        if key == "root_object_id" {
            statement.ids.rootObjectID = try readString(&scanner, path: prefix() + "root_object_id")
        } else if key == "root_bucket_id" {
            statement.shared.rootBucketID = try readString(&scanner, path: prefix() + "root_bucket_id")
        } else if key == "source_type" {
            statement.shared.sourceType = try readString(&scanner, path: prefix() + "source_type").map(SourceKind.init)
        } else if key == "source_object_id" {
            statement.ids.sourceObjectID = try readString(&scanner, path: prefix() + "source_object_id")
        } else if key == "source_document_id" {
            statement.ids.sourceDocumentID = try readString(&scanner, path: prefix() + "source_document_id")
        } else if key == "source_collection_id" {
            statement.shared.sourceCollectionID = try readString(&scanner, path: prefix() + "source_collection_id")
        } else {
            return false
        }
        return true
    }

    private mutating func readLineageObject(
        _ scanner: inout JSONScanner, into statement: inout StatementDraft, prefix: StaticString
    ) throws {
        try requireObject(&scanner, path: prefix.description)
        try readUniqueKeys(&scanner, path: prefix.description) { decoder, scanner, key in
            if try decoder.readFlatLineageField(key, &scanner, into: &statement, prefix: prefix.description + ".") {
                return
            } else if key == "chain" || key == "lineage_chain" {
                statement.chain = try decoder.readChain(&scanner, path: prefix.description + "." + key.string)
            } else if key == "path" || key == "lineage_path" {
                statement.shared.path = try decoder.readString(&scanner, path: prefix.description + "." + key.string)
            } else {
                try scanner.skipValue()
            }
        }
    }

    private mutating func readChain(_ scanner: inout JSONScanner, path: @autoclosure () -> String) throws
        -> StoredChain?
    {
        switch scanner.peek() {
        case UInt8(ascii: "n"):
            try scanner.skipValue()
            return nil
        case UInt8(ascii: "["): break
        default: throw typeError(&scanner, path: path(), expected: "an array of steps or null")
        }
        // Siblings often state the same chain, byte for byte: share its steps. A chain
        // that does not even scan is decoded below, which reports what is wrong with it.
        var probe = scanner
        guard (try? probe.skipValue()) != nil else { return try decodeChain(&scanner, path: path()) }
        let text = UnsafeRawBufferPointer(rebasing: scanner.bytes[scanner.index..<probe.index])
        let cached = chains.chain(for: text)
        if let known = cached.chain {
            scanner = probe
            return known
        }
        let steps = try decodeChain(&scanner, path: path())
        chains.add(steps, for: text, slot: cached.slot, hash: cached.hash)
        return steps
    }

    /// Decodes a chain, appending its steps to the reader's store.
    private mutating func decodeChain(_ scanner: inout JSONScanner, path: @autoclosure () -> String) throws
        -> StoredChain
    {
        let store = lineageStore
        let start = store.steps.count
        try scanner.readArray { scanner in
            let index = store.steps.count - start
            try self.requireObject(&scanner, path: "\(path())[\(index)]")
            var shared = SharedStepFacts()
            var documentID: String?
            var timestamp: StepTimestamp?
            try scanner.readObjectRawKeys { scanner, key in
                if key == "collection_id" {
                    shared.collectionID = try self.readString(&scanner, path: "\(path())[\(index)]" + ".collection_id")
                } else if key == "feature_extractor_id" {
                    shared.featureExtractorID = try self.readString(
                        &scanner, path: "\(path())[\(index)]" + ".feature_extractor_id")
                } else if key == "document_id" {
                    documentID = try self.readString(&scanner, path: "\(path())[\(index)]" + ".document_id")
                } else if key == "timestamp" {
                    timestamp = try self.readTimestamp(&scanner, path: "\(path())[\(index)]" + ".timestamp")
                } else {
                    try scanner.skipValue()
                }
            }
            store.append(
                LineageStep(
                    documentID: documentID, keptTimestamp: timestamp,
                    sharedFacts: self.stepFacts.shared(shared)))
        }
        let count = store.steps.count - start
        guard count >= StoredChain.longest else { return StoredChain(store: store, start: start, count: count) }
        // Too long to count in a shared store (65,535 steps or more): in a store of its own.
        return StoredChain(Array(store.steps[start...]))
    }

    /// A chain step's timestamp: the usual UTC form packed straight from the record's bytes, any
    /// other text read as a string.
    private mutating func readTimestamp(_ scanner: inout JSONScanner, path: @autoclosure () -> String) throws
        -> StepTimestamp?
    {
        if let packed = scanner.takeString(ofLength: StepTimestamp.packableLength, StepTimestamp.packed) {
            return StepTimestamp(packed: packed)
        }
        return try readString(&scanner, path: path()).map { StepTimestamp($0) }
    }

    /// The system metadata the audit reads: `ingestion_status` and `feature_extractor_config_hash`.
    private mutating func readSystemMetadata(_ scanner: inout JSONScanner, prefix: StaticString) throws -> (
        status: String?, configHash: String?
    ) {
        if scanner.peek() == UInt8(ascii: "n") {
            try scanner.skipValue()
            return (nil, nil)
        }
        try requireObject(&scanner, path: prefix.description)
        var status: String?
        var hash: String?
        try readUniqueKeys(&scanner, path: prefix.description) { decoder, scanner, key in
            if key == "ingestion_status" {
                status = try decoder.readString(&scanner, path: prefix.description + ".ingestion_status")
            } else if key == "feature_extractor_config_hash" {
                hash = try decoder.readString(&scanner, path: prefix.description + ".feature_extractor_config_hash")
            } else {
                try scanner.skipValue()
            }
        }
        return (status, hash)
    }

    // MARK: - Duplicate keys

    /// Reads an object like `readObjectRawKeys`, refusing a key that appears twice: JSON leaves
    /// the meaning of such an object open, and LineageKit does not guess which value is meant
    /// (docs/cli.md, "Duplicate keys"). Checked where lineage facts and user fields are read: the
    /// record's root, `metadata`, `_internal`, and the lineage and status objects.
    private mutating func readUniqueKeys(
        _ scanner: inout JSONScanner, path: @autoclosure () -> String,
        _ body: (inout RecordDecoder, inout JSONScanner, RawKey) throws -> Void
    ) throws {
        let frame = seenKeys.count
        defer { seenKeys.removeSubrange(frame...) }
        // One bit per key of this object, by 6 bits of its hash: only a key whose bit is already
        // set is looked for among the keys seen (a root of 20 keys made 190 comparisons).
        var seenBits: UInt64 = 0
        try scanner.readObjectRawKeys { scanner, key in
            let hash = Self.keyHash(key)
            let bit: UInt64 = 1 << (hash >> 58)
            if seenBits & bit != 0, self.seenKeys[frame...].contains(hash) {
                var offset = scanner.index
                if let keyStart = key.bytes.baseAddress, let base = scanner.bytes.baseAddress {
                    offset = keyStart - base - 1
                }
                throw RecordError(
                    code: .duplicateKey, offset: offset,
                    message: "the key \"\(key.string)\" appears twice in \(path()); LineageKit does not "
                        + "guess which value is meant: remove one")
            }
            seenBits |= bit
            self.seenKeys.append(hash)
            self.currentKeyHash = hash
            try body(&self, &scanner, key)
        }
    }

    /// A key's hash by its decoded text (`"a"` and `"\u0061"` are the same key): `RawKey` holds
    /// the decoded text already, so a key whose text has a backslash (`"\\u0061"`) is its own key.
    @inline(__always)
    private static func keyHash(_ key: RawKey) -> UInt64 {
        FastHash.hash(key.bytes)
    }

    // MARK: - Typed reads

    private mutating func readString(
        _ scanner: inout JSONScanner, path: @autoclosure () -> String, intern: Bool = true
    ) throws -> String? {
        let parsed = intern ? try scanner.parseOptionalString(interning: &strings) : try scanner.parseOptionalString()
        guard let value = parsed else {
            throw typeError(&scanner, path: path(), expected: "a string or null")
        }
        return value
    }

    private func requireObject(_ scanner: inout JSONScanner, path: @autoclosure () -> String) throws {
        guard scanner.peek() == UInt8(ascii: "{") else {
            throw typeError(&scanner, path: path(), expected: "an object")
        }
    }

    private func typeError(_ scanner: inout JSONScanner, path: String, expected: String) -> RecordError {
        RecordError(
            code: .wrongFieldType, offset: scanner.index,
            message: "`\(path)` must be \(expected), found \(scanner.peekTypeName())")
    }

    // MARK: - Building the document

    /// A document id as read: packed from the input's bytes when it packs, which makes no
    /// string (children then make one for their parent, shared among siblings through the
    /// interner), else as text, interned so that children naming it share it.
    private enum ReadID {
        case packed(PackedID)
        case text(String)

        var string: String {
            switch self {
            case .packed(let id): id.string
            case .text(let text): text
            }
        }
    }

    private mutating func readDocumentID(_ scanner: inout JSONScanner) throws -> ReadID? {
        if let packed = scanner.takePlainString({ PackedID(packing: $0) }) { return .packed(packed) }
        guard let text = try readString(&scanner, path: "document_id") else { return nil }
        return PackedID(packing: text).map(ReadID.packed) ?? .text(text)
    }

    private mutating func makeDocument(
        _ fields: inout DocumentFields, scanner: JSONScanner, recordStart: Int, location: SourceLocation,
        raw: () -> RawJSON
    ) throws -> Document {
        guard let readID = fields.documentID else {
            throw RecordError(code: .missingField, offset: fields.documentIDOffset, message: "`document_id` is null")
        }
        var id: String { readID.string }
        guard let collectionID = fields.collectionID else {
            let stated = fields.collectionIDSeen
            throw RecordError(
                code: .missingField, offset: stated ? fields.collectionIDOffset : recordStart,
                message: stated ? "`collection_id` is null" : "document has no `collection_id`", recordID: id)
        }
        let shape: DocumentShape
        if fields.hasInternal {
            shape = .current
        } else if fields.schemaVersion == "v2" {
            shape = .flat2025v2
        } else if fields.schemaVersion == "v1" || fields.hasNested {
            shape = .nested2025v1
        } else if !fields.rootStatement.isEmpty {
            shape = .flat2025
        } else {
            shape = .unknown
        }
        // The statements that state anything, most authoritative first, appended to the reader's
        // store; each takes its chain out of its draft in `fields` rather than copying it
        // (`StatementDraft.take`).
        let internalStated = fields.hasInternal && !fields.internalStatement.isEmpty
        let nestedStated = !fields.nestedStatement.isEmpty
        let rootStated = !fields.rootStatement.isEmpty
        let nestedFirst = fields.schemaVersion == "v1" || (fields.schemaVersion == nil && fields.hasNested)
        let firstStatement = lineageStore.statements.count
        func move(_ statement: inout StatementDraft, if stated: Bool) {
            guard stated else { return }
            lineageStore.append(statement.take(sharing: &statementFacts, ids: &statementIDs))
        }
        move(&fields.internalStatement, if: internalStated)
        if nestedFirst {
            move(&fields.nestedStatement, if: nestedStated)
            move(&fields.rootStatement, if: rootStated)
        } else {
            move(&fields.rootStatement, if: rootStated)
            move(&fields.nestedStatement, if: nestedStated)
        }
        let statements = StoredStatements(
            store: lineageStore, start: firstStatement, count: lineageStore.statements.count - firstStatement)

        // User fields stay in the input; only a fingerprint of each is kept (`UserFieldPrints`).
        // Their values were validated while skipping them.
        let bytes = scanner.bytes
        if shape != .current, let range = fields.metadataRange {
            var fieldScanner = JSONScanner(bytes: bytes, start: range.lowerBound, end: range.upperBound)
            switch fieldScanner.peek() {
            case UInt8(ascii: "{"), UInt8(ascii: "n"): break
            default:
                throw RecordError(
                    code: .wrongFieldType, offset: fields.metadataOffset,
                    message: "`metadata` must be an object or null, found \(fieldScanner.peekTypeName())", recordID: id)
            }
        }
        let spans = shape == .current ? rootFieldSpans : metadataSpans
        printPairs.removeAll(keepingCapacity: true)
        var position = 0
        while position + 2 < spans.count {
            let value = UnsafeRawBufferPointer(rebasing: bytes[Int(spans[position + 1])..<Int(spans[position + 2])])
            printPairs.append(spans[position])
            printPairs.append(FastHash.hash(value))
            position += 3
        }
        let prints = printPairs.withUnsafeBufferPointer { printStore.append($0) }
        let facts = DocumentSystemFacts(
            collectionID: collectionID, shape: shape, schemaVersion: fields.schemaVersion,
            ingestionStatus: fields.internalStatus ?? fields.legacyStatus,
            featureExtractorConfigHash: fields.internalConfigHash ?? fields.legacyConfigHash,
            ingestionStatusIsInternal: fields.internalStatus != nil)
        let storedID: PackedID
        switch readID {
        case .packed(let packed): storedID = packed
        case .text(let text): storedID = .kept(at: lineageStore.keep(id: text))
        }
        return Document(
            storedID: storedID, statements: statements, userFieldStorage: .input(prints),
            systemFacts: systemFacts.shared(facts), raw: raw(),
            line: Int32(location.line),
            column: Int32(location.column ?? 0))
    }

    /// Adds the record's `document_id` (or object or collection id) to an error, when one can be found.
    private static func withRecordID(_ error: RecordError, bytes: UnsafeRawBufferPointer, start: Int, end: Int)
        -> RecordError
    {
        guard error.recordID == nil else { return error }
        var result = error
        result.recordID = recordID(in: bytes, start: start, end: end)
        return result
    }

    /// The id of the record starting at `start`, read as far as the record is well-formed: its
    /// `document_id` when it has that key, else its `object_id` or `collection_id`.
    static func recordID(in bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> String? {
        var scanner = JSONScanner(bytes: bytes, start: start, end: end)
        var found: [String: String] = [:]
        var hasDocumentKey = false
        _ = try? scanner.readObjectRawKeys { scanner, key in
            if key == "document_id" || key == "object_id" || key == "collection_id" {
                hasDocumentKey = hasDocumentKey || key == "document_id"
                if case .string(let value)? = try? scanner.parseValue() { found[key.string] = value }
                return
            }
            try scanner.skipValue()
        }
        return hasDocumentKey ? found["document_id"] : found["object_id"] ?? found["collection_id"]
    }
}

extension JSONScanner {
    /// Whether the next value is `{}` (with any whitespace inside).
    mutating func peekEmptyObject() -> Bool {
        var probe = self
        guard probe.peek() == UInt8(ascii: "{") else { return false }
        probe.advance()
        return probe.peek() == UInt8(ascii: "}")
    }

    /// The JSON type of the next value, for error messages.
    mutating func peekTypeName() -> String {
        switch peek() {
        case nil: "end of input"
        case UInt8(ascii: "{"): "object"
        case UInt8(ascii: "["): "array"
        case UInt8(ascii: "\""): "string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "boolean"
        case UInt8(ascii: "n"): "null"
        default: "number"
        }
    }
}

/// Shares the steps of chains written with the same bytes, found from the raw bytes so that a
/// repeat costs neither decoding nor memory: the frames of a video, made by one extractor run,
/// often state the same chain. A small direct-mapped cache, as ``StringInterner``; a chain that
/// comes back after being evicted gets its steps stored twice, which costs memory only.
struct ChainInterner {
    private static let size = 1024
    private var hashes = [UInt64](repeating: 0, count: size)
    private var texts = [[UInt8]](repeating: [], count: size)
    private var chains = [StoredChain?](repeating: nil, count: size)

    /// The slot `text` belongs in, and the chain last decoded from exactly these bytes if it is
    /// still there.
    mutating func chain(for text: UnsafeRawBufferPointer) -> (slot: Int, hash: UInt64, chain: StoredChain?) {
        let hash = FastHash.hash(text) | 1
        let slot = Int(truncatingIfNeeded: hash >> 20) & (Self.size - 1)
        guard hashes[slot] == hash, texts[slot].withUnsafeBytes({ FastHash.equal($0, text) }) else {
            return (slot, hash, nil)
        }
        return (slot, hash, chains[slot])
    }

    /// Remembers `chain`, decoded from `text`, in `slot` (from ``chain(for:)``).
    mutating func add(_ chain: StoredChain, for text: UnsafeRawBufferPointer, slot: Int, hash: UInt64) {
        hashes[slot] = hash
        texts[slot].removeAll(keepingCapacity: true)
        texts[slot].append(contentsOf: text)
        chains[slot] = chain
    }
}
