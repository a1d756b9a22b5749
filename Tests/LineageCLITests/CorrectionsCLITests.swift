import Foundation
import LineageKit
import LineageTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The corrections commands' guards, as a user meets them: secrets never written or printed,
/// separate overrides, exit codes, held documents.
@Suite("lineage plan, apply, undo: guards")
struct CorrectionsCLITests {
    static let secret = "sk_PLANTED_SECRET_4f9a"

    /// A sample namespace in its own directory (apart from the patch file, which would otherwise
    /// be read as documents) and a patch file for `count` documents.
    static func namespace(count: Int) throws -> (snapshot: String, [Document], String, TemporaryDirectory) {
        let (directory, documents, patches) = try ApplyCommandTests.namespace(count: count)
        let snapshot = directory.path + "/data"
        try FileManager.default.createDirectory(atPath: snapshot, withIntermediateDirectories: true)
        for name in ["documents.jsonl", "objects.jsonl", "collections.json"] {
            try FileManager.default.moveItem(atPath: directory.file(name), toPath: snapshot + "/" + name)
        }
        return (snapshot, documents, patches, directory)
    }

    /// Every file under `path`, read as text.
    static func contents(under path: String) -> String {
        let enumerator = FileManager.default.enumerator(atPath: path)
        var text = ""
        while let name = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: path + "/" + name) {
                text += String(decoding: data, as: UTF8.self)
            }
        }
        return text
    }

    @Test("a base URL with credentials is refused everywhere, and the secret reaches no file and no stream")
    func credentialsInBaseURL() throws {
        let (snapshot, _, patches, directory) = try Self.namespace(count: 2)
        let work = try TemporaryDirectory()
        let url = "http://user:\(Self.secret)@127.0.0.1:9"
        let plan = work.file("plan.json")
        let runs = [
            ["fetch", "--namespace", "ns", "--base-url", url, "-o", work.file("snapshot")],
            ["plan", snapshot, "--patches", patches, "--rules", "none", "--base-url", url, "-o", plan],
            ["stats", "--namespace", "ns", "--base-url", url],
        ]
        for arguments in runs {
            let result = try CommandRunner.run(arguments, environment: ["MIXPEEK_API_KEY": "k"])
            #expect(result.status == 2, "\(arguments[0]): \(result.standardError)")
            #expect(result.standardError.contains("credentials"), "\(arguments[0]): \(result.standardError)")
            #expect(!(result.standardError + result.standardOutput).contains(Self.secret), "\(arguments[0])")
        }
        // A snapshot manifest holding such a URL (written by something else): the plan leaves it out.
        _ = try directory.write(
            "data/snapshot.json", #"{"lineage_snapshot":1,"namespace":"ns","base_url":"\#(url)"}"# + "\n")
        let made = try CommandRunner.run(["plan", snapshot, "--patches", patches, "--rules", "none", "-o", plan])
        #expect(made.status == 0, "\(made.standardError)")
        #expect(!(made.standardError + made.standardOutput).contains(Self.secret))
        let applied = try CommandRunner.run(
            ["apply", plan, "--journal", work.file("j.jsonl"), "--base-url", url], environment: ["MIXPEEK_API_KEY": "k"]
        )
        #expect(applied.status == 2 && applied.standardError.contains("credentials"), "\(applied.standardError)")
        #expect(!(applied.standardError + applied.standardOutput).contains(Self.secret))
        #expect(!Self.contents(under: work.path).contains(Self.secret), "no output file holds the secret")
    }

    @Test("--allow-other-target is the only way to another namespace; --force is gone; conflicts always exit 1")
    func overridesAndExitCodes() throws {
        let (snapshot, documents, patches, directory) = try Self.namespace(count: 3)
        defer { withExtendedLifetime(directory) {} }
        let work = try TemporaryDirectory()
        let plan = work.file("plan.json")
        let made = try CommandRunner.run(
            ["plan", snapshot, "--patches", patches, "--rules", "none", "--namespace", "ns_a", "-o", plan])
        #expect(made.status == 0, "\(made.standardError)")
        let server = try ServedSandbox([snapshot, "--namespace", "ns_b"])
        defer { _ = server.stop() }
        let environment = ["MIXPEEK_API_KEY": "k"]
        let forced = try CommandRunner.run(
            ["apply", plan, "--journal", work.file("f.jsonl"), "--force"], environment: environment)
        #expect(forced.status == 2 && forced.standardError.contains("--allow-other-target"), "\(forced.standardError)")
        let refused = try CommandRunner.run(
            ["apply", plan, "--journal", work.file("j.jsonl"), "--namespace", "ns_b", "--base-url", server.url],
            environment: environment)
        #expect(refused.status == 2 && refused.standardError.contains("--allow-other-target"))
        // Someone edits one planned document first: that one is a conflict, and the run exits 1.
        let target = documents[0]
        let path = "/v1/collections/\(target.collectionID)/documents/\(target.id)"
        var request = URLRequest(url: try #require(URL(string: server.url + path)))
        request.httpMethod = "PATCH"
        request.setValue("ns_b", forHTTPHeaderField: "X-Namespace")
        request.httpBody = Data(#"{"metadata":{"reviewed":"no"}}"#.utf8)
        #expect(HTTP.send(request).status == 200)
        let applied = try CommandRunner.run(
            [
                "apply", plan, "--journal", work.file("j.jsonl"), "--namespace", "ns_b", "--base-url", server.url,
                "--allow-other-target",
            ], environment: environment)
        #expect(applied.status == 1, "\(applied.standardError)")
        #expect(applied.standardError.contains("conflict: \(target.id)"))
        #expect(applied.standardError.contains("apply: 2 applied, 0 unchanged, 1 conflict(s)"))
        let undone = try CommandRunner.run(
            ["undo", "--journal", work.file("j.jsonl")], environment: environment)
        #expect(undone.status == 0, "\(undone.standardError)")
        #expect(undone.standardError.contains("undo: 2 restored"), "\(undone.standardError)")
        let missing = try CommandRunner.run(
            ["undo", "--journal", work.file("missing.jsonl")], environment: environment)
        #expect(missing.status == 2 && missing.standardError.contains("does not exist"))
    }

    @Test("a patch file with a bad key, pointer or overlap is refused with its line")
    func patchFileErrors() throws {
        let (snapshot, documents, _, directory) = try Self.namespace(count: 1)
        defer { withExtendedLifetime(directory) {} }
        let document = documents[0]
        let head = #"{"collection_id":"\#(document.collectionID)","document_id":"\#(document.id)","#
        let cases: [(String, String)] = [
            (head + #""sett":{"a":1}}"#, "unknown key \"sett\""),
            (head + #""set_path":{"title/lang":"en"}}"#, "JSON Pointer"),
            (head + #""set_path":{"/a~2b/c":1}}"#, "~ not followed by 0 or 1"),
            (head + #""set":{"a":{"b":1}},"set_path":{"/a/b":2}}"#, "change the same value"),
            (head + #""unset":["a"],"set":{"a":1}}"#, "change the same value"),
        ]
        let work = try TemporaryDirectory()
        for (number, (line, message)) in cases.enumerated() {
            let file = try work.write("p\(number).jsonl", "\n" + line + "\n")
            let result = try CommandRunner.run(
                ["plan", snapshot, "--patches", file, "--rules", "none", "-o", work.file("plan\(number).json")])
            #expect(result.status == 2, "\(line)")
            #expect(result.standardError.contains("p\(number).jsonl:2"), "\(result.standardError)")
            #expect(result.standardError.contains(message), "\(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: work.file("plan\(number).json")))
        }
    }
}
