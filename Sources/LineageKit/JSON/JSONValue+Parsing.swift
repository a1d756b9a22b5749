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
            var scanner = JSONScanner(bytes: buffer)
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
