/// Reads a buffer holding a JSON array of records, a list-response envelope, a single record,
/// or records one after another (JSON Lines in a `.json` file or on standard input).
struct WholeFileReader {
    let bytes: [UInt8]
    /// Where records point back to: the file, or (for standard input) these same bytes.
    let origin: RecordOrigin
    let keepGoing: Bool
    var maximumReportedProblems = 10

    func read() -> RecordChunk {
        var state = State(origin: origin, keepGoing: keepGoing, maximumProblems: maximumReportedProblems)
        bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(bytes: buffer, start: JSONScanner.byteOrderMarkLength(buffer))
            do {
                switch scanner.peek() {
                case nil: return
                case UInt8(ascii: "{") where Self.isLineageFile(buffer, at: scanner.index):
                    state.chunk.isLineageFile = true
                    try Self.readLineageFile(&scanner, into: &state.chunk)
                    return
                case UInt8(ascii: "["):
                    try scanner.readArray { scanner in try state.decodeNext(&scanner) }
                    scanner.skipWhitespace()
                    if !scanner.isAtEnd { throw scanner.error("unexpected content after the top-level array") }
                case UInt8(ascii: "{") where Self.isEnvelope(buffer, at: scanner.index):
                    try scanner.readObjectRawKeys { scanner, key in
                        if key == "results" {
                            try scanner.readArray { scanner in try state.decodeNext(&scanner) }
                        } else if key == "groups" {
                            try scanner.readArray { scanner in
                                try scanner.readObjectRawKeys { scanner, key in
                                    guard key == "documents" else { return try scanner.skipValue() }
                                    try scanner.readArray { scanner in try state.decodeNext(&scanner) }
                                }
                            }
                        } else {
                            try scanner.skipValue()
                        }
                    }
                    scanner.skipWhitespace()
                    if !scanner.isAtEnd { throw scanner.error("unexpected content after the response envelope") }
                case UInt8(ascii: "{"):
                    while scanner.peek() != nil {
                        do {
                            try state.decodeNext(&scanner)
                        } catch let stop as StopReading {
                            // Records one after another: a broken one is skipped up to the next
                            // line that starts a record, when keeping going.
                            guard keepGoing, let next = Self.nextRecordLine(buffer, after: stop.offset) else {
                                throw stop
                            }
                            scanner.advance(to: next)
                        }
                    }
                default:
                    throw scanner.error("expected a JSON object, an array of objects or JSON Lines")
                }
            } catch let error as JSONSyntaxError {
                state.fail(
                    buffer, code: .malformedJSON, offset: error.offset, message: error.message + Self.restSkipped)
            } catch is StopReading {
                return
            } catch {
                state.fail(buffer, code: .malformedJSON, offset: scanner.index, message: "\(error)")
            }
        }
        return state.chunk
    }

    private static let restSkipped = " (the rest of this input was not read)"

    /// Keys that mark a file LineageKit itself wrote (a baseline, a plan, a snapshot manifest).
    static let lineageFileKeys: [StaticString] = [
        "lineage_baseline", "lineage_plan", "lineage_snapshot", "lineage_reconciliation", "lineage_batches",
    ]

    /// What a file LineageKit wrote tells the audit: the collections' reconciliations (the file
    /// `fetch --reconciliation` writes), or the buckets whose root objects were all looked up (a
    /// snapshot manifest's `buckets_checked`), or the processing batches (`batches.json`).
    private static func readLineageFile(_ scanner: inout JSONScanner, into chunk: inout RecordChunk) throws {
        let value = try scanner.parseValue()
        if value[Snapshot.manifestKey] != nil {
            chunk.checkedBuckets += value[Snapshot.checkedBucketsKey]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        if value[ProcessingBatch.fileKey] != nil {
            for entry in value["batches"]?.arrayValue ?? [] { chunk.batches.append(try ProcessingBatch(json: entry)) }
        }
        guard value[CollectionReconciliation.fileKey] != nil else { return }
        let fetchedAt = value["fetched_at"]?.stringValue
        for entry in value["collections"]?.arrayValue ?? [] {
            chunk.reconciliations.append(try CollectionReconciliation(response: entry, fetchedAt: fetchedAt))
        }
    }

    /// Whether the object at `offset` is a file LineageKit wrote rather than records.
    private static func isLineageFile(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        var scanner = JSONScanner(bytes: buffer, start: offset)
        var found = false
        _ = try? scanner.readObjectRawKeys { scanner, key in
            if lineageFileKeys.contains(where: { key == $0 }) { found = true }
            try scanner.skipValue()
        }
        return found
    }

    /// Whether the object at `offset` is a list response (`results` or `groups`) rather than a record.
    private static func isEnvelope(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        var scanner = JSONScanner(bytes: buffer, start: offset)
        var hasList = false
        var hasRecordID = false
        _ = try? scanner.readObjectRawKeys { scanner, key in
            if key == "results" || key == "groups" {
                hasList = scanner.peek() == UInt8(ascii: "[")
            } else if key == "document_id" || key == "object_id" || key == "collection_id" {
                hasRecordID = true
            }
            try scanner.skipValue()
        }
        return hasList && !hasRecordID
    }

    /// The offset of the first line after `offset` that starts with `{`.
    private static func nextRecordLine(_ buffer: UnsafeRawBufferPointer, after offset: Int) -> Int? {
        var position = offset
        while position + 1 < buffer.count {
            if buffer[position] == 0x0A && buffer[position + 1] == UInt8(ascii: "{") { return position + 1 }
            position += 1
        }
        return nil
    }

    /// Thrown, once the problem is recorded, when a record cannot be read past: its syntax is broken,
    /// or it is bad and reading does not keep going.
    private struct StopReading: Error {
        let offset: Int
    }

    private struct State {
        let origin: RecordOrigin
        let keepGoing: Bool
        let maximumProblems: Int
        var decoder = RecordDecoder()
        var chunk = RecordChunk()
        var lines = LineCounter()

        var name: String { origin.name }

        init(origin: RecordOrigin, keepGoing: Bool, maximumProblems: Int) {
            self.origin = origin
            self.keepGoing = keepGoing
            self.maximumProblems = maximumProblems
        }

        /// Decodes the value at the scanner as one record and moves past it.
        mutating func decodeNext(_ scanner: inout JSONScanner) throws {
            scanner.skipWhitespace()
            let start = scanner.index
            do {
                try scanner.skipValue()
            } catch let syntax as JSONSyntaxError {
                let recordID = RecordDecoder.recordID(in: scanner.bytes, start: start, end: scanner.end)
                fail(
                    scanner.bytes, code: .malformedJSON, offset: syntax.offset, message: syntax.message,
                    recordID: recordID)
                throw StopReading(offset: syntax.offset)
            }
            let end = scanner.index
            let position = lines.position(of: start, in: scanner.bytes)
            let location = SourceLocation(file: name, line: position.line, column: position.column)
            do {
                let record = try decoder.decode(scanner.bytes, start: start, end: end, location: location) {
                    RawJSON(origin: origin, offset: start, length: end - start)
                }
                chunk.append(record)
            } catch {
                fail(
                    scanner.bytes, code: error.code, offset: error.offset, message: error.message,
                    recordID: error.recordID)
                if !keepGoing { throw StopReading(offset: error.offset) }
            }
        }

        mutating func fail(
            _ bytes: UnsafeRawBufferPointer, code: LineageKitError.Code, offset: Int, message: String,
            recordID: String? = nil
        ) {
            chunk.skipped += 1
            guard chunk.problems.count < maximumProblems else { return }
            let position = lines.position(of: offset, in: bytes)
            chunk.problems.append(
                LineageKitError(
                    code: code, message: message,
                    location: SourceLocation(file: name, line: position.line, column: position.column),
                    recordID: recordID))
        }
    }
}

/// Turns byte offsets into 1-based lines and columns, counting forward from the last answer.
struct LineCounter {
    private var offset = 0
    private var line = 1
    private var lineStart = 0

    mutating func position(of target: Int, in bytes: UnsafeRawBufferPointer) -> (line: Int, column: Int) {
        if target < offset {
            self = LineCounter()
        }
        while offset < target && offset < bytes.count {
            if bytes[offset] == 0x0A {
                line += 1
                lineStart = offset + 1
            }
            offset += 1
        }
        return (line, target - lineStart + 1)
    }
}
