import ArgumentParser
import Foundation
import LineageKit
import MixpeekClient

/// `export --format openlineage`: the events' namespace, and sending them to an endpoint.
struct OpenLineageOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The OpenLineage namespace of jobs and datasets (default mixpeek://NAMESPACE, or mixpeek://local).",
            valueName: "namespace"))
    var jobNamespace: String?

    @Option(
        help: ArgumentHelp(
            "Send the events to this OpenLineage HTTP endpoint (a server URL gets /api/v1/lineage) instead of "
                + "writing them.", valueName: "url"))
    var post: String?

    @Option(
        help: ArgumentHelp(
            "The environment variable holding the endpoint's bearer token (its value is never printed).",
            valueName: "name"))
    var tokenEnv = "OPENLINEAGE_API_KEY"

    @Flag(help: "With --post, say what would be sent (events, bytes, endpoint) and send nothing.")
    var dryRun = false

    func validate(format: ExportFormat, output: String?) throws {
        if post != nil, format != .openlineage {
            throw ValidationError("--post sends OpenLineage events: give --format openlineage.")
        }
        if post != nil, output != nil { throw ValidationError("Give either --post or -o, not both.") }
        if dryRun, post == nil { throw ValidationError("--dry-run goes with --post.") }
        if jobNamespace != nil, format != .openlineage {
            throw ValidationError("--job-namespace names OpenLineage jobs: give --format openlineage.")
        }
        if let post { _ = try client(post) }
    }

    /// The writer, its namespace from --job-namespace or the Mixpeek namespace.
    func writer(namespace: String?) throws -> OpenLineageWriter {
        let formatter = ISO8601DateFormatter()
        return OpenLineageWriter(
            namespace: jobNamespace ?? "mixpeek://" + (namespace ?? "local"),
            producer: "urn:lineagekit:" + Lineage.version, fallbackTime: formatter.string(from: Date()))
    }

    private func client(_ url: String) throws -> OpenLineageClient {
        do {
            return try OpenLineageClient(url: url, apiKey: ProcessInfo.processInfo.environment[tokenEnv])
        } catch let error as MixpeekError {
            throw ValidationError("--post: \(error.message)")
        }
    }

    /// Sends the events one by one (or, with --dry-run, says what it would send).
    func send(graph: DecompositionGraph, nodes: [DecompositionGraph.Node]?, report: AuditReport, namespace: String?)
        async throws
    {
        guard let post else { return }
        var client = try client(post)
        let events = try writer(namespace: namespace).events(graph: graph, nodes: nodes, report: report)
        let bytes = events.reduce(0) { $0 + $1.serialized().utf8.count }
        if dryRun {
            let largest = events.map { $0.serialized().utf8.count }.max() ?? 0
            StandardError.print(
                "lineage: would send \(events.count) event(s), \(bytes) bytes (largest \(largest)), to "
                    + "\(client.endpoint.absoluteString)\(ProcessInfo.processInfo.environment[tokenEnv] == nil ? " without a token" : " with the token from \(tokenEnv)"); sent nothing"
            )
            return
        }
        client.onRetry = { StandardError.print("lineage: \($0)") }
        var attempts = 0
        for (number, event) in events.enumerated() {
            do {
                attempts += try await client.post(event)
            } catch let error as MixpeekError {
                throw MixpeekError(
                    code: error.code,
                    message: "event \(number + 1) of \(events.count): \(error.message); \(number) sent before it",
                    status: error.status, request: error.request)
            }
        }
        StandardError.print(
            "lineage: sent \(events.count) OpenLineage event(s), \(bytes) bytes, to \(client.endpoint.absoluteString) "
                + "(\(attempts - events.count) retried)")
    }
}
