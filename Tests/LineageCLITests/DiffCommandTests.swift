import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// `lineage diff OLD NEW`: a pair of snapshots with known changes gives exactly the expected diff.
@Suite("lineage diff")
struct DiffCommandTests {
    /// Two snapshots made from one clean sample, and what was changed between them.
    struct Pair {
        let old: String
        let new: String
        /// Broken in OLD only (its findings are resolved in NEW).
        let fixed: String
        /// Broken in NEW only (its findings are new).
        let broken: String
        let removed: String
        let added: String
        let edited: String
        let addedObject: String
        let collectionOf: [String: String]
    }

    /// Documents of `snapshot/documents.jsonl`, as objects, in file order.
    static func documents(_ path: String) throws -> [JSONObject] {
        try String(contentsOfFile: path + "/documents.jsonl", encoding: .utf8).split(separator: "\n").map {
            try JSONValue(parsing: Array($0.utf8), name: "documents").objectValue ?? JSONObject()
        }
    }

    static func write(_ documents: [JSONObject], to path: String) throws {
        let text = documents.map { JSONValue.object($0).serialized() + "\n" }.joined()
        try text.write(toFile: path + "/documents.jsonl", atomically: true, encoding: .utf8)
    }

    /// `document` with its root object replaced in `_internal.lineage` and at the root.
    static func rerooted(_ document: JSONObject, to root: String) -> JSONObject {
        var document = document
        var internals = document["_internal"]?.objectValue ?? JSONObject()
        var lineage = internals["lineage"]?.objectValue ?? JSONObject()
        lineage["root_object_id"] = .string(root)
        internals["lineage"] = .object(lineage)
        document["_internal"] = .object(internals)
        if document["root_object_id"] != nil { document["root_object_id"] = .string(root) }
        return document
    }

    static func makePair(_ work: TemporaryDirectory) throws -> Pair {
        let base = work.file("base")
        let made = try CommandRunner.run(["sample", "-o", base, "--videos", "2", "--articles", "1"])
        #expect(made.status == 0, "\(made.standardError)")
        let documents = try Self.documents(base)
        let sources = Set(documents.compactMap { $0["_internal"]?["lineage"]?["source_document_id"]?.stringValue })
        let leaves = documents.indices.filter { !sources.contains(documents[$0]["document_id"]?.stringValue ?? "") }
        let (fixed, broken, removed, edited, template) = (leaves[0], leaves[1], leaves[2], leaves[3], leaves[4])
        func id(_ index: Int) -> String { documents[index]["document_id"]?.stringValue ?? "" }
        var collectionOf: [String: String] = [:]
        for document in documents {
            collectionOf[document["document_id"]?.stringValue ?? ""] = document["collection_id"]?.stringValue
        }

        let old = work.file("old")
        let new = work.file("new")
        for directory in [old, new] { try FileManager.default.copyItem(atPath: base, toPath: directory) }
        var oldDocuments = documents
        oldDocuments[fixed] = Self.rerooted(documents[fixed], to: "obj_gone_before")
        try Self.write(oldDocuments, to: old)

        var newDocuments = documents
        newDocuments[broken] = Self.rerooted(documents[broken], to: "obj_gone_now")
        var changed = documents[edited]
        let title = changed["title"]?.stringValue ?? changed.keys.first { !$0.hasPrefix("_") && $0.hasSuffix("_id") }
        #expect(changed["title"] != nil, "the sample's leaves have a title")
        changed["title"] = .string((title ?? "") + " (edited)")
        changed["language"] = "en"
        newDocuments[edited] = changed
        var copy = documents[template]
        copy["document_id"] = "doc_added_in_new"
        var internals = copy["_internal"]?.objectValue ?? JSONObject()
        internals["document_id"] = "doc_added_in_new"
        copy["_internal"] = .object(internals)
        newDocuments.append(copy)
        collectionOf["doc_added_in_new"] = copy["collection_id"]?.stringValue
        newDocuments.remove(at: removed)
        try Self.write(newDocuments, to: new)
        let objectLine = #"{"object_id":"obj_added_in_new","bucket_id":"bkt_videos","metadata":{}}"# + "\n"
        let objects = try String(contentsOfFile: new + "/objects.jsonl", encoding: .utf8) + objectLine
        try objects.write(toFile: new + "/objects.jsonl", atomically: true, encoding: .utf8)
        return Pair(
            old: old, new: new, fixed: id(fixed), broken: id(broken), removed: id(removed), added: "doc_added_in_new",
            edited: id(edited), addedObject: "obj_added_in_new", collectionOf: collectionOf)
    }

    @Test("known changes give exactly the expected diff, in JSON")
    func knownChanges() throws {
        let work = try TemporaryDirectory()
        let pair = try Self.makePair(work)
        let run = try CommandRunner.run(["diff", pair.old, pair.new, "--format", "json", "--fail-on", "never"])
        #expect(run.status == 0, "\(run.standardError)")
        let diff = try JSONValue(parsing: Array(run.standardOutput.utf8), name: "diff")
        func ids(_ list: JSONValue?) -> [String] {
            list?.arrayValue?.compactMap { $0["document_id"]?.stringValue } ?? []
        }
        #expect(ids(diff["documents"]?["added"]) == [pair.added])
        #expect(ids(diff["documents"]?["removed"]) == [pair.removed])
        #expect(
            diff["documents"]?["removed"]?.arrayValue?.first?["collection_id"]?.stringValue
                == pair.collectionOf[pair.removed])
        #expect(
            diff["objects"]?["added"]?.arrayValue?.compactMap { $0["object_id"]?.stringValue } == [pair.addedObject])
        #expect(diff["objects"]?["removed"]?.arrayValue?.isEmpty == true)

        // Lineage: the fixed and the broken document, each with the root it had and has, place by place.
        let lineage = diff["lineage_changed"]?.arrayValue ?? []
        #expect(Set(ids(diff["lineage_changed"])) == [pair.fixed, pair.broken] && lineage.count == 2)
        for change in lineage {
            let isFixed = change["document_id"]?.stringValue == pair.fixed
            let bad: JSONValue = isFixed ? "obj_gone_before" : "obj_gone_now"
            let resolved = change["resolved"]?.arrayValue ?? []
            #expect(resolved.count == 1 && resolved.first?["fact"] == "root_object_id")
            #expect((isFixed ? resolved.first?["old"] : resolved.first?["new"]) == bad)
            let places = change["statements"]?.arrayValue ?? []
            #expect(places.contains { $0["field"] == "_internal.lineage.root_object_id" })
            #expect(places.allSatisfy { $0["fact"] == "root_object_id" && $0["old"] != $0["new"] })
        }

        // User fields: only the edited document, by field name.
        let fields = diff["user_fields_changed"]?.arrayValue ?? []
        #expect(ids(diff["user_fields_changed"]) == [pair.edited])
        #expect(fields.first?["changed"] == ["title"] && fields.first?["added"] == ["language"])
        #expect(fields.first?["removed"] == [])

        // Findings: each change's own. The broken document loses its root; the added one copies
        // another (a duplicate); the edited title no longer matches the title passed through from the
        // source (drift); the removed document leaves its source without output in that collection
        // (coverage, about the collection). The fixed document's findings are resolved.
        let new = diff["findings"]?["new"]?.arrayValue ?? []
        let resolved = diff["findings"]?["resolved"]?.arrayValue ?? []
        let newSubjects = Set(
            new.map { ($0["document_id"]?.stringValue ?? "-") + " " + ($0["rule"]?.stringValue ?? "") })
        let expectedNew: Set = [
            "\(pair.broken) orphan.missing-root", "\(pair.broken) mismatch.source", "\(pair.added) duplicate.document",
            "\(pair.edited) drift.metadata", "- coverage.partial",
        ]
        #expect(newSubjects == expectedNew)
        #expect(new.count == expectedNew.count)
        let coverage = new.first { $0["rule"] == "coverage.partial" }
        #expect(coverage?["collection_id"]?.stringValue == pair.collectionOf[pair.removed])
        let resolvedSubjects = resolved.map {
            ($0["document_id"]?.stringValue ?? "-") + " " + ($0["rule"]?.stringValue ?? "")
        }
        #expect(Set(resolvedSubjects) == ["\(pair.fixed) orphan.missing-root", "\(pair.fixed) mismatch.source"])
        #expect(!resolved.isEmpty && Set(resolved.compactMap { $0["document_id"]?.stringValue }) == [pair.fixed])
        #expect(new.allSatisfy { $0["fingerprint"]?.stringValue?.count == 64 })
        // Cross-checked with two independent audits: persisting = findings both audits report.
        func audit(_ path: String) throws -> Set<String> {
            let run = try CommandRunner.run(["audit", path, "--format", "gitlab", "--fail-on", "never"])
            let issues = try JSONValue(parsing: Array(run.standardOutput.utf8), name: "audit").arrayValue ?? []
            return Set(issues.compactMap { $0["fingerprint"]?.stringValue })
        }
        let (before, after) = (try audit(pair.old), try audit(pair.new))
        let persisting = Set(
            diff["findings"]?["persisting"]?.arrayValue?.compactMap { $0["fingerprint"]?.stringValue } ?? [])
        #expect(persisting == before.intersection(after))
        #expect(Set(new.compactMap { $0["fingerprint"]?.stringValue }) == after.subtracting(before))
        #expect(Set(resolved.compactMap { $0["fingerprint"]?.stringValue }) == before.subtracting(after))

        let summary = diff["summary"]
        #expect(summary?["documents_added"]?.intValue == 1 && summary?["documents_removed"]?.intValue == 1)
        #expect(summary?["lineage_changed"]?.intValue == 2 && summary?["user_fields_changed"]?.intValue == 1)
        #expect(summary?["findings_new"]?.intValue == new.count)
        #expect(diff["old"]?["documents"]?.intValue == diff["new"]?["documents"]?.intValue)
    }

    @Test("--fail-on: new errors fail the job, resolved ones never do; text names each change")
    func failOnAndText() throws {
        let work = try TemporaryDirectory()
        let pair = try Self.makePair(work)
        let forward = try CommandRunner.run(["diff", pair.old, pair.new])
        #expect(forward.status == 1, "the broken document's findings are new errors: \(forward.standardError)")
        #expect(forward.standardOutput.contains("+ \(pair.collectionOf[pair.added] ?? "")/\(pair.added)"))
        #expect(forward.standardOutput.contains("- \(pair.collectionOf[pair.removed] ?? "")/\(pair.removed)"))
        #expect(forward.standardOutput.contains("resolved.root_object_id: "))
        #expect(forward.standardOutput.contains("→ obj_gone_now"))
        #expect(forward.standardOutput.contains("changed title; added language"))
        #expect(try CommandRunner.run(["diff", pair.old, pair.new, "--fail-on", "never"]).status == 0)
        // The same snapshots the other way round: the broken document's findings are resolved, the
        // fixed one's new.
        let backward = try CommandRunner.run(["diff", pair.new, pair.old, "--format", "json"])
        #expect(backward.status == 1)
        let diff = try JSONValue(parsing: Array(backward.standardOutput.utf8), name: "diff")
        let new = diff["findings"]?["new"]?.arrayValue?.compactMap { $0["document_id"]?.stringValue } ?? []
        #expect(Set(new) == [pair.fixed])
        // A snapshot against itself: nothing changed, nothing new.
        let same = try CommandRunner.run(["diff", pair.new, pair.new, "--format", "json", "--fail-on", "new-warnings"])
        #expect(same.status == 0, "\(same.standardOutput)")
        let nothing = try JSONValue(parsing: Array(same.standardOutput.utf8), name: "diff")["summary"]
        for key in ["documents_added", "documents_removed", "lineage_changed", "user_fields_changed", "findings_new"] {
            #expect(nothing?[key]?.intValue == 0, "\(key)")
        }
    }

    @Test("usage errors: no NEW and no --namespace, standard input, a missing snapshot")
    func usage() throws {
        let work = try TemporaryDirectory()
        let pair = try Self.makePair(work)
        let missing = try CommandRunner.run(["diff", pair.old])
        #expect(missing.status == 2 && missing.standardError.contains("--namespace"))
        #expect(try CommandRunner.run(["diff", "-", pair.new]).status == 2)
        let gone = try CommandRunner.run(["diff", pair.old, work.file("nowhere")])
        #expect(gone.status == 2 && gone.standardError.contains("nowhere"), "\(gone.standardError)")
    }

    @Test("NEW read from the API over HTTP gives the same diff as NEW read from its files")
    func newFromTheAPI() throws {
        let work = try TemporaryDirectory()
        let pair = try Self.makePair(work)
        let server = try ServedSandbox([pair.new, "--namespace", "ns_diff"])
        defer { _ = server.stop() }
        let environment = ["MIXPEEK_API_KEY": "sk_diff"]
        let served = try CommandRunner.run(
            [
                "diff", pair.old, "--namespace", "ns_diff", "--base-url", server.url, "--format", "json", "--fail-on",
                "never",
            ],
            environment: environment)
        #expect(served.status == 0, "\(served.standardError)")
        let files = try CommandRunner.run(["diff", pair.old, pair.new, "--format", "json", "--fail-on", "never"])
        let fromAPI = try JSONValue(parsing: Array(served.standardOutput.utf8), name: "served")
        let fromFiles = try JSONValue(parsing: Array(files.standardOutput.utf8), name: "files")
        for key in ["documents", "lineage_changed", "user_fields_changed"] {
            #expect(fromAPI[key] == fromFiles[key], "\(key)")
        }
        // `fetch` reads the objects documents name, so an object no document names yet is not seen.
        #expect(fromFiles["objects"]?["added"]?.arrayValue?.count == 1)
        #expect(fromAPI["objects"]?["added"] == [] && fromAPI["objects"]?["removed"] == [])
        // The API's snapshot knows the bucket was looked up whole, so the lost root is a deleted root.
        func subjects(_ diff: JSONValue, _ kind: String) -> Set<String> {
            Set(
                diff["findings"]?[kind]?.arrayValue?.map {
                    ($0["document_id"]?.stringValue ?? "-") + " " + ($0["rule"]?.stringValue ?? "")
                } ?? [])
        }
        // The object only the files have leaves the frames short of one bucket object (coverage).
        let renamed = Set(
            subjects(fromFiles, "new").compactMap {
                $0 == "- coverage.partial"
                    ? nil : $0 == "\(pair.broken) orphan.missing-root" ? "\(pair.broken) orphan.deleted-root" : $0
            })
        #expect(subjects(fromAPI, "new") == renamed)
        #expect(subjects(fromAPI, "resolved") == subjects(fromFiles, "resolved"))
        #expect(!served.standardOutput.contains("sk_diff") && !served.standardError.contains("sk_diff"))
        let both = try CommandRunner.run(
            ["diff", pair.old, pair.new, "--namespace", "ns_diff", "--base-url", server.url], environment: environment)
        #expect(both.status == 2 && both.standardError.contains("not both"))
    }

    @Test("graph --diff: one picture of both, added green, removed dashed with their edges, changed double-outlined")
    func picture() throws {
        let work = try TemporaryDirectory()
        let pair = try Self.makePair(work)
        let run = try CommandRunner.run(["graph", "--diff", pair.old, pair.new, "--format", "dot", "--collapse", "0"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        func node(_ id: String) -> String? { lines.first { $0.hasPrefix("  \"\(id)\" [") } }
        let added = try #require(node(pair.added))
        #expect(added.contains("class=\"document added\"") && added.contains("fillcolor=\"#c7e9c0\""))
        let removed = try #require(node(pair.removed), "the removed document is drawn")
        #expect(removed.contains("class=\"document removed\"") && removed.contains("style=\"filled,dashed\""))
        for id in [pair.fixed, pair.broken, pair.edited] {
            let changed = try #require(node(id))
            #expect(changed.contains("changed\"") && changed.contains("peripheries=\"2\""), "\(id)")
        }
        let unchanged = lines.filter { $0.hasPrefix("  \"doc_") && $0.contains(" [id=") }
            .filter { !$0.contains(" added\"") && !$0.contains(" removed\"") && !$0.contains(" changed\"") }
        #expect(unchanged.count > 100, "the rest is drawn as usual")
        #expect(lines.contains { $0.hasSuffix("-> \"\(pair.added)\" [color=\"#2ca02c\", penwidth=2];") })
        #expect(lines.contains { $0.hasSuffix("-> \"\(pair.removed)\" [color=\"#999999\", style=dashed];") })
        #expect(run.standardError.contains("1 document(s) added, 1 removed, 3 changed"))
        // Through Graphviz, the classes reach the SVG.
        let svg = try CommandRunner.run([
            "graph", "--diff", pair.old, pair.new, "--select", "@" + pair.added, "-o", work.file("d.svg"),
        ])
        #expect(svg.status == 0, "\(svg.standardError)")
        let text = try String(contentsOfFile: work.file("d.svg"), encoding: .utf8)
        #expect(text.contains("class=\"node document added\""))
    }

    @Test("SnapshotDiff.picture: an edge that no longer holds is drawn dashed from the old source")
    func movedDocument() throws {
        func document(_ id: String, _ collection: String, source: String?, object: String = "obj_1") -> Document {
            Document(
                id: id, collectionID: collection, shape: .current,
                statements: [
                    LineageStatement(
                        place: .internal, rootObjectID: object, rootBucketID: "bkt",
                        sourceType: source == nil ? .bucket : .collection,
                        sourceObjectID: source == nil ? object : nil, sourceDocumentID: source,
                        sourceCollectionID: source == nil ? nil : "col_a")
                ], raw: RawJSON(bytes: Array("{}".utf8)))
        }
        let old = Snapshot(documents: [
            document("doc_a1", "col_a", source: nil), document("doc_a2", "col_a", source: nil),
            document("doc_b", "col_b", source: "doc_a1"),
        ])
        var new = old
        new.documents[2] = document("doc_b", "col_b", source: "doc_a2")
        let empty = AuditReport(documents: 0, objects: 0, collections: 0, rules: [], findings: [])
        let diff = SnapshotDiff(old: old, oldReport: empty, new: new, newReport: empty)
        #expect(diff.lineageChanges.map(\.document.documentID) == ["doc_b"])
        #expect(diff.lineageChanges.first?.resolved.map(\.fact) == ["source_document_id"])
        let (_, marks) = diff.picture(old: old, new: new)
        #expect(marks.removedEdges.map { "\($0.source)>\($0.derived)" } == ["doc_a1>doc_b"])
        #expect(marks.changed == ["doc_b"] && marks.added.isEmpty && marks.removed.isEmpty)
        // The streamed JSON text, in pieces of any size, is the JSON value.
        for chunkSize in [1, 64, 1 << 20] {
            var text: [UInt8] = []
            var pieces = 0
            diff.writeJSON(chunkSize: chunkSize) {
                text += $0
                pieces += 1
            }
            #expect(try JSONValue(parsing: text, name: "streamed") == diff.json)
            #expect(chunkSize > 64 || pieces > 1)
        }
    }

    @Test("report --diff: a Changes section with the diff's counts and entries, escaped")
    func reportChanges() throws {
        let work = try TemporaryDirectory()
        let pair = try Self.makePair(work)
        let made = try CommandRunner.run(["report", pair.new, "--diff", pair.old, "-o", work.file("r.html")])
        #expect(made.status == 0, "\(made.standardError)")
        let html = try String(contentsOfFile: work.file("r.html"), encoding: .utf8)
        let json = try CommandRunner.run(["diff", pair.old, pair.new, "--format", "json", "--fail-on", "never"])
        let summary = try JSONValue(parsing: Array(json.standardOutput.utf8), name: "diff")["summary"]
        let cards = [
            ("added", "documents_added"), ("removed", "documents_removed"), ("lineage", "lineage_changed"),
            ("fields", "user_fields_changed"), ("new", "findings_new"), ("resolved", "findings_resolved"),
        ]
        for (card, key) in cards {
            let value = summary?[key]?.intValue ?? -1
            #expect(html.contains("id=\"change-\(card)\"><span class=\"value\" data-value=\"\(value)\">"), "\(card)")
        }
        #expect(html.contains("<td>\(pair.added)</td>") && html.contains("<td>\(pair.removed)</td>"))
        #expect(html.contains("<td>resolved.root_object_id</td>"))
        #expect(html.contains("<td>&quot;obj_gone_now&quot;</td>"), "values are escaped")
        let plain = try CommandRunner.run(["report", pair.new, "-o", work.file("plain.html")])
        #expect(plain.status == 0)
        #expect(try !String(contentsOfFile: work.file("plain.html"), encoding: .utf8).contains("id=\"changes\""))
    }
}
