#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exact bytes of one record as it was read, kept without holding the whole input in memory.
///
/// Records read from a file are kept as a reference into that file (path, offset, length) and
/// read again on demand, so a million-document snapshot costs memory for its lineage facts only.
/// Records from standard input or built in memory keep their bytes. Reading a file record again
/// checks that the file has not changed since.
public struct RawJSON: Sendable {
    enum Storage: Sendable {
        case bytes([UInt8])
        case file(SourceFile, offset: Int, length: Int)
    }

    let storage: Storage

    /// Keeps `bytes` in memory.
    public init(bytes: [UInt8]) {
        self.storage = .bytes(bytes)
    }

    init(file: SourceFile, offset: Int, length: Int) {
        self.storage = .file(file, offset: offset, length: length)
    }

    /// The record's bytes, exactly as read.
    ///
    /// - Throws: ``LineageKitError`` with code `inputChanged` or `unreadableInput` when the file
    ///   the record came from has changed or can no longer be read.
    public func bytes() throws -> [UInt8] {
        switch storage {
        case .bytes(let bytes): return bytes
        case .file(let file, let offset, let length): return try file.read(offset: offset, length: length)
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

/// A file records were read from, with what it looked like at the time, for reading them again.
final class SourceFile: Sendable {
    let path: String
    let size: Int
    let modificationTime: timespec.Snapshot

    init(path: String, size: Int, modificationTime: timespec.Snapshot) {
        self.path = path
        self.size = size
        self.modificationTime = modificationTime
    }

    func read(offset: Int, length: Int) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw LineageKitError(code: .unreadableInput, message: "cannot open \(path) again: \(systemErrorText())")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, Int(status.st_size) == size,
            timespec.Snapshot(modificationOf: status) == modificationTime
        else {
            throw LineageKitError(
                code: .inputChanged, message: "\(path) changed after it was read; read it again")
        }
        var buffer = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let count = buffer.withUnsafeMutableBytes { pointer -> Int in
                guard let base = pointer.baseAddress else { return -1 }
                return pread(descriptor, base + done, length - done, off_t(offset + done))
            }
            guard count > 0 else {
                throw LineageKitError(code: .unreadableInput, message: "cannot read \(path): \(systemErrorText())")
            }
            done += count
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
