import Foundation
import LineageKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An append-only JSON Lines record of what an apply (or undo) did, each entry written with one
/// `write` to a file opened for appending and flushed to disk (fsync) before the next step, so a
/// run killed at any point can be resumed from it. docs/cli.md describes the entries.
///
/// Every entry names its patch by identity: the plan's content hash (`plan`), `collection_id` and
/// `document_id`; a PATCH sent is an `attempt` (a unique id) whose `before` entry holds the
/// document's user fields before and the ones intended, and whose `outcome` entry says what came
/// of it. Undo entries name the apply attempt they revert (`reverts`).
actor Journal {
    let path: String
    private let descriptor: Int32

    /// Opens `path` for appending, creating it when missing. The caller holds its ``JournalLock``.
    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CorrectionsError("cannot open the journal \(path) for appending: \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(descriptor) }

    /// Appends one entry with one write and forces it to disk.
    func append(_ entry: JSONObject) throws {
        var entry = entry
        entry["at"] = .string(ISO8601DateFormatter().string(from: Date()))
        var bytes: [UInt8] = []
        JSONValue.object(entry).write(into: &bytes)
        bytes.append(0x0A)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw CorrectionsError("cannot write the journal \(path): \(String(cString: strerror(errno)))")
            }
            written += count
        }
        guard fsync(descriptor) == 0 else {
            throw CorrectionsError("cannot flush the journal \(path) to disk: \(String(cString: strerror(errno)))")
        }
    }

    /// Every entry of the journal at `path` (none when it does not exist), with its line number.
    ///
    /// - Parameters:
    ///   - path: The journal file.
    ///   - tolerant: Skip a torn last line instead of failing (for reading a journal some other run
    ///     holds); otherwise heal it first with ``heal(_:)``.
    /// - Returns: The entries with their line numbers, in file order.
    /// - Throws: ``CorrectionsError`` naming the line that is not a journal entry.
    static func read(_ path: String, tolerant: Bool = false) throws -> [(line: Int, entry: JSONObject)] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let lines: [JSONValue.Line]
        do {
            lines = try JSONValue.parseLines([UInt8](data), name: path, toleratingTruncatedLastLine: tolerant)
        } catch {
            throw CorrectionsError("not a journal: \(error)")
        }
        return try lines.map { line in
            guard let entry = line.value.objectValue, entry["type"]?.stringValue != nil else {
                throw CorrectionsError("not a journal: \(path):\(line.number): an entry is an object with a \"type\"")
            }
            return (line.number, entry)
        }
    }

    /// Repairs a last line torn by a crash mid-write: a line that is a whole entry but lost its
    /// newline gets it back; anything else is moved to `PATH.torn-N` (kept, never deleted) and the
    /// journal is truncated to its last complete entry. The caller holds the lock.
    ///
    /// - Returns: What was done, for a warning; `nil` when the journal was whole.
    static func heal(_ path: String) throws -> String? {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard let data = FileManager.default.contents(atPath: path), let last = data.last, last != 0x0A else {
            return nil
        }
        let bytes = [UInt8](data)
        let keep = (bytes.lastIndex(of: 0x0A) ?? -1) + 1
        let tail = Array(bytes[keep...])
        if tail.allSatisfy({ [0x20, 0x09, 0x0D].contains($0) }) {
            guard ftruncate(descriptor, off_t(keep)) == 0, fsync(descriptor) == 0 else {
                throw CorrectionsError("cannot repair the journal \(path): \(String(cString: strerror(errno)))")
            }
            return nil
        }
        if (try? JSONValue(parsing: tail, name: path))?.objectValue != nil {
            guard lseek(descriptor, 0, SEEK_END) >= 0, write(descriptor, [UInt8(0x0A)], 1) == 1, fsync(descriptor) == 0
            else { throw CorrectionsError("cannot repair the journal \(path): \(String(cString: strerror(errno)))") }
            return "the journal \(path) ended without a newline after its last entry; added it"
        }
        var number = 1
        while access("\(path).torn-\(number)", F_OK) == 0 { number += 1 }
        let aside = "\(path).torn-\(number)"
        do {
            let writer = try AtomicFileWriter(path: aside, overwrite: false)
            try writer.write(tail)
            try writer.commit()
        } catch {
            throw CorrectionsError("cannot keep the torn last line of \(path) in \(aside): \(error)")
        }
        guard ftruncate(descriptor, off_t(keep)) == 0, fsync(descriptor) == 0 else {
            throw CorrectionsError("cannot truncate the journal \(path): \(String(cString: strerror(errno)))")
        }
        let line = bytes[..<keep].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 } + 1
        return "the last line of \(path) (line \(line), \(tail.count) byte(s)) was cut short, as a crash mid-write "
            + "leaves it; moved it to \(aside) and went on from the last complete entry"
    }
}

/// An exclusive lock (`flock`) on an apply journal, held for a whole apply or undo run so two runs
/// can never interleave their requests or their entries. Released when the value goes away, or by
/// the kernel when the process dies (kill -9 included).
final class JournalLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock on `path`, creating the file when missing.
    ///
    /// - Throws: ``CorrectionsError`` at once, naming the holder's pid (from its `start` entry),
    ///   when another run holds it.
    init(path: String) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CorrectionsError("cannot open the journal \(path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(descriptor)
            guard busy else { throw CorrectionsError("cannot lock the journal \(path): \(reason)") }
            throw CorrectionsError(Self.busyMessage(path), remedy: .newJournal)
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func busyMessage(_ path: String) -> String {
        var holder = "another process"
        let start = (try? Journal.read(path, tolerant: true))?.last { $0.entry["type"]?.stringValue == "start" }?.entry
        if let pid = holderPID(path) {
            let operation = start?["pid"]?.intValue == Int(pid) ? start?["operation"]?.stringValue : nil
            holder = "lineage \(operation ?? "apply or undo") (pid \(pid))"
        } else if let pid = start?["pid"]?.intValue {
            holder = "lineage \(start?["operation"]?.stringValue ?? "apply") (pid \(pid))"
        }
        return "the journal \(path) is in use by \(holder); nothing was sent. Wait for that run to end, "
            + "or use another journal"
    }

    /// The pid holding a `flock` on `path`, from Linux's `/proc/locks` (which names it even before
    /// the holder has written anything); `nil` elsewhere or when not found.
    private static func holderPID(_ path: String) -> Int32? {
        var status = stat()
        guard stat(path, &status) == 0, let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else {
            return nil
        }
        let device = UInt64(status.st_dev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        let place = String(major, radix: 16) + ":" + String(minor, radix: 16) + ":" + String(status.st_ino)
        for line in locks.split(separator: "\n") {
            // "1: FLOCK  ADVISORY  WRITE 17477 fe:00:16238525 0 EOF"
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", fields[2] != "->" else { continue }
            let lockPlace = fields[5].split(separator: ":").enumerated().map { index, part in
                index < 2 ? String(UInt64(part, radix: 16) ?? 0, radix: 16) : String(part)
            }.joined(separator: ":")
            if lockPlace == place, let pid = Int32(fields[4]), pid != getpid() { return pid }
        }
        return nil
    }
}

/// What an apply journal and its undo journal say, by document identity.
struct JournalHistory {
    /// The journal format this version writes (1 named patches by position and is not resumed).
    static let formatVersion = 2

    /// A PATCH of ours: the document's user fields before it and the ones it was to leave.
    struct Attempt {
        var id: String
        var collectionID: String
        var documentID: String
        var before: JSONObject
        var intended: JSONObject
        var form: String

        /// The top-level fields the attempt changes.
        var changedFields: [String] {
            Set(before.keys).union(intended.keys).filter { before[$0] != intended[$0] }.sorted()
        }

        init?(_ entry: JSONObject) {
            guard let id = entry["attempt"]?.stringValue, let collection = entry["collection_id"]?.stringValue,
                let document = entry["document_id"]?.stringValue, let before = entry["before"]?.objectValue,
                let intended = entry["intended"]?.objectValue
            else { return nil }
            self.id = id
            self.collectionID = collection
            self.documentID = document
            self.before = before
            self.intended = intended
            self.form = entry["form"]?.stringValue ?? PatchForm.metadata.rawValue
        }
    }

    /// A deletion of ours: the whole document as read just before it was sent.
    struct DeleteAttempt {
        var id: String
        var collectionID: String
        var documentID: String
        var document: JSONValue
        /// The document kept in its place.
        var keeper: String?

        init?(_ entry: JSONObject) {
            guard let id = entry["attempt"]?.stringValue, let collection = entry["collection_id"]?.stringValue,
                let documentID = entry["document_id"]?.stringValue, let document = entry["document"],
                document.objectValue != nil
            else { return nil }
            self.id = id
            self.collectionID = collection
            self.documentID = documentID
            self.document = document
            self.keeper = entry["keeper"]?.stringValue
        }
    }

    /// Where a document stands after the apply runs.
    enum ApplyState {
        /// Our attempt landed (confirmed by the answer, or settled by reading the document).
        case applied(String)
        /// Our deletion landed (confirmed by the answer, or settled by reading the document).
        case deleted(String)
        /// Already as planned without a PATCH of ours.
        case unchanged
        /// Left alone: it held neither the planned values nor their `from`.
        case conflict
        /// An attempt was sent and its outcome is not known (or the request failed): settle it by
        /// reading the document.
        case open(String)
        /// Nothing of ours holds: nothing sent, or an attempt found not to have landed.
        case notApplied
    }

    var plans: [String] = []
    var apply: [String: ApplyState] = [:]
    var attempts: [String: Attempt] = [:]
    /// Apply attempts an undo restored (or found restored).
    var restored: Set<String> = []
    /// Undo attempts sent whose outcome is not known, by the apply attempt they revert.
    var openUndo: [String: Attempt] = [:]
    /// Deletions sent, by attempt id.
    var deleteAttempts: [String: DeleteAttempt] = [:]
    /// Deleted documents an undo re-created: the apply attempt, and the new document's id.
    var recreated: [String: String] = [:]
    /// Deletions whose re-create request was sent and whose answer is unknown: never sent again.
    var openRecreate: Set<String> = []

    static func key(_ collection: String, _ document: String) -> String { collection + "\u{0}" + document }

    /// Reads both journals' entries: those of the apply, then those of its undo.
    ///
    /// - Throws: ``CorrectionsError`` naming the journal and line of an entry that lacks its identity.
    init(
        apply entries: [(line: Int, entry: JSONObject)], undo undoEntries: [(line: Int, entry: JSONObject)],
        path: String
    )
        throws
    {
        func identity(_ entry: JSONObject, _ line: Int, _ file: String) throws -> String {
            guard let collection = entry["collection_id"]?.stringValue,
                let document = entry["document_id"]?.stringValue,
                entry["plan"]?.stringValue != nil
            else {
                throw CorrectionsError(
                    "\(file):\(line): a journal entry without its identity (plan, collection_id, document_id); "
                        + "journals of lineage before format 2 cannot be resumed", remedy: .newJournal)
            }
            return Self.key(collection, document)
        }
        for (line, entry) in entries {
            switch entry["type"]?.stringValue {
            case "start":
                if let plan = entry["plan"]?.stringValue, !plans.contains(plan) { plans.append(plan) }
            case "before" where entry["operation"]?.stringValue == "delete":
                let key = try identity(entry, line, path)
                guard let attempt = DeleteAttempt(entry) else {
                    throw CorrectionsError("\(path):\(line): a delete entry needs attempt and the whole document")
                }
                deleteAttempts[attempt.id] = attempt
                apply[key] = .open(attempt.id)
            case "before":
                let key = try identity(entry, line, path)
                guard let attempt = Attempt(entry) else {
                    throw CorrectionsError("\(path):\(line): a before entry needs attempt, before and intended")
                }
                attempts[attempt.id] = attempt
                apply[key] = .open(attempt.id)
            case "outcome":
                let key = try identity(entry, line, path)
                let attempt = entry["attempt"]?.stringValue
                switch (entry["outcome"]?.stringValue, attempt) {
                case ("applied", let id?): apply[key] = .applied(id)
                case ("deleted", let id?): apply[key] = .deleted(id)
                case ("unchanged", _): apply[key] = .unchanged
                case ("conflict", _): apply[key] = .conflict
                case ("not-applied", _): apply[key] = .notApplied
                case (_, let id?): apply[key] = .open(id)
                default: apply[key] = .notApplied
                }
            default: continue
            }
        }
        for (line, entry) in undoEntries {
            guard ["before", "outcome", "settled"].contains(entry["type"]?.stringValue ?? "") else { continue }
            let key = try identity(entry, line, path + ".undo")
            guard let reverts = entry["reverts"]?.stringValue else {
                throw CorrectionsError("\(path).undo:\(line): an undo entry needs \"reverts\"")
            }
            switch entry["type"]?.stringValue {
            case "settled":
                if case .open(reverts)? = apply[key] {
                    apply[key] = entry["applied"]?.boolValue == true ? .applied(reverts) : .notApplied
                }
            case "before" where entry["operation"]?.stringValue == "create":
                openRecreate.insert(reverts)
            case "before":
                openUndo[reverts] = Attempt(entry)
            default:
                switch entry["outcome"]?.stringValue {
                case "recreated":
                    restored.insert(reverts)
                    openRecreate.remove(reverts)
                    recreated[reverts] = entry["new_document_id"]?.stringValue
                case "failed" where openRecreate.contains(reverts), "not-created":
                    // Refused, or found not to exist: nothing was created, so it may be sent again.
                    openRecreate.remove(reverts)
                case "restored", "unchanged":
                    restored.insert(reverts)
                    openUndo[reverts] = nil
                case "failed":
                    if entry["attempt"] == nil { openUndo[reverts] = nil }
                default: continue
                }
            }
        }
    }
}
