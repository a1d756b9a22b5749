#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exact bytes of one record as it was read, kept without copying the input.
///
/// Records read from a file are kept as a reference into that file (its path, an offset and a
/// length) and read again on demand, so a million-document snapshot costs memory for its lineage
/// facts only; reading a file record again checks that the file has not changed since. Records
/// from standard input share the one buffer that input was read into.
public struct RawJSON: Sendable {
    let origin: RecordOrigin
    /// The offset (the high 40 bits) and length (the low 24) packed in one word, 16 bytes a record
    /// rather than 24; a record at 1 TiB or further, or of 16 MiB or more, has an origin of its own
    /// holding both (``RecordOrigin/ownRecord``), and all ones here.
    private let packed: UInt64
    private static let lengthBits = 24
    private static let ownRecord = UInt64.max

    /// Keeps `bytes` in memory.
    public init(bytes: [UInt8]) {
        self.init(origin: RecordOrigin(name: "<memory>", content: .memory(bytes)), offset: 0, length: bytes.count)
    }

    init(origin: RecordOrigin, offset: Int, length: Int) {
        let lengthLimit = 1 << Self.lengthBits - 1
        if offset < 1 << (64 - Self.lengthBits), length < lengthLimit {
            self.origin = origin
            packed = UInt64(offset) << Self.lengthBits | UInt64(length)
        } else {
            self.origin = RecordOrigin(
                name: origin.name, content: origin.content, ownRecord: (offset: offset, length: length))
            packed = Self.ownRecord
        }
    }

    /// Where the record starts in its input.
    var offset: Int {
        packed != Self.ownRecord ? Int(packed >> Self.lengthBits) : origin.ownRecord?.offset ?? 0
    }

    /// The record's length in bytes.
    var length: Int {
        packed != Self.ownRecord ? Int(packed & (1 << Self.lengthBits - 1)) : origin.ownRecord?.length ?? 0
    }

    /// The record's bytes, exactly as read.
    ///
    /// - Throws: ``LineageKitError`` with code `inputChanged` or `unreadableInput` when the file
    ///   the record came from has changed or can no longer be read.
    public func bytes() throws -> [UInt8] {
        switch origin.content {
        case .memory(let bytes):
            let offset = offset
            return Array(bytes[offset..<(offset + length)])
        case .file(let size, let modificationTime):
            return try origin.read(offset: offset, length: length, size: size, modificationTime: modificationTime)
        }
    }

    /// The record's text, exactly as read.
    public func text() throws -> String {
        String(decoding: try bytes(), as: UTF8.self)
    }

    /// The record parsed into a ``JSONValue``.
    public func value() throws -> JSONValue {
        let bytes = try bytes()
        return try bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(bytes: buffer)
            do {
                let value = try scanner.parseValue()
                scanner.skipWhitespace()
                guard scanner.isAtEnd else { throw scanner.error("unexpected content after the record") }
                return value
            } catch let error as JSONSyntaxError {
                throw LineageKitError(code: .malformedJSON, message: error.message)
            }
        }
    }
}

/// Where records came from: a file, with what it looked like when read, or a buffer in memory.
final class RecordOrigin: Sendable {
    enum Content: Sendable {
        case file(size: Int, modificationTime: timespec.Snapshot)
        case memory([UInt8])
    }

    /// The file's path as given, or a name such as `<stdin>`.
    let name: String
    let content: Content
    /// Where the one record this origin was made for is, when it is at 1 TiB or further or of
    /// 16 MiB or more (``RawJSON`` keeps the others' place itself).
    let ownRecord: (offset: Int, length: Int)?

    init(name: String, content: Content, ownRecord: (offset: Int, length: Int)? = nil) {
        self.name = name
        self.content = content
        self.ownRecord = ownRecord
    }

    /// Throws `inputChanged` when the file is no longer as it was read (nothing for memory).
    func checkUnchanged() throws {
        guard case .file(let size, let modificationTime) = content else { return }
        var status = stat()
        guard stat(name, &status) == 0 else {
            throw LineageKitError(code: .inputChanged, message: "\(name) was removed after it was read; read it again")
        }
        try Self.check(
            size: Int(status.st_size), modificationTime: timespec.Snapshot(modificationOf: status),
            expected: (size, modificationTime), name: name)
    }

    /// Throws `inputChanged` naming the file when its size and modification time now are not
    /// those it had when it was read.
    private static func check(
        size: Int, modificationTime: timespec.Snapshot, expected: (size: Int, modificationTime: timespec.Snapshot),
        name: String
    ) throws {
        guard size == expected.size, modificationTime == expected.modificationTime else {
            throw LineageKitError(code: .inputChanged, message: "\(name) changed after it was read; read it again")
        }
    }

    /// The `length` bytes at `offset` of the file, which must still be as it was read.
    func read(offset: Int, length: Int, size: Int, modificationTime: timespec.Snapshot) throws -> [UInt8] {
        let file = try OpenFile(path: name)
        try Self.check(
            size: file.size, modificationTime: file.modificationTime, expected: (size, modificationTime), name: name)
        var buffer = [UInt8](repeating: 0, count: length)
        guard try file.read(into: &buffer, at: 0, count: length, fileOffset: offset) == length else {
            throw LineageKitError(code: .inputChanged, message: "\(name) shrank after it was read; read it again")
        }
        return buffer
    }
}

extension timespec {
    /// A comparable copy of a file time.
    struct Snapshot: Sendable, Hashable {
        let seconds: Int
        let nanoseconds: Int

        init(modificationOf status: stat) {
            #if canImport(Darwin)
                let time = status.st_mtimespec
            #else
                let time = status.st_mtim
            #endif
            seconds = Int(time.tv_sec)
            nanoseconds = Int(time.tv_nsec)
        }
    }
}

/// The text of the current `errno`.
func systemErrorText() -> String {
    String(cString: strerror(errno))
}
