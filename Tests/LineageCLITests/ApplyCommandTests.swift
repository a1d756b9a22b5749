import Foundation
import LineageKit
import LineageSample
import LineageTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `lineage plan`, `apply` and `undo` as processes against `lineage serve`, including kill -9.
@Suite("lineage plan, apply, undo")
struct ApplyCommandTests {
    /// A sample namespace and a patch file marking `count` documents reviewed.
    static func namespace(count: Int) throws -> (TemporaryDirectory, [Document], String) {
        let directory = try TemporaryDirectory()
        try SampleNamespace(options: .init(videos: 3, articles: 3, seed: 21, shape: .mixed, defects: 1))
            .write(to: directory.path, overwrite: true)
        let documents = Array(try SnapshotReader().read(.path(directory.path)).documents.prefix(count))
        let lines = documents.map {
            JSONValue.object(
                ["collection_id": .string($0.collectionID), "document_id": .string($0.id), "set": ["reviewed": true]]
            ).serialized()
        }
        let patches = try directory.write("patches.jsonl", lines.joined(separator: "\n") + "\n")
        return (directory, documents, patches)
    }

    @Test("an apply killed with SIGKILL at several points, then resumed, patches every document exactly once")
    func killAndResume() throws {
        let (directory, documents, patches) = try Self.namespace(count: 40)
        let snapshot = directory.path + "/data"
        try FileManager.default.createDirectory(atPath: snapshot, withIntermediateDirectories: true)
        for name in ["documents.jsonl", "objects.jsonl", "collections.json"] {
            try FileManager.default.copyItem(atPath: directory.file(name), toPath: snapshot + "/" + name)
        }
        let server = try ServedSandbox([snapshot, "--latency-ms", "40", "--fail-rate", "0.1", "--seed", "3"])
        defer { _ = server.stop() }
        let plan = directory.file("plan.json")
        let planned = try CommandRunner.run(["plan", snapshot, "--patches", patches, "--rules", "none", "-o", plan])
        #expect(planned.status == 0, "\(planned.standardError)")
        let journal = directory.file("journal.jsonl")
        let arguments = [
            "apply", plan, "--journal", journal, "--namespace", "ns", "--base-url", server.url, "--concurrency", "2",
        ]
        for delay in [0.5, 0.8, 0.6] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
            process.arguments = arguments
            process.environment = ["MIXPEEK_API_KEY": "sk_test"]
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let journalText = try String(contentsOfFile: journal, encoding: .utf8)
        #expect(journalText.contains("\"outcome\":\"applied\""), "the killed runs got somewhere")
        let finish = try CommandRunner.run(arguments, environment: ["MIXPEEK_API_KEY": "sk_test"])
        #expect(finish.status == 0, "\(finish.standardError)")
        #expect(finish.standardError.contains("confirmed by an earlier run"))
        let counts = try #require(try Self.get(server.url + "/_sandbox/requests").objectValue)
        let requests = counts["requests"]?.objectValue ?? [:]
        let faults = counts["faults"]?.objectValue ?? [:]
        for document in documents {
            let key = "PATCH /v1/collections/\(document.collectionID)/documents/\(document.id)"
            let sent = (requests[key]?.intValue ?? 0) - (faults[key]?.intValue ?? 0)
            #expect(sent == 1, "\(document.id) was patched \(sent) times")
            let now = try Self.get(server.url + "/v1/collections/\(document.collectionID)/documents/\(document.id)")
            // The current shape (with `_internal`) keeps user fields at the root, the 2025 shapes in metadata.
            let fields =
                now.objectValue?["_internal"] != nil ? now.objectValue : now.objectValue?["metadata"]?.objectValue
            #expect(fields?["reviewed"] == .bool(true), "\(document.id)")
        }
        let undo = try CommandRunner.run(
            ["undo", "--journal", journal, "--base-url", server.url], environment: ["MIXPEEK_API_KEY": "sk_test"])
        #expect(undo.status == 0, "\(undo.standardError)")
        #expect(undo.standardError.contains("\(documents.count) restored"))
    }

    @Test("plan checks the patch file against the snapshot and names the line; apply refuses another namespace")
    func guards() throws {
        let (directory, _, _) = try Self.namespace(count: 1)
        try FileManager.default.removeItem(atPath: directory.file("patches.jsonl"))
        let files = try TemporaryDirectory()
        let bad = try files.write(
            "bad.jsonl", #"{"collection_id":"col_frames","document_id":"doc_absent","set":{"a":1}}"# + "\n")
        let missing = try CommandRunner.run(
            ["plan", directory.path, "--patches", bad, "--rules", "none", "-o", files.file("p.json")])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("bad.jsonl:1") && missing.standardError.contains("doc_absent"))
        let plan = files.file("plan.json")
        let made = try CommandRunner.run(["plan", directory.path, "--namespace", "ns_a", "-o", plan])
        #expect(made.status == 0, "\(made.standardError)")
        #expect(made.standardError.contains("plan: "))
        let other = try CommandRunner.run(
            ["apply", plan, "--journal", files.file("j"), "--namespace", "ns_b", "--base-url", "http://127.0.0.1:9"],
            environment: ["MIXPEEK_API_KEY": "k"])
        #expect(other.status == 2)
        #expect(other.standardError.contains("made for namespace ns_a"))
    }

    /// GETs `url`, again while the sandbox answers with an injected fault.
    static func get(_ url: String) throws -> JSONValue {
        guard let address = URL(string: url) else { return .null }
        for _ in 0..<20 {
            let value = try JSONValue(parsing: [UInt8](HTTP.send(URLRequest(url: address)).body), name: url)
            if value.objectValue?["success"] != .bool(false) { return value }
        }
        return .null
    }
}
