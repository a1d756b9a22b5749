/// `coverage.partial` (info): a collection reaches fewer root objects than its source (for
/// example objects with frames but no scenes), per collection.
///
/// The source is the collection's configuration when given, else the source its documents state.
/// For a bucket source, the root objects are the bucket's objects in the input (silent without them).
public struct PartialCoverageRule: AuditRule {
    /// The stable rule id.
    public let id = "coverage.partial"
    /// The severity of this rule's findings.
    public let severity = Severity.info
    /// When the rule fires, in one line.
    public let summary = "a collection reaches fewer root objects than its source"

    /// Creates the rule.
    public init() {}

    /// Checks the namespace as a whole.
    public func checkNamespace(in context: AuditContext, into findings: inout [Finding]) {
        let graph = context.graph
        let collections = graph.collectionIDs
        // Root object nodes reached by each collection, from the graph's groups: no per-document
        // string hashing.
        let collectionOfNode = graph.collectionOfNode
        var reached = [Set<Int32>](repeating: [], count: collections.count)
        var objectsByBucket: [String: Set<Int32>] = [:]
        for index in graph.nodeKinds.indices {
            let kind = graph.nodeKinds[index]
            guard kind == .object || kind == .ghostObject else { continue }
            if kind == .object, let bucket = graph.nodes[index].bucketID {
                objectsByBucket[bucket, default: []].insert(Int32(index))
            }
            for member in graph.documentsByRoot.members(of: index) where collectionOfNode[Int(member)] >= 0 {
                reached[Int(collectionOfNode[Int(member)])].insert(Int32(index))
            }
        }
        let indexOfCollection = Dictionary(
            collections.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for (position, collection) in collections.enumerated().sorted(by: { $0.element < $1.element }) {
            let roots = reached[position]
            guard !roots.isEmpty, let sources = Self.sources(of: position, collection, context) else { continue }
            var sourceRoots: Set<Int32> = []
            var known = false
            for source in sources {
                switch source {
                case .bucket(let bucket):
                    if let objects = objectsByBucket[bucket] {
                        sourceRoots.formUnion(objects)
                        known = true
                    }
                case .collection(let sourceCollection):
                    if let index = indexOfCollection[sourceCollection], !reached[index].isEmpty {
                        sourceRoots.formUnion(reached[index])
                        known = true
                    }
                }
            }
            let missing = sourceRoots.subtracting(roots)
            guard known, !missing.isEmpty else { continue }
            let sourceNames = sources.map(\.id).joined(separator: ", ")
            let examples = missing.map { graph.nodes[Int($0)].id.rawID }.sorted().prefix(5)
            findings.append(
                Finding(
                    rule: id, severity: severity, documentID: nil, collectionID: collection,
                    message:
                        "reaches \(sourceRoots.count - missing.count) of the \(sourceRoots.count) root objects its "
                        + "source \(sourceNames) reaches",
                    evidence: [
                        "source": .array(sources.map { .string($0.id) }),
                        "source_root_objects": .number(JSONNumber(sourceRoots.count)),
                        "root_objects": .number(JSONNumber(sourceRoots.count - missing.count)),
                        "missing_examples": .array(examples.map(JSONValue.string)),
                    ]))
        }
    }

    /// The collection's configured sources, else the source most of its documents state.
    private static func sources(of position: Int, _ collection: String, _ context: AuditContext)
        -> [PipelineGraph.Node]?
    {
        if let config = context.configs[collection], config.sourceType == .bucket || config.sourceType == .collection {
            return config.sourceBucketIDs.map(PipelineGraph.Node.bucket)
                + config.sourceCollectionIDs.map(PipelineGraph.Node.collection)
        }
        var stated: [PipelineGraph.Node: Int] = [:]
        let graph = context.graph
        for member in graph.documentsByCollection.members(of: position) {
            guard let document = graph.document(at: graph.nodes[Int(member)]) else { continue }
            let lineage = document.lineage
            switch lineage.effectiveSourceKind {
            case .bucket?:
                if let bucket = lineage.rootBucketID { stated[.bucket(bucket), default: 0] += 1 }
            case .collection?:
                if let source = lineage.sourceCollectionID { stated[.collection(source), default: 0] += 1 }
            default: break
            }
        }
        return stated.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { [$0.key] }
    }
}
