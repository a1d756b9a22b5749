import Foundation
import LineageKit
import LineageTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The API's behaviours as of the vendor SDK 1.3.783, over HTTP against `lineage serve`: an
/// unresolved namespace never becomes an empty snapshot, an incomplete listing never becomes a
/// complete-looking one, and writes see the body keys the API takes.
@Suite("Today's API: unresolved namespaces, incomplete listings, PATCH keys")
struct TodaysAPITests {
    static let environment = ["MIXPEEK_API_KEY": "sk_test"]

    @Test(
        "an unresolved namespace is an error naming it, for fetch, stats, apply and undo, and nothing is written",
        arguments: ["warning", "404"])
    func unresolvedNamespace(mode: String) throws {
        let (snapshot, _, patches, directory) = try CorrectionsCLITests.namespace(count: 2)
        defer { withExtendedLifetime(directory) {} }
        let server = try ServedSandbox([snapshot, "--namespace", "ns_real", "--unresolved-namespace-as", mode])
        defer { _ = server.stop() }
        let work = try TemporaryDirectory()
        let fetched = try CommandRunner.run(
            ["fetch", "--namespace", "ns_typo", "--base-url", server.url, "-o", work.file("snapshot")],
            environment: Self.environment)
        #expect(fetched.status == 2, "\(fetched.standardError)")
        #expect(fetched.standardError.contains("namespace 'ns_typo'"), "\(fetched.standardError)")
        #expect(!FileManager.default.fileExists(atPath: work.file("snapshot")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty, "no staging directory left")
        let audited = try CommandRunner.run(
            ["audit", "--namespace", "ns_typo", "--base-url", server.url], environment: Self.environment)
        #expect(audited.status == 2 && !audited.standardOutput.contains("Audited"), "\(audited.standardOutput)")

        let plan = work.file("plan.json")
        let made = try CommandRunner.run(
            ["plan", snapshot, "--patches", patches, "--rules", "none", "--namespace", "ns_typo", "-o", plan])
        #expect(made.status == 0, "\(made.standardError)")
        let journal = work.file("j.jsonl")
        let applied = try CommandRunner.run(
            ["apply", plan, "--journal", journal, "--base-url", server.url], environment: Self.environment)
        #expect(applied.status == 2 && applied.standardError.contains("ns_typo"), "\(applied.standardError)")
        #expect(try Self.patchCount(server) == 0, "no PATCH sent")
        // An apply that worked, then undone against a namespace that does not resolve: stopped, nothing sent.
        let real = work.file("real.json")
        let madeReal = try CommandRunner.run(
            ["plan", snapshot, "--patches", patches, "--rules", "none", "--namespace", "ns_real", "-o", real])
        #expect(madeReal.status == 0, "\(madeReal.standardError)")
        let realJournal = work.file("real.jsonl")
        let appliedReal = try CommandRunner.run(
            ["apply", real, "--journal", realJournal, "--base-url", server.url], environment: Self.environment)
        #expect(appliedReal.status == 0, "\(appliedReal.standardError)")
        let patchesSent = try Self.patchCount(server)
        let undone = try CommandRunner.run(
            ["undo", "--journal", realJournal, "--namespace", "ns_typo", "--allow-other-target"],
            environment: Self.environment)
        #expect(undone.status == 2 && undone.standardError.contains("ns_typo"), "\(undone.standardError)")
        #expect(try Self.patchCount(server) == patchesSent, "undo sent no PATCH")
    }

    static func patchCount(_ server: ServedSandbox) throws -> Int {
        let counts = try ApplyCommandTests.get(server.url + "/_sandbox/requests")
        return (counts["requests"]?.objectValue ?? [:]).filter { $0.key.hasPrefix("PATCH") }
            .reduce(0) { $0 + ($1.value.intValue ?? 0) }
    }

    @Test("a listing the API says is incomplete stops fetch; --allow-incomplete keeps it and every reader says so")
    func incompleteListing() throws {
        let (snapshot, _, _, directory) = try CorrectionsCLITests.namespace(count: 1)
        defer { withExtendedLifetime(directory) {} }
        let server = try ServedSandbox([snapshot, "--namespace", "ns", "--truncate-listings-after", "5"])
        defer { _ = server.stop() }
        let work = try TemporaryDirectory()
        let out = work.file("snapshot")
        let stopped = try CommandRunner.run(
            ["fetch", "--namespace", "ns", "--base-url", server.url, "-o", out], environment: Self.environment)
        #expect(stopped.status == 2, "\(stopped.standardError)")
        #expect(stopped.standardError.contains("listing of collection col_"), "\(stopped.standardError)")
        #expect(stopped.standardError.contains("incomplete") && stopped.standardError.contains("Nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: out))

        let kept = try CommandRunner.run(
            ["fetch", "--namespace", "ns", "--base-url", server.url, "--allow-incomplete", "-o", out],
            environment: Self.environment)
        #expect(kept.status == 0, "\(kept.standardError)")
        #expect(kept.standardError.contains("INCOMPLETE SNAPSHOT"))
        let manifest = try JSONValue(
            parsing: [UInt8](try Data(contentsOf: URL(fileURLWithPath: out + "/snapshot.json"))), name: "manifest")
        #expect((manifest["incomplete"]?.arrayValue?.count ?? 0) >= 1)
        for command in [["stats", out], ["audit", out, "--fail-on", "never"]] {
            let result = try CommandRunner.run(command)
            #expect(result.status == 0, "\(command[0]): \(result.standardError)")
            #expect(result.standardError.contains("INCOMPLETE SNAPSHOT"), "\(command[0])")
        }
        let report = try CommandRunner.run(["report", out, "-o", work.file("report.html")])
        #expect(report.status == 0, "\(report.standardError)")
        let html = try String(contentsOfFile: work.file("report.html"), encoding: .utf8)
        #expect(html.contains("id=\"banner\"") && html.contains("INCOMPLETE SNAPSHOT"))
        // Reading the API directly says the same.
        let direct = try CommandRunner.run(
            ["stats", "--namespace", "ns", "--base-url", server.url, "--allow-incomplete"],
            environment: Self.environment)
        #expect(direct.status == 0 && direct.standardError.contains("INCOMPLETE SNAPSHOT"), "\(direct.standardError)")
    }

    @Test("before 2026-11-02 an undeclared PATCH key was ignored and named in warnings; today it is refused")
    func patchKeysByDate() throws {
        let (snapshot, documents, _, directory) = try CorrectionsCLITests.namespace(count: 1)
        defer { withExtendedLifetime(directory) {} }
        let document = documents[0]
        for (mode, status) in [("warn", 200), ("metadata", 422)] {
            let server = try ServedSandbox([snapshot, "--patch-keys", mode])
            defer { _ = server.stop() }
            let path = "/v1/collections/\(document.collectionID)/documents/\(document.id)"
            var request = URLRequest(url: try #require(URL(string: server.url + path)))
            request.httpMethod = "PATCH"
            request.httpBody = Data(#"{"reviewed": true}"#.utf8)
            let answer = HTTP.send(request)
            #expect(answer.status == status, "\(mode)")
            let text = String(decoding: answer.body, as: UTF8.self)
            #expect(text.contains(mode == "warn" ? "ignored keys" : "extra_forbidden"), "\(mode): \(text)")
            let now = try ApplyCommandTests.get(server.url + path)
            #expect(Document.userFields(inResponse: now.objectValue ?? [:]).fields["reviewed"] == nil, "\(mode)")
        }
    }
}
