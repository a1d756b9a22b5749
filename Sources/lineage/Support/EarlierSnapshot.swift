import LineageKit

/// An earlier snapshot compared with the one a command read: `diff`, `graph --diff` and
/// `report --diff` read and audit it the same way.
enum EarlierSnapshot {
    /// Reads the snapshot at `path` (a directory or file). It is kept until the process exits, as
    /// every command keeps what it read: freeing a million-node graph took half a second of one
    /// core and gave no memory back to the system (peak RSS the same). With `keepingRecordPrints`,
    /// a snapshot read next can reuse its unchanged documents; with `other`, this one takes the
    /// documents whose record is unchanged from `other` (when `other` kept record fingerprints).
    static func read(
        _ path: String, keepingRecordPrints: Bool = false, reusingDocumentsOf other: Snapshot? = nil, keepGoing: Bool
    ) async throws -> Snapshot {
        var input = InputOptions()
        input.inputs = [path]
        input.keepGoing = keepGoing
        return ProcessLifetime.keep(
            try await input.readSnapshot(keepingRecordPrints: keepingRecordPrints, reusingDocumentsOf: other))
    }

    /// Audits the earlier snapshot `old` with `auditor` (the rules the later snapshot is audited
    /// with), and checks its files are as they were read.
    static func audit(_ old: Snapshot, auditor: Auditor) async throws -> AuditReport {
        let report = auditor.audit(ProcessLifetime.keep(DecompositionGraph(snapshot: old)))
        try old.checkInputsUnchanged()
        return report
    }

    /// Reads and audits the earlier snapshot at `path`, reusing `snapshot`'s unchanged documents,
    /// and compares it with `snapshot`, whose audit (with `auditor`) is `report`.
    static func diff(
        since path: String, to snapshot: Snapshot, report: AuditReport, auditor: Auditor, keepGoing: Bool
    ) async throws -> (diff: SnapshotDiff, old: Snapshot) {
        let old = try await read(path, reusingDocumentsOf: snapshot, keepGoing: keepGoing)
        let oldReport = try await audit(old, auditor: auditor)
        return (SnapshotDiff(old: old, oldReport: oldReport, new: snapshot, newReport: report), old)
    }
}
