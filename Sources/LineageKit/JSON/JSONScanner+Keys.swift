#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An object key as bytes, compared without making a `String`: the hot path reads documents
/// key by key, and most keys are only compared and dropped.
struct RawKey {
    let bytes: UnsafeRawBufferPointer

    @inline(__always)
    static func == (key: RawKey, literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard key.bytes.count == count else { return false }
        guard count > 0, let base = key.bytes.baseAddress else { return count == 0 }
        return memcmp(base, literal.utf8Start, count) == 0
    }

    /// The key as a string.
    var string: String { String(decoding: bytes, as: UTF8.self) }
}

extension JSONScanner {
    /// Reads an object member by member: `body` gets each key, as bytes, and must consume its value.
    mutating func readObjectRawKeys(_ body: (inout JSONScanner, RawKey) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "'{'")
        try enterObject()
        defer { leaveObject() }
        if peek() == UInt8(ascii: "}") {
            advance()
            return
        }
        while true {
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a quoted key, found \(describe(at: index))")
            }
            let keyStart = index + 1
            var plain = true
            var cursor = keyStart
            while cursor < end {
                let byte = bytes[cursor]
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 {
                    plain = false
                    break
                }
                cursor += 1
            }
            if plain && cursor < end {
                let key = RawKey(bytes: UnsafeRawBufferPointer(rebasing: bytes[keyStart..<cursor]))
                advance(to: cursor + 1)
                try expect(UInt8(ascii: ":"), "':' after key \"\(key.string)\"")
                skipWhitespace()
                try body(&self, key)
            } else {
                let decoded = try parseString()
                try expect(UInt8(ascii: ":"), "':' after key \"\(decoded)\"")
                skipWhitespace()
                let utf8 = Array(decoded.utf8)
                try utf8.withUnsafeBytes { buffer in
                    try body(&self, RawKey(bytes: buffer))
                }
            }
            skipWhitespace()
            guard index < end else { throw error("unterminated object: expected ',' or '}'") }
            switch bytes[index] {
            case UInt8(ascii: ","): advance()
            case UInt8(ascii: "}"):
                advance()
                return
            default: throw error("expected ',' or '}' in object, found \(describe(at: index))")
            }
        }
    }
}
