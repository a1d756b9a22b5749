#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a file so that it appears whole or not at all: bytes go to a temporary file beside the
/// target, which is flushed to disk and renamed over the target only by ``commit()``.
///
/// An existing target is never replaced unless `overwrite` is set, and a writer dropped without
/// ``commit()`` removes its temporary file.
public final class AtomicFileWriter {
    /// The file being written.
    public let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var committed = false
    private static let flushThreshold = 1 << 20

    /// Starts writing `path`.
    ///
    /// - Throws: ``LineageKitError`` (`writeFailed`) when `path` exists and `overwrite` is false,
    ///   or the temporary file cannot be created.
    public init(path: String, overwrite: Bool = false) throws {
        if !overwrite && access(path, F_OK) == 0 {
            throw LineageKitError(
                code: .writeFailed, message: "\(path) already exists; not replacing it", remedy: .allowOverwrite)
        }
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        let name = path.split(separator: "/").last.map(String.init) ?? path
        self.path = path
        self.temporaryPath = (directory.isEmpty ? "" : directory + "/") + ".\(name).tmp-\(getpid())"
        self.descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw LineageKitError(code: .writeFailed, message: "cannot create \(temporaryPath): \(systemErrorText())")
        }
        buffer.reserveCapacity(Self.flushThreshold * 2)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !committed { unlink(temporaryPath) }
    }

    /// Appends bytes.
    public func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Appends bytes; a piece of a megabyte or more goes straight to the file after what is
    /// buffered, without being copied into the buffer first.
    public func write(_ bytes: [UInt8]) throws {
        guard bytes.count >= Self.flushThreshold else {
            buffer.append(contentsOf: bytes)
            if buffer.count >= Self.flushThreshold { try flush() }
            return
        }
        try flush()
        try bytes.withUnsafeBytes { try writeAll($0) }
    }

    /// Appends text as UTF-8.
    public func write(_ text: String) throws {
        try write(text.utf8)
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes all of `bytes` to the temporary file, retrying interrupted and partial writes.
    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let count = systemWrite(descriptor, base + done, bytes.count - done)
            guard count > 0 else {
                if count < 0 && errno == EINTR { continue }
                throw LineageKitError(
                    code: .writeFailed, message: "cannot write \(temporaryPath): \(systemErrorText())")
            }
            done += count
        }
    }

    /// Flushes to disk and renames the temporary file over the target.
    public func commit() throws {
        try flush()
        guard fsync(descriptor) == 0 else {
            throw LineageKitError(code: .writeFailed, message: "cannot sync \(temporaryPath): \(systemErrorText())")
        }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            throw LineageKitError(code: .writeFailed, message: "cannot rename into \(path): \(systemErrorText())")
        }
        committed = true
    }

    /// Writes `text` to `path` atomically in one call.
    public static func write(_ text: String, to path: String, overwrite: Bool = false) throws {
        let writer = try AtomicFileWriter(path: path, overwrite: overwrite)
        try writer.write(text)
        try writer.commit()
    }
}

/// `write(2)`, named apart from ``AtomicFileWriter/write(_:)``.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
