import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a JSON Lines file in parallel: the file is cut at line starts into pieces, each piece is
/// read in blocks and decoded on its own thread, and the pieces come back in file order, their
/// line numbers made absolute on all cores too. A line that is byte for byte a record of an
/// earlier snapshot (``reuse``) is taken from it, not decoded.
struct JSONLinesReader {
    let origin: RecordOrigin
    let handle: OpenFile
    let options: SnapshotReader.Options
    var reuse: DocumentReuse?
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
        // The earlier documents are read in place: reading them through the array would retain
        // and release its storage for each line, on both threads at once.
        let earlier = reuse?.documents ?? []
        var chunks = try earlier.withUnsafeBufferPointer { earlier in
            let shared = WorkerShared(earlier)
            return mapPieces(ranges.count) { readPiece(ranges[$0], earlier: shared.value) }
        }.map { try $0.get() }
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

    private func readPiece(_ range: Range<Int>, earlier: UnsafeBufferPointer<Document>) -> Result<
        RecordChunk, any Error
    > {
        Result {
            var decoder = RecordDecoder()
            var chunk = RecordChunk()
            let printing = options.keepsRecordPrints || reuse != nil
            var matcher = reuse.map { EarlierRecordMatcher(index: $0.index, earlier: earlier) }
            var lines: [Range<Int>] = []
            var lineStarts: [Int] = []
            var prints: [RecordPrint] = []
            var matches: [Int] = []
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
                    // The block's whole lines first (each without its surrounding whitespace), so
                    // that the earlier records they may repeat are checked together.
                    lines.removeAll(keepingCapacity: true)
                    lineStarts.removeAll(keepingCapacity: true)
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
                        lines.append(Self.trimmed(bytes, lineStart..<lineEnd, fileOffset: bufferFileOffset))
                        lineStarts.append(lineStart)
                        lineStart = lineEnd + 1
                    }
                    if printing {
                        prints.removeAll(keepingCapacity: true)
                        for range in lines {
                            prints.append(
                                range.isEmpty ? .none : RecordPrint(UnsafeRawBufferPointer(rebasing: bytes[range])))
                        }
                        matcher?.match(lines, prints: prints, in: bytes, into: &matches)
                    }
                    for (number, range) in lines.enumerated() {
                        line += 1
                        guard !range.isEmpty else { continue }
                        if !decodeLine(
                            bytes, range, lineStart: lineStarts[number], line: line, fileOffset: bufferFileOffset,
                            decoder: &decoder,
                            print: printing ? prints[number] : .none,
                            earlier: matcher == nil || matches[number] < 0 ? nil : earlier[matches[number]],
                            into: &chunk)
                        {
                            stop = true
                            return range.upperBound
                        }
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
                    decoder.reserve(forDocuments: estimate, decoded: chunk.documents.count)
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
                    buffer += [UInt8](repeating: 0, count: buffer.count)
                }
            }
            chunk.lineCount = line
            return chunk
        }
    }

    /// A line without its surrounding whitespace (and the file's byte order mark); empty for a
    /// blank line.
    private static func trimmed(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, fileOffset: Int) -> Range<Int> {
        var start = range.lowerBound
        var end = range.upperBound
        if fileOffset + start == 0 {
            start += JSONScanner.byteOrderMarkLength(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        }
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return start < end ? start..<end : start..<start
    }

    /// Decodes one line (`range`, without the whitespace around it; the line starts at
    /// `lineStart`), or takes `earlier`, the earlier document whose record is the same bytes;
    /// returns `false` when reading must stop.
    private func decodeLine(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, lineStart: Int, line: Int, fileOffset: Int,
        decoder: inout RecordDecoder, print: RecordPrint, earlier: Document?, into chunk: inout RecordChunk
    ) -> Bool {
        let start = range.lowerBound
        let end = range.upperBound
        if var document = earlier {
            document.raw = RawJSON(origin: origin, offset: fileOffset + start, length: end - start)
            document.line = Int32(line)
            document.column = 0
            chunk.documents.append(document)
            chunk.reused += 1
            if options.keepsRecordPrints { chunk.documentPrints.append(print) }
            return true
        }
        let location = SourceLocation(file: origin.name, line: line)
        // The closure captures the origin alone: capturing `self` copied the whole reader, and
        // retained everything it holds, for every line.
        let origin = origin
        do {
            let record = try decoder.decode(bytes, start: start, end: end, location: location) {
                RawJSON(origin: origin, offset: fileOffset + start, length: end - start)
            }
            let documentCount = chunk.documents.count
            chunk.append(record)
            if options.keepsRecordPrints, chunk.documents.count > documentCount { chunk.documentPrints.append(print) }
            return true
        } catch {
            chunk.skipped += 1
            if chunk.problems.count < options.maximumReportedProblems {
                chunk.problems.append(
                    LineageKitError(
                        code: error.code, message: error.message,
                        location: SourceLocation(
                            file: origin.name, line: line, column: error.offset - lineStart + 1),
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
