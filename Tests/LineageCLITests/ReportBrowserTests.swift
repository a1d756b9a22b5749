import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// `lineage report` opened in headless Chromium: the DOM after the report's script ran.
@Suite("lineage report in a browser")
struct ReportBrowserTests {
    /// The audit's counts, from `lineage audit --format json`.
    static func auditCounts() throws -> (documents: Int, findings: [JSONValue]) {
        let audit = try CommandRunner.run(["audit", "examples/data", "--format", "json", "--fail-on", "never"])
        let value = try JSONValue(parsing: Array(audit.standardOutput.utf8), name: "audit")
        let findings = value.objectValue?["findings"]?.arrayValue ?? []
        let documents =
            value.objectValue?["summary"]?.objectValue?["documents"]?.intValue
            ?? value.objectValue?["documents"]?.intValue ?? -1
        return (documents, findings)
    }

    /// The number in `data-value` of the card with `id`.
    static func card(_ id: String, in dom: String) -> Int? {
        guard let range = dom.range(of: "id=\"card-\(id)\"") else { return nil }
        let rest = dom[range.upperBound...]
        guard let value = rest.range(of: "data-value=\"") else { return nil }
        return Int(rest[value.upperBound...].prefix { $0.isNumber })
    }

    @Test("the summary cards show the audit's numbers, and a filter shows exactly its rows")
    func summaryAndFilter() throws {
        let directory = try TemporaryDirectory()
        let report = directory.file("report.html")
        let made = try CommandRunner.run(["report", "examples/data", "-o", report])
        #expect(made.status == 0, "\(made.standardError)")
        let (documents, findings) = try Self.auditCounts()
        let dom = try Browser.dumpDOM("file://" + report)
        #expect(dom.contains("data-report-ready=\"true\""), "the report's script ran")
        #expect(Self.card("documents", in: dom) == documents)
        #expect(Self.card("findings", in: dom) == findings.count)
        let errors = findings.filter { $0.objectValue?["severity"]?.stringValue == "error" }.count
        #expect(Self.card("error", in: dom) == errors)
        #expect(dom.components(separatedBy: "class=\"finding-row").count - 1 == findings.count)
        let cycles = findings.filter { $0.objectValue?["rule"]?.stringValue == "cycle" }.count
        #expect(cycles > 0)
        let filtered = try Browser.dumpDOM("file://" + report + "#rule=cycle")
        #expect(filtered.contains("data-matching=\"\(cycles)\""))
        #expect(filtered.components(separatedBy: "class=\"finding-row").count - 1 == cycles)
        #expect(filtered.components(separatedBy: "data-rule=\"cycle\"").count - 1 >= cycles)
        let document = "doc_080f742089c455118908"
        let opened = try Browser.dumpDOM("file://" + report + "#doc=" + document)
        #expect(opened.contains("<div id=\"details\">"), "the details panel is shown")
        #expect(
            opened.contains("&quot;document_id&quot;: &quot;\(document)&quot;")
                || opened.contains("\"document_id\": \"\(document)\""))
        #expect(opened.contains("<g id=\"\(document)\" class=\"node document highlight\">"), "outlined in its tree")
        let none = try Browser.dumpDOM("file://" + report + "#rule=cycle&q=no-such-document")
        #expect(none.contains("data-matching=\"0\""))
        #expect(!none.contains("class=\"finding-row"))
    }

    @Test("#doc= outlines each of a corpus of ids that differ only in whitespace, controls or entities")
    func hostileIDsOutlined() throws {
        let directory = try TemporaryDirectory()
        let ids = ["doc_x\ty", "doc_x y", "doc_x\ry", "doc_&amp;", "doc_&", "doc_%26", "doc_<b>"]
        var lines = [#"{"object_id":"obj_h","bucket_id":"bkt_h","metadata":{}}"#]
        for id in ids {
            let document: JSONValue = [
                "document_id": .string(id), "collection_id": "col_h",
                "_internal": [
                    "lineage": ["root_object_id": "obj_h", "root_bucket_id": "bkt_h", "source_type": "bucket"],
                    "metadata": ["ingestion_status": "PROCESSING"],
                ],
            ]
            lines.append(document.serialized())
        }
        let input = try directory.write("data.jsonl", lines.joined(separator: "\n") + "\n")
        let report = directory.file("report.html")
        let made = try CommandRunner.run(["report", input, "-o", report])
        #expect(made.status == 0, "\(made.standardError)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        for id in ids {
            #expect(html.contains("id=\"\(DOTWriterName.of(id))\""), "\(id) is one node of its own")
        }
        for id in ids {
            let fragment = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
            let dom = try Browser.dumpDOM("file://" + report + "#doc=" + fragment)
            #expect(
                dom.contains("<g id=\"\(DOTWriterName.of(id))\" class=\"node document highlight\">"),
                "\(id) is outlined")
        }
    }

    @Test("a corpus of hostile metadata runs no script of its own")
    func hostileCorpus() throws {
        let directory = try TemporaryDirectory()
        let payloads = [
            #"<script>document.body.setAttribute('data-pwned','script')</script>"#,
            #""><img src=x onerror="document.body.setAttribute('data-pwned','img')">"#,
            #"'><svg onload="document.body.setAttribute('data-pwned','svg')">"#,
            #"</script><script>document.body.setAttribute('data-pwned','json')</script>"#,
            #"javascript:document.body.setAttribute('data-pwned','href')"#,
            String(repeating: "x", count: 5_000) + "\u{1}\u{8}",
        ]
        // Ids equal to the page's own element ids must not take their place.
        let pageIDs = ["table-status", "report-data", "filter-rule", "details", "findings-table"]
        // Documents without lineage get findings (the table); the others get trees (the SVG).
        let lines =
            Fixtures.hostileDocuments(payloads) + Fixtures.hostileDocuments(pageIDs, idPrefix: { _ in "" })
        let input = try directory.write("hostile.jsonl", lines)
        let report = directory.file("report.html")
        let made = try CommandRunner.run(["report", input, "-o", report])
        #expect(made.status == 0, "\(made.standardError)")
        let dom = try Browser.dumpDOM("file://" + report)
        #expect(dom.contains("data-report-ready=\"true\""), "the report's own script ran")
        #expect(!dom.contains("data-pwned=\""), "no injected script ran")
        #expect(dom.contains("class=\"finding-row"), "the hostile documents are in the table")
        #expect(dom.contains("&lt;script&gt;document.body.setAttribute"), "shown as text")
    }
}

/// `DOTWriter.nodeName`, written again here so the test does not take the renderer's word for it.
enum DOTWriterName {
    static func of(_ id: String) -> String {
        var out = ""
        for byte in id.utf8 {
            let plain =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || [UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-")].contains(byte)
            out += plain ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }
        return out
    }
}
