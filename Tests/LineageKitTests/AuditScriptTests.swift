import Foundation
import Testing

@testable import LineageKit

@Suite("Audit scripts")
struct AuditScriptTests {
    @Test("every built-in rule has an SQL form, and each dialect's script holds every rule and only its own constructs")
    func everyRuleInBothDialects() throws {
        for rule in Auditor.allRules {
            #expect(rule is any SQLAuditRule, "\(rule.id) has no SQL form")
        }
        let inputs = [AuditScript.Input(path: "snapshot/documents.jsonl"), AuditScript.Input(path: "export/*.parquet")]
        let duckdb = try AuditScript(dialect: .duckdb, inputs: inputs, rules: Auditor.allRules).text
        let spark = try AuditScript(dialect: .spark, inputs: inputs, rules: Auditor.allRules).text
        for rule in Auditor.allRules {
            #expect(duckdb.contains("'\(rule.id)' AS rule") && spark.contains("'\(rule.id)' AS rule"), "\(rule.id)")
        }
        #expect(duckdb.contains("read_json_objects(['snapshot/documents.jsonl']"))
        #expect(duckdb.contains("read_parquet(['export/*.parquet']"))
        for duckdbOnly in ["lambda ", "list_", "json_extract", "CREATE OR REPLACE TEMP TABLE", "json_keys"] {
            #expect(!spark.contains(duckdbOnly), "Spark's script uses \(duckdbOnly)")
        }
        for sparkOnly in ["get_json_object", "USING parquet AS", " -> ", "explode(", "element_at("] {
            #expect(!duckdb.contains(sparkOnly), "DuckDB's script uses \(sparkOnly)")
        }
        #expect(spark.contains("USING parquet OPTIONS (path 'export/*.parquet')"))
    }

    @Test("paths are quoted as SQL literals, backslashes doubled for Spark")
    func quoting() throws {
        let input = AuditScript.Input(path: #"it's\here.jsonl"#)
        let duckdb = try AuditScript(dialect: .duckdb, inputs: [input], rules: []).text
        let spark = try AuditScript(dialect: .spark, inputs: [input], rules: []).text
        #expect(duckdb.contains(#"'it''s\here.jsonl'"#))
        #expect(spark.contains(#"'it\'s\\here.jsonl'"#))
    }

    @Test("a script needs inputs, and rules without an SQL form are refused by name")
    func refusals() throws {
        struct InProcessOnly: AuditRule {
            let id = "custom.in-process"
            let severity = Severity.info
            let summary = "only in process"
        }
        #expect(throws: LineageKitError.self) {
            _ = try AuditScript(dialect: .duckdb, inputs: [], rules: Auditor.allRules)
        }
        do {
            _ = try AuditScript(dialect: .duckdb, inputs: [.init(path: "x.jsonl")], rules: [InProcessOnly()])
            Issue.record("a rule without SQL was accepted")
        } catch let error as LineageKitError {
            #expect(error.message.contains("custom.in-process"))
        }
    }

    @Test(
        "engine output: the summary and findings rows become a report's parts; chatter is ignored; bad rows are named")
    func engineOutput() throws {
        let script = try AuditScript(dialect: .spark, inputs: [.init(path: "x.jsonl")], rules: [CycleRule()])
        let output = """
            Spark master: local[*]
            {"lineage_summary":1,"documents":3,"objects":1,"collections":2,"unknown_records":0,"documents_without_ids":0}
            {"rule":"cycle","severity":"error","document_id":"doc_b","collection_id":"col_a","message":"m","evidence":"{\\"cycle\\":[\\"doc_b\\"]}"}
            {"rule":"cycle","severity":"error","document_id":"doc_a","collection_id":"col_a","message":"m","evidence":{"k":1}}
            """
        let (summary, findings) = try script.results(fromEngineOutput: Array(output.utf8))
        #expect(summary.documents == 3 && summary.objects == 1 && summary.collections == 2)
        #expect(findings.map(\.documentID) == ["doc_a", "doc_b"], "sorted as the in-process audit sorts")
        #expect(findings[1].evidence["cycle"]?.arrayValue?.first?.stringValue == "doc_b")
        #expect(findings[0].evidence["k"]?.intValue == 1)
        #expect(throws: LineageKitError.self) { _ = try script.results(fromEngineOutput: Array("{\"rule\":1}\n".utf8)) }
        do {
            _ = try script.results(fromEngineOutput: Array("nothing\n".utf8))
            Issue.record("output without a summary was accepted")
        } catch let error as LineageKitError {
            #expect(error.message.contains("no summary row"))
        }
    }
}
