extension Array where Element == UInt8 {
    /// Appends `text` escaped for XML text and attribute values (`& < > " '`), with characters XML
    /// 1.0 cannot hold (control characters but tab, newline and return; U+FFFE, U+FFFF) written as
    /// U+FFFD. The one XML escaping of LineageKit: the JUnit report and GraphML use it.
    mutating func appendXMLEscaped(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "&"): append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): append(contentsOf: "&apos;".utf8)
                case 0x09, 0x0A, 0x0D: append(byte)
                case 0..<0x20: append(contentsOf: [0xEF, 0xBF, 0xBD])
                case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE:
                    // U+FFFE and U+FFFF.
                    append(contentsOf: [0xEF, 0xBF, 0xBD])
                    index += 2
                default: append(byte)
                }
                index += 1
            }
        }
    }
}
