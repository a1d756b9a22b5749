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

    /// The ids of the nodes a `graph --format json` run wrote.
    static func nodeIDs(_ path: String) throws -> Set<String> {
        let value = try JSONValue(parsing: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), name: path)
        return Set((value["nodes"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
    }

    @Test(
        "graph --namespace draws one tree through the lineage endpoints, without listing, as from the files",
        arguments: [
            "@doc_20877f154fef3f4a728a", "+doc_20877f154fef3f4a728a", "doc_287e43c67f5bd214393f+",
            "obj_59e6bef262237ddb301f",
        ])
    func treeThroughEndpoints(selection: String) throws {
        let server = try ServedSandbox(["examples/data", "--namespace", "ns_sample", "--fail-rate", "0.1"])
        defer { _ = server.stop() }
        let work = try TemporaryDirectory()
        let fromAPI = try CommandRunner.run(
            [
                "graph", "--namespace", "ns_sample", "--base-url", server.url, "--select", selection, "--format",
                "json", "-o", work.file("api.json"),
            ], environment: Self.environment)
        #expect(fromAPI.status == 0, "\(fromAPI.standardError)")
        #expect(fromAPI.standardError.contains("through the lineage endpoints"))
        let fromFiles = try CommandRunner.run(
            ["graph", "examples/data", "--select", selection, "--format", "json", "-o", work.file("files.json")])
        #expect(fromFiles.status == 0, "\(fromFiles.standardError)")
        let nodes = try Self.nodeIDs(work.file("api.json"))
        let expected = try Self.nodeIDs(work.file("files.json"))
        #expect(nodes.count > 1 && nodes == expected, "\(selection)")
        let counts = try ApplyCommandTests.get(server.url + "/_sandbox/requests")
        let paths = (counts["requests"]?.objectValue ?? [:]).keys
        #expect(!paths.contains { $0.hasSuffix("/list") }, "no listing: \(paths)")
    }

    @Test(
        "fetch --reconciliation stores what the API says; coverage.missing reports it, cross-checked with the snapshot")
    func reconciliation() throws {
        let source = try TemporaryDirectory()
        for name in ["documents.jsonl", "collections.json"] {
            try FileManager.default.copyItem(
                atPath: Fixtures.repositoryRoot + "/examples/data/" + name, toPath: source.file(name))
        }
        var objects = try String(
            contentsOfFile: Fixtures.repositoryRoot + "/examples/data/objects.jsonl", encoding: .utf8)
        objects +=
            #"{"object_id":"obj_failed","bucket_id":"bkt_videos","status":"FAILED","error":"decoder crashed","#
            + #""created_at":"2026-01-01T00:00:00Z","metadata":{}}"# + "\n"
        objects += #"{"object_id":"obj_idle","bucket_id":"bkt_videos","status":"COMPLETED","metadata":{}}"# + "\n"
        _ = try source.write("objects.jsonl", objects)
        let server = try ServedSandbox([source.path, "--namespace", "ns"])
        defer { _ = server.stop() }
        let work = try TemporaryDirectory()
        let out = work.file("snapshot")
        let fetched = try CommandRunner.run(
            ["fetch", "--namespace", "ns", "--base-url", server.url, "--objects", "--reconciliation", "-o", out],
            environment: Self.environment)
        #expect(fetched.status == 0, "\(fetched.standardError)")
        let audited = try CommandRunner.run(["audit", out, "--rules", "coverage.missing", "--format", "json"])
        #expect(audited.status == 0, "warnings only: \(audited.standardError)")
        let report = try JSONValue(parsing: Array(audited.standardOutput.utf8), name: "audit")
        let findings = report["findings"]?.arrayValue ?? []
        let byObject = Dictionary(
            findings.compactMap { finding in finding["evidence"]?["object_id"]?.stringValue.map { ($0, finding) } },
            uniquingKeysWith: { first, _ in first })
        #expect(Set(byObject.keys) == ["obj_failed", "obj_idle"], "\(byObject.keys)")
        let failed = try #require(byObject["obj_failed"])
        #expect(failed["collection_id"] == "col_frames")
        #expect(failed["evidence"]?["reason"] == "failed" && failed["evidence"]?["documents_in_snapshot"] == 0)
        #expect((failed["evidence"]?["age_seconds"]?.intValue ?? 0) > 86_400)
        #expect(failed["message"]?.stringValue?.contains("decoder crashed") == true)
        #expect(byObject["obj_idle"]?["evidence"]?["reason"] == "no_document")
        // A reconciliation that disagrees with the snapshot says so.
        var file = try String(contentsOfFile: out + "/reconciliation.json", encoding: .utf8)
        file = file.replacingOccurrences(of: "obj_idle", with: "obj_59e6bef262237ddb301f")
        try file.write(toFile: out + "/reconciliation.json", atomically: true, encoding: .utf8)
        let stale = try CommandRunner.run(["audit", out, "--rules", "coverage.missing", "--all"])
        #expect(stale.standardOutput.contains("but the snapshot holds"), "\(stale.standardOutput)")
    }

    @Test("a namespace served without collection configurations fetches into a snapshot every command reads")
    func collectionsWithoutConfiguration() throws {
        let source = try TemporaryDirectory()
        try FileManager.default.copyItem(
            atPath: Fixtures.repositoryRoot + "/examples/data/documents.jsonl", toPath: source.file("documents.jsonl"))
        let server = try ServedSandbox([source.path, "--namespace", "ns"])
        defer { _ = server.stop() }
        let work = try TemporaryDirectory()
        let fetched = try CommandRunner.run(
            ["fetch", "--namespace", "ns", "--base-url", server.url, "-o", work.file("snapshot")],
            environment: Self.environment)
        #expect(fetched.status == 0, "\(fetched.standardError)")
        let stats = try CommandRunner.run(["stats", work.file("snapshot"), "--format", "json"])
        #expect(stats.status == 0, "\(stats.standardError)")
        let value = try JSONValue(parsing: Array(stats.standardOutput.utf8), name: "stats")
        #expect(
            value["documents"]?.intValue == 202 && value["collections"]?.intValue == 5,
            "\(stats.standardOutput.prefix(300))")
    }

    @Test("serve answers a body over 1 MiB with 413, and a PATCH of a non-object or system field with 422")
    func serveRefusesBadBodies() throws {
        let (snapshot, _, _, directory) = try CorrectionsCLITests.namespace(count: 1)
        defer { withExtendedLifetime(directory) {} }
        let current = try #require(
            try SnapshotReader().read(.path(snapshot)).documents.first { $0.shape == .current })
        let server = try ServedSandbox([snapshot, "--patch-keys", "any"])
        defer { _ = server.stop() }
        let path = "/v1/collections/\(current.collectionID)/documents/\(current.id)"
        let cases: [(String, Int, String)] = [
            (#"{"metadata": "str"}"#, 422, "valid dictionary"),
            (#"{"_internal": {}}"#, 422, "System fields"),
            (#"{"metadata": {"_internal": 1}}"#, 422, "system field"),
            (#"{"metadata": {"x": ""# + String(repeating: "a", count: 1 << 20) + #""}}"#, 413, "PayloadTooLarge"),
        ]
        for (body, status, message) in cases {
            var request = URLRequest(url: try #require(URL(string: server.url + path)))
            request.httpMethod = "PATCH"
            request.httpBody = Data(body.utf8)
            let answer = HTTP.send(request)
            #expect(answer.status == status, "\(body.prefix(40))")
            #expect(String(decoding: answer.body, as: UTF8.self).contains(message), "\(body.prefix(40))")
        }
        let now = try ApplyCommandTests.get(server.url + path)
        #expect(now["_internal"]?.objectValue != nil, "the document is untouched")
    }

    @Test("fetch tells a missing root object from one in another bucket, and agrees with stats on ghosts")
    func missingAndMisplacedObjects() throws {
        let server = try ServedSandbox(["examples/data", "--namespace", "ns_sample"])
        defer { _ = server.stop() }
        let work = try TemporaryDirectory()
        let out = work.file("snapshot")
        let fetched = try CommandRunner.run(
            ["fetch", "--namespace", "ns_sample", "--base-url", server.url, "--objects", "-o", out],
            environment: Self.environment)
        #expect(fetched.status == 0, "\(fetched.standardError)")
        #expect(fetched.standardError.contains("obj_59a7b43158042330b007 is in bkt_articles, not bkt_videos"))
        #expect(!fetched.standardError.contains("obj_59a7b43158042330b007 (they"))
        let manifest = try JSONValue(
            parsing: [UInt8](try Data(contentsOf: URL(fileURLWithPath: out + "/snapshot.json"))), name: "manifest")
        let stats = try CommandRunner.run(["stats", out, "--format", "json"])
        let value = try JSONValue(parsing: Array(stats.standardOutput.utf8), name: "stats")
        let ghosts = value["ghost_objects"]?.intValue
        #expect(manifest["counts"]?["missing_objects"]?.intValue == ghosts, "\(stats.standardOutput.prefix(800))")
        #expect(manifest["counts"]?["misplaced_objects"] == 1)
    }
}
