import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a JSON Lines file in parallel: the file is cut at line starts into pieces, each piece is
/// read in blocks and decoded on its own thread, and the pieces come back in file order, their
/// line numbers made absolute on all cores too.
struct JSONLinesReader {
    let origin: RecordOrigin
    let handle: OpenFile
    let options: SnapshotReader.Options
    static let blockSize = 4 << 20

    func read() throws -> [RecordChunk] {
        let size = handle.size
        guard size > 0 else { return [] }
        let pieceCount = max(1, min(options.concurrency * 4, size / (1 << 20)))
        var starts = [0]
        for piece in 1..<max(pieceCount, 1) {
            let start = try handle.lineStart(atOrAfter: size * piece / pieceCount)
            if let last = starts.last, start > last, start < size { starts.append(start) }
        }
        let ranges = zip(starts, starts.dropFirst() + [size]).map { $0..<$1 }
        var chunks = try mapPieces(ranges.count) { readPiece(ranges[$0]) }.map { try $0.get() }
        var lines = 0
        let lineOffsets = chunks.map { chunk in
            defer { lines += chunk.lineCount }
            return lines
        }
        chunks.withUnsafeMutableBufferPointer { chunks in
            let shared = WorkerShared(chunks)
            DispatchQueue.concurrentPerform(iterations: chunks.count) { piece in
                shared.value[piece].shiftLines(by: lineOffsets[piece])
            }
        }
        return chunks
    }

    private func readPiece(_ range: Range<Int>) -> Result<RecordChunk, any Error> {
        Result {
            var decoder = RecordDecoder()
            var chunk = RecordChunk()
            var buffer = [UInt8](repeating: 0, count: min(Self.blockSize, range.count))
            var carried = 0
            var bufferFileOffset = range.lowerBound
            var line = 0
            while true {
                let wanted = min(buffer.count - carried, range.upperBound - bufferFileOffset - carried)
                let got = try handle.read(
                    into: &buffer, at: carried, count: wanted, fileOffset: bufferFileOffset + carried)
                let valid = carried + got
                let atEnd = bufferFileOffset + valid >= range.upperBound || got == 0
                var stop = false
                let consumed = buffer.withUnsafeBytes { bytes -> Int in
                    guard let base = bytes.baseAddress else { return 0 }
                    var lineStart = 0
                    while lineStart < valid {
                        let lineEnd: Int
                        if let pointer = memchr(base + lineStart, 0x0A, valid - lineStart) {
                            lineEnd = base.distance(to: UnsafeRawPointer(pointer))
                        } else if atEnd {
                            lineEnd = valid
                        } else {
                            break
                        }
                        line += 1
                        if !decodeLine(
                            bytes, lineStart..<lineEnd, line: line, fileOffset: bufferFileOffset, decoder: &decoder,
                            into: &chunk)
                        {
                            stop = true
                            return lineEnd
                        }
                        lineStart = lineEnd + 1
                    }
                    return min(lineStart, valid)
                }
                if stop || atEnd { break }
                if bufferFileOffset == range.lowerBound, !chunk.documents.isEmpty {
                    // The first block tells how long a record is: room for the whole piece now
                    // saves growing the array by copies, each into freshly faulted pages. Room
                    // never written to is never faulted in, so a generous guess costs no memory.
                    let estimate = range.count / max(1, consumed / chunk.documents.count)
                    chunk.documents.reserveCapacity(estimate + estimate / 8 + 16)
                }
                carried = valid - consumed
                if consumed > 0 {
                    buffer.withUnsafeMutableBytes { bytes in
                        guard let base = bytes.baseAddress else { return }
                        _ = memmove(base, base + consumed, carried)
                    }
                }
                bufferFileOffset += consumed
                if carried == buffer.count {
                    buffer.append(contentsOf: repeatElement(0, count: buffer.count))
                }
            }
            chunk.lineCount = line
            return chunk
        }
    }

    /// Decodes one line; returns `false` when reading must stop.
    private func decodeLine(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, line: Int, fileOffset: Int,
        decoder: inout RecordDecoder, into chunk: inout RecordChunk
    ) -> Bool {
        var start = range.lowerBound
        var end = range.upperBound
        if fileOffset + start == 0 {
            start += JSONScanner.byteOrderMarkLength(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        }
        while start < end, Self.isWhitespace(bytes[start]) { start += 1 }
        while end > start, Self.isWhitespace(bytes[end - 1]) { end -= 1 }
        guard start < end else { return true }
        let location = SourceLocation(file: origin.name, line: line)
        do {
            let record = try decoder.decode(bytes, start: start, end: end, location: location) {
                RawJSON(origin: origin, offset: fileOffset + start, length: end - start)
            }
            chunk.append(record)
            return true
        } catch {
            chunk.skipped += 1
            if chunk.problems.count < options.maximumReportedProblems {
                chunk.problems.append(
                    LineageKitError(
                        code: error.code, message: error.message,
                        location: SourceLocation(
                            file: origin.name, line: line, column: error.offset - range.lowerBound + 1),
                        recordID: error.recordID))
            }
            return options.keepGoing
        }
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
