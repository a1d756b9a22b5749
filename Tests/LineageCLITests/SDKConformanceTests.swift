import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// `lineage serve` judged by the vendor's own Python SDK (`mixpeek` 1.3.783, in `.venv` made by
/// scripts/python-env): every route LineageKit serves parses into the SDK's models, and listings
/// in every pagination form the SDK offers return exactly the snapshot (Tests/Conformance).
@Suite(
    "The sandbox against Mixpeek's Python SDK", .enabled(if: Run.python3 != nil, "python3 is missing"))
struct SDKConformanceTests {
    /// The virtual environment's interpreter, made by scripts/python-env when missing.
    static func interpreter() throws -> String {
        let made = try Run.process(Fixtures.repositoryRoot + "/scripts/python-env", [])
        guard made.status == 0 else { throw Run.Failure("scripts/python-env failed: \(made.errors)") }
        return made.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(
        "every route parses into the SDK's models and every pagination form lists the snapshot",
        arguments: ["cursor", "pages"])
    func conformance(pagination: String) async throws {
        let result = try await OffPool.run { try Self.runScript(pagination: pagination) }
        let failures = result.output.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(result.status == 0, "\(failures.joined(separator: "\n"))\n\(result.errors)")
        #expect(result.output.contains(" passed, 0 failed"), "\(result.output.suffix(500))")
    }

    /// Serves a copy of the example namespace and runs the conformance script against it.
    static func runScript(pagination: String) throws -> (status: Int32, output: String, errors: String) {
        let python = try Self.interpreter()
        let snapshot = try TemporaryDirectory()
        for name in ["documents.jsonl", "objects.jsonl", "collections.json"] {
            try FileManager.default.copyItem(
                atPath: Fixtures.repositoryRoot + "/examples/data/" + name, toPath: snapshot.file(name))
        }
        let server = try ServedSandbox([
            snapshot.path, "--api-key", "sk_conformance", "--namespace", "ns_sample", "--pagination", pagination,
        ])
        defer { _ = server.stop() }
        return try Run.process(
            python,
            [
                Fixtures.repositoryRoot + "/Tests/Conformance/sdk_conformance.py", server.url, "sk_conformance",
                "ns_sample", snapshot.path,
            ])
    }
}

/// Runs a program and waits for it.
enum Run {
    /// `python3` on PATH, when there is one.
    static var python3: String? {
        ExecutableSearch.find(["python3"])
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func process(_ executable: String, _ arguments: [String]) throws -> (
        status: Int32, output: String, errors: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }
}
