import Foundation

/// `duplicate.document` (error): two or more documents of one collection made from the same source
/// (source document, else source object, else root object) by the same extractor at the same position: what
/// re-triggering a collection whose bucket has no `unique_key` leaves behind.
///
/// The position is the collection's configured position fields (`feature_extractor.position_fields`,
/// `position_fields` or `unique_key.fields`), else the extractor position fields the document has
/// (``knownPositionFields``). A document with neither is a duplicate only when all its user fields
/// are identical too, as a re-run copies them: two faces of one frame with different scores are not
/// (and a document with no user fields at all is not judged).
/// Values are compared as written (their bytes' fingerprints), so a re-run's exact copies match.
/// The oldest document of a group (by `created_at`, then id) is the keeper; every other one gets a
/// finding naming it.
package struct DuplicateDocumentRule: AuditRule {
    /// The stable rule id.
    package let id = "duplicate.document"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary = "another document of the collection has the same source, extractor and position"

    /// The user fields that place a document within its source when the collection names none.
    package static let knownPositionFields = [
        "frame_index", "chunk_index", "scene_index", "segment_index", "page_number", "start_time", "end_time",
    ]

    /// Creates the rule.
    package init() {}

    /// What makes two documents the same: exact, for grouping those whose hashes agree.
    struct Identity: Hashable {
        let collection: String
        let source: String
        let extractor: String
        /// The position fields compared, in order; empty when every user field is.
        let positionFields: [String]
        /// The fingerprints compared: per position field its value's (0 when absent), else every
        /// user field's (name, value) pair, sorted.
        let prints: [UInt64]
    }

    /// Checks the namespace: a key per document (in parallel pieces, each sorted on its own core),
    /// a merge of the sorted pieces, and an exact comparison only among documents whose keys agree.
    /// The pieces are merged as they are read, never copied into one array, and a key is 8 bytes
    /// (40 bits of the document's hash, 24 of its place in its piece): the rule's memory is 8 bytes
    /// a document, not the 40 that 16-byte keys, a joined copy and its sort buffer cost.
    package func checkNamespace(in context: AuditContext, into findings: inout [Finding]) {
        let graph = context.graph
        let keying = Keying(context: context)
        let count = graph.documents.count
        // Enough pieces that each holds fewer than 2^24 documents, the places a key can name.
        let pieceCount = max(
            1, min(ProcessInfo.processInfo.activeProcessorCount * 4, count / 20_000),
            (count + Keyed.pieceLimit) / Keyed.pieceLimit)
        let starts = (0...pieceCount).map { count * $0 / pieceCount }
        // Read through buffers: indexing the graph's arrays in the loop retains them each time.
        let pieces: [[Keyed]] = graph.documents.withUnsafeBufferPointer { documents in
            graph.documentNodeIndex.withUnsafeBufferPointer { nodes in
                graph.collectionOfNode.withUnsafeBufferPointer { collections in
                    let shared = WorkerShared((documents, nodes, collections))
                    return mapPieces(pieceCount) { piece in
                        let (documents, nodes, collections) = shared.value
                        var keys: [Keyed] = []
                        keys.reserveCapacity(starts[piece + 1] - starts[piece])
                        for position in starts[piece]..<starts[piece + 1] {
                            let node = nodes[position]
                            guard node >= 0 else { continue }
                            let document = DocumentUnderAudit(
                                lending: documents, position: position, nodeIndex: Int(node))
                            guard let key = keying.key(of: document, collection: Int(collections[Int(node)])) else {
                                continue
                            }
                            keys.append(Keyed(hash: key, offset: position - starts[piece]))
                        }
                        keys.sort { $0.bits < $1.bits }
                        return keys
                    }
                }
            }
        }
        var merged = SortedPiecesMerge(pieces, starts: starts)
        var group: [Int] = []
        while let first = merged.next() {
            group.removeAll(keepingCapacity: true)
            group.append(first.position)
            while let next = merged.peek(), next.hash == first.hash {
                group.append(next.position)
                _ = merged.next()
            }
            guard group.count > 1 else { continue }
            // Keys agreeing in 40 bits propose a group; identities decide it.
            var groups: [Identity: [Int]] = [:]
            var order: [Identity] = []
            for position in group {
                let node = Int(graph.documentNodeIndex[position])
                let identity = graph.documents.withUnsafeBufferPointer { documents in
                    keying.identity(
                        of: DocumentUnderAudit(lending: documents, position: position, nodeIndex: node),
                        collection: Int(graph.collectionOfNode[node]))
                }
                guard let identity else { continue }
                if groups[identity] == nil { order.append(identity) }
                groups[identity, default: []].append(position)
            }
            for identity in order where groups[identity, default: []].count > 1 {
                report(identity, groups[identity, default: []].map { graph.documents[$0] }, into: &findings)
            }
        }
    }

    /// A document's key: the top 40 bits of its hash over its place in its piece (24 bits), so
    /// sorting the bits sorts by hash, then by place.
    struct Keyed {
        /// Documents a piece may hold.
        static let pieceLimit = 1 << 24
        let bits: UInt64

        init(hash: UInt64, offset: Int) {
            bits = (hash & ~UInt64(Self.pieceLimit - 1)) | UInt64(offset)
        }

        /// The hash's top 40 bits.
        var hash: UInt64 { bits >> 24 }
        /// The place in its piece.
        var offset: Int { Int(bits & UInt64(Self.pieceLimit - 1)) }
    }

    /// The keys of pieces each sorted by (hash, place), in that order overall with each place made
    /// a position (`starts`: where each piece begins): what sorting the keys of all positions
    /// gives, since a lower piece holds only lower positions.
    struct SortedPiecesMerge {
        private let pieces: [[Keyed]]
        private let starts: [Int]
        private var cursors: [Int]

        init(_ pieces: [[Keyed]], starts: [Int]) {
            self.pieces = pieces
            self.starts = starts
            cursors = Array(repeating: 0, count: pieces.count)
        }

        /// The piece holding the least key not yet taken (the lowest such piece on a tie).
        private func least() -> Int? {
            var best: Int?
            for piece in pieces.indices where cursors[piece] < pieces[piece].count {
                let hash = pieces[piece][cursors[piece]].hash
                if let current = best {
                    if hash < pieces[current][cursors[current]].hash { best = piece }
                } else {
                    best = piece
                }
            }
            return best
        }

        private func entry(_ piece: Int) -> (hash: UInt64, position: Int) {
            let key = pieces[piece][cursors[piece]]
            return (key.hash, starts[piece] + key.offset)
        }

        func peek() -> (hash: UInt64, position: Int)? { least().map(entry) }

        mutating func next() -> (hash: UInt64, position: Int)? {
            guard let piece = least() else { return nil }
            defer { cursors[piece] += 1 }
            return entry(piece)
        }
    }

    /// What places documents for the rule: each one's 64-bit key (which documents with equal
    /// ``Identity`` values share; the converse is checked exactly) and its exact identity, both from
    /// one reading of its source, extractor and position.
    private struct Keying: Sendable {
        /// The known position fields and their name hashes.
        let knownHashes: [UInt64] = DuplicateDocumentRule.knownPositionFields.map { FastHash.hash($0) }
        /// Per collection index: its configured position fields, and their name hashes.
        let configured: [[String]?]
        let configuredHashes: [[UInt64]?]
        /// Per collection index: the extractor its configuration names.
        let extractorOfCollection: [String?]

        init(context: AuditContext) {
            let configs = context.graph.collectionIDs.map { context.configs[$0] }
            configured = configs.map { $0.flatMap(DuplicateDocumentRule.positionFields) }
            configuredHashes = configured.map { $0?.map { FastHash.hash($0) } }
            extractorOfCollection = configs.map { $0?.featureExtractorID }
        }

        /// Which fields placed a document.
        enum Placement {
            case configured, known
        }

        /// Calls `body` with each field that places `document` (its index in the configured or
        /// known list, and its value's print; 0 for a configured field the document lacks): the
        /// collection's configured fields when the document has any, else the known ones it has.
        /// `nil` when none places it.
        func place(_ document: DocumentUnderAudit, collection: Int, _ body: (Int, UInt64) -> Void) -> Placement? {
            if collection >= 0, let names = configuredHashes[collection],
                names.contains(where: { document.userFieldValuePrint(nameHash: $0) != nil })
            {
                for (index, name) in names.enumerated() {
                    body(index, document.userFieldValuePrint(nameHash: name) ?? 0)
                }
                return .configured
            }
            var placed = false
            for (index, name) in knownHashes.enumerated() {
                guard let print = document.userFieldValuePrint(nameHash: name) else { continue }
                body(index, print)
                placed = true
            }
            return placed ? .known : nil
        }

        /// The source (source document, else source object, else root object) and extractor (the
        /// chain's last step, else the collection's configuration; empty when neither names one).
        func origin(of document: DocumentUnderAudit, collection: Int) -> (source: String, extractor: String)? {
            let lineage = document.lineage
            guard let source = lineage.sourceDocumentID ?? lineage.sourceObjectID ?? lineage.rootObjectID else {
                return nil
            }
            let extractor =
                lineage.storedChain?.last?.featureExtractorID
                ?? (collection >= 0 ? extractorOfCollection[collection] : nil)
                ?? ""
            return (source, extractor)
        }

        static func mix(_ hash: UInt64, _ value: UInt64) -> UInt64 {
            var mixed = (hash ^ value) &* 0x9E37_79B9_7F4A_7C15
            mixed ^= mixed >> 29
            return mixed &* 0xBF58_476D_1CE4_E5B9
        }

        /// The document's key, without building its identity; `nil` when it is not judged.
        func key(of document: DocumentUnderAudit, collection: Int) -> UInt64? {
            guard let (source, extractor) = origin(of: document, collection: collection) else { return nil }
            var key = Self.mix(FastHash.hash(document.document.collectionID), FastHash.hash(source))
            key = Self.mix(key, FastHash.hash(extractor))
            var positioned = key
            let placement = place(document, collection: collection) { index, print in
                positioned = Self.mix(Self.mix(positioned, UInt64(index)), print)
            }
            switch placement {
            case .configured?: return Self.mix(positioned, 1)
            case .known?: return Self.mix(positioned, 2)
            case nil: break
            }
            // Every user field: a sum of each pair's mix, the same whatever their order.
            var sum: UInt64 = 0
            var any = false
            document.forEachUserFieldPrint { name, print in
                sum &+= Self.mix(Self.mix(0x5EED, name), print)
                any = true
            }
            return any ? Self.mix(Self.mix(key, 3), sum) : nil
        }

        /// The document's exact identity; `nil` when it is not judged.
        func identity(of document: DocumentUnderAudit, collection: Int) -> Identity? {
            guard let (source, extractor) = origin(of: document, collection: collection) else { return nil }
            var indices: [Int] = []
            var prints: [UInt64] = []
            let placement = place(document, collection: collection) { index, print in
                indices.append(index)
                prints.append(print)
            }
            let fields: [String]
            switch placement {
            case .configured?: fields = indices.map { configured[collection]?[$0] ?? "" }
            case .known?: fields = indices.map { DuplicateDocumentRule.knownPositionFields[$0] }
            case nil:
                // Without user fields there is nothing to tell a copy from a sibling: not judged.
                let pairs = document.document.userFieldPrintPairs()
                guard !pairs.isEmpty else { return nil }
                fields = []
                prints = pairs.sorted { ($0.name, $0.value) < ($1.name, $1.value) }.flatMap { [$0.name, $0.value] }
            }
            return Identity(
                collection: document.document.collectionID, source: source, extractor: extractor,
                positionFields: fields,
                prints: prints)
        }
    }

    /// The position fields a collection's configuration names, if any.
    static func positionFields(_ config: CollectionConfig) -> [String]? {
        let lists = [
            config.json["feature_extractor"]?["position_fields"], config.json["position_fields"],
            config.json["unique_key"]?["fields"],
        ]
        for list in lists {
            let names = list?.arrayValue?.compactMap(\.stringValue) ?? []
            if !names.isEmpty { return names }
        }
        return nil
    }

    private func report(_ identity: Identity, _ members: [Document], into findings: inout [Finding]) {
        let aged = members.map { (document: $0, created: Self.createdAt(of: $0)) }
            .sorted { lhs, rhs in
                switch (lhs.created, rhs.created) {
                case (let left?, let right?) where left != right: left < right
                case (.some, nil): true
                case (nil, .some): false
                default: lhs.document.id < rhs.document.id
                }
            }
        let keeper = aged[0].document
        let keeperFields = keeper.userFields
        var position: JSONObject = [:]
        for name in identity.positionFields {
            position[name] = keeperFields.value(atPath: name) ?? .null
        }
        let extractor = identity.extractor.isEmpty ? "an unnamed extractor" : identity.extractor
        let at =
            identity.positionFields.isEmpty
            ? "with identical user fields"
            : "at "
                + identity.positionFields.map { "\($0) \(position[$0]?.serialized() ?? "null")" }
                .joined(separator: ", ")
        let group = JSONValue.array(
            aged.map {
                ["document_id": .string($0.document.id), "created_at": $0.created.map(JSONValue.string) ?? .null]
            })
        for (document, _) in aged.dropFirst() {
            var evidence: JSONObject = [
                "keeper": .string(keeper.id), "group": group, "source": .string(identity.source),
                "feature_extractor_id": .string(identity.extractor),
            ]
            if identity.positionFields.isEmpty {
                evidence["identical_user_fields"] = true
            } else {
                evidence["position"] = .object(position)
            }
            findings.append(
                Finding(
                    rule: id, severity: severity, documentID: document.id, collectionID: document.collectionID,
                    message: "duplicate of \(keeper.id) (from \(identity.source) by \(extractor) \(at)); "
                        + "the older \(keeper.id) is the one to keep",
                    evidence: evidence))
        }
    }

    /// `_internal.created_at`, else the root `created_at`, as written.
    static func createdAt(of document: Document) -> String? {
        guard let record = try? document.json() else { return nil }
        return record["_internal"]?["created_at"]?.stringValue ?? record["created_at"]?.stringValue
    }
}

extension DuplicateDocumentRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        let d = dialect
        func value(_ name: String) -> String {
            "CAST(" + AuditScript.userField(d, fields: "u.user_fields", current: "u.has_internal", name: name)
                + " AS STRING)"
        }
        let configured = d.join(
            d.transform("c.position_fields", "f", "coalesce(\(value("f")), '-')"), "\u{1F}")
        let anyConfigured = d.size(d.filter("c.position_fields", "f", "\(value("f")) IS NOT NULL")) + " > 0"
        let known =
            "concat_ws('\u{1F}', "
            + Self.knownPositionFields.map { name in
                let field = d.literal(name)
                return "CASE WHEN \(value(field)) IS NOT NULL THEN \(d.literal(name + "=")) || \(value(field)) END"
            }.joined(separator: ", ") + ")"
        let system = d.arrayOf(Document.systemRootFieldNames.sorted().map(d.literal))
        let names = d.filter(
            "coalesce(\(d.keys("u.user_fields")), \(d.emptyArray))", "k",
            "NOT (u.has_internal AND \(d.contains(system, "k")))")
        let everything = d.join(
            d.sort(d.transform(names, "k", "k || '=' || coalesce(\(value("k")), 'null')")), "\u{1F}")
        let lastStep = d.element("d.chain", "-1")
        return """
            SELECT document_id, collection_id,
              'duplicate of ' || keeper || ' (from ' || source || ' by ' || extractor || ' at ' || position_key
                || '); the older ' || keeper || ' is the one to keep' AS message,
              \(d.object([("keeper", "keeper"), ("source", "source"), ("feature_extractor_id", "extractor")])) AS evidence
            FROM (
              SELECT *, first_value(document_id) OVER (PARTITION BY collection_id, source, extractor, position_key
                  ORDER BY created_at NULLS LAST, document_id) AS keeper,
                count(*) OVER (PARTITION BY collection_id, source, extractor, position_key) AS copies
              FROM (
                SELECT document_id, collection_id, source, extractor, created_at,
                  CASE WHEN configured IS NOT NULL THEN configured WHEN known <> '' THEN known
                       WHEN everything <> '' THEN 'identical user fields ' || everything END AS position_key
                FROM (
                  SELECT d.document_id, d.collection_id, coalesce(d.source_document_id, d.source_object_id, d.root_object_id) AS source,
                    coalesce(CASE WHEN \(d.size("d.chain")) > 0 THEN \(lastStep).feature_extractor_id END,
                      c.feature_extractor_id, '') AS extractor,
                    u.created_at,
                    CASE WHEN c.position_fields IS NOT NULL AND \(anyConfigured) THEN \(configured) END AS configured,
                    \(known) AS known, \(everything) AS everything
                  FROM lk_doc d JOIN lk_doc_raw u ON u.document_id = d.document_id
                  LEFT JOIN lk_collection c ON c.collection_id = d.collection_id
                  WHERE coalesce(d.source_document_id, d.source_object_id, d.root_object_id) IS NOT NULL
                ) identified
              ) positioned
              WHERE position_key IS NOT NULL
            ) grouped
            WHERE copies > 1 AND document_id <> keeper
            """
    }
}
