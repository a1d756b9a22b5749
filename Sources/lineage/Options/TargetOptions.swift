import ArgumentParser
import Foundation
import MixpeekClient

/// Where `apply` and `undo` send their requests: the API options without the fetch-only ones.
/// The API key comes from `MIXPEEK_API_KEY` or `--api-key-file`, never from an argument.
struct TargetOptions: ParsableArguments {
    @Option(help: "The namespace (ns_… or name); default the plan's or journal's, else MIXPEEK_NAMESPACE.")
    var namespace: String?

    @Option(help: "The API's base URL; default the plan's or journal's, else MIXPEEK_BASE_URL.")
    var baseURL: String?

    @Option(help: ArgumentHelp("A file whose first line is the API key (else MIXPEEK_API_KEY).", valueName: "file"))
    var apiKeyFile: String?

    @Flag(help: "Allow plain http:// to a host other than this machine.")
    var insecure = false

    @Option(help: "How many documents to patch at once.")
    var concurrency = 4

    @Flag(help: "Send to a namespace or base URL other than the one the plan (or journal) was made for.")
    var allowOtherTarget = false

    func validate() throws {
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1.") }
    }

    /// A client for `recordedNamespace`/`recordedBaseURL` (the plan's or journal's) unless these
    /// options name others, which needs `--allow-other-target`.
    func client(recordedNamespace: String?, recordedBaseURL: String?, madeFor: String) throws -> MixpeekClient {
        let environment = ProcessInfo.processInfo.environment
        if let baseURL { try MixpeekConfiguration.refuseCredentials(in: baseURL) }
        let namespace = self.namespace ?? recordedNamespace ?? environment["MIXPEEK_NAMESPACE"]
        let baseURL = self.baseURL ?? recordedBaseURL ?? environment["MIXPEEK_BASE_URL"]
        if !allowOtherTarget {
            if let recordedNamespace, let namespace, recordedNamespace != namespace {
                throw ValidationError(
                    "The \(madeFor) was made for namespace \(recordedNamespace), not \(namespace); "
                        + "--allow-other-target to send there anyway.")
            }
            if let recordedBaseURL, let baseURL, Self.normalized(recordedBaseURL) != Self.normalized(baseURL) {
                throw ValidationError(
                    "The \(madeFor) was made for \(recordedBaseURL), not \(baseURL); --allow-other-target to send "
                        + "there anyway.")
            }
        }
        return MixpeekClient(
            configuration: try MixpeekConfiguration.resolve(
                baseURL: baseURL, namespace: namespace, apiKeyFile: apiKeyFile, insecure: insecure
            ).sayingRetriesOnTerminal())
    }

    private static func normalized(_ url: String) -> String {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        return text.lowercased()
    }
}
