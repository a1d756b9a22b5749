import Foundation

/// The SQL engine an audit script is written for.
///
/// The rules' SQL is written once, over the few constructs the two engines spell differently:
/// reading JSON, arrays and their lambdas, timestamps and materialised tables. Everything else
/// is SQL both engines share.
public enum SQLDialect: String, Sendable, Hashable, CaseIterable {
    /// DuckDB (1.1 or newer), through its CLI `duckdb`.
    case duckdb
    /// Spark SQL (3.4 or newer), through `spark-sql`.
    case spark

    // MARK: - Tables

    /// Starts a statement that names the query that follows without materialising it.
    func createView(_ name: String) -> String {
        switch self {
        case .duckdb: "CREATE OR REPLACE TEMP VIEW \(name) AS\n"
        case .spark: "CREATE OR REPLACE TEMPORARY VIEW \(name) AS\n"
        }
    }

    /// A statement dropping the table `name`, to give its memory back once read.
    func dropTable(_ name: String) -> String {
        "DROP TABLE IF EXISTS \(name)"
    }

    /// Starts a statement that materialises `name` from the query that follows.
    ///
    /// Spark writes a table (Parquet, in the session's warehouse) rather than caching a view: a
    /// cached view keeps its whole plan, and the cycle search joins each step with itself, so the
    /// plans Spark analyses would double with every step.
    func createTable(_ name: String) -> String {
        switch self {
        case .duckdb: "CREATE OR REPLACE TEMP TABLE \(name) AS\n"
        case .spark: "DROP TABLE IF EXISTS \(name);\nCREATE TABLE \(name) USING parquet AS\n"
        }
    }

    /// Statements run before anything else: timestamps without an offset are UTC, as in LineageKit.
    var preamble: String {
        switch self {
        case .duckdb: "SET TimeZone = 'UTC';\n"
        case .spark: "SET spark.sql.session.timeZone = UTC;\nSET spark.sql.ansi.enabled = false;\n"
        }
    }

    // MARK: - JSON

    /// The JSON text `json` parsed once into `type` (members absent or of another type are NULL).
    func parse(_ json: String, as type: SQLType) -> String {
        "from_json(\(json), \(literal(type.text(in: self))))"
    }

    /// The JSON text `json` holds at `path` (`$.a.b`), SQL NULL when absent.
    func json(_ json: String, _ path: String) -> String {
        switch self {
        case .duckdb: "json_extract(\(json), \(literal(path)))"
        case .spark: "get_json_object(\(json), \(literal(path)))"
        }
    }

    /// The string `json` holds at `path`, SQL NULL when absent or null.
    func string(_ json: String, _ path: String) -> String {
        switch self {
        case .duckdb: "json_extract_string(\(json), \(literal(path)))"
        case .spark: "get_json_object(\(json), \(literal(path)))"
        }
    }

    /// The JSON text at a path computed per row (`pathExpression` is SQL yielding `$.…`).
    func json(_ json: String, pathExpression: String) -> String {
        switch self {
        case .duckdb: "json_extract(\(json), \(pathExpression))"
        case .spark: "get_json_object(\(json), \(pathExpression))"
        }
    }

    /// Whether the JSON text `json` is an object (false for SQL NULL).
    func isObject(_ json: String) -> String {
        switch self {
        case .duckdb: "coalesce(json_type(\(json)) = 'OBJECT', FALSE)"
        case .spark: "coalesce(substr(\(json), 1, 1) = '{', FALSE)"
        }
    }

    /// The keys of the JSON object `json`, as an array of strings.
    func keys(_ json: String) -> String {
        switch self {
        case .duckdb: "json_keys(\(json))"
        case .spark: "json_object_keys(\(json))"
        }
    }

    /// An array of strings parsed from the JSON array text `json` (an empty array for SQL NULL).
    func stringArray(_ json: String) -> String {
        "coalesce(\(parse(json, as: .array(.string))), \(emptyArray))"
    }

    /// `field_passthrough` entries parsed from the JSON array text `json`.
    func passthrough(_ json: String) -> String {
        parse(json, as: .array(.object([("source_path", .string), ("target_path", .string)])))
    }

    /// A JSON object text built from `members` (key, SQL expression); values are strings, numbers
    /// or the text of JSON values marked with `json:`.
    func object(_ members: [(key: String, value: String)]) -> String {
        switch self {
        case .duckdb:
            "CAST(json_object(" + members.map { "\(literal($0.key)), \($0.value)" }.joined(separator: ", ")
                + ") AS VARCHAR)"
        case .spark:
            "to_json(named_struct(" + members.map { "\(literal($0.key)), \($0.value)" }.joined(separator: ", ")
                + "))"
        }
    }

    /// A JSON value given as JSON text, for ``object(_:)`` (DuckDB embeds it; Spark, which has no
    /// JSON type, embeds it as a string).
    func embedJSON(_ text: String) -> String {
        switch self {
        case .duckdb: "CAST(\(text) AS JSON)"
        case .spark: text
        }
    }

    // MARK: - Arrays

    /// One row per element of `array` (in a select list).
    func explode(_ array: String) -> String {
        switch self {
        case .duckdb: "unnest(\(array))"
        case .spark: "explode(\(array))"
        }
    }

    /// One row per element of the JSON array text `json`, each as JSON text (in a select list).
    func explodeJSON(_ json: String) -> String {
        switch self {
        case .duckdb: "CAST(unnest(from_json(\(json), '[\"JSON\"]')) AS VARCHAR)"
        case .spark: "explode(from_json(\(json), 'array<string>'))"
        }
    }

    /// The number of elements of `array` (NULL for NULL).
    func size(_ array: String) -> String {
        switch self {
        case .duckdb: "len(\(array))"
        case .spark: "size(\(array))"
        }
    }

    /// The element of `array` at 1-based `index`; negative counts from the end (-1: the last).
    func element(_ array: String, _ index: String) -> String {
        switch self {
        case .duckdb: "list_extract(\(array), \(index))"
        case .spark: "element_at(\(array), \(index))"
        }
    }

    /// The elements of `array` from 1-based `start`, `length` of them.
    func slice(_ array: String, from start: String, length: String) -> String {
        switch self {
        case .duckdb: "list_slice(\(array), \(start), \(start) + \(length) - 1)"
        case .spark: "slice(\(array), \(start), \(length))"
        }
    }

    /// Whether `array` holds `value`.
    func contains(_ array: String, _ value: String) -> String {
        switch self {
        case .duckdb: "list_contains(\(array), \(value))"
        case .spark: "array_contains(\(array), \(value))"
        }
    }

    /// An array literal of strings.
    func array(_ strings: [String]) -> String {
        arrayOf(strings.map(literal))
    }

    /// An array of the values of SQL expressions.
    func arrayOf(_ items: [String]) -> String {
        switch self {
        case .duckdb: "[\(items.joined(separator: ", "))]"
        case .spark: "array(\(items.joined(separator: ", ")))"
        }
    }

    /// The elements of `array`, then those of `other`.
    func concatenate(_ array: String, _ other: String) -> String {
        switch self {
        case .duckdb: "list_concat(\(array), \(other))"
        case .spark: "concat(\(array), \(other))"
        }
    }

    /// Whether `array` and `other` share an element.
    func overlaps(_ array: String, _ other: String) -> String {
        switch self {
        case .duckdb: "list_has_any(\(array), \(other))"
        case .spark: "arrays_overlap(\(array), \(other))"
        }
    }

    /// The elements of `array` for which `body` (over `variable`) holds.
    func filter(_ array: String, _ variable: String, _ body: String) -> String {
        switch self {
        case .duckdb: "list_filter(\(array), lambda \(variable): \(body))"
        case .spark: "filter(\(array), \(variable) -> \(body))"
        }
    }

    /// `body` (over `variable`) applied to each element of `array`.
    func transform(_ array: String, _ variable: String, _ body: String) -> String {
        switch self {
        case .duckdb: "list_transform(\(array), lambda \(variable): \(body))"
        case .spark: "transform(\(array), \(variable) -> \(body))"
        }
    }

    /// `array` sorted ascending.
    func sort(_ array: String) -> String {
        switch self {
        case .duckdb: "list_sort(\(array))"
        case .spark: "array_sort(\(array))"
        }
    }

    /// The strings of `array` joined with `separator`.
    func join(_ array: String, _ separator: String) -> String {
        switch self {
        case .duckdb: "array_to_string(\(array), \(literal(separator)))"
        case .spark: "array_join(\(array), \(literal(separator)))"
        }
    }

    /// The integers from `start` to `end`, both included (empty when `end` < `start`).
    func range(_ start: String, through end: String) -> String {
        switch self {
        case .duckdb: "range(\(start), \(end) + 1)"
        case .spark: "CASE WHEN \(end) >= \(start) THEN sequence(\(start), \(end)) ELSE array() END"
        }
    }

    /// An empty array of `field_passthrough` entries.
    var emptyPassthrough: String {
        let type = SQLType.array(.object([("source_path", .string), ("target_path", .string)]))
        switch self {
        case .duckdb: return "CAST([] AS STRUCT(source_path VARCHAR, target_path VARCHAR)[])"
        case .spark: return "CAST(array() AS \(type.text(in: self)))"
        }
    }

    /// An empty array of strings.
    var emptyArray: String {
        switch self {
        case .duckdb: "CAST([] AS VARCHAR[])"
        case .spark: "CAST(array() AS array<string>)"
        }
    }

    // MARK: - Values

    /// Seconds since 1970 of an ISO-8601 timestamp as LineageKit reads them
    /// (`2025-10-31T10:00:00Z`, optional fraction and offset, UTC without one), else NULL.
    func isoSeconds(_ text: String) -> String {
        let pattern = #"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d*)?([Zz]|[+-]\d{2}(:?\d{2})?)?$"#
        switch self {
        case .duckdb:
            return
                "CASE WHEN regexp_matches(\(text), \(literal(pattern))) "
                + "THEN epoch(try_cast(\(text) AS TIMESTAMPTZ)) END"
        case .spark:
            return
                "CASE WHEN \(text) RLIKE \(literal(pattern)) "
                + "THEN unix_micros(CAST(\(text) AS TIMESTAMP)) / 1000000.0 END"
        }
    }

    /// A string literal: quotes doubled for DuckDB; for Spark, which reads backslash escapes in
    /// literals (and `''` as two adjacent literals), backslashes and quotes escaped.
    func literal(_ text: String) -> String {
        switch self {
        case .duckdb:
            return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        case .spark:
            let escaped = text.replacingOccurrences(of: #"\"#, with: #"\\"#)
                .replacingOccurrences(of: "'", with: #"\'"#)
            return "'" + escaped + "'"
        }
    }

    /// A JSONPath (`$…`) to the member `field` (SQL yielding the name) of an object: the key
    /// whole, or (`dotted`) each dot-separated part in turn, as `JSONObject.value(atPath:)` reads.
    func memberPath(_ field: String, dotted: Bool) -> String {
        switch (self, dotted) {
        case (.duckdb, false): #"'$."' || \#(field) || '"'"#
        case (.duckdb, true): #"'$."' || replace(\#(field), '.', '"."') || '"'"#
        case (.spark, false): #"'$[\'' || \#(field) || '\']'"#
        case (.spark, true): #"'$[\'' || replace(\#(field), '.', '\'][\'') || '\']'"#
        }
    }
}

/// The shape of JSON an engine parses into columns: `from_json`'s schema in either dialect.
indirect enum SQLType: Sendable {
    case string
    /// A JSON value kept as its text.
    case json
    case array(SQLType)
    case object([(String, SQLType)])

    /// The schema text: DuckDB's JSON structure (`{"a":"VARCHAR"}`), or Spark's DDL
    /// (`struct<`a`:string>`).
    func text(in dialect: SQLDialect) -> String {
        switch (self, dialect) {
        case (.string, .duckdb): "\"VARCHAR\""
        case (.json, .duckdb): "\"JSON\""
        case (.array(let element), .duckdb): "[" + element.text(in: dialect) + "]"
        case (.object(let members), .duckdb):
            "{" + members.map { "\"\($0.0)\":" + $0.1.text(in: dialect) }.joined(separator: ",") + "}"
        case (.string, .spark), (.json, .spark): "string"
        case (.array(let element), .spark): "array<" + element.text(in: dialect) + ">"
        case (.object(let members), .spark):
            "struct<" + members.map { "`\($0.0)`:" + $0.1.text(in: dialect) }.joined(separator: ",") + ">"
        }
    }

    /// A chain step as documents state it.
    static let step = SQLType.object([
        ("collection_id", .string), ("feature_extractor_id", .string), ("document_id", .string), ("timestamp", .string),
    ])

    /// The lineage facts one place states: `_internal.lineage`, the nested `lineage` or the root.
    static let lineageFields: [(String, SQLType)] =
        AuditScript.facts.map { ($0, SQLType.string) } + [
            ("lineage_chain", .array(step)), ("lineage_path", .string),
        ]

    /// What a document record holds that the audit reads.
    static let document = SQLType.object(
        [
            ("document_id", .string), ("collection_id", .string), ("document_schema_version", .string),
            (
                "_internal",
                .object([
                    ("lineage", .object(lineageFields + [("chain", .array(step)), ("path", .string)])),
                    (
                        "metadata",
                        .object([
                            ("ingestion_status", .string), ("batch_id", .string),
                            ("feature_extractor_config_hash", .string),
                        ])
                    ),
                    ("created_at", .string), ("batch_id", .string), ("processing", .object([("batch_id", .string)])),
                ])
            ),
            ("lineage", .object(lineageFields + [("chain", .array(step)), ("path", .string)])),
            (
                "internal_metadata",
                .object([
                    ("ingestion_status", .string), ("batch_id", .string), ("feature_extractor_config_hash", .string),
                ])
            ), ("metadata", .json),
            ("created_at", .string),
        ] + lineageFields)
}
