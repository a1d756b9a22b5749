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
        var rootsByCollection: [String: Set<String>] = [:]
        var statedSources: [String: [PipelineGraph.Node: Int]] = [:]
        for document in graph.documents {
            let lineage = document.lineage
            if let root = lineage.rootObjectID {
                rootsByCollection[document.collectionID, default: []].insert(root)
            }
            switch lineage.effectiveSourceKind {
            case .bucket?:
                if let bucket = lineage.rootBucketID {
                    statedSources[document.collectionID, default: [:]][.bucket(bucket), default: 0] += 1
                }
            case .collection?:
                if let collection = lineage.sourceCollectionID {
                    statedSources[document.collectionID, default: [:]][.collection(collection), default: 0] += 1
                }
            default: break
            }
        }
        var objectsByBucket: [String: Set<String>] = [:]
        for object in graph.objects {
            objectsByBucket[object.bucketID, default: []].insert(object.id)
        }
        for (collection, roots) in rootsByCollection.sorted(by: { $0.key < $1.key }) {
            let sources: [PipelineGraph.Node]
            if let config = context.configs[collection],
                config.sourceType == .bucket || config.sourceType == .collection
            {
                sources =
                    config.sourceBucketIDs.map(PipelineGraph.Node.bucket)
                    + config.sourceCollectionIDs.map(PipelineGraph.Node.collection)
            } else if let stated = statedSources[collection]?.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
                sources = [stated.key]
            } else {
                continue
            }
            var sourceRoots: Set<String> = []
            var known = false
            for source in sources {
                switch source {
                case .bucket(let bucket):
                    if let objects = objectsByBucket[bucket] {
                        sourceRoots.formUnion(objects)
                        known = true
                    }
                case .collection(let sourceCollection):
                    if let reached = rootsByCollection[sourceCollection] {
                        sourceRoots.formUnion(reached)
                        known = true
                    }
                }
            }
            let missing = sourceRoots.subtracting(roots)
            guard known, !missing.isEmpty else { continue }
            let sourceNames = sources.map(\.id).joined(separator: ", ")
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
                        "missing_examples": .array(missing.sorted().prefix(5).map(JSONValue.string)),
                    ]))
        }
    }
}
