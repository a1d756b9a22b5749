/// A chain step's timestamp as kept in memory: the text as written, except that the usual UTC
/// form, `2025-10-31T10:01:24Z` (20 bytes, so a heap string of its own in every step), is kept as
/// its 14 digits behind a marker byte, 15 bytes, which a Swift string holds inline. The form is
/// exact both ways: a text is packed only when it is exactly that form, and a written text that
/// happens to begin with a marker byte is kept behind an escape byte, so two timestamps are equal
/// exactly when their kept forms are.
struct StepTimestamp: Hashable, Sendable {
    /// The kept form: packed, escaped or as written.
    private(set) var stored: String

    private static let packedMarker = UInt8(0x01)
    private static let escapeMarker = UInt8(0x02)
    /// Where the 14 digits sit in the written form `YYYY-MM-DDTHH:MM:SSZ`.
    private static let digitOffsets = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
    /// The written form's other bytes, by offset.
    private static let punctuation: [(offset: Int, byte: UInt8)] = [
        (4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")), (10, UInt8(ascii: "T")), (13, UInt8(ascii: ":")),
        (16, UInt8(ascii: ":")), (19, UInt8(ascii: "Z")),
    ]
    /// The length of the written UTC form.
    static let packableLength = 20

    /// Keeps `text`, packed when it is the usual UTC form.
    init(_ text: String) {
        var text = text
        if let packed = text.withUTF8({ Self.packed(UnsafeRawBufferPointer($0)) }) {
            stored = packed
        } else if let first = text.utf8.first, first == Self.packedMarker || first == Self.escapeMarker {
            stored = String(UnicodeScalar(Self.escapeMarker)) + text
        } else {
            stored = text
        }
    }

    /// Keeps a form ``packed(_:)`` made.
    init(packed: String) {
        stored = packed
    }

    /// The packed form of `written` when it is exactly `YYYY-MM-DDTHH:MM:SSZ`, made without an
    /// allocation; `nil` for any other text.
    static func packed(_ written: UnsafeRawBufferPointer) -> String? {
        guard written.count == packableLength else { return nil }
        for (offset, byte) in punctuation where written[offset] != byte { return nil }
        for offset in digitOffsets where written[offset] &- UInt8(ascii: "0") >= 10 { return nil }
        return String(unsafeUninitializedCapacity: 15) { buffer in
            buffer[0] = packedMarker
            for (index, offset) in digitOffsets.enumerated() { buffer[index + 1] = written[offset] }
            return 15
        }
    }

    /// Whether the kept form is the packed UTC form.
    var isPackedUTC: Bool { stored.utf8.first == Self.packedMarker }

    /// The timestamp as written.
    var text: String {
        switch stored.utf8.first {
        case Self.packedMarker:
            var packed = stored
            return packed.withUTF8 { digits in
                String(unsafeUninitializedCapacity: Self.packableLength) { buffer in
                    for (offset, byte) in Self.punctuation { buffer[offset] = byte }
                    for (index, offset) in Self.digitOffsets.enumerated() { buffer[offset] = digits[index + 1] }
                    return Self.packableLength
                }
            }
        case Self.escapeMarker:
            // The escape byte is a grapheme of its own (a control character), so dropping the
            // first character drops exactly it.
            return String(stored.dropFirst())
        default:
            return stored
        }
    }
}
