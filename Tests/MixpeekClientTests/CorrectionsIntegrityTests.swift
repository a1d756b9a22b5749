import Foundation
import LineageCorrections
import LineageKit
import LineageSandbox
import LineageTestSupport
import MixpeekClient
import Synchronization
import Testing

/// The five ways corrections could lose or corrupt data (issue 11), each reproduced over real
/// HTTP against the sandbox: two runs on one journal, a torn journal line, undo by position,
/// numbers compared as doubles, dotted field names read as paths.
@Suite("Corrections integrity")
struct CorrectionsIntegrityTests {
    /// A two-document snapshot, one current-shape and one 2025-shape, with the user fields given.
    static func snapshot(current: String, legacy: String) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let lines = [
            #"{"document_id":"doc_now","collection_id":"col_a","_internal":{"lineage":{"root_object_id":"obj_1","#
                + #""root_bucket_id":"bkt_1","source_type":"bucket","source_object_id":"obj_1","path":"bkt_1/col_a"}},"#
                + current + "}",
            #"{"document_id":"doc_old","collection_id":"col_a","root_object_id":"obj_1","root_bucket_id":"bkt_1","#
                + #""source_type":"bucket","source_object_id":"obj_1","lineage_path":"bkt_1/col_a","metadata":{"#
                + legacy + "}}",
        ]
        _ = try directory.write("documents.jsonl", lines.joined(separator: "\n") + "\n")
        _ = try directory.write(
            "objects.jsonl", #"{"object_id":"obj_1","bucket_id":"bkt_1","metadata":{"title":"T"}}"# + "\n")
        return directory
    }

    /// Plans `patches` (JSON Lines text) against the snapshot in `directory`.
    static func plan(_ directory: TemporaryDirectory, patches: String) throws -> (CorrectionPlan, Int) {
        let snapshot = try SnapshotReader().read(.path(directory.path))
        let file = try directory.write("patches.jsonl.txt", patches)
        return try PlanBuilder(rules: []).plan(
            snapshot: snapshot, findings: [], userPatches: PlanBuilder.readPatches(file), namespace: "ns_test",
            baseURL: nil, source: [:])
    }

    static func patchCount(_ sandbox: Sandbox, _ collection: String, _ document: String) async -> Int {
        let key = "PATCH /v1/collections/\(collection)/documents/\(document)"
        let (requests, faults) = await sandbox.counts()
        return (requests[key] ?? 0) - (faults[key] ?? 0)
    }

    // MARK: 1. Two runs on one journal

    @Test("a second apply on a journal another run holds stops at once, sends nothing, and names the holder")
    func exclusiveJournal() async throws {
        let (directory, _, plan) = try CorrectionsTests.drifted()
        let journal = directory.file("journal.jsonl")
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init(latencyMilliseconds: 150)) {
            client, sandbox in
            let first = Task { try await PlanApplier(client: client).apply(plan, journalPath: journal) }
            // Wait until the first run holds the lock and has written its start entry.
            for _ in 0..<200 where !((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").contains("start") {
                try await Task.sleep(nanoseconds: 10_000_000)
            }
            let requestsBefore = await sandbox.counts().requests.values.reduce(0, +)
            let error = await #expect(throws: CorrectionsError.self) {
                try await PlanApplier(client: client).apply(plan, journalPath: journal)
            }
            #expect(
                error?.message.contains("in use by lineage apply (pid \(getpid()))") == true,
                "\(String(describing: error))")
            let undoError = await #expect(throws: CorrectionsError.self) {
                try await PlanApplier(client: client).undo(journalPath: journal)
            }
            #expect(undoError?.message.contains("in use") == true)
            let requestsAfter = await sandbox.counts().requests.values.reduce(0, +)
            #expect(requestsAfter - requestsBefore <= 2 * 4, "only the first run's in-flight requests went out")
            let summary = try await first.value
            #expect(summary.count("applied") == plan.patches.count, "\(summary.line)")
            for patch in plan.patches {
                #expect(await Self.patchCount(sandbox, patch.collectionID, patch.documentID) == 1)
            }
            // The journal is whole: a later undo reads it and restores everything.
            let undone = try await PlanApplier(client: client).undo(journalPath: journal)
            #expect(undone.count("restored") == plan.patches.count, "\(undone.line)")
        }
    }

    // MARK: 2. A torn last line

    @Test("a torn last journal line is moved aside, the journal truncated, and resume and undo go on")
    func tornLastLine() async throws {
        let (directory, _, plan) = try CorrectionsTests.drifted()
        let journal = directory.file("journal.jsonl")
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init()) { client, sandbox in
            let original = await sandbox.allDocuments()
            _ = try await PlanApplier(client: client).apply(plan, journalPath: journal)
            // A crash mid-write: the last outcome line cut at a byte offset, as the kernel leaves it.
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: journal)))
            let lastLineStart = (bytes.dropLast().lastIndex(of: 0x0A) ?? -1) + 1
            let cut = lastLineStart + (bytes.count - lastLineStart) / 2
            let torn = Array(bytes[lastLineStart..<cut])
            bytes.removeSubrange(cut...)
            try Data(bytes).write(to: URL(fileURLWithPath: journal))
            let warnings = Mutex<[String]>([])
            let again = try await PlanApplier(client: client).apply(
                plan, journalPath: journal, options: .init(warn: { text in warnings.withLock { $0.append(text) } }))
            #expect(warnings.withLock { $0.contains { $0.contains("cut short") && $0.contains(".torn-1") } })
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: journal + ".torn-1"))) == torn)
            let healed = try String(contentsOfFile: journal, encoding: .utf8)
            #expect(healed.hasSuffix("\n"))
            #expect(healed.split(separator: "\n").allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
            // The torn outcome is settled from the document itself: applied, not sent again.
            #expect(again.count("applied") == 1 && again.count("done") == plan.patches.count - 1, "\(again.line)")
            for patch in plan.patches {
                #expect(await Self.patchCount(sandbox, patch.collectionID, patch.documentID) == 1)
            }
            let undone = try await PlanApplier(client: client).undo(journalPath: journal)
            #expect(undone.count("restored") == plan.patches.count, "\(undone.line)")
            #expect(Set(await sandbox.allDocuments()) == Set(original))
        }
    }

    @Test("damage other than a torn last line is an error naming the line, and nothing is sent")
    func damagedJournal() async throws {
        let (directory, _, plan) = try CorrectionsTests.drifted()
        let journal = directory.file("journal.jsonl")
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init()) { client, sandbox in
            _ = try await PlanApplier(client: client).apply(plan, journalPath: journal)
            var lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map(String.init)
            lines[1] = String(lines[1].prefix(20)) + "garbage"
            try (lines.joined(separator: "\n") + "\n").write(toFile: journal, atomically: true, encoding: .utf8)
            let sent = await sandbox.counts().requests.values.reduce(0, +)
            let error = await #expect(throws: CorrectionsError.self) {
                try await PlanApplier(client: client).undo(journalPath: journal)
            }
            #expect(error?.message.contains("journal.jsonl:2") == true, "\(String(describing: error))")
            #expect(await sandbox.counts().requests.values.reduce(0, +) == sent)
        }
    }

    // MARK: 3. Undo by identity

    @Test("apply with conflicts, undo, the other writer reverts, apply again, undo again: every document is original")
    func undoByIdentity() async throws {
        let (directory, snapshot, plan) = try CorrectionsTests.drifted(defects: 6)
        let journal = directory.file("journal.jsonl")
        #expect(plan.patches.count >= 4)
        let shapes = Dictionary(uniqueKeysWithValues: snapshot.documents.map { ($0.id, $0.shape) })
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init(patchSemantics: .merge)) {
            client, sandbox in
            let original = await sandbox.allDocuments()
            let edited = Array(plan.patches.prefix(3))
            for patch in edited {
                _ = try await client.patchDocument(
                    patch.documentID, inCollection: patch.collectionID,
                    body: ["metadata": [patch.changes[0].field: "edited_by_someone_else"]])
            }
            let first = try await PlanApplier(client: client).apply(plan, journalPath: journal)
            #expect(first.count("conflict") == 3, "\(first.line)")
            #expect(first.needsAttention)
            let undone = try await PlanApplier(client: client).undo(journalPath: journal)
            #expect(undone.count("restored") == plan.patches.count - 3, "\(undone.line)")
            // The other writer puts its edits back.
            for patch in edited {
                let value =
                    patch.changes[0].from.map { ["metadata": [patch.changes[0].field: $0]] as JSONValue }
                    ?? ["metadata": [patch.changes[0].field: nil]]
                _ = try await client.patchDocument(patch.documentID, inCollection: patch.collectionID, body: value)
                _ = shapes[patch.documentID]
            }
            let second = try await PlanApplier(client: client).apply(plan, journalPath: journal)
            #expect(second.count("applied") == plan.patches.count, "every document, undone ones again: \(second.line)")
            let again = try await PlanApplier(client: client).undo(journalPath: journal)
            #expect(again.count("restored") == plan.patches.count, "\(again.line)")
            #expect(!again.needsAttention)
            #expect(Set(await sandbox.allDocuments()) == Set(original), "every document is back to its original JSON")
        }
    }

    @Test("a patch journaled as failed or unknown that in fact landed is settled and undone")
    func settleUnknownOutcome() async throws {
        let (directory, _, plan) = try CorrectionsTests.drifted()
        let journal = directory.file("journal.jsonl")
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init()) { client, sandbox in
            let original = await sandbox.allDocuments()
            _ = try await PlanApplier(client: client).apply(plan, journalPath: journal)
            // As if the answers of two PATCHes had been lost: the journal says failed / unknown.
            var text = try String(contentsOfFile: journal, encoding: .utf8)
            for outcome in ["failed", "unknown"] {
                guard let range = text.range(of: #""outcome":"applied""#) else { break }
                text.replaceSubrange(range, with: #""outcome":"\#(outcome)""#)
            }
            try text.write(toFile: journal, atomically: true, encoding: .utf8)
            let undone = try await PlanApplier(client: client).undo(journalPath: journal)
            #expect(undone.count("restored") == plan.patches.count, "\(undone.line)")
            #expect(Set(await sandbox.allDocuments()) == Set(original))
            let undoJournal = try String(contentsOfFile: journal + ".undo", encoding: .utf8)
            #expect(undoJournal.components(separatedBy: #""type":"settled""#).count - 1 == 2)
        }
    }

    // MARK: 4. Exact numbers

    @Test("numbers compare by exact decimal value, never through Double")
    func exactNumbers() throws {
        func number(_ text: String) -> JSONValue { .number(JSONNumber(text: text)) }
        #expect(number("9007199254740992") != number("9007199254740993"))
        #expect(number("1e400") != number("1e999"))
        #expect(number("1.0") == number("1"))
        #expect(number("1e2") == number("100"))
        #expect(number("0.1e1") == number("1.000"))
        #expect(number("-0") == number("0.0e5"))
        #expect(number("-1") != number("1"))
        #expect(number("12.50e-1") == number("1.25"))
        #expect(Set([number("1e2"), number("100"), number("100.0")]).count == 1)
        #expect(JSONNumber(text: "1e2").intValue == 100 && JSONNumber(text: "1.5").intValue == nil)
    }

    @Test("a change between numbers a Double cannot tell apart is planned, applied exactly and undone")
    func bigNumberChange() async throws {
        let directory = try Self.snapshot(
            current: #""confidence":9007199254740992"#, legacy: #""confidence":9007199254740992"#)
        let (plan, noOps) = try Self.plan(
            directory,
            patches: #"{"collection_id":"col_a","document_id":"doc_now","set":{"confidence":9007199254740993}}"#
                + "\n" + #"{"collection_id":"col_a","document_id":"doc_old","set":{"confidence":9007199254740992}}"#
                + "\n")
        #expect(noOps == 1, "only the change to the same value is a no-op")
        #expect(plan.patches.map(\.documentID) == ["doc_now"])
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init()) { client, sandbox in
            let summary = try await PlanApplier(client: client).apply(plan, journalPath: directory.file("j.jsonl"))
            #expect(summary.count("applied") == 1, "\(summary.line)")
            let now = await sandbox.document("doc_now", inCollection: "col_a")
            #expect(now?["confidence"]?.serialized() == "9007199254740993")
            _ = try await PlanApplier(client: client).undo(journalPath: directory.file("j.jsonl"))
            #expect(
                await sandbox.document("doc_now", inCollection: "col_a")?["confidence"]?.serialized()
                    == "9007199254740992")
        }
    }

    @Test("records of one document differing only past Double's precision are a conflict, not a merge")
    func exactDuplicates() throws {
        for (left, right) in [("9007199254740992", "9007199254740993"), ("1e400", "1e999")] {
            let line = { (value: String) in
                #"{"document_id":"doc_1","collection_id":"col_a","root_object_id":"obj_1","source_type":"bucket","#
                    + #""metadata":{"x":\#(value)}}"#
            }
            let bytes = Array((line(left) + "\n" + line(right) + "\n").utf8)
            let error = #expect(throws: LineageKitError.self) {
                try SnapshotReader().read(.bytes(bytes, name: "dup.jsonl"))
            }
            #expect(error?.code == .conflictingDuplicate, "\(left) vs \(right)")
        }
        let same = Array(
            (#"{"document_id":"doc_1","collection_id":"col_a","metadata":{"x":1e2}}"# + "\n"
                + #"{"document_id":"doc_1","collection_id":"col_a","metadata":{"x":100}}"# + "\n").utf8)
        #expect(try SnapshotReader().read(.bytes(same, name: "same.jsonl")).documents.count == 1)
    }

    @Test("drift between numbers a Double cannot tell apart is reported")
    func exactDrift() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write(
            "documents.jsonl",
            #"{"document_id":"doc_1","collection_id":"col_a","root_object_id":"obj_1","root_bucket_id":"bkt_1","#
                + #""source_type":"bucket","source_object_id":"obj_1","lineage_path":"bkt_1/col_a","#
                + #""metadata":{"big":9007199254740993}}"# + "\n")
        _ = try directory.write(
            "objects.jsonl", #"{"object_id":"obj_1","bucket_id":"bkt_1","metadata":{"big":9007199254740992}}"# + "\n")
        let snapshot = try SnapshotReader().read(.path(directory.path))
        let findings = try Auditor(configuration: .init(rules: ["drift.metadata"]))
            .audit(DecompositionGraph(snapshot: snapshot)).findings
        #expect(findings.map(\.documentID) == ["doc_1"])
    }

    // MARK: 5. Field names are names

    @Test("a patch must name a document of the snapshot by its collection and id, whatever its id's form")
    func patchesNameDocuments() throws {
        let directory = try Self.snapshot(current: #""title":"A tour""#, legacy: #""title":"A tour""#)
        func line(_ collection: String, _ document: String) -> String {
            #"{"collection_id":"\#(collection)","document_id":"\#(document)","set":{"title":"B"}}"# + "\n"
        }
        let (plan, _) = try Self.plan(directory, patches: line("col_a", "doc_now") + line("col_a", "doc_old"))
        #expect(plan.patches.map(\.documentID).sorted() == ["doc_now", "doc_old"])
        for (collection, document) in [
            ("col_a", "doc_absent"), ("col_b", "doc_now"), ("col_a", "doc_0123456789abcdef"),
        ] {
            let error = #expect(throws: CorrectionsError.self) {
                try Self.plan(directory, patches: line("col_a", "doc_now") + line(collection, document))
            }
            #expect(
                error?.message.contains("document \(document) of \(collection) is not in the snapshot") == true,
                "\(String(describing: error))")
        }
    }

    @Test("set takes literal names: a dotted name is one field, and nothing else changes")
    func literalFieldNames() async throws {
        let directory = try Self.snapshot(
            current: #""title":"A tour","v1.2":1"#, legacy: #""title":"A tour","v1.2":1"#)
        var lines = ""
        for document in ["doc_now", "doc_old"] {
            lines +=
                #"{"collection_id":"col_a","document_id":"\#(document)","set":{"title.lang":"en","v1.2":2}}"# + "\n"
        }
        let (plan, _) = try Self.plan(directory, patches: lines)
        #expect(plan.patches.allSatisfy { $0.changes.map(\.target) == [.field("title.lang"), .field("v1.2")] })
        for semantics in Sandbox.PatchSemantics.allCases {
            let copy = try TemporaryDirectory()
            for name in ["documents.jsonl", "objects.jsonl"] {
                try FileManager.default.copyItem(atPath: directory.file(name), toPath: copy.file(name))
            }
            try await ClientOverHTTPTests.withSandbox(copy.path, options: .init(patchSemantics: semantics)) {
                client, sandbox in
                let summary = try await PlanApplier(client: client).apply(plan, journalPath: copy.file("j.jsonl"))
                #expect(summary.count("applied") == 2, "\(semantics): \(summary.line)")
                for id in ["doc_now", "doc_old"] {
                    let document = try #require(await sandbox.document(id, inCollection: "col_a")?.objectValue)
                    let fields = Document.userFields(inResponse: document).fields
                    #expect(fields["title"] == "A tour", "\(semantics) \(id)")
                    #expect(fields["title.lang"] == "en" && fields["v1.2"] == 2, "\(semantics) \(id)")
                    #expect(fields.count == 3, "\(semantics) \(id): \(fields.keys)")
                }
            }
        }
    }

    @Test("set_path reaches inside objects by JSON Pointer and never replaces a non-object")
    func pointerChanges() async throws {
        let directory = try Self.snapshot(
            current: #""title":"A tour","labels":{"lang":"fr","a/b":1,"keep":true}"#, legacy: #""title":"A tour""#)
        let (plan, _) = try Self.plan(
            directory,
            patches:
                #"{"collection_id":"col_a","document_id":"doc_now","set_path":{"/labels/lang":"en","/labels/a~1b":2}}"#
                + "\n")
        #expect(plan.patches.first?.changes.map(\.field) == ["/labels/lang", "/labels/a~1b"])
        let error = #expect(throws: CorrectionsError.self) {
            try Self.plan(
                directory,
                patches: #"{"collection_id":"col_a","document_id":"doc_old","set_path":{"/title/lang":"en"}}"# + "\n")
        }
        #expect(error?.message.contains("patches.jsonl.txt:1") == true && error?.message.contains("string") == true)
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init(patchSemantics: .replace)) {
            client, sandbox in
            let summary = try await PlanApplier(client: client).apply(plan, journalPath: directory.file("j.jsonl"))
            #expect(summary.count("applied") == 1, "\(summary.line)")
            let labels = await sandbox.document("doc_now", inCollection: "col_a")?["labels"]
            #expect(labels == ["lang": "en", "a/b": 2, "keep": true])
        }
    }

    // MARK: Beyond the five

    @Test("a record with a key twice is refused with its file and line, and apply never patches such a document")
    func duplicateKeys() async throws {
        let bytes = Array(
            (#"{"document_id":"doc_1","collection_id":"col_a","metadata":{"x":1}}"# + "\n"
                + #"{"document_id":"doc_2","collection_id":"col_a","metadata":{"x":1,"x":2}}"# + "\n").utf8)
        let error = #expect(throws: LineageKitError.self) {
            try SnapshotReader().read(.bytes(bytes, name: "dup.jsonl"))
        }
        #expect(error?.code == .duplicateKey)
        #expect(error?.description.contains("dup.jsonl:2") == true && error?.description.contains("\"x\"") == true)
        let root = Array(#"{"document_id":"doc_1","collection_id":"col_a","document_id":"doc_1"}"#.utf8)
        #expect(throws: LineageKitError.self) { try SnapshotReader().read(.bytes(root, name: "root.jsonl")) }
        let escaped = Array(#"{"document_id":"doc_1","collection_id":"col_a","metadata":{"a":1,"\u0061":2}}"#.utf8)
        #expect(throws: LineageKitError.self) { try SnapshotReader().read(.bytes(escaped, name: "esc.jsonl")) }
        // A key whose text is a backslash, then u0061 is not the key "a".
        let backslash = Array(
            #"{"document_id":"doc_1","collection_id":"col_a","metadata":{"a":1,"\\u0061":2}}"#.utf8)
        let read = try SnapshotReader().read(.bytes(backslash, name: "backslash.jsonl"))
        #expect(read.documents.first?.userFields.keys == ["a", #"\u0061"#])

        // The served document has a key twice (a snapshot edited by hand): apply leaves it alone.
        let directory = try Self.snapshot(current: #""x":1"#, legacy: #""x":1"#)
        let (plan, _) = try Self.plan(
            directory, patches: #"{"collection_id":"col_a","document_id":"doc_old","set":{"y":2}}"# + "\n")
        var text = try String(contentsOfFile: directory.file("documents.jsonl"), encoding: .utf8)
        text = text.replacingOccurrences(of: #""metadata":{"x":1}"#, with: #""metadata":{"x":1,"x":3}"#)
        try text.write(toFile: directory.file("documents.jsonl"), atomically: true, encoding: .utf8)
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init()) { client, sandbox in
            let summary = try await PlanApplier(client: client).apply(plan, journalPath: directory.file("j.jsonl"))
            #expect(summary.count("failed") == 1)
            #expect(summary.outcomes.first?.detail?.contains("\"x\" twice") == true)
            #expect(await Self.patchCount(sandbox, "col_a", "doc_old") == 0)
        }

        // Applied while whole, then given a key twice by hand: undo leaves it alone too.
        let other = try Self.snapshot(current: #""x":1"#, legacy: #""x":1"#)
        let (otherPlan, _) = try Self.plan(
            other, patches: #"{"collection_id":"col_a","document_id":"doc_old","set":{"y":2}}"# + "\n")
        let journal = other.file("j.jsonl")
        try await ClientOverHTTPTests.withSandbox(other.path, options: .init(persist: true)) { client, _ in
            let applied = try await PlanApplier(client: client).apply(otherPlan, journalPath: journal)
            #expect(applied.count("applied") == 1, "\(applied.line)")
        }
        var served = try String(contentsOfFile: other.file("documents.jsonl"), encoding: .utf8)
        served = served.replacingOccurrences(of: #""metadata":{"x":1,"y":2}"#, with: #""metadata":{"x":1,"y":2,"x":3}"#)
        try served.write(toFile: other.file("documents.jsonl"), atomically: true, encoding: .utf8)
        try await ClientOverHTTPTests.withSandbox(other.path, options: .init()) { client, sandbox in
            let undone = try await PlanApplier(client: client).undo(journalPath: journal)
            #expect(undone.count("failed") == 1, "\(undone.line)")
            #expect(undone.outcomes.first?.detail?.contains("\"x\" twice") == true)
            #expect(await Self.patchCount(sandbox, "col_a", "doc_old") == 0)
        }
    }

    @Test("drift on a document whose lineage is disputed is held, unless asked for")
    func heldWhenDisputed() throws {
        let (_, snapshot, _) = try CorrectionsTests.drifted()
        let document = try #require(snapshot.documents.first)
        let drift = Finding(
            rule: "drift.metadata", severity: .warning, documentID: document.id, collectionID: document.collectionID,
            message: "", evidence: ["fields": [["field": "campaign_id", "expected": "Q1", "actual": "Q2"]]])
        let mismatch = Finding(
            rule: "mismatch.root", severity: .error, documentID: document.id, collectionID: document.collectionID,
            message: "")
        let held = try PlanBuilder().plan(
            snapshot: snapshot, findings: [drift, mismatch], namespace: nil, baseURL: nil, source: [:]
        ).plan
        #expect(held.patches.isEmpty)
        #expect(held.held.map(\.documentID) == [document.id])
        #expect(held.held.first?.reason.contains("mismatch.root") == true)
        #expect(held.summary().contains("held"))
        let included = try PlanBuilder(includeDisputed: true).plan(
            snapshot: snapshot, findings: [drift, mismatch], namespace: nil, baseURL: nil, source: [:]
        ).plan
        #expect(included.patches.map(\.documentID) == [document.id] && included.held.isEmpty)
        let files = try TemporaryDirectory()
        let file = try files.write("plan.json", held.json.serialized(.pretty))
        #expect(try CorrectionPlan(contentsOf: file) == held, "held entries round-trip")
    }

    @Test(
        "the metadata body is right under every PATCH-key behaviour the API has had",
        arguments: [Sandbox.PatchKeys.metadata, .warn, .any], Sandbox.PatchSemantics.allCases)
    func metadataBodyEverywhere(keys: Sandbox.PatchKeys, semantics: Sandbox.PatchSemantics) async throws {
        let directory = try Self.snapshot(current: #""x":1,"gone":true"#, legacy: #""x":1,"gone":true"#)
        var lines = ""
        for document in ["doc_now", "doc_old"] {
            lines += #"{"collection_id":"col_a","document_id":"\#(document)","set":{"x":2},"unset":["gone"]}"# + "\n"
        }
        let (plan, _) = try Self.plan(directory, patches: lines)
        try await ClientOverHTTPTests.withSandbox(
            directory.path, options: .init(patchSemantics: semantics, patchKeys: keys)
        ) { client, sandbox in
            let summary = try await PlanApplier(client: client).apply(plan, journalPath: directory.file("j.jsonl"))
            #expect(summary.count("applied") == 2, "\(keys) \(semantics): \(summary.line)")
            for id in ["doc_now", "doc_old"] {
                let document = try #require(await sandbox.document(id, inCollection: "col_a")?.objectValue)
                #expect(Document.userFields(inResponse: document).fields == ["x": 2], "\(keys) \(semantics) \(id)")
            }
        }
        let journal = try String(contentsOfFile: directory.file("j.jsonl"), encoding: .utf8)
        #expect(journal.contains(#""form":"metadata""#))
    }

    @Test("a documented 422 extra_forbidden naming other keys falls back to the root form, journaled, and undo follows")
    func fallbackToRootForm() async throws {
        let directory = try Self.snapshot(current: #""x":1,"gone":true"#, legacy: #""x":1,"gone":true"#)
        var lines = ""
        for document in ["doc_now", "doc_old"] {
            lines += #"{"collection_id":"col_a","document_id":"\#(document)","set":{"x":2},"unset":["gone"]}"# + "\n"
        }
        let (plan, _) = try Self.plan(directory, patches: lines)
        let journal = directory.file("j.jsonl")
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init(patchKeys: .root)) { client, sandbox in
            let original = await sandbox.allDocuments()
            let warnings = Mutex<[String]>([])
            let summary = try await PlanApplier(client: client).apply(
                plan, journalPath: journal, options: .init(warn: { text in warnings.withLock { $0.append(text) } }))
            #expect(summary.count("applied") == 2, "\(summary.line)")
            #expect(
                warnings.withLock { $0.count } == 2 && warnings.withLock { $0[0].contains("refuses a metadata body") })
            let text = try String(contentsOfFile: journal, encoding: .utf8)
            #expect(text.contains(#""form":"root""#) && text.contains("extra_forbidden"))
            let undone = try await PlanApplier(client: client).undo(journalPath: journal)
            #expect(undone.count("restored") == 2, "\(undone.line)")
            #expect(Set(await sandbox.allDocuments()) == Set(original))
        }
    }

    @Test("undo meets the API's later dates too: a 422 falls back, an ignored-keys warning is a failed restore")
    func undoAcrossDates() async throws {
        let directory = try Self.snapshot(current: #""x":1"#, legacy: #""x":1"#)
        var lines = ""
        for document in ["doc_now", "doc_old"] {
            lines += #"{"collection_id":"col_a","document_id":"\#(document)","set":{"x":2}}"# + "\n"
        }
        let (plan, _) = try Self.plan(directory, patches: lines)
        let journal = directory.file("j.jsonl")
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init(persist: true)) { client, _ in
            let applied = try await PlanApplier(client: client).apply(plan, journalPath: journal)
            #expect(applied.count("applied") == 2, "\(applied.line)")
        }
        // The server now ignores `metadata` and says so: the restore did not happen, and says why.
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init(patchKeys: .rootWarn)) {
            client, sandbox in
            let undone = try await PlanApplier(client: client).undo(journalPath: journal)
            #expect(undone.count("failed") == 2 && undone.needsAttention, "\(undone.line)")
            #expect(undone.outcomes.allSatisfy { $0.detail?.contains("ignored keys") == true })
            #expect(await sandbox.document("doc_now", inCollection: "col_a")?["x"] == 2)
        }
        // The server refuses `metadata` with a documented 422: undo falls back and restores.
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init(patchKeys: .root)) { client, sandbox in
            let undone = try await PlanApplier(client: client).undo(journalPath: journal)
            #expect(undone.count("restored") == 2, "\(undone.line)")
            #expect(await sandbox.document("doc_now", inCollection: "col_a")?["x"] == 1)
            #expect(await sandbox.document("doc_old", inCollection: "col_a")?["metadata"]?["x"] == 1)
        }
    }

    @Test("an answer whose warnings name ignored keys is a write that did not happen")
    func ignoredKeysWarning() async throws {
        let directory = try Self.snapshot(current: #""x":1"#, legacy: #""x":1"#)
        let (plan, _) = try Self.plan(
            directory, patches: #"{"collection_id":"col_a","document_id":"doc_now","set":{"x":2}}"# + "\n")
        try await ClientOverHTTPTests.withSandbox(directory.path, options: .init(patchKeys: .rootWarn)) {
            client, sandbox in
            let summary = try await PlanApplier(client: client).apply(plan, journalPath: directory.file("j.jsonl"))
            #expect(summary.count("failed") == 1 && summary.needsAttention, "\(summary.line)")
            let detail = summary.outcomes.first?.detail ?? ""
            #expect(detail.contains("the server warned") && detail.contains("ignored keys"), "\(detail)")
            #expect(await sandbox.document("doc_now", inCollection: "col_a")?["x"] == 1)
        }
    }
}
