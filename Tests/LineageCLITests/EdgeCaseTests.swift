import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// First-hour edges (issue 13, in part): what a newcomer's files and mistakes get.
@Suite("Edges a newcomer meets")
struct EdgeCaseTests {
    static let foundationText = ["NSError", "Code=-", "NSLocalizedDescription", "Error Domain", "kCFErrorDomain"]

    @Test("a UTF-8 byte-order mark at the start of a .json, .jsonl or patch file is skipped silently")
    func byteOrderMark() throws {
        let directory = try TemporaryDirectory()
        let bom = "\u{FEFF}"
        let documents = try String(
            contentsOfFile: Fixtures.repositoryRoot + "/examples/data/documents.jsonl", encoding: .utf8)
        let collections = try String(
            contentsOfFile: Fixtures.repositoryRoot + "/examples/data/collections.json", encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory.file("data"), withIntermediateDirectories: true)
        _ = try directory.write("data/documents.jsonl", bom + documents)
        _ = try directory.write("data/collections.json", bom + collections)
        let stats = try CommandRunner.run(["stats", directory.file("data"), "--format", "json"])
        #expect(stats.status == 0, "\(stats.standardError)")
        #expect(stats.standardError.isEmpty, "nothing is said: \(stats.standardError)")
        let value = try JSONValue(parsing: Array(stats.standardOutput.utf8), name: "stats")
        #expect(value["documents"]?.intValue == 202 && value["collection_configs"]?.intValue == 5)
        let first = try #require(documents.split(separator: "\n").first)
        let record = try JSONValue(parsing: Array(first.utf8), name: "first")
        let patch: JSONValue = [
            "collection_id": record["collection_id"] ?? nil, "document_id": record["document_id"] ?? nil,
            "set": ["reviewed": true],
        ]
        let patches = try directory.write("patches.jsonl", bom + patch.serialized() + "\n")
        let plan = try CommandRunner.run(
            ["plan", directory.file("data"), "--patches", patches, "--rules", "none", "-o", directory.file("p.json")])
        #expect(plan.status == 0, "\(plan.standardError)")
    }

    @Test("a JSON array inside a .jsonl file is read as the .json reader reads it")
    func arrayInJSONLines() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            atPath: Fixtures.repositoryRoot + "/examples/data/collections.json",
            toPath: directory.file("collections.jsonl"))
        let stats = try CommandRunner.run(["stats", directory.file("collections.jsonl"), "--format", "json"])
        #expect(stats.status == 0, "\(stats.standardError)")
        let value = try JSONValue(parsing: Array(stats.standardOutput.utf8), name: "stats")
        #expect(value["collection_configs"]?.intValue == 5)
    }

    @Test(
        "no server, or no such host: one short line, quickly, and no Foundation text",
        arguments: [
            "http://127.0.0.1:9", "http://no-such-host.invalid",
        ])
    func unreachable(url: String) throws {
        let directory = try TemporaryDirectory()
        let started = Date()
        let result = try CommandRunner.run(
            ["fetch", "--namespace", "ns", "--base-url", url, "--insecure", "-o", directory.file("s")],
            environment: ["MIXPEEK_API_KEY": "k"])
        #expect(result.status == 2)
        #expect(Date().timeIntervalSince(started) < 10, "a short bounded retry")
        let said = result.standardError
        #expect(said.contains("cannot connect to \(url)"), "\(said)")
        #expect(said.contains(url.contains("127.0.0.1") ? "connection refused" : "does not resolve"), "\(said)")
        #expect(said.split(separator: "\n").count == 1, "\(said)")
        #expect(!Self.foundationText.contains { said.contains($0) }, "\(said)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("s")))
    }

    @Test("--api-key says where the key comes from; serve on a missing directory says it does not exist")
    func mistakenInvocations() throws {
        let key = try CommandRunner.run(["fetch", "--namespace", "ns", "--api-key", "sk_PLANTED", "-o", "/tmp/x"])
        #expect(key.status == 2)
        #expect(key.standardError.contains("MIXPEEK_API_KEY") && key.standardError.contains("--api-key-file"))
        #expect(!key.standardError.contains("sk_PLANTED"))
        let serve = try CommandRunner.run(["serve", "/nonexistent/snapshot"])
        #expect(serve.status == 2 && serve.standardError.contains("/nonexistent/snapshot does not exist"))
        let directory = try TemporaryDirectory()
        let sample = try CommandRunner.run(["sample", "-o", directory.file("ns"), "--videos", "1", "--articles", "1"])
        #expect(sample.status == 0 && FileManager.default.fileExists(atPath: directory.file("ns/documents.jsonl")))
    }

    @Test(
        "graph and report check format and output path before any work, and leave no file",
        arguments: [
            (["graph", "examples/data", "--level", "collections", "-o", "OUT/p.json"], "not json"),
            (["graph", "examples/data", "--level", "collections", "-o", "OUT/p.mmd"], "not mermaid"),
            (["graph", "examples/data", "-o", "OUT/tree.svgz"], "known extensions"),
            (["graph", "examples/data", "-o", "OUT/missing/tree.svg"], "does not exist"),
            (["graph", "examples/data", "-o", "OUT/existing.svg"], "already exists"),
            (["report", "examples/data", "-o", "OUT/missing/r.html"], "does not exist"),
            (["report", "examples/data", "-o", "OUT"], "is a directory"),
            (["plan", "examples/data", "-o", "OUT/existing.svg"], "already exists"),
        ])
    func outputCheckedFirst(arguments: [String], message: String) throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("existing.svg", "keep me")
        let result = try CommandRunner.run(arguments.map { $0.replacingOccurrences(of: "OUT", with: directory.path) })
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(!result.standardError.contains("Audited") && !result.standardError.contains("wrote"))
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(left == ["existing.svg"], "no output or temporary file: \(left)")
        #expect(try String(contentsOfFile: directory.file("existing.svg"), encoding: .utf8) == "keep me")
    }

    @Test(
        "a selection that matches nothing is an error that suggests what was meant",
        arguments: [
            ("rule:cycl", "did you mean rule:cycle?"),
            ("colection:col_frames", "unknown prefix 'colection:'"),
            ("doc_20877f154fef3f4a728b", "did you mean doc_20877f154fef3f4a728a?"),
            ("collection:col_frame", "did you mean col_frames?"),
            ("rule:drift.*&collection:col_frames", "matched nothing"),
        ])
    func emptySelection(selection: String, message: String) throws {
        let directory = try TemporaryDirectory()
        let result = try CommandRunner.run(
            ["graph", "examples/data", "--select", selection, "-o", directory.file("s.dot")])
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("s.dot")))
    }

    @Test("lone surrogate escapes survive serve, fetch and audit exactly, and lose no document")
    func loneSurrogatesEverywhere() throws {
        let source = try TemporaryDirectory()
        let lines = [
            #"{"document_id":"doc_s","collection_id":"col_a","_internal":{"lineage":{"root_object_id":"obj_1","#
                + #""source_type":"bucket"}},"t":"a\ud800b","u":"\udc00","v":"\ud800\ud800x"}"#,
            #"{"document_id":"doc_t","collection_id":"col_a","_internal":{},"y":"plain"}"#,
        ]
        _ = try source.write("documents.jsonl", lines.joined(separator: "\n") + "\n")
        let server = try ServedSandbox([source.path, "--namespace", "ns"])
        defer { _ = server.stop() }
        let work = try TemporaryDirectory()
        let fetched = try CommandRunner.run(
            ["fetch", "--namespace", "ns", "--base-url", server.url, "-o", work.file("s")],
            environment: ["MIXPEEK_API_KEY": "k"])
        #expect(fetched.status == 0, "\(fetched.standardError)")
        let written = try String(contentsOfFile: work.file("s/documents.jsonl"), encoding: .utf8)
        #expect(written == lines.joined(separator: "\n") + "\n", "kept byte for byte: \(written)")
        let audited = try CommandRunner.run(["audit", work.file("s"), "--fail-on", "never"])
        #expect(audited.status == 0 && audited.standardOutput.contains("Audited 2 document(s)"))
    }
}
