/// A document's id in two words, with no string of its own: a string of over 15 UTF-8 bytes
/// costs an allocation (a million leaf documents' ids, 64 MB of heap), and most ids take the
/// Mixpeek form that packs.
///
/// Three forms, told apart by the top byte:
/// - text: up to 15 bytes of UTF-8, as they are;
/// - prefixed hex: one to four lowercase letters, `_`, and one to 24 lowercase hex digits
///   (`doc_568e5f7f232d71be592a`, `doc_f8966ff29c18e20c6b45e053`), 4 bits a digit;
/// - kept: any other id, which its holder keeps elsewhere; the words hold its index there.
///
/// Packing is canonical (the same bytes always pack the same way), so two packed ids are equal
/// exactly when their words are.
struct PackedID: Hashable, Sendable {
    private let low: UInt64
    private let high: UInt64

    private static let textTag: UInt64 = 0x80
    private static let hexTag: UInt64 = 0x40
    private static let keptTag: UInt64 = 0x00
    /// The most bytes an id of the packed forms has: four letters, `_` and 24 digits.
    static let longestPacked = 29
    private static let longestText = 15
    private static let mostDigits = 24
    private static let mostPrefixLetters = 4

    private init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// The id written in `bytes`, packed; `nil` when it takes neither packed form.
    init?(packing bytes: UnsafeRawBufferPointer) {
        if bytes.count <= Self.longestText {
            var low: UInt64 = 0
            var high: UInt64 = 0
            for (offset, byte) in bytes.enumerated() {
                if offset < 8 {
                    low |= UInt64(byte) << (8 * UInt64(offset))
                } else {
                    high |= UInt64(byte) << (8 * UInt64(offset - 8))
                }
            }
            self.init(low: low, high: high | (Self.textTag | UInt64(bytes.count)) << 56)
            return
        }
        guard let (low, high) = Self.packHex(bytes) else { return nil }
        self.init(low: low, high: high)
    }

    /// A string's id, packed; `nil` when it takes neither packed form.
    init?(packing string: String) {
        var string = string
        guard let packed = string.withUTF8({ PackedID(packing: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = packed
    }

    /// An id kept elsewhere, at `index`.
    static func kept(at index: Int) -> PackedID {
        PackedID(low: UInt64(index), high: keptTag << 56)
    }

    /// Where the id is kept, for an id of neither packed form; `nil` for a packed id.
    var keptIndex: Int? {
        high >> 56 == Self.keptTag ? Int(low) : nil
    }

    /// Prefixed hex: the letters (2 bits of count - 1, then 5 bits each, from bit 32 of `high`),
    /// the digits (4 bits each, the first 16 in `low`, the rest from bit 0 of `high`), and the
    /// digit count beside the tag.
    private static func packHex(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
        var letters = 0
        while letters < bytes.count, letters <= mostPrefixLetters, bytes[letters] &- UInt8(ascii: "a") < 26 {
            letters += 1
        }
        let digits = bytes.count - letters - 1
        guard letters >= 1, letters <= mostPrefixLetters, letters < bytes.count,
            bytes[letters] == UInt8(ascii: "_"), digits >= 1, digits <= mostDigits
        else { return nil }
        var high = (hexTag | UInt64(digits)) << 56 | UInt64(letters - 1) << 52
        for letter in 0..<letters {
            high |= UInt64(bytes[letter] - UInt8(ascii: "a")) << (32 + 5 * UInt64(letter))
        }
        var low: UInt64 = 0
        for digit in 0..<digits {
            let byte = bytes[letters + 1 + digit]
            let value: UInt8
            if byte &- UInt8(ascii: "0") < 10 {
                value = byte - UInt8(ascii: "0")
            } else if byte &- UInt8(ascii: "a") < 6 {
                value = byte - UInt8(ascii: "a") + 10
            } else {
                return nil
            }
            if digit < 16 {
                low |= UInt64(value) << (4 * UInt64(digit))
            } else {
                high |= UInt64(value) << (4 * UInt64(digit - 16))
            }
        }
        return (low, high)
    }

    /// Calls `body` with the id's UTF-8 bytes, written out on the stack; a kept id has none here
    /// (`body` gets no bytes).
    @inline(__always)
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.longestPacked) { buffer in
            let count = write(into: buffer)
            return try body(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[0..<count])))
        }
    }

    /// Writes the id's bytes at the start of `buffer` (at least ``longestPacked`` long) and
    /// returns how many; 0 for a kept id.
    private func write(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let tag = high >> 56
        if tag & Self.textTag != 0 {
            let count = Int(tag & 0x0F)
            for offset in 0..<count {
                let word = offset < 8 ? low : high
                buffer[offset] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(offset % 8)))
            }
            return count
        }
        guard tag & Self.hexTag != 0 else { return 0 }
        let digits = Int(tag & 0x3F)
        let letters = Int((high >> 52) & 0x3) + 1
        for letter in 0..<letters {
            buffer[letter] = UInt8(ascii: "a") + UInt8(truncatingIfNeeded: (high >> (32 + 5 * UInt64(letter))) & 0x1F)
        }
        buffer[letters] = UInt8(ascii: "_")
        for digit in 0..<digits {
            let word = digit < 16 ? low : high
            let value = UInt8(truncatingIfNeeded: (word >> (4 * UInt64(digit % 16))) & 0xF)
            buffer[letters + 1 + digit] = value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
        }
        return letters + 1 + digits
    }

    /// The id as a string; empty for a kept id.
    var string: String {
        withBytes { String(decoding: $0, as: UTF8.self) }
    }
}
