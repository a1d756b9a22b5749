import Foundation

/// The audit as one SQL script for an engine (DuckDB, Spark) that reads the raw files itself.
///
/// The script reads every input as JSON records, sorts them into documents, objects and
/// collection configurations by their keys (as ``SnapshotReader`` does), normalises every
/// document shape into the tables ``SQLAuditRule`` describes, and ends with one query returning
/// a row per finding: `rule, severity, document_id, collection_id, message, evidence`. No Swift
/// runs on the engine's side.
public struct AuditScript: Sendable {
    /// A file (or glob) the engine reads.
    public struct Input: Sendable, Hashable {
        /// How the file holds records.
        public enum Format: String, Sendable, Hashable {
            /// JSON Lines, a JSON array of records, one record, or a list-response envelope.
            case json
            /// Parquet, one record per row (Mixpeek's collection export).
            case parquet
        }

        /// The path or glob, as the engine will see it.
        public var path: String
        /// How the file holds records.
        public var format: Format

        /// Creates an input; the format follows the extension (`.parquet`, else JSON) unless given.
        public init(path: String, format: Format? = nil) {
            self.path = path
            self.format = format ?? (path.hasSuffix(".parquet") ? .parquet : .json)
        }
    }

    /// The engine the script is for.
    public let dialect: SQLDialect
    /// The files read.
    public let inputs: [Input]
    /// The rules whose findings the script returns.
    public let rules: [any SQLAuditRule]

    /// Creates a script for `rules` (the auditor's selection; each must have an SQL form).
    ///
    /// - Throws: ``LineageKitError`` (`invalidArgument`) when there is no input, or a rule has no
    ///   SQL form.
    public init(dialect: SQLDialect, inputs: [Input], rules: [any AuditRule]) throws {
        guard !inputs.isEmpty else {
            throw LineageKitError(code: .invalidArgument, message: "an audit script needs at least one input file")
        }
        var sqlRules: [any SQLAuditRule] = []
        for rule in rules {
            guard let sqlRule = rule as? any SQLAuditRule else {
                throw LineageKitError(
                    code: .invalidArgument, message: "the rule \(rule.id) runs only in process: it has no SQL form")
            }
            sqlRules.append(sqlRule)
        }
        self.dialect = dialect
        self.inputs = inputs
        self.rules = sqlRules
    }

    /// The whole script.
    public var text: String {
        "-- LineageKit audit for \(dialect.rawValue): rules \(rules.map(\.id).joined(separator: ", "))\n" + setup
            + findingQuery + ";\n"
    }

    /// Everything before the result queries: settings and the tables.
    private var setup: String {
        dialect.preamble + tableStatements.map { $0.trimmingCharacters(in: .newlines) + ";\n\n" }.joined()
    }

    // MARK: - Reading

    private var d: SQLDialect { dialect }

    /// The statements that read the inputs into `lk_input(j)`, one JSON record text per row.
    private var inputStatements: [String] {
        switch dialect {
        case .duckdb:
            var selects: [String] = []
            let json = inputs.filter { $0.format == .json }.map { d.literal($0.path) }
            if !json.isEmpty {
                selects.append(
                    "SELECT CAST(json AS STRING) AS j FROM read_json_objects([\(json.joined(separator: ", "))], "
                        + "format = 'auto', maximum_object_size = 1073741824)")
            }
            let parquet = inputs.filter { $0.format == .parquet }.map { d.literal($0.path) }
            if !parquet.isEmpty {
                selects.append(
                    "SELECT CAST(to_json(p) AS STRING) AS j FROM read_parquet([\(parquet.joined(separator: ", "))], "
                        + "union_by_name = true) p")
            }
            return [d.createView("lk_input") + selects.joined(separator: "\nUNION ALL\n")]
        case .spark:
            var statements: [String] = []
            var selects: [String] = []
            for (position, input) in inputs.enumerated() {
                let path = d.literal(input.path)
                switch input.format {
                case .parquet:
                    statements.append(
                        "CREATE OR REPLACE TEMPORARY VIEW lk_file_\(position) USING parquet OPTIONS (path \(path))")
                    selects.append("SELECT to_json(struct(*)) AS j FROM lk_file_\(position)")
                case .json where input.path.hasSuffix(".jsonl"):
                    statements.append(
                        "CREATE OR REPLACE TEMPORARY VIEW lk_file_\(position) USING text OPTIONS (path \(path))")
                    selects.append("SELECT value AS j FROM lk_file_\(position) WHERE trim(value) <> ''")
                case .json:
                    // A `.json` file is one value: an array of records or one record.
                    statements.append(
                        "CREATE OR REPLACE TEMPORARY VIEW lk_file_\(position) USING text "
                            + "OPTIONS (path \(path), wholetext 'true')")
                    selects.append(
                        "SELECT explode(CASE WHEN substr(ltrim(value), 1, 1) = '[' THEN from_json(value, 'array<string>') "
                            + "ELSE array(value) END) AS j FROM lk_file_\(position)")
                }
            }
            statements.append(d.createView("lk_input") + selects.joined(separator: "\nUNION ALL\n"))
            return statements
        }
    }

    /// Records: the inputs' objects and the members of list responses (`results`, and `groups`'
    /// `documents`), each with its keys and kind, told apart as ``SnapshotReader`` does:
    /// `document`, `object`, `collection`, `lineage` (a file LineageKit wrote), `envelope` or
    /// `unknown` (anything else, a scalar or `{}` included).
    private var recordStatements: [String] {
        let has = { (key: String) in d.contains("keys", d.literal(key)) }
        let isStep =
            "\(has("feature_extractor_id")) AND "
            + "\(d.size(d.filter("keys", "k", "k NOT IN (\(Self.stepKeys.map(d.literal).joined(separator: ", ")))"))) = 0"
        let hasRecordID = "(\(has("document_id")) OR \(has("object_id")) OR \(has("collection_id")))"
        let kind = """
            CASE WHEN \(d.overlaps("keys", d.array(Self.lineageFileKeys))) THEN 'lineage'
                   WHEN \(has("document_id")) AND NOT (\(isStep)) THEN 'document'
                   WHEN \(has("object_id")) AND \(has("bucket_id")) THEN 'object'
                   WHEN \(has("collection_id")) AND \(d.overlaps("keys", d.array(["source", "feature_extractor", "collection_name"])))
                     AND \(d.string("j", "$.collection_id")) IS NOT NULL THEN 'collection'
                   WHEN NOT \(hasRecordID) AND (\(has("results")) OR \(has("groups"))) THEN 'envelope'
                   ELSE 'unknown' END
            """
        let members = """
            SELECT \(d.explodeJSON(d.json("j", "$.results"))) AS j FROM lk_record WHERE kind = 'envelope' AND \(has("results"))
            UNION ALL
            SELECT \(d.explodeJSON(d.json("g", "$.documents"))) AS j FROM (
              SELECT \(d.explodeJSON(d.json("j", "$.groups"))) AS g FROM lk_record WHERE kind = 'envelope' AND \(has("groups"))
            ) envelope_groups
            """
        // Documents are parsed here, once, and keep only what the audit reads (their text only as
        // user fields, in the current shape): the raw text of every document is not held twice.
        func records(_ source: String) -> String {
            """
            SELECT CASE WHEN kind <> 'document' THEN keys END AS keys, kind, CASE WHEN kind <> 'document' THEN j END AS j, r,
              CASE WHEN r._internal IS NOT NULL THEN j WHEN \(d.isObject("r.metadata")) THEN r.metadata END AS user_fields
            FROM (
              SELECT j, keys, kind, CASE WHEN kind = 'document' THEN \(d.parse("j", as: .document)) END AS r
              FROM (SELECT j, keys, \(kind) AS kind FROM (SELECT j, \(d.keys("j")) AS keys FROM \(source)) keyed) sorted
            ) parsed
            """
        }
        return [
            d.createTable("lk_record") + records("lk_input"),
            "INSERT INTO lk_record\n" + records("(\n" + members + "\n) members"),
        ]
    }

    // MARK: - Normalising

    private static let lineageFileKeys = [
        "lineage_baseline", "lineage_plan", "lineage_snapshot", "lineage_reconciliation", "lineage_batches",
    ]
    private static let stepKeys = ["document_id", "collection_id", "timestamp", "feature_extractor_id"]
    static let facts = [
        "root_object_id", "root_bucket_id", "source_type", "source_object_id", "source_document_id",
        "source_collection_id",
    ]

    /// Documents, one row per id: each record parsed once into what the audit reads (each place's
    /// lineage, the ingestion statuses), and its user fields as JSON text (the record itself in
    /// the current shape, else its `metadata` object).
    private var documentStatement: String {
        let rootFacts = (Self.facts + ["lineage_chain", "lineage_path"]).map { "r.\($0)" }.joined(separator: ", ")
        return d.createTable("lk_doc_raw") + """
            SELECT * FROM (
              SELECT r.document_id, r.collection_id, r.document_schema_version AS schema_version,
                r._internal IS NOT NULL AS has_internal, r._internal.lineage AS internal_lineage,
                r._internal.metadata.ingestion_status AS internal_status, r.lineage AS nested,
                r.internal_metadata.ingestion_status AS legacy_status, \(rootFacts),
                coalesce(r._internal.created_at, r.created_at) AS created_at,
                coalesce(r._internal.batch_id, r._internal.processing.batch_id, r._internal.metadata.batch_id,
                  r.internal_metadata.batch_id) AS batch_id,
                coalesce(r._internal.metadata.feature_extractor_config_hash,
                  r.internal_metadata.feature_extractor_config_hash) AS config_hash,
                user_fields, row_number() OVER (PARTITION BY r.document_id ORDER BY r.collection_id) AS copy
              FROM lk_record WHERE kind = 'document'
            ) documents
            WHERE copy = 1 AND document_id IS NOT NULL AND collection_id IS NOT NULL
            """
    }

    /// One row per place that states lineage, ranked as ``Document/statements`` orders them.
    private var statementStatement: String {
        let nestedFirst = "(schema_version = 'v1' OR schema_version IS NULL)"
        func place(_ rank: String, _ name: String, _ object: String?, where condition: String) -> String {
            let prefix = object.map { $0 + "." } ?? ""
            let facts = Self.facts.map { "\(prefix)\($0) AS \($0)" }.joined(separator: ", ")
            let path = object.map { "coalesce(\($0).lineage_path, \($0).path)" } ?? "lineage_path"
            let chain = object.map { "coalesce(\($0).lineage_chain, \($0).chain)" } ?? "lineage_chain"
            return """
                SELECT document_id, collection_id, \(rank) AS rank, '\(name)' AS place, \(facts),
                  \(path) AS path, \(chain) AS chain
                FROM lk_doc_raw WHERE \(condition)
                """
        }
        let stated = (Self.facts + ["path", "chain"]).map { "\($0) IS NOT NULL" }.joined(separator: " OR ")
        return d.createTable("lk_stmt") + """
            SELECT * FROM (
            \(place("0", "_internal.lineage", "internal_lineage", where: "has_internal"))
            UNION ALL
            \(place("CASE WHEN \(nestedFirst) THEN 1 ELSE 2 END", "lineage", "nested", where: "nested IS NOT NULL"))
            UNION ALL
            \(place("CASE WHEN nested IS NOT NULL AND \(nestedFirst) THEN 2 ELSE 1 END", "root", nil, where: "TRUE"))
            ) places
            WHERE \(stated)
            """
    }

    /// Documents with their resolved lineage, effective source and the source the graph links (never
    /// itself: joins on it stay equality joins, which engines hash).
    private var resolvedStatement: String {
        func first(_ name: String) -> String {
            "min_by(\(name), rank) FILTER (WHERE \(name) IS NOT NULL) AS \(name)"
        }
        let resolved = (Self.facts + ["chain"]).map(first).joined(separator: ",\n    ")
        let distinct = Self.facts.map { "count(DISTINCT \($0)) AS distinct_\($0)" }.joined(separator: ", ")
        let columns = (Self.facts + ["chain"] + Self.facts.map { "distinct_" + $0 }).map { "r." + $0 }
        let previousStep = d.element("chain", "-2")
        return d.createTable("lk_doc") + """
            SELECT *,
              nullif(CASE WHEN source_kind = 'collection'
                     THEN coalesce(source_document_id, CASE WHEN \(d.size("chain")) >= 2 THEN \(previousStep).document_id END)
                   WHEN source_kind = 'bucket' THEN NULL
                   ELSE source_document_id END, document_id) AS parent_document_id,
              CASE WHEN source_kind = 'bucket' OR (source_kind <> 'collection' AND source_document_id IS NULL)
                   THEN coalesce(source_object_id, root_object_id) END AS parent_object_id
            FROM (
              SELECT d.document_id, d.collection_id, d.has_internal AS shape_current,
                coalesce(r.statements, 0) AS statements,
                CASE WHEN d.has_internal THEN 'current' WHEN d.schema_version = 'v2' THEN '2025-10-v2'
                     WHEN d.schema_version = 'v1' OR d.nested IS NOT NULL THEN '2025-10-v1'
                     WHEN r.root_stated = 1 THEN '2025-11' ELSE 'unknown' END AS shape,
                \(columns.joined(separator: ", ")),
                coalesce(d.internal_status, d.legacy_status) AS ingestion_status,
                CASE WHEN d.internal_status IS NOT NULL THEN '_internal.metadata.ingestion_status'
                     ELSE 'internal_metadata.ingestion_status' END AS ingestion_status_path,
                CASE WHEN r.source_type IS NOT NULL THEN r.source_type
                     WHEN r.source_document_id IS NOT NULL OR r.source_collection_id IS NOT NULL THEN 'collection'
                     WHEN r.source_object_id IS NOT NULL OR r.root_object_id IS NOT NULL THEN 'bucket' END AS source_kind
              FROM lk_doc_raw d LEFT JOIN (
                SELECT document_id, count(*) AS statements,
                  max(CASE WHEN place = 'root' THEN 1 ELSE 0 END) AS root_stated,
                  \(resolved),
                  \(distinct)
                FROM lk_stmt GROUP BY document_id
              ) r ON r.document_id = d.document_id
            ) documents
            """
    }

    private var objectStatement: String {
        let metadata = d.json("j", "$.metadata")
        return d.createTable("lk_object") + """
            SELECT object_id, bucket_id, metadata FROM (
              SELECT \(d.string("j", "$.object_id")) AS object_id, \(d.string("j", "$.bucket_id")) AS bucket_id,
                CASE WHEN \(d.isObject(metadata)) THEN \(metadata) END AS metadata,
                row_number() OVER (PARTITION BY \(d.string("j", "$.object_id")) ORDER BY j) AS copy
              FROM lk_record WHERE kind = 'object'
            ) objects
            WHERE copy = 1 AND object_id IS NOT NULL AND bucket_id IS NOT NULL
            """
    }

    private var collectionStatement: String {
        func ids(_ single: String, _ list: String) -> String {
            let one = d.string("j", "$.source.\(single)")
            return d.concatenate(
                "CASE WHEN \(one) IS NOT NULL THEN \(d.arrayOf([one])) ELSE \(d.emptyArray) END",
                d.stringArray(d.json("j", "$.source.\(list)")))
        }
        let extractor = d.json("j", "$.feature_extractor")
        // The first of the lists naming position fields that is not empty (``DuplicateDocumentRule``).
        let lists = ["$.feature_extractor.position_fields", "$.position_fields", "$.unique_key.fields"].map {
            d.stringArray(d.json("j", $0))
        }
        let positionFields =
            "CASE WHEN \(d.size(lists[0])) > 0 THEN \(lists[0]) WHEN \(d.size(lists[1])) > 0 THEN \(lists[1]) "
            + "ELSE \(lists[2]) END"
        return d.createTable("lk_collection") + """
            SELECT collection_id, source_type, source_buckets, source_collections, passthrough, feature_extractor_id,
              lifecycle_state, position_fields, config_hash FROM (
              SELECT \(d.string("j", "$.collection_id")) AS collection_id,
                \(d.string("j", "$.lifecycle_state")) AS lifecycle_state,
                coalesce(\(d.string("j", "$.feature_extractor.feature_extractor_id")),
                  \(d.string("j", "$.feature_extractor.feature_extractor_name")) || '_'
                    || \(d.string("j", "$.feature_extractor.version"))) AS feature_extractor_id,
                \(d.string("j", "$.source.type")) AS source_type,
                \(positionFields) AS position_fields,
                coalesce(\(d.string("j", "$.feature_extractor_config_hash")),
                  \(d.string("j", "$.feature_extractor.config_hash"))) AS config_hash,
                \(ids("bucket_id", "bucket_ids")) AS source_buckets,
                \(ids("collection_id", "collection_ids")) AS source_collections,
                CASE WHEN \(d.isObject(extractor)) THEN coalesce(\(d.passthrough(d.json("j", "$.feature_extractor.field_passthrough"))), \(d.emptyPassthrough)) END
                  AS passthrough,
                row_number() OVER (PARTITION BY \(d.string("j", "$.collection_id")) ORDER BY j) AS copy
              FROM lk_record WHERE kind = 'collection'
            ) collections
            WHERE copy = 1
            """
    }

    /// The files LineageKit wrote among the inputs (a reconciliation, a snapshot manifest, whose
    /// `buckets_checked` become `lk_checked_bucket`), and what the summary counts of the records,
    /// kept so that the records themselves can be dropped.
    private var recordLeftoverStatements: [String] {
        let checked = d.stringArray(d.json("j", "$." + Snapshot.checkedBucketsKey))
        return [
            d.createTable("lk_lineage_file") + "SELECT j FROM lk_record WHERE kind = 'lineage'",
            d.createTable("lk_checked_bucket") + """
                SELECT DISTINCT bucket_id FROM (
                  SELECT \(d.explode(checked)) AS bucket_id FROM lk_lineage_file
                  WHERE \(d.json("j", "$." + Snapshot.manifestKey)) IS NOT NULL
                ) listed
                """,
            d.createTable("lk_record_count") + """
                SELECT count(CASE WHEN kind = 'unknown' THEN 1 END) AS unknown_records,
                  count(CASE WHEN kind = 'document' AND (r.document_id IS NULL OR r.collection_id IS NULL) THEN 1 END)
                    AS documents_without_ids
                FROM lk_record
                """,
            d.dropTable("lk_record"),
        ]
    }

    // MARK: - The graph

    private var linkStatement: String {
        d.createTable("lk_link") + """
            SELECT d.document_id, d.collection_id, d.parent_document_id,
              p.document_id IS NOT NULL AS parent_exists,
              p.collection_id AS parent_collection_id, p.root_object_id AS parent_root_object_id,
              p.chain AS parent_chain
            FROM lk_doc d LEFT JOIN lk_doc p ON p.document_id = d.parent_document_id
            """
    }

    private var ghostStatement: String {
        d.createTable("lk_ghost_document") + """
            SELECT l.parent_document_id AS document_id, max(d.source_collection_id) AS collection_id
            FROM lk_link l JOIN lk_doc d ON d.document_id = l.document_id
            WHERE l.parent_document_id IS NOT NULL AND NOT l.parent_exists
            GROUP BY l.parent_document_id
            """
    }

    private var tableStatements: [String] {
        inputStatements + recordStatements + [documentStatement, objectStatement, collectionStatement]
            + recordLeftoverStatements + [statementStatement, resolvedStatement, linkStatement, ghostStatement]
            + rules.flatMap { $0.sqlTables(dialect) }
    }

    // MARK: - Running in an engine

    /// The script an engine runner executes: the same tables, then result rows of one column,
    /// each a JSON object as text: first the summary (``EngineSummary``), then one per finding.
    /// Every engine prints such rows one per line, whatever its output format.
    public var engineText: String {
        var script = setup
        let summary = d.object([
            ("lineage_summary", "1"),
            ("documents", "(SELECT count(*) FROM lk_doc)"),
            ("objects", "(SELECT count(*) FROM lk_object)"),
            (
                "collections",
                "(SELECT count(*) FROM (SELECT collection_id FROM lk_doc UNION SELECT collection_id FROM lk_collection) c)"
            ),
            ("unknown_records", "(SELECT max(unknown_records) FROM lk_record_count)"),
            ("documents_without_ids", "(SELECT max(documents_without_ids) FROM lk_record_count)"),
        ])
        script += "SELECT \(summary) AS line;\n"
        let finding = d.object([
            ("rule", "rule"), ("severity", "severity"), ("document_id", "document_id"),
            ("collection_id", "collection_id"), ("message", "message"), ("evidence", d.embedJSON("evidence")),
        ])
        script += "SELECT \(finding) AS line FROM (\n\(findingQuery)\n) ordered;\n"
        return script
    }

    /// What the engine read, from the first row of ``engineText``'s results.
    public struct EngineSummary: Sendable, Hashable {
        /// Documents read, each id once.
        public var documents = 0
        /// Bucket objects read, each id once.
        public var objects = 0
        /// Collections with documents or a configuration.
        public var collections = 0
        /// Records of no kind LineageKit knows (the in-process reader refuses them).
        public var unknownRecords = 0
        /// Documents without `document_id` or `collection_id` (the in-process reader refuses them).
        public var documentsWithoutIDs = 0
    }

    /// Reads an engine's output of ``engineText``: lines that are JSON objects (anything else,
    /// such as an engine's own chatter, is ignored).
    ///
    /// - Throws: ``LineageKitError`` (`malformedJSON`) naming the line when a result row is not
    ///   what the script writes, or when the summary row is missing (the script did not run to
    ///   its end).
    public func results(fromEngineOutput output: [UInt8]) throws -> (summary: EngineSummary, findings: [Finding]) {
        var summary: EngineSummary?
        var findings: [Finding] = []
        var lineNumber = 0
        for line in output.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.first == UInt8(ascii: "{") else { continue }
            func fail(_ what: String) -> LineageKitError {
                LineageKitError(
                    code: .malformedJSON,
                    message: "the \(dialect.rawValue) engine's output, line \(lineNumber): \(what)")
            }
            let row: JSONObject
            do {
                guard let object = try JSONValue(parsing: Array(line), name: "engine output").objectValue else {
                    throw fail("not a JSON object")
                }
                row = object
            } catch let error as LineageKitError where error.code == .malformedJSON {
                throw fail(error.message)
            }
            if row["lineage_summary"] != nil {
                func count(_ key: String) -> Int { row[key]?.intValue ?? 0 }
                summary = EngineSummary(
                    documents: count("documents"), objects: count("objects"), collections: count("collections"),
                    unknownRecords: count("unknown_records"), documentsWithoutIDs: count("documents_without_ids"))
                continue
            }
            guard let rule = row["rule"]?.stringValue, let severityName = row["severity"]?.stringValue,
                let severity = Severity(rawValue: severityName), let message = row["message"]?.stringValue
            else { throw fail("a finding without rule, severity or message") }
            var evidence = JSONObject()
            switch row["evidence"] {
            case .object(let object)?: evidence = object
            case .string(let text)?:
                evidence = (try? JSONValue(parsing: Array(text.utf8), name: "evidence"))?.objectValue ?? JSONObject()
            default: break
            }
            findings.append(
                Finding(
                    rule: rule, severity: severity, documentID: row["document_id"]?.stringValue,
                    collectionID: row["collection_id"]?.stringValue, message: message, evidence: evidence))
        }
        guard let summary else {
            throw LineageKitError(
                code: .malformedJSON,
                message: "the \(dialect.rawValue) engine's output has no summary row: the script did not run to its end"
            )
        }
        findings.sort(by: Finding.ordered)
        return (summary, findings)
    }

    // MARK: - Findings

    private var findingQuery: String {
        let parts = rules.map { rule in
            "SELECT \(d.literal(rule.id)) AS rule, \(d.literal(rule.severity.rawValue)) AS severity, "
                + "document_id, collection_id, message, evidence FROM (\n\(rule.sql(dialect))\n) \(Self.alias(rule.id))"
        }
        guard !parts.isEmpty else {
            return
                "SELECT CAST(NULL AS STRING) AS rule, CAST(NULL AS STRING) AS severity, CAST(NULL AS STRING) AS document_id, "
                + "CAST(NULL AS STRING) AS collection_id, CAST(NULL AS STRING) AS message, "
                + "CAST(NULL AS STRING) AS evidence WHERE FALSE"
        }
        return "SELECT * FROM (\n" + parts.joined(separator: "\nUNION ALL\n")
            + "\n) findings\nORDER BY rule, collection_id, document_id"
    }

    /// The user field `name` (SQL yielding the name) of a document whose user fields are the JSON
    /// `fields` (the root in the current shape, `current`; else `metadata`), as
    /// ``Document/userField(_:)`` reads it: the key whole, else a dotted path; system root fields
    /// are not user fields.
    static func userField(_ dialect: SQLDialect, fields: String, current: String, name: String) -> String {
        let system = Document.systemRootFieldNames.sorted().map(dialect.literal).joined(separator: ", ")
        return "CASE WHEN \(current) AND split_part(\(name), '.', 1) IN (\(system)) THEN NULL ELSE "
            + member(dialect, of: fields, name: name) + " END"
    }

    /// The member `name` (SQL yielding the name) of the JSON object `json`, as
    /// `JSONObject.value(atPath:)` reads it: the key whole, else a dotted path.
    static func member(_ dialect: SQLDialect, of json: String, name: String) -> String {
        "coalesce(\(dialect.json(json, pathExpression: dialect.memberPath(name, dotted: false))), "
            + "\(dialect.json(json, pathExpression: dialect.memberPath(name, dotted: true))))"
    }

    /// A table alias made from a rule id.
    private static func alias(_ id: String) -> String {
        "rule_" + String(id.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}

extension AuditScript.Input {
    /// The inputs a command-line argument stands for: a directory's `.json`, `.jsonl` and
    /// `.parquet` files (as the in-process reader takes a directory), else the path or glob itself,
    /// which the engine expands.
    public static func expanding(_ argument: String) throws -> [AuditScript.Input] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue
        else { return [AuditScript.Input(path: argument)] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
        let parquet = names.filter { $0.hasSuffix(".parquet") && !$0.hasPrefix(".") }.sorted()
        let json =
            parquet.isEmpty ? try SnapshotReader.files(at: argument) : (try? SnapshotReader.files(at: argument)) ?? []
        return json.map { AuditScript.Input(path: $0) }
            + parquet.map { AuditScript.Input(path: (argument as NSString).appendingPathComponent($0)) }
    }
}
