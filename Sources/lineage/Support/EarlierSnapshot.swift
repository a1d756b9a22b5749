import LineageKit

/// An earlier snapshot compared with the one a command read: `diff`, `graph --diff` and
/// `report --diff` read and audit it the same way.
enum EarlierSnapshot {
    /// Reads the snapshot at `path` (a directory or file) and audits it with `auditor` (the rules
    /// the later snapshot is audited with). The snapshot and its graph are kept until the process
    /// exits, as every command keeps what it read: freeing a million-node graph took half a second
    /// of one core and gave no memory back to the system (peak RSS the same).
    static func read(_ path: String, auditor: Auditor, keepGoing: Bool) async throws -> (Snapshot, AuditReport) {
        var input = InputOptions()
        input.inputs = [path]
        input.keepGoing = keepGoing
        let old = ProcessLifetime.keep(try await input.readSnapshot())
        let report = auditor.audit(ProcessLifetime.keep(DecompositionGraph(snapshot: old)))
        try old.checkInputsUnchanged()
        return (old, report)
    }

    /// Reads and audits the earlier snapshot at `path` and compares it with `snapshot`, whose
    /// audit (with `auditor`) is `report`.
    static func diff(
        since path: String, to snapshot: Snapshot, report: AuditReport, auditor: Auditor, keepGoing: Bool
    ) async throws -> (diff: SnapshotDiff, old: Snapshot) {
        let (old, oldReport) = try await read(path, auditor: auditor, keepGoing: keepGoing)
        return (SnapshotDiff(old: old, oldReport: oldReport, new: snapshot, newReport: report), old)
    }
}
