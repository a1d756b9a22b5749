extension Array where Element == UInt8 {
    /// Appends `text` escaped for XML (`& < > " '`), with characters XML 1.0 cannot hold (control
    /// characters but tab, newline and return; U+FFFE, U+FFFF) written as U+FFFD. A return is
    /// written `&#13;` (parsers turn a raw one into a newline), and in an attribute value tab and
    /// newline are written `&#9;` and `&#10;` too (parsers turn raw ones into spaces), so every
    /// value reads back as it was. The one XML escaping of LineageKit: the JUnit report and GraphML
    /// use it.
    mutating func appendXMLEscaped(_ text: String, inAttribute: Bool = false) {
        var text = text
        text.withUTF8 { appendXMLEscaped(utf8: UnsafeRawBufferPointer($0), inAttribute: inAttribute) }
    }

    /// ``appendXMLEscaped(_:inAttribute:)`` of text given as UTF-8 bytes.
    mutating func appendXMLEscaped(utf8 bytes: UnsafeRawBufferPointer, inAttribute: Bool = false) {
        // Runs of bytes that need nothing are copied whole.
        var plainStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let replacement: StaticString?
            var skipped = 0
            switch byte {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&apos;"
            case 0x09: replacement = inAttribute ? "&#9;" : nil
            case 0x0A: replacement = inAttribute ? "&#10;" : nil
            case 0x0D: replacement = "&#13;"
            case 0..<0x20: replacement = "\u{FFFD}"
            case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE:
                // U+FFFE and U+FFFF.
                replacement = "\u{FFFD}"
                skipped = 2
            default: replacement = nil
            }
            if let replacement {
                append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[plainStart..<index]))
                append(
                    contentsOf: UnsafeBufferPointer(
                        start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                index += skipped
                plainStart = index + 1
            }
            index += 1
        }
        append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[plainStart..<bytes.count]))
    }
}
