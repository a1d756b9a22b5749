import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// A corpus of hostile and mistaken invocations, as a newcomer (or a script) makes them. Each one
/// must end with its exact exit code, say what is wrong and what to do (naming the file, line or
/// option), leave no output or temporary file behind, and show nothing of Foundation's or
/// ArgumentParser's internals.
@Suite("Mistaken invocations")
struct MistakenInvocationTests {
    /// One invocation: arguments (`@W/` is a scratch directory, `@D/` a directory of bad inputs),
    /// the exit code, and words the message must hold.
    struct Case: Sendable, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var says: [String]
        var environment: [String: String] = [:]
        var description: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        // Inputs
        Case(arguments: ["stats"], status: 2, says: ["Give at least one input"]),
        Case(arguments: ["stats", "@D/nothere.jsonl"], status: 2, says: ["nothere.jsonl", "no such file"]),
        Case(arguments: ["stats", "@D/empty-dir"], status: 2, says: ["no .json or .jsonl files"]),
        Case(arguments: ["stats", "@D/truncated.jsonl"], status: 2, says: ["truncated.jsonl:2:", "doc_2"]),
        Case(arguments: ["stats", "@D/number.jsonl"], status: 2, says: ["number.jsonl:1", "JSON object"]),
        Case(arguments: ["stats", "@D/dupkey.jsonl"], status: 2, says: ["dupkey.jsonl:1", "\"x\" appears twice"]),
        Case(arguments: ["stats", "@D/conflict.jsonl"], status: 2, says: ["conflict.jsonl:2", "appears twice"]),
        Case(arguments: ["stats", "@D/wrongtype.jsonl"], status: 2, says: ["wrongtype.jsonl:1", "root_object_id"]),
        Case(arguments: ["stats", "-", "-"], status: 2, says: ["only once"]),
        Case(arguments: ["stats", "@D/truncated.jsonl", "--format", "xml"], status: 2, says: ["format", "xml"]),
        // Audit
        Case(
            arguments: ["audit", "examples/data", "--rules", "mismach.*"], status: 2, says: ["mismach.*", "no rule"]),
        Case(arguments: ["audit", "examples/data", "--fail-on", "sometimes"], status: 2, says: ["fail-on"]),
        Case(
            arguments: ["audit", "examples/data", "--baseline", "@D/nothere.json"], status: 2, says: ["nothere.json"]),
        // Graph
        Case(arguments: ["graph", "examples/data", "-o", "@W/tree.svgz"], status: 2, says: ["known extensions"]),
        Case(
            arguments: ["graph", "examples/data", "--level", "collections", "-o", "@W/p.json"], status: 2,
            says: ["not json"]),
        Case(arguments: ["graph", "examples/data", "--format", "png"], status: 2, says: ["give a file with -o"]),
        Case(
            arguments: ["graph", "examples/data", "--select", "rule:cycl", "-o", "@W/g.svg"], status: 2,
            says: ["rule:cycle"]),
        Case(
            arguments: ["graph", "examples/data", "--select", "colection:x", "-o", "@W/g.svg"], status: 2,
            says: ["prefix"]),
        Case(arguments: ["graph", "examples/data", "--select", "a++b", "-o", "@W/g.svg"], status: 2, says: ["a++b"]),
        Case(arguments: ["graph", "examples/data", "--collapse", "-1"], status: 2, says: ["--collapse"]),
        Case(arguments: ["graph", "examples/data", "-o", "@W/missing/g.svg"], status: 2, says: ["does not exist"]),
        Case(arguments: ["graph", "examples/data", "--positions", "-o", "@W/g.svg"], status: 2, says: ["--positions"]),
        Case(
            arguments: ["graph", "examples/data", "--level", "collections", "--select", "obj_x"], status: 2,
            says: ["--select"]),
        // Report
        Case(arguments: ["report", "examples/data", "-o", "@W/missing/r.html"], status: 2, says: ["does not exist"]),
        Case(arguments: ["report", "examples/data", "-o", "@W"], status: 2, says: ["is a directory"]),
        Case(
            arguments: ["report", "examples/data", "--max-findings", "0", "-o", "@W/r.html"], status: 2,
            says: ["--max-findings"]),
        Case(
            arguments: ["report", "examples/data", "--plan", "@D/nothere.json", "-o", "@W/r.html"], status: 2,
            says: ["nothere.json"]),
        // API
        Case(arguments: ["fetch", "-o", "@W/s"], status: 2, says: ["--namespace"]),
        Case(
            arguments: ["fetch", "--namespace", "ns", "--api-key", "sk_x", "-o", "@W/s"], status: 2,
            says: ["MIXPEEK_API_KEY"]),
        Case(
            arguments: ["fetch", "--namespace", "ns", "--base-url", "ftp://x", "-o", "@W/s"], status: 2,
            says: ["http(s)"],
            environment: ["MIXPEEK_API_KEY": "k"]),
        Case(
            arguments: ["fetch", "--namespace", "ns", "--base-url", "http://example.com", "-o", "@W/s"], status: 2,
            says: ["--insecure"], environment: ["MIXPEEK_API_KEY": "k"]),
        Case(
            arguments: ["fetch", "--namespace", "ns", "--base-url", "http://127.0.0.1:9", "-o", "@W/s"], status: 2,
            says: ["cannot connect", "connection refused"], environment: ["MIXPEEK_API_KEY": "k"]),
        Case(
            arguments: ["fetch", "--namespace", "ns", "-o", "@W/s"], status: 2, says: ["no API key", "MIXPEEK_API_KEY"]),
        Case(
            arguments: ["fetch", "--namespace", "ns", "--api-key-file", "@D/nothere", "-o", "@W/s"], status: 2,
            says: ["nothere", "API key file"]),
        Case(
            arguments: ["fetch", "--namespace", "ns", "--collection", "a", "--all-collections", "-o", "@W/s"],
            status: 2,
            says: ["--all-collections"]),
        Case(arguments: ["serve", "@D/nothere"], status: 2, says: ["does not exist"]),
        Case(arguments: ["serve", "examples/data", "--host", "localhost"], status: 2, says: ["IPv4"]),
        Case(
            arguments: ["serve", "examples/data", "--fail-rate", "0.8", "--rate-limit-rate", "0.5"], status: 2,
            says: ["more than 1"]),
        // Corrections
        Case(arguments: ["plan", "examples/data"], status: 2, says: ["--output"]),
        Case(
            arguments: ["plan", "examples/data", "--patches", "@D/nothere.jsonl", "-o", "@W/p.json"], status: 2,
            says: ["nothere.jsonl"]),
        Case(
            arguments: ["plan", "examples/data", "--patches", "@D/badpatch.jsonl", "-o", "@W/p.json"], status: 2,
            says: ["badpatch.jsonl:1"]),
        Case(arguments: ["apply", "@D/nothere.json", "--journal", "@W/j"], status: 2, says: ["nothere.json"]),
        Case(
            arguments: ["apply", "@D/notaplan.json", "--journal", "@W/j"], status: 2, says: ["not a LineageKit plan"]),
        Case(
            arguments: ["apply", "@D/oldplan.json", "--journal", "@W/j"], status: 2,
            says: ["format 1", "make the plan again"]),
        Case(arguments: ["apply", "@D/oldplan.json"], status: 2, says: ["--journal"]),
        Case(
            arguments: ["apply", "@D/oldplan.json", "--journal", "@W/j", "--force"], status: 2,
            says: ["--allow-other-target"]),
        Case(arguments: ["undo", "--journal", "@D/nothere.jsonl"], status: 2, says: ["does not exist"]),
        Case(
            arguments: ["undo", "--journal", "@D/nothere.jsonl", "--api-key", "sk_x"], status: 2,
            says: ["MIXPEEK_API_KEY"]),
        Case(
            arguments: ["undo", "--journal", "@D/notajournal.jsonl"], status: 2,
            says: ["notajournal.jsonl", "start entry"]),
        Case(arguments: ["sample"], status: 2, says: ["--output"]),
        Case(arguments: ["sample", "-o", "@W/s", "--defects", "500"], status: 2, says: ["defect"]),
        Case(arguments: ["bogus"], status: 2, says: ["bogus"]),
    ]

    /// What no message may show: Foundation's and ArgumentParser's internals.
    static let internals = [
        "NSError", "Error Domain", "NSLocalizedDescription", "Code=-", "CommandError", "ParserError", "Optional(",
        "Swift.", "ArgumentParser.",
    ]

    /// The bad inputs the cases name under `D/`.
    static func badInputs() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("empty-dir"), withIntermediateDirectories: true)
        _ = try directory.write(
            "truncated.jsonl",
            #"{"document_id":"doc_1","collection_id":"col_a"}"# + "\n" + #"{"document_id":"doc_2","#)
        _ = try directory.write("number.jsonl", "42\n")
        _ = try directory.write(
            "dupkey.jsonl", #"{"document_id":"d","collection_id":"c","metadata":{"x":1,"x":2}}"# + "\n")
        _ = try directory.write(
            "conflict.jsonl",
            #"{"document_id":"d","collection_id":"c","metadata":{"x":1}}"# + "\n"
                + #"{"document_id":"d","collection_id":"c","metadata":{"x":2}}"# + "\n")
        _ = try directory.write(
            "wrongtype.jsonl", #"{"document_id":"d","collection_id":"c","root_object_id":5}"# + "\n")
        _ = try directory.write("badpatch.jsonl", #"{"collection_id":"c"}"# + "\n")
        _ = try directory.write("notaplan.json", #"{"hello":1}"#)
        _ = try directory.write("oldplan.json", #"{"lineage_plan":1,"patches":[]}"#)
        _ = try directory.write("notajournal.jsonl", #"{"type":"outcome"}"# + "\n")
        return directory
    }

    @Test("each ends with its exit code, says what to do, leaves nothing behind, shows no internals", arguments: cases)
    func mistaken(_ invocation: Case) throws {
        let inputs = try Self.badInputs()
        let scratch = try TemporaryDirectory()
        let arguments = invocation.arguments.map { argument in
            argument == "@W"
                ? scratch.path
                : argument.replacingOccurrences(of: "@W/", with: scratch.path + "/").replacingOccurrences(
                    of: "@D/", with: inputs.path + "/")
        }
        let result = try CommandRunner.run(
            arguments, input: "", environment: ["MIXPEEK_API_KEY": ""].merging(invocation.environment) { $1 })
        let said = result.standardError + result.standardOutput
        #expect(result.status == invocation.status, "\(invocation): \(said)")
        for words in invocation.says {
            #expect(said.contains(words), "\(invocation) should say '\(words)': \(said)")
        }
        for hidden in Self.internals {
            #expect(!said.contains(hidden), "\(invocation) shows \(hidden): \(said)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
        #expect(left.isEmpty, "\(invocation) left \(left)")
        #expect(!said.contains("Usage: lineage <subcommand>") || invocation.arguments == ["bogus"], "\(said)")
    }

    @Test("the corpus has at least 40 invocations")
    func size() {
        #expect(Self.cases.count >= 40)
    }
}
