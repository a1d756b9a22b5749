extension JSONValue {
    /// Parses one JSON text (RFC 8259, strict; whitespace around it allowed) with the reader's own
    /// scanner, so object key order and number text are kept.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - name: What the text is (a file name, `GET /v1/…`), for the error.
    /// - Throws: ``LineageKitError`` with code ``LineageKitError/Code-swift.struct/malformedJSON``,
    ///   naming `name`, line and column.
    public init(parsing bytes: [UInt8], name: String) throws {
        self = try bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(bytes: buffer, start: JSONScanner.byteOrderMarkLength(buffer))
            do {
                let value = try scanner.parseValue()
                if scanner.peek() != nil {
                    throw scanner.error("unexpected \(scanner.describe(at: scanner.index)) after the JSON value")
                }
                return value
            } catch let error as JSONSyntaxError {
                var line = 1
                var lineStart = 0
                for offset in 0..<min(error.offset, buffer.count) where buffer[offset] == 0x0A {
                    line += 1
                    lineStart = offset + 1
                }
                throw LineageKitError(
                    code: .malformedJSON, message: error.message,
                    location: SourceLocation(file: name, line: line, column: error.offset - lineStart + 1))
            }
        }
    }
}

extension JSONValue {
    /// One parsed line of a JSON Lines text, with its 1-based line number.
    public typealias Line = (number: Int, value: JSONValue)

    /// Parses JSON Lines: one value per line; blank lines (and CRLF endings) are skipped.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text.
    ///   - name: The file's name, for errors.
    ///   - toleratingTruncatedLastLine: Skip a last line that does not parse and has no newline
    ///     after it, as a crash mid-write leaves (journals); any other bad line is still an error.
    /// - Returns: Each line's value with its line number, in file order.
    /// - Throws: ``LineageKitError`` naming `name`, the line and the column.
    public static func parseLines(
        _ bytes: [UInt8], name: String, toleratingTruncatedLastLine: Bool = false
    ) throws -> [Line] {
        var values: [Line] = []
        let pieces = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (index, piece) in pieces.enumerated() {
            guard piece.contains(where: { ![0x20, 0x0D, 0x09].contains($0) }) else { continue }
            do {
                values.append((index + 1, try JSONValue(parsing: Array(piece), name: name)))
            } catch let error as LineageKitError {
                if toleratingTruncatedLastLine, index == pieces.count - 1 { continue }
                throw LineageKitError(
                    code: error.code, message: error.message,
                    location: SourceLocation(file: name, line: index + 1, column: error.location?.column))
            }
        }
        return values
    }

    /// `values` as JSON Lines: each compact, followed by a newline.
    public static func jsonLines(_ values: [JSONValue]) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in values {
            value.write(into: &bytes)
            bytes.append(0x0A)
        }
        return bytes
    }
}
