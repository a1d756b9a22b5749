import Foundation
import LineageKit
import LineageSample
import LineageTestSupport
import Testing

/// The audit run by DuckDB's own CLI (`--engine duckdb`, the SQL of `lineage sql`) against the
/// in-process audit: the same findings, rule by rule, on every corpus shape.
/// Where DuckDB's CLI is: on PATH, else in the `.venv` scripts/python-env makes.
enum DuckDBCLI {
    /// The directory holding `duckdb`, when there is one.
    static let directory: String? = ExecutableSearch.find(["duckdb"], alsoIn: [Fixtures.repositoryRoot + "/.venv/bin"])
        .map { ($0 as NSString).deletingLastPathComponent }
}

@Suite("SQL engines", .enabled(if: DuckDBCLI.directory != nil, "duckdb is not on PATH nor in .venv"))
struct SQLEngineTests {
    var environment: [String: String] {
        ["PATH": (DuckDBCLI.directory ?? "") + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
    }

    /// The findings of `audit` (in-process or in an engine) as (rule, document, collection) keys
    /// with their counts, and the summary's counts.
    func audit(_ inputs: [String], engine: String?) throws -> (findings: [String: Int], summary: [String: Int]) {
        var arguments = ["audit"] + inputs + ["--format", "json", "--fail-on", "never"]
        if let engine { arguments += ["--engine", engine] }
        let result = try CommandRunner.run(arguments, environment: environment)
        #expect(result.status == 0, "\(arguments): \(result.standardError)")
        let report = try JSONValue(parsing: Array(result.standardOutput.utf8), name: "audit")
        var findings: [String: Int] = [:]
        for finding in report["findings"]?.arrayValue ?? [] {
            let key = [
                finding["rule"]?.stringValue ?? "?", finding["document_id"]?.stringValue ?? "-",
                finding["collection_id"]?.stringValue ?? "-",
            ].joined(separator: " ")
            findings[key, default: 0] += 1
        }
        var summary: [String: Int] = [:]
        for key in ["documents", "objects", "collections"] {
            summary[key] = report["summary"]?[key]?.intValue
        }
        return (findings, summary)
    }

    /// Checks that DuckDB finds exactly what the in-process audit finds; returns the rules seen.
    func expectSameFindings(_ inputs: [String], _ name: String) throws -> Set<String> {
        let inProcess = try audit(inputs, engine: nil)
        let engine = try audit(inputs, engine: "duckdb")
        let rules = Set(inProcess.findings.keys.map { String($0.split(separator: " ")[0]) })
        for rule in rules.union(engine.findings.keys.map { String($0.split(separator: " ")[0]) }).sorted() {
            let expected = inProcess.findings.filter { $0.key.hasPrefix(rule + " ") }
            let actual = engine.findings.filter { $0.key.hasPrefix(rule + " ") }
            #expect(
                actual == expected,
                "\(name), \(rule): in-process \(expected.keys.sorted()), duckdb \(actual.keys.sorted())")
        }
        #expect(engine.summary == inProcess.summary, "\(name): \(engine.summary) vs \(inProcess.summary)")
        return rules
    }

    @Test("on the defect corpora of every shape and style, DuckDB finds exactly the in-process findings, rule by rule")
    func defectCorpora() throws {
        let work = try TemporaryDirectory()
        var seen: Set<String> = []
        for style in ["compact", "vendor"] {
            for shape in ["current", "2025-10", "2025-11", "mixed"] {
                let corpus = work.file("\(style)-\(shape)")
                let made = try CommandRunner.run([
                    "sample", "-o", corpus, "--videos", "5", "--articles", "4", "--defects", "2", "--shape", shape,
                    "--style", style,
                ])
                #expect(made.status == 0, "\(made.standardError)")
                seen.formUnion(try expectSameFindings([corpus], "\(style) \(shape)"))
            }
        }
        #expect(
            seen == Set(SampleDefect.allCases.map(\.rule)),
            "every injected defect's rule was compared: \(seen.sorted())")
    }

    @Test("DuckDB agrees on partial inputs, a reconciliation, duplicates and the vendor examples")
    func partialInputs() throws {
        let work = try TemporaryDirectory()
        let corpus = work.file("corpus")
        let made = try CommandRunner.run(["sample", "-o", corpus, "--videos", "5", "--articles", "4", "--defects", "1"])
        #expect(made.status == 0, "\(made.standardError)")
        let documents = try String(contentsOfFile: corpus + "/documents.jsonl", encoding: .utf8)
        let objects = try String(contentsOfFile: corpus + "/objects.jsonl", encoding: .utf8)
        let collections = try String(contentsOfFile: corpus + "/collections.json", encoding: .utf8)
        var seen: Set<String> = []
        func variant(_ name: String, _ files: [String: String]) throws {
            let directory = work.file(name)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (file, text) in files {
                try text.write(toFile: directory + "/" + file, atomically: true, encoding: .utf8)
            }
            seen.formUnion(try expectSameFindings([directory], name))
        }
        try variant("without-objects", ["documents.jsonl": documents, "collections.json": collections])
        try variant("without-configurations", ["documents.jsonl": documents, "objects.jsonl": objects])
        // The captions of one video are gone: coverage.partial.
        let lines = documents.split(separator: "\n")
        let firstCaption = try #require(lines.first { $0.contains("\"col_captions\"") })
        let root = try #require(
            try JSONValue(parsing: Array(firstCaption.utf8), name: "caption")["_internal"]?["lineage"]?[
                "root_object_id"]?.stringValue)
        let trimmed = lines.filter { !($0.contains("\"col_captions\"") && $0.contains(root)) }
        try variant(
            "without-some-captions",
            [
                "documents.jsonl": trimmed.joined(separator: "\n") + "\n", "objects.jsonl": objects,
                "collections.json": collections,
            ])
        // Identical repeats are read once.
        try variant(
            "duplicates",
            [
                "documents.jsonl": documents + lines.prefix(20).joined(separator: "\n") + "\n",
                "objects.jsonl": objects,
                "collections.json": collections,
            ])
        // What `fetch --reconciliation` stores: coverage.missing, cross-checked with the snapshot.
        let firstObject = try #require(
            try JSONValue(parsing: Array(objects.split(separator: "\n")[0].utf8), name: "object")["object_id"]?
                .stringValue)
        let reconciliation = """
            {"lineage_reconciliation": 1, "fetched_at": "2026-12-01T00:00:00Z", "collections": [
              {"collection_id": "col_frames", "source_object_count": 9, "produced_object_count": 7, "discrepancies": [
                {"object_id": "obj_never", "bucket_id": "bkt_videos", "reason": "failed", "status": "FAILED"},
                {"object_id": "\(firstObject)", "reason": "no_document"}]}]}
            """
        try variant(
            "reconciliation",
            [
                "documents.jsonl": documents, "objects.jsonl": objects, "collections.json": collections,
                "reconciliation.json": reconciliation,
            ])
        // Batches: a stated batch id, an object two batches list, a failure made good later, one not,
        // and duplicates without position fields (identical user fields, or not).
        func chunk(_ id: String, root: String, created: String, batch: String? = nil, score: Int = 1) -> String {
            let processing = batch.map { #","processing":{"batch_id":"\#($0)"}"# } ?? ""
            return #"{"document_id":"\#(id)","collection_id":"col_notes","_internal":{"created_at":"\#(created)""#
                + processing + #","lineage":{"root_object_id":"\#(root)","root_bucket_id":"bkt_n","#
                + #""source_type":"bucket","source_object_id":"\#(root)"}},"score":\#(score)}"#
        }
        let batches = #"""
            {"lineage_batches": 1, "batches": [
              {"batch_id": "btch_1", "bucket_id": "bkt_n", "object_ids": ["obj_a", "obj_s"],
               "tier_tasks": [{"tier_num": 0, "collection_ids": ["col_notes"], "documents_written": 9}],
               "failed_documents": [{"object_id": "obj_a", "collection_id": "col_notes", "timestamp": "2025-11-01T00:00:00Z"},
                                    {"object_id": "obj_gone", "collection_id": "col_notes", "error": "timeout"}],
               "failed_objects": [{"object_id": "obj_gone", "error": "timeout"}, {"object_id": "obj_late"}]},
              {"batch_id": "btch_2", "bucket_id": "bkt_n", "object_ids": ["obj_s"],
               "tier_tasks": [{"tier_num": 0, "collection_ids": ["col_notes", "col_other"], "documents_written": 1}]}]}
            """#
        try variant(
            "batches",
            [
                "documents.jsonl": [
                    chunk("doc_1", root: "obj_a", created: "2025-11-02T00:00:00Z"),
                    chunk("doc_2", root: "obj_a", created: "2025-11-03T00:00:00Z"),
                    chunk("doc_3", root: "obj_s", created: "2025-11-02T00:00:00Z", batch: "btch_2", score: 2),
                    chunk("doc_4", root: "obj_s", created: "2025-10-02T00:00:00Z", score: 3),
                    chunk("doc_5", root: "obj_late", created: "2025-10-02T00:00:00Z", score: 4),
                ].joined(separator: "\n") + "\n",
                "batches.json": batches,
            ])
        // Configuration hashes: the newest document's decides; another version of the extractor.
        func face(_ id: String, extractor: String, hash: String, created: String?) -> String {
            let createdAt = created.map { #","created_at":"\#($0)""# } ?? ""
            return #"{"document_id":"\#(id)","collection_id":"col_faces","_internal":{"lineage":{"#
                + #""root_object_id":"obj_1","chain":[{"collection_id":"col_faces","feature_extractor_id":"\#(extractor)"}]},"#
                + #""metadata":{"feature_extractor_config_hash":"\#(hash)"}\#(createdAt)},"n":"\#(id)"}"#
        }
        try variant(
            "configuration-hashes",
            [
                "documents.jsonl": [
                    face("doc_a", extractor: "face_v2", hash: "h1", created: "2025-01-01T00:00:00Z"),
                    face("doc_b", extractor: "face_v2", hash: "h2", created: "2025-06-01T00:00:00Z"),
                    face("doc_c", extractor: "face_v1", hash: "h1", created: nil),
                    face("doc_d", extractor: "face_v1", hash: "h2", created: "2025-06-01T00:00:00Z"),
                ].joined(separator: "\n") + "\n",
                "collections.json":
                    #"[{"collection_id":"col_faces","feature_extractor":{"feature_extractor_name":"face","version":"v2"}}]"#,
            ])
        #expect(
            seen.isSuperset(of: [
                "stale.extractor", "reference.unchecked", "coverage.partial", "coverage.missing", "drift.metadata",
                "batch.unreconciled",
                "duplicate.document",
            ]),
            "\(seen.sorted())")
        seen.formUnion(try expectSameFindings([Fixtures.repositoryRoot + "/examples/data"], "examples/data"))
        for name in [
            "2025-10_document_tier2_nested_lineage", "2025-11_document_tier2_flat",
            "2026-02_document_tier2_collection_internal", "2026-02_list_documents_response_flat",
            "2026-02_list_documents_response_grouped",
        ] {
            _ = try expectSameFindings([Fixtures.repositoryRoot + "/Tests/Fixtures/vendor/\(name).json"], name)
        }
    }

    @Test("documents in Parquet, as a collection export writes them, give the findings their JSON Lines give")
    func parquet() throws {
        let work = try TemporaryDirectory()
        for style in ["compact", "vendor"] {
            let corpus = work.file(style)
            let made = try CommandRunner.run([
                "sample", "-o", corpus, "--videos", "4", "--articles", "3", "--defects", "1", "--style", style,
            ])
            #expect(made.status == 0, "\(made.standardError)")
            let parquet = work.file("\(style)-parquet")
            try FileManager.default.createDirectory(atPath: parquet, withIntermediateDirectories: true)
            for name in ["objects.jsonl", "collections.json", "snapshot.json", "batches.json"] {
                try FileManager.default.copyItem(atPath: corpus + "/" + name, toPath: parquet + "/" + name)
            }
            let converted = try CommandRunner.run(
                [
                    "-c",
                    "COPY (SELECT * FROM read_json('\(corpus)/documents.jsonl', union_by_name = true)) "
                        + "TO '\(parquet)/documents.parquet' (FORMAT parquet)",
                ], executable: (DuckDBCLI.directory ?? "") + "/duckdb")
            #expect(converted.status == 0, "\(converted.standardError)")
            let fromJSON = try audit([corpus], engine: nil)
            let fromParquet = try audit([parquet], engine: "duckdb")
            #expect(fromParquet.findings == fromJSON.findings && fromJSON.findings.count > 10, "\(style)")
            #expect(fromParquet.summary == fromJSON.summary)
        }
    }

    @Test("the script `lineage sql` prints, run by hand in DuckDB, returns the in-process findings as rows")
    func printedScript() throws {
        let work = try TemporaryDirectory()
        let corpus = work.file("corpus")
        let made = try CommandRunner.run(["sample", "-o", corpus, "--defects", "1", "--shape", "mixed"])
        #expect(made.status == 0, "\(made.standardError)")
        let printed = try CommandRunner.run(
            [
                "sql", "--dialect", "duckdb", "--documents", corpus + "/documents.jsonl", "--objects",
                corpus + "/objects.jsonl", "--collections", corpus + "/collections.json", "--ignore", "coverage.*",
                corpus + "/snapshot.json", corpus + "/batches.json",
            ])
        #expect(printed.status == 0, "\(printed.standardError)")
        let script = try work.write("audit.sql", printed.standardOutput)
        let ran = try CommandRunner.run(
            ["-json", "-f", script], directory: work.path, executable: (DuckDBCLI.directory ?? "") + "/duckdb")
        #expect(ran.status == 0, "\(ran.standardError)")
        let rows = try JSONValue(parsing: Array(ran.standardOutput.utf8), name: "duckdb").arrayValue ?? []
        let columns = Set(rows.first?.objectValue?.keys.map { $0 } ?? [])
        #expect(columns == ["rule", "severity", "document_id", "collection_id", "message", "evidence"])
        var fromSQL: [String: Int] = [:]
        for row in rows {
            let key = [
                row["rule"]?.stringValue ?? "?", row["document_id"]?.stringValue ?? "-",
                row["collection_id"]?.stringValue ?? "-",
            ].joined(separator: " ")
            fromSQL[key, default: 0] += 1
            #expect(
                (try? JSONValue(parsing: Array((row["evidence"]?.stringValue ?? "").utf8), name: "evidence"))?
                    .objectValue != nil, "evidence is a JSON object as text")
        }
        let inProcess = try audit([corpus, "--ignore", "coverage.*"], engine: nil)
        #expect(fromSQL == inProcess.findings && !fromSQL.isEmpty)
    }

    @Test("a missing engine is a clear error naming how to install it; stdin and the API are refused")
    func missingEngine() throws {
        let result = try CommandRunner.run(
            ["audit", "examples/data", "--engine", "spark"], environment: ["PATH": "/nonexistent"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("spark-sql") && result.standardError.contains("pip install pyspark"))
        let stdin = try CommandRunner.run(["audit", "-", "--engine", "duckdb"], input: "{}")
        #expect(stdin.status == 2 && stdin.standardError.contains("reads files"), "\(stdin.standardError)")
    }

    @Test("records of no known kind stop the engine's audit as they stop the in-process one")
    func unknownRecords() throws {
        let work = try TemporaryDirectory()
        let file = try work.write(
            "mixed.jsonl", #"{"document_id":"doc_a","collection_id":"col_a"}"# + "\n{\"hello\":1}\n")
        let inProcess = try CommandRunner.run(["audit", file])
        #expect(inProcess.status == 2)
        let engine = try CommandRunner.run(["audit", file, "--engine", "duckdb"], environment: environment)
        #expect(engine.status == 2 && engine.standardError.contains("1 record(s)"), "\(engine.standardError)")
    }
}
