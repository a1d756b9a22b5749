import ArgumentParser
import Foundation
import LineageCorrections
import LineageKit
import MixpeekClient

/// `lineage plan`: a reviewable plan of metadata corrections.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan metadata corrections: drift found by the audit, and edits from a patch file.",
        discussion: """
            Every drift.metadata finding becomes a patch setting each drifted passthrough field to \
            its expected value (the root object's, else the source document's). --patches adds \
            edits a person decided on, one JSON object a line: \
            {"collection_id": C, "document_id": D, "set": {FIELD: VALUE}, "unset": [FIELD]}; each \
            must name a document of the input, and changes that are already true are left out. \
            Field names are literal ("v1.2" is one field); "set_path": {"/title/lang": VALUE} and \
            "unset_path" reach inside objects by JSON Pointer (RFC 6901). Drift on a document that \
            also has a lineage error (mismatch.root/source/parent/path/collection, orphan.*, cycle) \
            is held, not planned, unless --include-disputed. With duplicate.document among \
            --rules, every duplicate but the oldest of its group becomes a deletion, which apply \
            sends only with --allow-delete. \
            The plan (docs/cli.md) records the namespace and base URL of a fetched snapshot, or \
            those given here. A summary goes to standard error.

            Examples:
              lineage plan snapshot/ -o plan.json
              lineage plan snapshot/ --patches fixes.jsonl --rules none -o plan.json
              lineage plan snapshot/ --rules duplicate.document -o dedupe.json
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("A JSON Lines file of edits to add.", valueName: "file"))
    var patches: String?

    @Option(
        parsing: .upToNextOption,
        help: """
            Rules (globs, comma-separated) whose findings become patches (duplicate.document's: \
            deletions); 'none' for the patch file only.
            """)
    var rules: [String] = ["drift.metadata"]

    @Option(name: .shortAndLong, help: ArgumentHelp("The plan file to write.", valueName: "file"))
    var output: String

    @Flag(help: "Plan drift fixes of documents whose lineage is disputed too, instead of holding them.")
    var includeDisputed = false

    @Flag(help: "Replace the plan file if it exists.")
    var force = false

    func validate() throws {
        try OutputPath.check(output, force: force)
    }

    func run() async throws {
        let snapshot = try await input.readSnapshot()
        let graph = ProcessLifetime.graph(of: snapshot)
        let globs = rules.flatMap { $0.split(separator: ",").map(String.init) }.filter { $0 != "none" }
        let findings = globs.isEmpty ? [] : try Auditor().audit(graph).findings
        let userPatches = try patches.map { try PlanBuilder.readPatches($0) } ?? []
        let manifest = Self.manifest(of: input.inputs)
        var source: JSONObject = [
            "inputs": .array(input.inputs.map(JSONValue.string)),
            "documents": .number(JSONNumber(snapshot.documents.count)),
        ]
        if let manifest { source["manifest"] = .object(manifest) }
        let namespace = input.api.namespace ?? manifest?["namespace"]?.stringValue
        if let given = input.api.baseURL { try MixpeekConfiguration.refuseCredentials(in: given) }
        var baseURL = input.api.baseURL ?? manifest?["base_url"]?.stringValue
        if let recorded = baseURL, (try? MixpeekConfiguration.refuseCredentials(in: recorded)) == nil {
            StandardError.print("lineage: warning: the snapshot's base URL holds credentials; the plan leaves it out")
            baseURL = nil
            source["manifest"] = nil
        }
        let (plan, noOps) = try PlanBuilder(rules: globs, includeDisputed: includeDisputed).plan(
            snapshot: snapshot, findings: findings, userPatches: userPatches, namespace: namespace, baseURL: baseURL,
            source: source)
        try snapshot.checkInputsUnchanged()
        try AtomicFileWriter.write(plan.json.serialized(.pretty) + "\n", to: output, overwrite: force)
        StandardError.print(plan.summary())
        if noOps > 0 { StandardError.print("lineage: left out \(noOps) change(s) that are already true") }
        if !plan.deletions.isEmpty {
            StandardError.print(
                "lineage: the plan deletes \(plan.deletions.count) duplicate document(s); lineage apply sends "
                    + "deletions only with --allow-delete")
        }
        if !plan.held.isEmpty {
            StandardError.print(
                "lineage: held \(plan.held.count) document(s) whose lineage is disputed (listed under \"held\" in the "
                    + "plan; --include-disputed plans them)")
        }
        StandardError.print("lineage: wrote the plan to \(output)")
    }

    /// The `snapshot.json` manifest of the one input directory, when it is a fetched snapshot.
    static func manifest(of inputs: [String]) -> JSONObject? {
        guard inputs.count == 1, let data = FileManager.default.contents(atPath: inputs[0] + "/snapshot.json") else {
            return nil
        }
        return (try? JSONValue(parsing: [UInt8](data), name: "snapshot.json"))?.objectValue
    }
}
