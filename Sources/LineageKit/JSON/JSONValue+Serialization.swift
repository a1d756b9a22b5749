extension JSONValue {
    /// How ``JSONValue/serialized(_:)`` lays out its text.
    public enum Layout: Sendable {
        /// One line, no spaces: for JSON Lines and wire bodies.
        case compact
        /// Indented by two spaces per level, for people.
        case pretty
    }

    /// The JSON text of this value, keeping key order and number text.
    public func serialized(_ layout: Layout = .compact) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(into: &output, layout: layout, depth: 0)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the JSON text of this value to `output` as UTF-8.
    public func write(into output: inout [UInt8], layout: Layout = .compact) {
        write(into: &output, layout: layout, depth: 0)
    }

    /// Writes the JSON text of this value in pieces of about `pieceSize` bytes, handing each to
    /// `emit` (which must consume it: the buffer is emptied after each call), so that a large
    /// value's text is never whole in memory: a million findings' report is not held three times
    /// over (bytes, string, output copy) while it is written.
    public func write(layout: Layout = .compact, pieceSize: Int = 1 << 20, emit: ([UInt8]) -> Void) {
        withoutActuallyEscaping(emit) { emit in
            var output: [UInt8] = []
            output.reserveCapacity(pieceSize + pieceSize / 4)
            let flush = Flush(threshold: pieceSize) { output in
                emit(output)
                output.removeAll(keepingCapacity: true)
            }
            write(into: &output, layout: layout, depth: 0, flush: flush)
            if !output.isEmpty { emit(output) }
        }
    }

    /// What ``write(layout:pieceSize:emit:)`` does with the text so far once it holds `threshold`
    /// bytes, checked after each array element and object member.
    private struct Flush {
        let threshold: Int
        let body: (inout [UInt8]) -> Void
    }

    private func write(into output: inout [UInt8], layout: Layout, depth: Int, flush: Flush? = nil) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): output.append(contentsOf: number.text.utf8)
        case .string(let text): JSONValue.writeString(text, into: &output)
        case .array(let elements):
            guard !elements.isEmpty else {
                output.append(contentsOf: "[]".utf8)
                return
            }
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.newline(into: &output, layout: layout, depth: depth + 1)
                element.write(into: &output, layout: layout, depth: depth + 1, flush: flush)
                if let flush, output.count >= flush.threshold { flush.body(&output) }
            }
            JSONValue.newline(into: &output, layout: layout, depth: depth)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else {
                output.append(contentsOf: "{}".utf8)
                return
            }
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.newline(into: &output, layout: layout, depth: depth + 1)
                JSONValue.writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                if case .pretty = layout { output.append(UInt8(ascii: " ")) }
                member.value.write(into: &output, layout: layout, depth: depth + 1, flush: flush)
                if let flush, output.count >= flush.threshold { flush.body(&output) }
            }
            JSONValue.newline(into: &output, layout: layout, depth: depth)
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(into output: inout [UInt8], layout: Layout, depth: Int) {
        guard case .pretty = layout else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
    }

    /// Appends `text` as a quoted JSON string, escaping quotes, backslashes and control characters.
    static func writeString(_ text: String, into output: inout [UInt8]) {
        let written: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(0xF4) else { return false }
            output.append(UInt8(ascii: "\""))
            var plainStart = bytes.startIndex
            for index in bytes.indices
            where bytes[index] < 0x20 || bytes[index] == UInt8(ascii: "\"")
                || bytes[index] == UInt8(ascii: "\\")
            {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart..<index]))
                writeEscaped(CollectionOfOne(bytes[index]), into: &output)
                plainStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart...]))
            output.append(UInt8(ascii: "\""))
            return true
        }
        if written == true { return }
        if text.utf8.contains(0xF4) {
            writeStringWithMarkers(text, into: &output)
            return
        }
        output.append(UInt8(ascii: "\""))
        writeEscaped(text.utf8, into: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// The string's bytes with quotes, backslashes and control characters escaped.
    private static func writeEscaped(_ bytes: some Sequence<UInt8>, into output: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: "\\u00".utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
    }

    /// ``writeString(_:into:)`` for text that may hold ``LoneSurrogates`` markers: a marker and
    /// its private-use scalar become the lone surrogate's `\\uXXXX` escape, a doubled U+10FFFF
    /// one U+10FFFF.
    private static func writeStringWithMarkers(_ text: String, into output: inout [UInt8]) {
        var plain = ""
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        func flush() {
            writeEscaped(plain.utf8, into: &output)
            plain = ""
        }
        output.append(UInt8(ascii: "\""))
        while let scalar = pending ?? scalars.next() {
            pending = nil
            guard scalar.value == LoneSurrogates.marker, let next = scalars.next() else {
                plain.unicodeScalars.append(scalar)
                continue
            }
            if next.value == LoneSurrogates.marker {
                plain.unicodeScalars.append(scalar)
            } else if (LoneSurrogates.base..<LoneSurrogates.base + 0x800).contains(next.value) {
                flush()
                let unit = 0xD800 + next.value - LoneSurrogates.base
                output.append(contentsOf: "\\u".utf8)
                output.append(contentsOf: String(unit, radix: 16).utf8)
            } else {
                plain.unicodeScalars.append(scalar)
                pending = next
            }
        }
        flush()
        output.append(UInt8(ascii: "\""))
    }
}
