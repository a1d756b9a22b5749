import ArgumentParser
import Foundation
import MixpeekClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the Mixpeek API is and as whom to call it, for every command that talks to it. The API
/// key comes from `MIXPEEK_API_KEY` or `--api-key-file`, never from an argument: other users of
/// the machine can read arguments.
struct ConnectionOptions: ParsableArguments {
    @Option(
        help: "The namespace (ns_… or name); default MIXPEEK_NAMESPACE (apply, undo: the plan's or journal's first).")
    var namespace: String?

    @Option(
        help: """
            The API's base URL; default MIXPEEK_BASE_URL, else https://api.mixpeek.com (apply, undo: the plan's \
            or journal's first).
            """)
    var baseURL: String?

    @Option(help: ArgumentHelp("A file whose first line is the API key (else MIXPEEK_API_KEY).", valueName: "file"))
    var apiKeyFile: String?

    @Flag(help: "Allow plain http:// to a host other than this machine.")
    var insecure = false

    /// Not an option: said here so that trying it gets a useful answer instead of "Unknown option".
    @Option(name: .customLong("api-key"), help: .hidden)
    var apiKeyArgument: String?

    func validate() throws {
        if apiKeyArgument != nil {
            throw ValidationError(
                "There is no --api-key: other users of the machine can read a command's arguments. Set "
                    + "MIXPEEK_API_KEY, or give --api-key-file FILE (the key on its first line).")
        }
    }

    /// A client for `namespace` and `baseURL` (these options' unless given), the key from the
    /// environment or the key file, telling a terminal about retries.
    func client(namespace: String?, baseURL: String?) throws -> MixpeekClient {
        MixpeekClient(
            configuration: try MixpeekConfiguration.resolve(
                baseURL: baseURL, namespace: namespace, apiKeyFile: apiKeyFile, insecure: insecure
            ).sayingRetriesOnTerminal())
    }
}

extension MixpeekConfiguration {
    /// The configuration, telling a terminal on standard error about each retry.
    func sayingRetriesOnTerminal() -> MixpeekConfiguration {
        guard isatty(FileHandle.standardError.fileDescriptor) == 1 else { return self }
        var configuration = self
        configuration.onRetry = { StandardError.print("lineage: " + $0 + "…") }
        return configuration
    }
}
