import Foundation
import LineageKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An append-only JSON Lines record of what an apply (or undo) did, each entry flushed to disk
/// (fsync) before the next step, so a run killed at any point can be resumed from it.
///
/// Entries: `{"type": "start", "operation", "plan", "namespace", "base_url", "at"}` per run;
/// `{"type": "before", "patch", "collection_id", "document_id", "before", "at_root", "at"}` just
/// before a PATCH is sent; `{"type": "outcome", "patch", "collection_id", "document_id",
/// "outcome", "after"?, "detail"?, "at"}` when its outcome is known.
actor Journal {
    private let handle: FileHandle
    let path: String

    /// Opens `path` for appending, creating it when missing.
    init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CorrectionsError("cannot create the journal \(path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CorrectionsError("cannot open the journal \(path) for writing")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    /// Appends one entry and forces it to disk.
    func append(_ entry: JSONObject) throws {
        var entry = entry
        entry["at"] = .string(ISO8601DateFormatter().string(from: Date()))
        var bytes: [UInt8] = []
        JSONValue.object(entry).write(into: &bytes)
        bytes.append(0x0A)
        do {
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
        } catch {
            throw CorrectionsError("cannot write the journal \(path): \(error)")
        }
    }

    /// Every complete entry of the journal at `path` (none when it does not exist). A last line
    /// cut short by a crash is ignored; any other bad line is an error naming it.
    static func read(_ path: String) throws -> [JSONObject] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let lines: [JSONValue.Line]
        do {
            // A last line cut short by a crash mid-write confirmed nothing.
            lines = try JSONValue.parseLines([UInt8](data), name: path, toleratingTruncatedLastLine: true)
        } catch {
            throw CorrectionsError("not a journal: \(error)")
        }
        return try lines.map { line in
            guard let entry = line.value.objectValue else {
                throw CorrectionsError("\(path):\(line.number): a journal entry is not an object")
            }
            return entry
        }
    }

    /// What a journal says of each patch: its last before-state and its last outcome.
    struct State {
        var before: [Int: JSONObject] = [:]
        var outcome: [Int: JSONObject] = [:]
        var plans: Set<String> = []
        var operations: Set<String> = []

        init(_ entries: [JSONObject]) {
            for entry in entries {
                switch entry["type"]?.stringValue {
                case "start":
                    if let plan = entry["plan"]?.stringValue { plans.insert(plan) }
                    if let operation = entry["operation"]?.stringValue { operations.insert(operation) }
                case "before":
                    if let patch = entry["patch"]?.intValue { before[patch] = entry }
                case "outcome":
                    if let patch = entry["patch"]?.intValue { outcome[patch] = entry }
                default: continue
                }
            }
        }

        /// Whether the patch's outcome is final: applied, or found already done.
        func isDone(_ patch: Int) -> Bool {
            ["applied", "unchanged"].contains(outcome[patch]?["outcome"]?.stringValue ?? "")
        }
    }
}
