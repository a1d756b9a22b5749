/// What a person can change to get past an error, named without any command-line syntax: a
/// library user maps it to their own setting, the `lineage` command to its flag. Errors of
/// every LineageKit module carry one where there is something to change (`remedy`).
public enum Remedy: String, Sendable, Hashable, CaseIterable {
    /// Allow replacing an output file that exists.
    case allowOverwrite = "allow-overwrite"
    /// Write a baseline first (an audit saves one).
    case writeBaseline = "write-baseline"
    /// Give, or correct, the namespace.
    case namespace
    /// Give, or correct, the API key.
    case apiKey = "api-key"
    /// Allow plain HTTP to a host other than this machine, knowing the key crosses unencrypted.
    case allowInsecure = "allow-insecure"
    /// Use another journal file: this one is in use, or belongs to another plan or format.
    case newJournal = "new-journal"
    /// Name the journal an apply wrote.
    case applyJournal = "apply-journal"
    /// Allow the apply to send the plan's deletions.
    case allowDeletions = "allow-deletions"
}
