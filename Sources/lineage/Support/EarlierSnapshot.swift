import LineageKit

/// An earlier snapshot compared with the one a command read: `diff`, `graph --diff` and
/// `report --diff` read and audit it the same way.
enum EarlierSnapshot {
    /// Reads the snapshot at `path` (a directory or file), audits it with `auditor` (the rules
    /// that made `report`), and compares it with `snapshot`. The earlier graph is freed once
    /// audited; the snapshot is kept until the process exits, as every read snapshot is.
    static func diff(
        since path: String, to snapshot: Snapshot, report: AuditReport, auditor: Auditor, keepGoing: Bool
    ) async throws -> (diff: SnapshotDiff, old: Snapshot) {
        var input = InputOptions()
        input.inputs = [path]
        input.keepGoing = keepGoing
        let old = ProcessLifetime.keep(try await input.readSnapshot())
        let oldReport = auditor.audit(DecompositionGraph(snapshot: old))
        try old.checkInputsUnchanged()
        return (SnapshotDiff(old: old, oldReport: oldReport, new: snapshot, newReport: report), old)
    }
}
