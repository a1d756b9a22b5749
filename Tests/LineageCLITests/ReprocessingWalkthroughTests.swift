import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// What re-processing breaks, end to end over HTTP against `lineage serve` with faults on: fetch
/// with batches and objects, audit, plan the duplicates' deletion, apply, undo; the sandbox's own
/// state (fetched again) shows exactly the non-keepers deleted once, and re-created by undo.
@Suite("Re-processing walkthrough")
struct ReprocessingWalkthroughTests {
    static let environment = ["MIXPEEK_API_KEY": "sk_walk"]

    /// The documents the sandbox holds now, by id, fetched through the API.
    static func served(_ url: String, into directory: String) throws -> [String: JSONValue] {
        let fetched = try CommandRunner.run(
            ["fetch", "--base-url", url, "--namespace", "ns_walk", "-o", directory, "--force"],
            environment: environment)
        #expect(fetched.status == 0, "\(fetched.standardError)")
        let text = try String(contentsOfFile: directory + "/documents.jsonl", encoding: .utf8)
        var documents: [String: JSONValue] = [:]
        for line in text.split(separator: "\n") {
            let value = try JSONValue(parsing: Array(line.utf8), name: "documents")
            documents[value["document_id"]?.stringValue ?? ""] = value
        }
        return documents
    }

    @Test("fetch --batches, audit, plan deletions, apply and undo with faults: the sandbox ends as it began")
    func walkthrough() throws {
        let work = try TemporaryDirectory()
        let namespace = work.file("ns")
        let made = try CommandRunner.run([
            "sample", "-o", namespace, "--videos", "4", "--articles", "8", "--defects", "2", "--shape", "mixed",
        ])
        #expect(made.status == 0, "\(made.standardError)")
        let expected = try String(contentsOfFile: namespace + "/expected/findings.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8), name: "expected") }
        let duplicates = Set(
            expected.filter { $0["rule"] == "duplicate.document" }.compactMap { $0["document_id"]?.stringValue })
        #expect(duplicates.count == 2)

        let server = try ServedSandbox([
            namespace, "--namespace", "ns_walk", "--api-key", "sk_walk", "--fail-rate", "0.15",
            "--rate-limit-rate", "0.05", "--lose-answer-rate", "0.4", "--seed", "9",
        ])
        defer { _ = server.stop() }
        let snapshot = work.file("snapshot")
        let fetched = try CommandRunner.run(
            [
                "fetch", "--base-url", server.url, "--namespace", "ns_walk", "--objects", "--batches", "-o", snapshot,
            ], environment: Self.environment)
        #expect(fetched.status == 0, "\(fetched.standardError)")
        #expect(fetched.standardError.contains("12 batches"), "one batch per video and article")
        let before = try Self.served(server.url, into: work.file("before"))

        // The audit of the fetched snapshot finds the re-processing defects the sample made.
        let audited = try CommandRunner.run(
            ["audit", snapshot, "--format", "json", "--fail-on", "never"], environment: Self.environment)
        #expect(audited.status == 0, "\(audited.standardError)")
        let findings =
            try JSONValue(parsing: Array(audited.standardOutput.utf8), name: "audit")["findings"]?
            .arrayValue ?? []
        func documents(_ rule: String) -> Set<String> {
            Set(findings.filter { $0["rule"]?.stringValue == rule }.compactMap { $0["document_id"]?.stringValue })
        }
        #expect(documents("duplicate.document") == duplicates)
        let batchFindings = findings.filter { $0["rule"] == "batch.unreconciled" }
        #expect(batchFindings.count == expected.filter { $0["rule"] == "batch.unreconciled" }.count)
        let deletedRoot = Set(
            expected.filter { $0["rule"] == "orphan.deleted-root" }.compactMap { $0["document_id"]?.stringValue })
        #expect(!deletedRoot.isEmpty && deletedRoot.isSubset(of: documents("orphan.deleted-root")))

        // Plan, apply under faults, apply again.
        let plan = work.file("plan.json")
        let planned = try CommandRunner.run(
            ["plan", snapshot, "--rules", "duplicate.document", "-o", plan], environment: Self.environment)
        #expect(planned.status == 0, "\(planned.standardError)")
        #expect(planned.standardError.contains("2 document(s) to delete"))
        let journal = work.file("journal.jsonl")
        let refused = try CommandRunner.run(
            ["apply", plan, "--journal", journal], environment: Self.environment)
        #expect(refused.status == 2 && refused.standardError.contains("--allow-delete"))
        let applied = try CommandRunner.run(
            ["apply", plan, "--journal", journal, "--allow-delete"], environment: Self.environment)
        #expect(applied.status == 0, "\(applied.standardError)")
        #expect(applied.standardError.contains("2 deleted"))
        let again = try CommandRunner.run(
            ["apply", plan, "--journal", journal, "--allow-delete"], environment: Self.environment)
        #expect(again.standardError.contains("2 confirmed by an earlier run"), "\(again.standardError)")
        let afterApply = try Self.served(server.url, into: work.file("after-apply"))
        #expect(Set(before.keys).subtracting(afterApply.keys) == duplicates, "exactly the non-keepers are gone")
        #expect(Set(afterApply.keys).isSubset(of: before.keys))

        // Undo re-creates each once, under new ids, with its lineage and user fields.
        let undone = try CommandRunner.run(["undo", "--journal", journal], environment: Self.environment)
        #expect(undone.status == 0, "\(undone.standardError)")
        #expect(undone.standardError.contains("2 deleted document(s) re-created under new ids"))
        let map = try JSONValue(
            parsing: Array(try Data(contentsOf: URL(fileURLWithPath: journal + ".ids.json"))), name: "map")
        let pairs = (map["documents"]?.arrayValue ?? []).compactMap { entry -> (String, String)? in
            guard let old = entry["old_document_id"]?.stringValue, let new = entry["new_document_id"]?.stringValue
            else { return nil }
            return (old, new)
        }
        #expect(Set(pairs.map(\.0)) == duplicates)
        let afterUndo = try Self.served(server.url, into: work.file("after-undo"))
        #expect(afterUndo.count == before.count, "each deleted document came back once, and nothing else was made")
        for (old, new) in pairs {
            let original = try #require(before[old])
            let made = try #require(afterUndo[new])
            #expect(
                Document.userFields(inResponse: made.objectValue ?? [:]).fields
                    == Document.userFields(inResponse: original.objectValue ?? [:]).fields)
            #expect(made["_internal"]?["lineage"]?["root_object_id"] != nil)
        }
        let counts = try ApplyCommandTests.get(server.url + "/_sandbox/requests")
        let lost = counts["lost_answers"]?.objectValue ?? [:]
        #expect(!lost.isEmpty, "answers were lost on the way, and nothing was done twice")
    }
}
