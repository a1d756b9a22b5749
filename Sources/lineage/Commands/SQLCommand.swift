import ArgumentParser
import LineageKit

/// `lineage sql`: prints the audit as one SQL script for DuckDB or Spark.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the audit rules as one SQL script that DuckDB or Spark runs over the raw files.",
        discussion: """
            The script reads the files itself (JSON Lines, JSON arrays, list responses; Parquet as Mixpeek's \
            collection export writes it), normalises every document shape, and returns one row per finding: \
            rule, severity, document_id, collection_id, message, evidence (JSON text). Records are told apart \
            by their keys, as in `lineage audit`, so --documents, --objects and --collections only name files; \
            globs are left to the engine. A directory stands for its .json, .jsonl and .parquet files.

            Examples:
              lineage sql --documents 'snap/*.jsonl' --collections snap/collections.json
              lineage sql --dialect duckdb snapshot/ | duckdb -json
              lineage sql --dialect spark --documents 's3://bucket/export/*.parquet'
            """
    )

    @Argument(help: ArgumentHelp("Files, directories or globs to read.", valueName: "input"))
    var inputs: [String] = []

    @Option(help: "The engine the script is for.")
    var dialect: SQLDialect = .duckdb

    @Option(help: ArgumentHelp("Documents: a file, directory or glob (repeatable).", valueName: "path-or-glob"))
    var documents: [String] = []

    @Option(help: ArgumentHelp("Bucket objects: a file, directory or glob (repeatable).", valueName: "path-or-glob"))
    var objects: [String] = []

    @Option(
        help: ArgumentHelp(
            "Collection configurations: a file, directory or glob (repeatable).", valueName: "path-or-glob"))
    var collections: [String] = []

    @OptionGroup var selection: RuleOptions

    func validate() throws {
        if inputs.isEmpty && documents.isEmpty {
            throw ValidationError("Give the documents to read: --documents PATH_OR_GLOB, or input paths.")
        }
    }

    func run() throws {
        let auditor = try selection.auditor()
        let paths = inputs + documents + objects + collections
        let script = try AuditScript(
            dialect: dialect, inputs: try paths.flatMap(AuditScript.Input.expanding), rules: auditor.rules)
        StandardOutput.write(script.text)
    }
}

extension SQLDialect: ExpressibleByArgument {}
