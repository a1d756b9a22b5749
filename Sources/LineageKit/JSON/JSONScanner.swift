/// A strict, allocation-light JSON reader over a byte buffer.
///
/// The scanner reads values where the caller wants them (``parseValue()``) and validates
/// without building anything where it does not (``skipValue()``), which is what lets the
/// readers decode only the lineage facts of a document at hundreds of MB/s. It accepts exactly
/// RFC 8259 JSON: no comments, trailing commas, leading zeros, raw control characters or
/// invalid UTF-8. Nesting deeper than ``maximumDepth`` is an error rather than a stack overflow.
struct JSONScanner {
    /// The deepest nesting accepted.
    static let maximumDepth = 512

    let bytes: UnsafeRawBufferPointer
    let end: Int
    private(set) var index: Int
    private var depth = 0

    init(bytes: UnsafeRawBufferPointer, start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.index = start
        self.end = end ?? bytes.count
    }

    // MARK: - Positions

    var isAtEnd: Bool { index >= end }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, without consuming it.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < end ? bytes[index] : nil
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? index, message: message)
    }

    /// Moves one byte on, or to `offset`.
    @inline(__always)
    mutating func advance(to offset: Int? = nil) {
        index = offset ?? index + 1
    }

    mutating func enterObject() throws(JSONSyntaxError) { try enterNesting() }
    mutating func leaveObject() { depth -= 1 }

    func describe(at offset: Int) -> String { describeByte(at: offset) }

    private func describeByte(at offset: Int) -> String {
        guard offset < end else { return "end of input" }
        let byte = bytes[offset]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard index < end, bytes[index] == byte else {
            throw error("expected \(what()), found \(describeByte(at: index))")
        }
        index += 1
    }

    // MARK: - Structure

    /// Validates and passes over an object without making strings of its keys.
    private mutating func skipObject() throws {
        index += 1
        try enterNesting()
        defer { depth -= 1 }
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a quoted key, found \(describeByte(at: index))")
            }
            try skipString()
            try expect(UInt8(ascii: ":"), "':' after a key")
            try skipValue()
            skipWhitespace()
            guard index < end else { throw error("unterminated object: expected ',' or '}'") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return
            default: throw error("expected ',' or '}' in object, found \(describeByte(at: index))")
            }
        }
    }

    /// Reads an array element by element: `body` must consume each element.
    mutating func readArray(_ body: (inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["), "'['")
        try enterNesting()
        defer { depth -= 1 }
        if peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            try body(&self)
            skipWhitespace()
            guard index < end else { throw error("unterminated array: expected ',' or ']'") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return
            default: throw error("expected ',' or ']' in array, found \(describeByte(at: index))")
            }
        }
    }

    private mutating func enterNesting() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONScanner.maximumDepth {
            throw error("nesting deeper than \(JSONScanner.maximumDepth) levels")
        }
    }

    // MARK: - Values

    /// Parses the next value into a ``JSONValue``.
    mutating func parseValue() throws -> JSONValue {
        skipWhitespace()
        guard index < end else { throw error("expected a value, found end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            var members: [(key: String, value: JSONValue)] = []
            try readObjectRawKeys { scanner, key in
                members.append((key.string, try scanner.parseValue()))
            }
            return .object(JSONObject(members))
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            try readArray { scanner in
                elements.append(try scanner.parseValue())
            }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            let start = index
            try scanNumber()
            return .number(JSONNumber(text: asciiString(from: start, to: index)))
        }
    }

    /// Validates and passes over the next value without building it.
    mutating func skipValue() throws {
        skipWhitespace()
        guard index < end else { throw error("expected a value, found end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try skipObject()
        case UInt8(ascii: "["):
            try readArray { scanner in try scanner.skipValue() }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        default: try scanNumber()
        }
    }

    /// Reads a string or `null`; any other value is a type error reported by the caller.
    mutating func parseOptionalString() throws -> String?? {
        switch peek() {
        case UInt8(ascii: "\""): return .some(try parseString())
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .some(nil)
        default: return nil
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        guard end - index >= count else { throw error("invalid literal", at: start) }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] {
            throw error("invalid literal, expected \(literal)", at: start)
        }
        index += count
    }

    private mutating func scanNumber() throws(JSONSyntaxError) {
        let start = index
        if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end, isDigit(bytes[index]) else {
            throw error("expected a value, found \(describeByte(at: start))", at: start)
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < end, isDigit(bytes[index]) { throw error("number with a leading zero", at: start) }
        } else {
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < end, isDigit(bytes[index]) else { throw error("digit expected after '.'", at: index) }
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < end, isDigit(bytes[index]) else { throw error("digit expected in exponent", at: index) }
            while index < end, isDigit(bytes[index]) { index += 1 }
        }
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private func asciiString(from start: Int, to stop: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self)
    }

    // MARK: - Strings

    /// Reads a string or `null` like ``parseOptionalString()``, through `interner` when it needs no unescaping.
    mutating func parseOptionalString(interning interner: inout StringInterner) throws -> String?? {
        switch peek() {
        case UInt8(ascii: "\""):
            let quote = index
            guard let cursor = plainStringEnd() else { return .some(interner.intern(try parseString())) }
            index = cursor + 1
            return .some(interner.intern(UnsafeRawBufferPointer(rebasing: bytes[(quote + 1)..<cursor])))
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .some(nil)
        default: return nil
        }
    }

    /// The string at the current position made into a value by `make`, when its content is
    /// exactly `length` bytes (`make` decides whether they are plain); the scanner moves past the
    /// string only when `make` gives a value.
    mutating func takeString<Value>(ofLength length: Int, _ make: (UnsafeRawBufferPointer) -> Value?) -> Value? {
        guard peek() == UInt8(ascii: "\""), index + length + 1 < end, bytes[index + length + 1] == UInt8(ascii: "\""),
            let value = make(UnsafeRawBufferPointer(rebasing: bytes[(index + 1)..<(index + 1 + length)]))
        else { return nil }
        index += length + 2
        return value
    }

    /// The string at the current position made into a value by `make`, when it is plain ASCII
    /// (no escape, no control character); the scanner moves past the string only when `make`
    /// gives a value.
    mutating func takePlainString<Value>(_ make: (UnsafeRawBufferPointer) -> Value?) -> Value? {
        guard peek() == UInt8(ascii: "\""), let cursor = plainStringEnd(),
            let value = make(UnsafeRawBufferPointer(rebasing: bytes[(index + 1)..<cursor]))
        else { return nil }
        index = cursor + 1
        return value
    }

    /// Where the string at the current position (at its opening quote) closes, when it is plain
    /// ASCII: no escape, no control character; `nil` otherwise.
    @inline(__always)
    private func plainStringEnd() -> Int? {
        var cursor = index + 1
        var highBits: UInt8 = 0
        while cursor < end {
            cursor = Self.skipPlainBytes(bytes, from: cursor, to: end, highBits: &highBits)
            guard cursor < end else { break }
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            highBits |= byte
            cursor += 1
        }
        guard cursor < end, bytes[cursor] == UInt8(ascii: "\""), highBits & 0x80 == 0 else { return nil }
        return cursor
    }

    /// Parses a quoted string at the current position.
    mutating func parseString() throws -> String {
        let quote = index
        index += 1
        let contentStart = index
        var highBits: UInt8 = 0
        while index < end {
            index = Self.skipPlainBytes(bytes, from: index, to: end, highBits: &highBits)
            guard index < end else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let content = UnsafeRawBufferPointer(rebasing: bytes[contentStart..<index])
                if highBits & 0x80 != 0, content.contains(0xF4) {
                    // Possibly U+10FFFF, which the lone-surrogate scheme doubles (LoneSurrogates).
                    index = contentStart
                    return try parseEscapedString(quote: quote)
                }
                index += 1
                if highBits & 0x80 == 0 { return String(decoding: content, as: UTF8.self) }
                guard let text = String(validating: content, as: UTF8.self) else {
                    throw error("string is not valid UTF-8", at: quote)
                }
                return text
            }
            if byte == UInt8(ascii: "\\") {
                index = contentStart
                return try parseEscapedString(quote: quote)
            }
            if byte < 0x20 { throw error("raw control character in string (must be escaped)", at: index) }
            highBits |= byte
            index += 1
        }
        throw error("unterminated string", at: quote)
    }

    private mutating func skipString() throws(JSONSyntaxError) {
        let quote = index
        index += 1
        let contentStart = index
        var highBits: UInt8 = 0
        while index < end {
            // Eight bytes at a time up to the next quote, backslash or control character.
            index = Self.skipPlainBytes(bytes, from: index, to: end, highBits: &highBits)
            guard index < end else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if highBits & 0x80 != 0,
                    String(validating: UnsafeRawBufferPointer(rebasing: bytes[contentStart..<index]), as: UTF8.self)
                        == nil
                {
                    throw error("string is not valid UTF-8", at: quote)
                }
                index += 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < end else { break }
                try checkEscape()
                continue
            }
            if byte < 0x20 { throw error("raw control character in string (must be escaped)", at: index) }
            highBits |= byte
            index += 1
        }
        throw error("unterminated string", at: quote)
    }

    /// Moves past string bytes that need no attention, eight at a time: none is a quote, a
    /// backslash or a control character. Bytes of multi-byte UTF-8 characters pass, and mark
    /// `highBits` so the caller validates the string's UTF-8. Returns the position of the first
    /// byte of a word holding something else (or of the tail shorter than a word).
    @inline(__always)
    static func skipPlainBytes(
        _ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, highBits: inout UInt8
    ) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var position = start
        while position + 8 <= end {
            let word = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            // A byte is zero (here: a quote or backslash) or below 0x20 exactly where subtracting
            // sets a high bit the byte did not have; a borrow may flag a later byte too, which only
            // sends the word to the careful path.
            let special =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            guard special & highs == 0 else { break }
            if word & highs != 0 { highBits = 0x80 }
            position += 8
        }
        return position
    }

    /// Validates the escape after a backslash (index at the escape letter) and moves past it.
    private mutating func checkEscape() throws(JSONSyntaxError) {
        switch bytes[index] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 1
        case UInt8(ascii: "u"):
            index += 1
            _ = try readHex4()
        default: throw error("invalid escape sequence", at: index - 1)
        }
    }

    private mutating func readHex4() throws(JSONSyntaxError) -> UInt16 {
        guard end - index >= 4 else { throw error("truncated \\u escape", at: index) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape", at: index)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private mutating func parseEscapedString(quote: Int) throws -> String {
        var utf8: [UInt8] = []
        while index < end {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw error("string is not valid UTF-8", at: quote)
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < end else { throw error("unterminated string", at: quote) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): utf8.append(0x22)
                case UInt8(ascii: "\\"): utf8.append(0x5C)
                case UInt8(ascii: "/"): utf8.append(0x2F)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &utf8)
                default: throw error("invalid escape sequence", at: index - 2)
                }
            default:
                if byte < 0x20 { throw error("raw control character in string (must be escaped)", at: index) }
                utf8.append(byte)
                index += 1
                // A literal U+10FFFF is doubled, so it cannot be taken for a lone surrogate's marker.
                if byte == 0xBF, utf8.count >= 4, utf8[utf8.count - 4] == 0xF4, utf8[utf8.count - 3] == 0x8F,
                    utf8[utf8.count - 2] == 0xBF
                {
                    utf8.append(contentsOf: LoneSurrogates.markerUTF8)
                }
            }
        }
        throw error("unterminated string", at: quote)
    }

    private mutating func appendUnicodeEscape(to utf8: inout [UInt8]) throws(JSONSyntaxError) {
        let escapeStart = index - 2
        let unit = try readHex4()
        var scalarValue = UInt32(unit)
        if (0xD800..<0xDC00).contains(unit) {
            // A high surrogate pairs with a following \uDC00-\uDFFF; alone, it is kept (LoneSurrogates).
            let resume = index
            if end - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                index += 2
                let low = try readHex4()
                if (0xDC00..<0xE000).contains(low) {
                    scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                } else {
                    index = resume
                    LoneSurrogates.append(unit, to: &utf8)
                    return
                }
            } else {
                LoneSurrogates.append(unit, to: &utf8)
                return
            }
        } else if (0xDC00..<0xE000).contains(unit) {
            LoneSurrogates.append(unit, to: &utf8)
            return
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw error("invalid \\u escape", at: escapeStart)
        }
        utf8.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
        if scalarValue == 0x10FFFF { utf8.append(contentsOf: LoneSurrogates.markerUTF8) }
    }
}

/// A syntax error at a byte offset of the scanned buffer.
struct JSONSyntaxError: Swift.Error, Sendable {
    let offset: Int
    let message: String
}

extension JSONScanner {
    /// The length of a UTF-8 byte-order mark at the start of `bytes` (3), or 0. Readers skip it
    /// silently: editors on some systems write one, and JSON itself never starts with it.
    static func byteOrderMarkLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }
}

/// How a JSON string holding a lone surrogate escape (`"\\ud800"`, legal JSON that no Swift
/// `String` can hold) is kept exactly: each lone surrogate `U` becomes U+10FFFF followed by the
/// private-use scalar U+10F000 + (U − 0xD800), and a genuine U+10FFFF is doubled. Writing a
/// string back (``JSONValue/serialized(_:)``) undoes both, so such text round-trips byte for byte
/// through every command, and no namespace is lost over one document.
enum LoneSurrogates {
    static let marker: UInt32 = 0x10FFFF
    static let markerUTF8: [UInt8] = [0xF4, 0x8F, 0xBF, 0xBF]
    static let base: UInt32 = 0x10F000

    static func append(_ unit: UInt16, to utf8: inout [UInt8]) {
        utf8.append(contentsOf: markerUTF8)
        if let scalar = Unicode.Scalar(base + UInt32(unit) - 0xD800) {
            utf8.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
        }
    }
}
