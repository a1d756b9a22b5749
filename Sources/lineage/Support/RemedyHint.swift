import LineageCorrections
import LineageKit
import MixpeekClient

extension Remedy {
    /// What to type to apply the remedy: the library's errors say what is wrong, the command
    /// says which of its flags changes it.
    var commandLineHint: String {
        switch self {
        case .allowOverwrite: "pass --force to replace it"
        case .writeBaseline: "write one with lineage audit --write-baseline"
        case .namespace: "check --namespace or MIXPEEK_NAMESPACE"
        case .apiKey: "set MIXPEEK_API_KEY or give --api-key-file"
        case .allowInsecure: "or pass --insecure if you mean it"
        case .newJournal: "give another --journal"
        case .applyJournal: "give the file apply --journal wrote"
        case .allowDeletions: "apply sends deletions only with --allow-delete"
        }
    }

    /// The remedy `error` carries, if it is one of the library's errors and carries one.
    static func of(_ error: any Error) -> Remedy? {
        switch error {
        case let error as LineageKitError: error.remedy
        case let error as MixpeekError: error.remedy
        case let error as CorrectionsError: error.remedy
        default: nil
        }
    }
}
