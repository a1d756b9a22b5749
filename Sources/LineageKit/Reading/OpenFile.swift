#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open, read-only file descriptor, closed when the last reference goes.
final class OpenFile: @unchecked Sendable {
    let path: String
    let size: Int
    let modificationTime: timespec.Snapshot
    private let descriptor: Int32

    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw LineageKitError(code: .unreadableInput, message: "cannot open \(path): \(systemErrorText())")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let message = "cannot inspect \(path): \(systemErrorText())"
            close(descriptor)
            throw LineageKitError(code: .unreadableInput, message: message)
        }
        self.path = path
        self.descriptor = descriptor
        self.size = Int(status.st_size)
        self.modificationTime = timespec.Snapshot(modificationOf: status)
    }

    deinit {
        close(descriptor)
    }

    /// Reads up to `count` bytes at `offset` into `buffer` starting at `bufferOffset`; returns how many.
    func read(into buffer: inout [UInt8], at bufferOffset: Int, count: Int, fileOffset: Int) throws -> Int {
        var done = 0
        while done < count {
            let got = buffer.withUnsafeMutableBytes { pointer -> Int in
                guard let base = pointer.baseAddress else { return -1 }
                return pread(descriptor, base + bufferOffset + done, count - done, off_t(fileOffset + done))
            }
            if got == 0 { break }
            guard got > 0 else {
                if errno == EINTR { continue }
                throw LineageKitError(code: .unreadableInput, message: "cannot read \(path): \(systemErrorText())")
            }
            done += got
        }
        return done
    }

    /// The first byte that is not whitespace or a byte-order mark, within the first 64 KiB.
    func firstSignificantByte() throws -> UInt8? {
        var buffer = [UInt8](repeating: 0, count: min(size, 64 * 1024))
        let count = try read(into: &buffer, at: 0, count: buffer.count, fileOffset: 0)
        let skip = buffer.withUnsafeBytes {
            JSONScanner.byteOrderMarkLength(UnsafeRawBufferPointer(rebasing: $0[0..<count]))
        }
        return buffer[skip..<count].first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    }

    /// The whole file.
    func readAll() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: size)
        let count = try read(into: &buffer, at: 0, count: size, fileOffset: 0)
        guard count == size else {
            throw LineageKitError(code: .inputChanged, message: "\(path) shrank while it was read")
        }
        return buffer
    }

    /// The offset of the first line that starts at or after `offset` (the file size if none does).
    func lineStart(atOrAfter offset: Int) throws -> Int {
        guard offset > 0 else { return 0 }
        var position = offset - 1
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while position < size {
            let count = try read(into: &buffer, at: 0, count: min(buffer.count, size - position), fileOffset: position)
            guard count > 0 else { break }
            let newline = buffer.withUnsafeBytes { bytes -> Int? in
                guard let base = bytes.baseAddress, let found = memchr(base, 0x0A, count) else { return nil }
                return base.distance(to: UnsafeRawPointer(found))
            }
            if let newline { return position + newline + 1 }
            position += count
        }
        return size
    }
}
