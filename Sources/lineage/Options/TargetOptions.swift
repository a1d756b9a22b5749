import ArgumentParser
import Foundation
import MixpeekClient

/// Where `apply` and `undo` send their requests: the connection options, without the fetch-only
/// ones, and the guard against sending to another target than the plan's.
struct TargetOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions

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
        if let baseURL = connection.baseURL { try MixpeekConfiguration.refuseCredentials(in: baseURL) }
        let namespace = connection.namespace ?? recordedNamespace ?? environment["MIXPEEK_NAMESPACE"]
        let baseURL = connection.baseURL ?? recordedBaseURL ?? environment["MIXPEEK_BASE_URL"]
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
        return try connection.client(namespace: namespace, baseURL: baseURL)
    }

    private static func normalized(_ url: String) -> String {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        return text.lowercased()
    }
}
