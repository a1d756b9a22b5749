/// `coverage.partial` (info): a collection reaches fewer root objects than its source (for
/// example objects with frames but no scenes), per collection.
///
/// The source is the collection's configuration when given, else the source its documents state.
/// For a bucket source, the root objects are the bucket's objects in the input (silent without them).
package struct PartialCoverageRule: AuditRule {
    /// The stable rule id.
    package let id = "coverage.partial"
    /// The severity of this rule's findings.
    package let severity = Severity.info
    /// When the rule fires, in one line.
    package let summary = "a collection reaches fewer root objects than its source"

    /// Creates the rule.
    package init() {}

    /// Checks the namespace as a whole.
    package func checkNamespace(in context: AuditContext, into findings: inout [Finding]) {
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
            guard let document = graph.document(atNode: Int(member)) else { continue }
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

extension PartialCoverageRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        let sourceNames: String
        switch dialect {
        case .duckdb: sourceNames = "string_agg(DISTINCT id, ', ' ORDER BY id)"
        case .spark: sourceNames = "concat_ws(', ', sort_array(collect_set(id)))"
        }
        return """
            SELECT CAST(NULL AS STRING) AS document_id, r.collection_id,
              'reaches ' || CAST(r.roots - r.missing AS STRING) || ' of the ' || CAST(r.roots AS STRING)
                || ' root objects its source ' || s.names || ' reaches' AS message,
              \(dialect.object([
                  ("source_root_objects", "r.roots"), ("root_objects", "r.roots - r.missing"),
              ])) AS evidence
            FROM (
              SELECT sr.collection_id, count(*) AS roots,
                sum(CASE WHEN reached.root_object_id IS NULL THEN 1 ELSE 0 END) AS missing
              FROM (
                SELECT DISTINCT s.collection_id, o.object_id AS root_object_id
                FROM lk_coverage_source s JOIN lk_object o ON s.kind = 'bucket' AND o.bucket_id = s.id
                UNION
                SELECT DISTINCT s.collection_id, r.root_object_id
                FROM lk_coverage_source s JOIN lk_reached r ON s.kind = 'collection' AND r.collection_id = s.id
              ) sr
              LEFT JOIN lk_reached reached
                ON reached.collection_id = sr.collection_id AND reached.root_object_id = sr.root_object_id
              WHERE sr.collection_id IN (SELECT collection_id FROM lk_reached)
              GROUP BY sr.collection_id
            ) r
            JOIN (SELECT collection_id, \(sourceNames) AS names FROM lk_coverage_source GROUP BY collection_id) s
              ON s.collection_id = r.collection_id
            WHERE r.missing > 0
            """
    }

    /// Tables the query reads: root objects reached per collection, and each collection's sources
    /// (configured, else the one most of its documents state).
    package func sqlTables(_ dialect: SQLDialect) -> [String] {
        let isConfigured = "source_type IN ('bucket', 'collection')"
        return [
            dialect.createTable("lk_reached")
                + "SELECT DISTINCT collection_id, root_object_id FROM lk_doc WHERE root_object_id IS NOT NULL",
            dialect.createTable("lk_coverage_source") + """
                SELECT collection_id, 'bucket' AS kind, \(dialect.explode("source_buckets")) AS id
                FROM lk_collection WHERE \(isConfigured)
                UNION ALL
                SELECT collection_id, 'collection' AS kind, \(dialect.explode("source_collections")) AS id
                FROM lk_collection WHERE \(isConfigured)
                UNION ALL
                SELECT collection_id, kind, id FROM (
                  SELECT collection_id, kind, id,
                    row_number() OVER (PARTITION BY collection_id ORDER BY count(*) DESC, kind, id) AS position
                  FROM (
                    SELECT collection_id, source_kind AS kind,
                      CASE WHEN source_kind = 'bucket' THEN root_bucket_id ELSE source_collection_id END AS id
                    FROM lk_doc WHERE source_kind IN ('bucket', 'collection')
                  ) stated
                  WHERE id IS NOT NULL
                  GROUP BY collection_id, kind, id
                ) ranked
                WHERE position = 1 AND collection_id NOT IN (SELECT collection_id FROM lk_collection WHERE \(isConfigured))
                """,
        ]
    }
}
