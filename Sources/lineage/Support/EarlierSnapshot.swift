import LineageKit

/// An earlier snapshot compared with the one a command read: `diff`, `graph --diff` and
/// `report --diff` read and audit it the same way.
enum EarlierSnapshot {
    /// Reads the snapshot at `path` (a directory or file), audits it with `auditor` (the rules
    /// that made `report`), and compares it with `snapshot`. The snapshot and its graph are kept
    /// until the process exits, as every command keeps what it read: freeing a million-node graph
    /// took half a second of one core and gave no memory back to the system (peak RSS the same).
    static func diff(
        since path: String, to snapshot: Snapshot, report: AuditReport, auditor: Auditor, keepGoing: Bool
    ) async throws -> (diff: SnapshotDiff, old: Snapshot) {
        var input = InputOptions()
        input.inputs = [path]
        input.keepGoing = keepGoing
        let old = ProcessLifetime.keep(try await input.readSnapshot())
        let oldReport = auditor.audit(ProcessLifetime.keep(DecompositionGraph(snapshot: old)))
        try old.checkInputsUnchanged()
        return (SnapshotDiff(old: old, oldReport: oldReport, new: snapshot, newReport: report), old)
    }
}
