/// What the rules share: the graph, and indices computed once per audit.
///
/// A class, so that handing it to every rule for every document passes one reference rather than
/// copying (and retaining) each of the graph's arrays.
public final class AuditContext: Sendable {
    /// The graph under audit.
    public let graph: DecompositionGraph
    /// Collection configurations by collection id.
    public let configs: [String: CollectionConfig]
    /// Buckets holding at least one object of the input.
    public let bucketsWithObjects: Set<String>
    /// Collections holding at least one document of the input.
    public let collectionsWithDocuments: Set<String>
    /// For each document node, the configuration of its collection (by the graph's collection
    /// index), so per-document rules need no dictionary lookup.
    private let configOfCollection: [CollectionConfig?]
    /// Per collection index: its passthrough fields (document field, source path), when configured.
    private let passthroughOfCollection: [[PassthroughPair]?]
    /// Per collection index: its configured source kind and ids, when configured.
    private let sourceOfCollection: [ConfiguredSource?]
    /// Per collection index: its configuration's `lifecycle_state` (`active`, `cold`, `archived`), when stated.
    private let lifecycleOfCollection: [String?]
    /// Per collection index: its current extractor configuration hash and where it comes from.
    private let configHashOfCollection: [(hash: String, basis: String)?]
    /// For each document node, the position of its root object in ``DecompositionGraph/objects`` (-1: absent).
    private let rootObjectOfNode: [Int32]
    /// Per object position: the fingerprints of its top-level metadata fields (values written
    /// compactly), kept like documents' user field fingerprints to compare with them.
    private let metadataPrintsOfObject: [UserFieldPrints]

    /// Prepares a context for `graph`.
    public init(graph: DecompositionGraph) {
        self.graph = graph
        var configs: [String: CollectionConfig] = [:]
        for config in graph.collections where configs[config.id] == nil {
            configs[config.id] = config
        }
        self.configs = configs
        self.bucketsWithObjects = Set(graph.objects.map(\.bucketID))
        self.collectionsWithDocuments = Set(graph.documentCollectionIDs)
        self.configOfCollection = graph.collectionIDs.map { configs[$0] }
        self.passthroughOfCollection = configOfCollection.map { config in
            config.map {
                $0.passthroughFields.map { PassthroughPair(field: $0.documentField, sourcePath: $0.sourcePath) }
            }
        }
        self.sourceOfCollection = configOfCollection.map { config in
            guard let config, let kind = config.sourceType else { return nil }
            let sources =
                kind == .bucket ? config.sourceBucketIDs : kind == .collection ? config.sourceCollectionIDs : []
            return ConfiguredSource(kind: kind, sources: sources)
        }
        self.lifecycleOfCollection = configOfCollection.map { $0?.json["lifecycle_state"]?.stringValue }
        self.configHashOfCollection = StaleExtractorRule.currentHashes(graph, configs: configOfCollection)
        var rootObjectOfNode = [Int32](repeating: -1, count: graph.nodes.count)
        for index in graph.nodeKinds.indices where graph.nodeKinds[index] == .object {
            let record = graph.recordIndex[index]
            for member in graph.documentsByRoot.members(of: index) {
                rootObjectOfNode[Int(member)] = record
            }
        }
        self.rootObjectOfNode = rootObjectOfNode
        let store = UserFieldPrintStore()
        var value: [UInt8] = []
        self.metadataPrintsOfObject = graph.objects.map { object in
            let pairs = object.metadata.flatMap { member -> [UInt64] in
                value.removeAll(keepingCapacity: true)
                member.value.write(into: &value)
                return [FastHash.hash(member.key), value.withUnsafeBytes { FastHash.hash($0) }]
            }
            return pairs.withUnsafeBufferPointer { store.append($0) }
        }
    }

    /// The fingerprint of the root object's metadata field whose name hashes to `nameHash` (top-level, written compactly),
    /// when the root object is in the input and has it.
    func rootMetadataPrint(of document: DocumentUnderAudit, nameHash: UInt64) -> UInt64? {
        let position = rootObjectOfNode[document.nodeIndex]
        guard position >= 0 else { return nil }
        guard case .present(let print) = metadataPrintsOfObject[Int(position)].lookup(nameHash) else { return nil }
        return print
    }

    /// The configuration of `document`'s collection, when one was given.
    public func config(of document: DocumentUnderAudit) -> CollectionConfig? {
        let collection = graph.collectionOfNode[document.nodeIndex]
        return collection >= 0 ? configOfCollection[Int(collection)] : nil
    }

    /// The document `document` was made from, when it is in the input.
    public func sourceDocument(of document: DocumentUnderAudit) -> Document? {
        lentSourceDocument(of: document)?.document
    }

    /// The document `document` was made from, when it is in the input, lent like `document`:
    /// read in place for the length of the rule's call, without copying it.
    public func lentSourceDocument(of document: DocumentUnderAudit) -> DocumentUnderAudit? {
        let parent = graph.parentIndex[document.nodeIndex]
        guard parent >= 0, graph.nodeKinds[Int(parent)] == .document else { return nil }
        return document.lending(position: Int(graph.recordIndex[Int(parent)]), nodeIndex: Int(parent))
    }

    /// A passthrough field: its name in the collection's documents and its path in the source.
    public struct PassthroughPair: Sendable {
        /// The field's name in the document.
        public let field: String
        /// The field's path in the source (root object metadata or source document).
        public let sourcePath: String
        /// The ``FastHash`` of ``field`` and of ``sourcePath``, for fingerprint lookups; `nil` for a
        /// dotted path, which may descend into objects.
        let fieldHash: UInt64?
        let sourceHash: UInt64?

        /// Creates a pair.
        public init(field: String, sourcePath: String) {
            self.field = field
            self.sourcePath = sourcePath
            fieldHash = field.utf8.contains(UInt8(ascii: ".")) ? nil : FastHash.hash(field)
            sourceHash = sourcePath.utf8.contains(UInt8(ascii: ".")) ? nil : FastHash.hash(sourcePath)
        }
    }

    /// What a collection's configuration says it reads.
    public struct ConfiguredSource: Sendable {
        /// `bucket` or `collection` (or another kind the API has).
        public let kind: SourceKind
        /// The bucket ids or collection ids.
        public let sources: [String]
    }

    /// The passthrough fields of `document`'s collection, when its configuration was given.
    public func passthroughFields(of document: DocumentUnderAudit) -> [PassthroughPair]? {
        let collection = graph.collectionOfNode[document.nodeIndex]
        return collection >= 0 ? passthroughOfCollection[Int(collection)] : nil
    }

    /// The `lifecycle_state` of `document`'s collection (`active`, `cold`, `archived`), when its
    /// configuration was given and states one.
    public func lifecycleState(of document: DocumentUnderAudit) -> String? {
        let collection = graph.collectionOfNode[document.nodeIndex]
        return collection >= 0 ? lifecycleOfCollection[Int(collection)] : nil
    }

    /// The current extractor configuration hash of `document`'s collection (the `stale.extractor` rule)
    /// and where it comes from, when one is known.
    public func currentConfigHash(of document: DocumentUnderAudit) -> (hash: String, basis: String)? {
        let collection = graph.collectionOfNode[document.nodeIndex]
        return collection >= 0 ? configHashOfCollection[Int(collection)] : nil
    }

    /// The configured source of `document`'s collection, when its configuration was given.
    public func configuredSource(of document: DocumentUnderAudit) -> ConfiguredSource? {
        let collection = graph.collectionOfNode[document.nodeIndex]
        return collection >= 0 ? sourceOfCollection[Int(collection)] : nil
    }

    /// The id and metadata of the bucket object at the root of `document`'s tree, when it is in
    /// the input (cheaper than the whole ``rootObject(of:)``).
    public func rootMetadata(of document: DocumentUnderAudit) -> (id: String, metadata: JSONObject)? {
        let position = rootObjectOfNode[document.nodeIndex]
        guard position >= 0 else { return nil }
        return graph.objects.withUnsafeBufferPointer { ($0[Int(position)].id, $0[Int(position)].metadata) }
    }

    /// Whether the bucket object `document` states as its root is in the input.
    public func hasRootObject(_ document: DocumentUnderAudit) -> Bool {
        rootObjectOfNode[document.nodeIndex] >= 0
    }

    /// The bucket of the object `id`, when that object is in the input (read from its node,
    /// without copying the object).
    public func bucket(ofObject id: String) -> String? {
        guard let index = graph.index(of: .object(id)), graph.nodeKinds[Int(index)] == .object else { return nil }
        return graph.nodes[Int(index)].bucketID
    }

    /// The bucket object at the root of `document`'s tree, when it is in the input.
    public func rootObject(of document: DocumentUnderAudit) -> BucketObject? {
        let position = rootObjectOfNode[document.nodeIndex]
        return position >= 0 ? graph.objects[Int(position)] : nil
    }
}
