import Foundation
import LineageKit
import LineageReport
import LineageTestSupport
import Testing

/// The report's HTML as text: structure, bounds and escaping. (The browser tests in
/// LineageCLITests check what runs.)
@Suite("HTML report")
struct ReportTests {
    static let hostile = [
        #"<script>document.body.setAttribute('data-pwned','script')</script>"#,
        #""><img src=x onerror="document.body.setAttribute('data-pwned','img')">"#,
        #"javascript:document.body.setAttribute('data-pwned','href')"#,
        #"</script><script>document.body.setAttribute('data-pwned','json')</script>"#,
        #"<svg onload="document.body.setAttribute('data-pwned','svg')">"#,
        "<!-- comment \u{1}\u{7F} -->", String(repeating: "long&", count: 2_000),
    ]

    /// Documents whose ids, collections and fields carry hostile text, and that have findings.
    static func hostileSnapshot() throws -> Snapshot {
        try Fixtures.read(Fixtures.hostileDocuments(hostile))
    }

    static func render(_ snapshot: Snapshot, options: ReportWriter.Options = .init()) throws -> String {
        let graph = DecompositionGraph(snapshot: snapshot)
        return try ReportWriter(options: options).html(
            snapshot: snapshot, graph: graph, report: try Auditor().audit(graph), nonce: "testnonce")
    }

    @Test("hostile data never appears unescaped: not in HTML, not in the JSON block, not in the SVG")
    func escaping() throws {
        let html = try Self.render(try Self.hostileSnapshot())
        for raw in [
            "<img src=x onerror", "<script>document", "</script><script>document", "<svg onload", "<!-- comment",
        ] {
            #expect(!html.contains(raw), "\(raw) appears raw")
        }
        #expect(html.contains("&lt;img src=x onerror") || html.contains("\\u003cimg src=x onerror"))
        #expect(!html.contains("\u{1}") && !html.contains("\u{7F}"))
        // Exactly the two elements of the page itself carry the nonce; nothing else is a script.
        #expect(html.components(separatedBy: "<script").count - 1 == 2)
        #expect(html.components(separatedBy: "nonce=\"testnonce\"").count - 1 == 2)
    }

    @Test("a strict Content-Security-Policy, and nothing loaded from anywhere")
    func offline() throws {
        let html = try Self.render(try SnapshotReader().read(.path(Fixtures.exampleData)))
        #expect(
            html.contains(
                "content=\"default-src 'none'; style-src 'nonce-testnonce'; script-src 'nonce-testnonce'; img-src data:;"
            ))
        for pattern in [" src=\"http", " href=\"http", "url(http", "@import", "<link ", "<iframe"] {
            #expect(!html.contains(pattern), "\(pattern)")
        }
        #expect(html.contains("id=\"card-documents\"") && html.contains("data-value=\"202\""))
        // Several pictures share the page: the ids of legends and pieces must not repeat.
        var counts: [String: Int] = [:]
        for part in html.components(separatedBy: " id=\"").dropFirst() {
            counts[String(part.prefix { $0 != "\"" }), default: 0] += 1
        }
        #expect(counts.filter { $0.value > 1 }.isEmpty, "repeated ids: \(counts.filter { $0.value > 1 }.keys.sorted())")
        #expect(html.contains("<section id=\"pipeline\">") && html.contains("<svg"))
    }

    @Test("trees are bounded, those with findings first; the findings table is bounded and says so")
    func bounds() throws {
        let snapshot = try SnapshotReader().read(.path(Fixtures.exampleData))
        let html = try Self.render(snapshot, options: .init(maximumTrees: 2, maximumFindings: 5))
        #expect(html.components(separatedBy: "<details class=\"tree\"").count - 1 == 2)
        #expect(html.contains("id=\"tree-0\""))
        #expect(html.contains("The table lists the first 5 of 16 findings"))
        let none = try Self.render(snapshot, options: .init(maximumTrees: 0))
        #expect(!none.contains("<details class=\"tree\""))
    }
}
