import Foundation
import LineageKit
import LineageSample
import LineageTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Crash consistency of `lineage apply` and `undo`, as processes against `lineage serve` over real
/// HTTP with 20% 5xx and 10% 429: for seeded schedules, runs are killed with SIGKILL at random
/// points, the journal's last line is torn at random byte offsets, two runs start at once, and a
/// third party edits documents between runs. At the end every document is exactly planned (patched
/// once, counted at the sandbox) or a reported conflict holding the third party's value; after
/// undo, every document the third party left alone equals its original JSON.
///
/// `LINEAGE_CRASH_SCHEDULES` sets how many schedules run (Benchmarks/crash-consistency.sh runs
/// 200) and `LINEAGE_CRASH_SEED` the first seed.
@Suite("Crash consistency of apply and undo", .serialized)
struct CrashConsistencyTests {
    static let environment = ["MIXPEEK_API_KEY": "sk_test"]

    @Test("seeded schedules of kills, torn lines, concurrent runs and third-party edits lose nothing")
    func schedules() async throws {
        let count = Int(ProcessInfo.processInfo.environment["LINEAGE_CRASH_SCHEDULES"] ?? "") ?? 3
        let firstSeed = UInt64(ProcessInfo.processInfo.environment["LINEAGE_CRASH_SEED"] ?? "") ?? 1
        let (tally, failures) = try await OffPool.run {
            let fixture = try Fixture()
            var tally = Tally()
            var failures: [String] = []
            for seed in firstSeed..<firstSeed + UInt64(count) {
                var schedule = Schedule(fixture: fixture, seed: seed)
                try schedule.run(into: &tally)
                failures += schedule.failures
            }
            return (tally, failures)
        }
        #expect(failures.isEmpty, "\(failures.count) failure(s):\n\(failures.prefix(20).joined(separator: "\n"))")
        print(
            "crash consistency: \(count) schedule(s) run (seeds \(firstSeed)...\(firstSeed + UInt64(count) - 1)): "
                + "\(tally.kills) kill(s), \(tally.tears) torn line(s), \(tally.concurrent) concurrent start(s) "
                + "(\(tally.refused) refused by the lock), \(tally.thirdParty) third-party edit(s)")
        #expect(tally.kills > 0)
    }

    /// What the schedules did, for the summary line.
    struct Tally: Sendable {
        var kills = 0
        var tears = 0
        var concurrent = 0
        var refused = 0
        var thirdParty = 0
    }

    /// A snapshot, a plan over some of its documents, and the documents' ids.
    struct Fixture: Sendable {
        let directory: TemporaryDirectory
        let snapshot: String
        let plan: String
        let documents: [Reference]

        init() throws {
            directory = try TemporaryDirectory()
            try SampleNamespace(options: .init(videos: 1, articles: 1, seed: 9, shape: .mixed))
                .write(to: directory.path, overwrite: true)
            snapshot = directory.path + "/data"
            try FileManager.default.createDirectory(atPath: snapshot, withIntermediateDirectories: true)
            for name in ["documents.jsonl", "objects.jsonl", "collections.json"] {
                try FileManager.default.copyItem(atPath: directory.file(name), toPath: snapshot + "/" + name)
            }
            let chosen = try SnapshotReader().read(.path(snapshot)).documents.filter { $0.userField("title") != nil }
                .prefix(8)
            documents = chosen.map { Reference(collection: $0.collectionID, id: $0.id) }
            let lines = chosen.enumerated().map { index, document in
                var line: JSONObject = [
                    "collection_id": .string(document.collectionID), "document_id": .string(document.id),
                    "set": ["reviewed": .number(JSONNumber(index))],
                ]
                if index % 3 == 0 { line["unset"] = ["title"] }
                return JSONValue.object(line).serialized()
            }
            let patches = try directory.write("patches.jsonl", lines.joined(separator: "\n") + "\n")
            plan = directory.file("plan.json")
            let made = try CommandRunner.run(["plan", snapshot, "--patches", patches, "--rules", "none", "-o", plan])
            guard made.status == 0 else { throw Failure("plan failed: \(made.standardError)") }
        }
    }

    /// A document by collection and id.
    struct Reference: Sendable {
        let collection: String
        let id: String
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// One seeded schedule against its own sandbox.
    struct Schedule {
        let fixture: Fixture
        let seed: UInt64
        var random: SeededRandom
        /// What went wrong, checked on the test's task afterwards.
        var failures: [String] = []

        mutating func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { failures.append("seed \(seed): " + message()) }
        }

        init(fixture: Fixture, seed: UInt64) {
            self.fixture = fixture
            self.seed = seed
            random = SeededRandom(seed: seed)
        }

        mutating func run(into tally: inout Tally) throws {
            let semantics = seed % 2 == 0 ? "merge" : "replace"
            let server = try ServedSandbox([
                fixture.snapshot, "--latency-ms", "5", "--fail-rate", "0.2", "--rate-limit-rate", "0.1", "--seed",
                String(seed), "--patch-semantics", semantics, "--namespace", "ns",
            ])
            defer { _ = server.stop() }
            let work = try TemporaryDirectory()
            let journal = work.file("journal.jsonl")
            var original: [String: JSONValue] = [:]
            for document in fixture.documents { original[document.id] = try get(server, document) }
            var edited: [String: Int] = [:]
            let applyArguments = [
                "apply", fixture.plan, "--journal", journal, "--namespace", "ns", "--base-url", server.url,
                "--concurrency", "4",
            ]
            let undoArguments = ["undo", "--journal", journal, "--concurrency", "4"]
            try disturb(applyArguments, journal: journal, server: server, edited: &edited, tally: &tally, steps: 4)
            try finish(applyArguments, allowConflicts: !edited.isEmpty)
            let planned = try plannedFields(original)
            for document in fixture.documents {
                let now = try get(server, document)
                let ours = try patchCount(server, document) - (edited[document.id] ?? 0)
                if edited[document.id] != nil {
                    check(fields(now)["reviewed"] == "third party", "\(document.id)")
                    check(ours <= 1, "\(document.id) patched \(ours) times")
                } else {
                    check(fields(now) == planned[document.id], "\(document.id) is exactly planned")
                    check(ours == 1, "\(document.id) patched \(ours) times")
                }
            }
            try disturb(
                undoArguments, journal: journal, server: server, edited: &edited, tally: &tally, steps: 2,
                thirdParty: false)
            try finish(undoArguments, allowConflicts: !edited.isEmpty)
            for document in fixture.documents {
                let now = try get(server, document)
                if edited[document.id] != nil {
                    check(fields(now)["reviewed"] == "third party", "\(document.id)")
                } else {
                    check(now == original[document.id], "\(document.id) is back to its original JSON")
                    let ours = try patchCount(server, document)
                    check(ours == 2, "\(document.id) patched \(ours) times (apply + undo)")
                }
            }
        }

        /// Random runs killed mid-way, torn journal lines, two runs at once and third-party edits.
        mutating func disturb(
            _ arguments: [String], journal: String, server: ServedSandbox, edited: inout [String: Int],
            tally: inout Tally, steps: Int, thirdParty: Bool = true
        ) throws {
            for _ in 0..<Int(random.next() % UInt64(steps + 1)) {
                switch random.next() % 4 {
                case 0, 1:
                    let process = try spawn(arguments).process
                    Thread.sleep(forTimeInterval: 0.02 + Double(random.next() % 400) / 1000)
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    tally.kills += 1
                    if random.next() % 2 == 0, try tear(arguments[0] == "undo" ? journal + ".undo" : journal) {
                        tally.tears += 1
                    }
                case 2:
                    let first = try spawn(arguments, capture: true)
                    let second = try spawn(arguments, capture: true)
                    first.process.waitUntilExit()
                    second.process.waitUntilExit()
                    tally.concurrent += 1
                    for run in [first, second] where run.process.terminationStatus == 2 {
                        let said = run.errors()
                        check(said.contains("is in use by lineage"), "\(said)")
                        tally.refused += 1
                    }
                default:
                    guard thirdParty else { continue }
                    let document = fixture.documents[Int(random.next() % UInt64(fixture.documents.count))]
                    try patch(server, document, ["metadata": ["reviewed": "third party"]])
                    edited[document.id, default: 0] += 1
                    tally.thirdParty += 1
                }
            }
        }

        /// Runs to the end, again while an outcome is unknown or a request failed for good.
        func finish(_ arguments: [String], allowConflicts: Bool) throws {
            for _ in 0..<5 {
                let result = try CommandRunner.run(arguments, environment: CrashConsistencyTests.environment)
                if result.status == 0 { return }
                let settled = !result.standardError.contains("failed: ") && !result.standardError.contains("unknown: ")
                if result.status == 1, allowConflicts, settled { return }
                guard result.status == 1 else {
                    throw Failure("seed \(seed): \(arguments[0]) exited \(result.status): \(result.standardError)")
                }
            }
            throw Failure("seed \(seed): \(arguments[0]) did not settle in 5 runs")
        }

        /// Tears the journal's last line as a crash mid-write leaves it: a random prefix of a next
        /// entry appended, or (when the last entry is an outcome, whose loss only makes an outcome
        /// unknown) the last line cut at a random byte offset.
        mutating func tear(_ path: String) throws -> Bool {
            guard var bytes = FileManager.default.contents(atPath: path).map([UInt8].init), bytes.count > 2,
                bytes.last == 0x0A
            else { return false }
            let start = (bytes.dropLast().lastIndex(of: 0x0A) ?? -1) + 1
            let line = Array(bytes[start..<(bytes.count - 1)])
            if random.next() % 2 == 0, String(decoding: line, as: UTF8.self).contains(#""type":"outcome""#) {
                bytes.removeSubrange((start + 1 + Int(random.next() % UInt64(line.count - 1)))...)
            } else {
                bytes += line.prefix(1 + Int(random.next() % UInt64(line.count - 1)))
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return true
        }

        func spawn(_ arguments: [String], capture: Bool = false) throws -> Run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            environment.merge(CrashConsistencyTests.environment) { _, new in new }
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = capture ? errors : FileHandle.nullDevice
            try process.run()
            return Run(process: process, pipe: capture ? errors : nil)
        }

        /// The user fields each planned document should hold after apply.
        func plannedFields(_ original: [String: JSONValue]) throws -> [String: JSONObject] {
            let plan = try JSONValue(
                parsing: [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture.plan))), name: "plan")
            var planned: [String: JSONObject] = [:]
            for patch in plan["patches"]?.arrayValue ?? [] {
                guard let id = patch["document_id"]?.stringValue, let document = original[id] else { continue }
                var values = fields(document)
                for change in patch["changes"]?.arrayValue ?? [] {
                    guard let field = change["field"]?.stringValue else { continue }
                    values[field] = change["to"]
                }
                planned[id] = values
            }
            return planned
        }

        func fields(_ document: JSONValue) -> JSONObject {
            Document.userFields(inResponse: document.objectValue ?? [:]).fields
        }

        func get(_ server: ServedSandbox, _ document: Reference) throws -> JSONValue {
            try send(server, "GET", "/v1/collections/\(document.collection)/documents/\(document.id)", body: nil)
        }

        func patch(_ server: ServedSandbox, _ document: Reference, _ body: JSONValue) throws {
            _ = try send(server, "PATCH", "/v1/collections/\(document.collection)/documents/\(document.id)", body: body)
        }

        /// A request, sent again while the sandbox injects a fault.
        func send(_ server: ServedSandbox, _ method: String, _ path: String, body: JSONValue?) throws -> JSONValue {
            guard let url = URL(string: server.url + path) else { throw Failure("bad URL \(path)") }
            var request = URLRequest(url: url)
            request.httpMethod = method
            request.setValue("Bearer sk_test", forHTTPHeaderField: "Authorization")
            request.setValue("ns", forHTTPHeaderField: "X-Namespace")
            request.httpBody = body.map { Data($0.serialized().utf8) }
            for _ in 0..<50 {
                let (status, data) = HTTP.send(request)
                if status == 200 { return try JSONValue(parsing: [UInt8](data), name: path) }
                guard status >= 500 || status == 429 else { throw Failure("\(method) \(path): \(status)") }
            }
            throw Failure("\(method) \(path) kept failing")
        }

        /// PATCHes of a document the sandbox applied (faults left out).
        func patchCount(_ server: ServedSandbox, _ document: Reference) throws -> Int {
            guard let url = URL(string: server.url + "/_sandbox/requests") else { return -1 }
            let counts = try JSONValue(parsing: [UInt8](HTTP.send(URLRequest(url: url)).body), name: "counts")
            let key = "PATCH /v1/collections/\(document.collection)/documents/\(document.id)"
            return (counts["requests"]?[key]?.intValue ?? 0) - (counts["faults"]?[key]?.intValue ?? 0)
        }
    }

    /// A spawned process and, when captured, its standard error.
    struct Run {
        let process: Process
        let pipe: Pipe?

        func errors() -> String {
            String(decoding: pipe?.fileHandleForReading.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        }
    }
}
