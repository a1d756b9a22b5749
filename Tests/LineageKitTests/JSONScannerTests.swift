import Testing

@testable import LineageKit

@Suite("JSON scanner")
struct JSONScannerTests {
    private func parse(_ text: String) throws -> JSONValue {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(bytes: buffer)
            let value = try scanner.parseValue()
            scanner.skipWhitespace()
            guard scanner.isAtEnd else { throw scanner.error("trailing content") }
            return value
        }
    }

    private func syntaxError(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try parse(text)
            return nil
        } catch let error as JSONSyntaxError {
            return error
        } catch {
            return nil
        }
    }

    @Test("strings are checked byte by byte at every position of the eight-byte fast path")
    func stringsAtEveryOffset() throws {
        for position in 0..<20 {
            let before = String(repeating: "a", count: position)
            let after = String(repeating: "b", count: 19 - position)
            // Parsed (values) and skipped (a document's unread fields) take different paths.
            for wrap in [{ (text: String) in text }, { (text: String) in #"{"document_id":"d","x":"# + text + "}" }] {
                #expect(
                    syntaxError(wrap("\"" + before + "\u{01}" + after + "\"")) != nil, "control byte at \(position)")
                #expect(try parse(wrap("\"" + before + #"\""# + after + "\"")) != .null, "escape at \(position)")
                #expect(try parse(wrap("\"" + before + "é" + after + "\"")) != .null, "UTF-8 at \(position)")
            }
            #expect(try parse("\"" + before + #"\"\\"# + after + "\"") == .string(before + #""\"# + after))
            var invalid = Array(("\"" + before + "?" + after + "\"").utf8)
            invalid[position + 1] = 0xFF
            let error = invalid.withUnsafeBytes { buffer -> Bool in
                var scanner = JSONScanner(bytes: buffer)
                return (try? scanner.parseValue()) == nil
            }
            #expect(error, "invalid UTF-8 at \(position)")
            #expect(syntaxError("\"" + before + after) != nil, "unterminated at \(position)")
        }
        var decoder = RecordDecoder()
        for position in 0..<20 {
            let id = String(repeating: "i", count: position) + "\u{1F}" + String(repeating: "j", count: 10)
            let record = Array((#"{"document_id":"d","collection_id":""# + id + #""}"#).utf8)
            let failed = record.withUnsafeBytes { buffer in
                (try? decoder.decode(
                    buffer, start: 0, end: buffer.count, location: SourceLocation(file: "t", line: 1),
                    raw: { RawJSON(bytes: record) })) == nil
            }
            #expect(failed, "a control byte inside an interned id at \(position)")
        }
    }

    /// What skipping `bytes` as one value (as the reader skips a document's unread fields) throws.
    private func skipError(_ bytes: [UInt8]) -> JSONSyntaxError? {
        bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(bytes: buffer)
            do {
                try scanner.skipValue()
                return scanner.isAtEnd ? nil : scanner.error("trailing content")
            } catch {
                return error as? JSONSyntaxError
            }
        }
    }

    @Test("skipped strings are checked like parsed ones at every position of the eight-byte fast path")
    func skippedStringsAtEveryOffset() throws {
        for position in 0..<40 {
            let before = String(repeating: "a", count: position)
            let after = String(repeating: "b", count: 39 - position)
            let control = skipError(Array(("\"" + before + "\u{01}" + after + "\"").utf8))
            #expect(control?.message.contains("control character") == true, "control byte at \(position)")
            #expect(control?.offset == position + 1, "the control byte's own offset")
            #expect(
                skipError(Array(("\"" + before + #"\"\\\u00e9"# + after + "\"").utf8)) == nil, "escapes at \(position)")
            #expect(skipError(Array(("\"" + before + "é日本" + after + "\"").utf8)) == nil, "UTF-8 at \(position)")
            let escape = skipError(Array(("\"" + before + #"\x"# + after + "\"").utf8))
            #expect(escape?.message.contains("invalid escape") == true, "bad escape at \(position)")
            var invalid = Array(("\"" + before + "?" + after + "\"").utf8)
            invalid[position + 1] = 0xFF
            #expect(skipError(invalid)?.message.contains("UTF-8") == true, "invalid UTF-8 at \(position)")
            #expect(skipError(Array(("\"" + before + after).utf8))?.message.contains("unterminated") == true)
            // The string ends exactly where it should: what follows it is read as the next token.
            #expect(skipError(Array((#"[""# + before + #"",1]"#).utf8)) == nil)
            #expect(skipError(Array((#"[""# + before + #"" 1]"#).utf8))?.message.contains("expected ','") == true)
        }
    }

    @Test("parses every kind of value and keeps number text and key order")
    func parsesValues() throws {
        let value = try parse(#"{"b": [1, -2.50, 3e10, true, false, null], "a": {"z": "x", "y": ""}}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["b", "a"])
        #expect(
            value["b"] == [1, .number(JSONNumber(text: "-2.50")), .number(JSONNumber(text: "3e10")), true, false, nil])
        #expect(value["a"]?["z"] == "x")
        #expect(value.serialized() == #"{"b":[1,-2.50,3e10,true,false,null],"a":{"z":"x","y":""}}"#)
    }

    @Test("decodes escapes, including surrogate pairs")
    func decodesEscapes() throws {
        let value = try parse(#""quote \" backslash \\ slash \/ \b\f\n\r\t \u00e9 \ud83d\ude00""#)
        #expect(value.stringValue == "quote \" backslash \\ slash / \u{8}\u{C}\n\r\t é 😀")
        #expect(try parse(#""naïve 日本""#).stringValue == "naïve 日本")
    }

    @Test(
        "rejects what RFC 8259 rejects",
        arguments: [
            ("[1,]", "expected a value"), ("{\"a\":1,}", "expected a quoted key"), ("01", "leading zero"),
            ("\"abc", "unterminated string"), ("\"a\\x\"", "invalid escape"), ("\"a\u{01}\"", "control character"),
            ("{\"a\" 1}", "expected ':'"), ("[1 2]", "expected ',' or ']'"), ("tru", "invalid literal"),
            ("1.", "digit expected"), ("-", "expected a value"),
            ("{'a': 1}", "expected a quoted key"), ("nul", "invalid literal"),
        ])
    func rejectsInvalidJSON(text: String, message: String) throws {
        let error = try #require(syntaxError(text))
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test("rejects invalid UTF-8 in strings")
    func rejectsInvalidUTF8() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
        let thrown = bytes.withUnsafeBytes { buffer -> JSONSyntaxError? in
            var scanner = JSONScanner(bytes: buffer)
            do {
                _ = try scanner.parseValue()
                return nil
            } catch {
                return error as? JSONSyntaxError
            }
        }
        #expect(thrown?.message.contains("UTF-8") == true)
    }

    @Test("reports the offset of the problem")
    func reportsOffset() throws {
        let error = try #require(syntaxError(#"{"a": [1, 2, }"#))
        #expect(error.offset == 13)
    }

    @Test("refuses nesting deeper than the limit instead of overflowing the stack")
    func refusesDeepNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try #require(syntaxError(deep))
        #expect(error.message.contains("nesting deeper"))
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try parse(fine) }
    }
}

@Suite("JSON values")
struct JSONValueTests {
    @Test("numbers compare by value, objects regardless of key order")
    func equality() {
        #expect(JSONValue.number(JSONNumber(text: "120")) == .number(JSONNumber(text: "120.0")))
        #expect(JSONValue.number(JSONNumber(text: "120")) != .number(JSONNumber(text: "121")))
        let left: JSONValue = ["a": 1, "b": "x"]
        let right: JSONValue = ["b": "x", "a": 1]
        #expect(left == right)
        #expect(left != ["a": 1, "b": "y"])
        #expect(left.hashValue == right.hashValue)
    }

    @Test("serialization escapes quotes, backslashes and control characters")
    func escapes() {
        let value: JSONValue = ["k\"ey": "line\nbreak \u{1} \\ \"q\""]
        #expect(value.serialized() == #"{"k\"ey":"line\nbreak \u0001 \\ \"q\""}"#)
    }

    @Test("pretty output indents by two spaces")
    func pretty() {
        let value: JSONValue = ["a": [1, 2], "b": [:]]
        #expect(value.serialized(.pretty) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}")
    }

    @Test("written in pieces, the text is the serialized text, never held whole past a piece and an element")
    func writtenInPieces() throws {
        let findings = (0..<500).map { index -> JSONValue in
            [
                "rule": "orphan.missing-parent", "document_id": .string("doc_\(index)"),
                "evidence": ["values": .array((0..<(index % 7)).map { .number(JSONNumber($0)) }), "note": "é \"q\""],
            ]
        }
        let value: JSONValue = ["summary": ["findings": 500, "empty": [:], "none": []], "findings": .array(findings)]
        for layout in [JSONValue.Layout.compact, .pretty] {
            let whole = Array(value.serialized(layout).utf8)
            let largestElement = findings.map { $0.serialized(layout).utf8.count }.max() ?? 0
            for pieceSize in [1, 64, 4096, 1 << 20] {
                var pieces: [[UInt8]] = []
                value.write(layout: layout, pieceSize: pieceSize) { pieces.append($0) }
                #expect(Array(pieces.joined()) == whole, "\(layout) in pieces of \(pieceSize)")
                #expect(!pieces.contains { $0.isEmpty })
                // Pieces end at an element's end once they reach the size: at most the size, an
                // element and the indentation before it.
                #expect(pieces.allSatisfy { $0.count < pieceSize + largestElement + 64 })
                #expect(pieceSize >= whole.count ? pieces.count == 1 : pieces.count > 1)
            }
        }
        var none: [[UInt8]] = []
        JSONValue.array([]).write { none.append($0) }
        #expect(none == [Array("[]".utf8)])
    }

    @Test("object subscripts set, replace and remove members in place")
    func objectEditing() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = 3
        object["c"] = 4
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object["a"] == 3)
    }

    @Test(
        "lone surrogate escapes are legal JSON and round-trip exactly; U+10FFFF stays itself",
        arguments: [
            #""a\ud800b""#, #""\udc00""#, #""\ud800\ud800x""#, #""\udbff""#, #""x\ud800A""#,
            "\"\u{10FFFF}!\"", "\"\u{10FFFF}\u{10FFFF}\"", #""\ud800\udc00""#,
        ])
    func loneSurrogates(text: String) throws {
        let value = try JSONValue(parsing: Array(text.utf8), name: "t")
        let again = try JSONValue(parsing: Array(value.serialized().utf8), name: "again")
        #expect(again == value)
        #expect(value.serialized() == again.serialized())
        if !text.contains("\\ud800\\udc00") {
            #expect(value.serialized() == text, "kept exactly: \(value.serialized())")
        }
    }

    @Test("a lone surrogate is not the same text as U+FFFD or as another lone surrogate")
    func loneSurrogatesStayDistinct() throws {
        let texts = [#""\ud800""#, #""\ud801""#, #""\udc00""#, "\"\u{FFFD}\"", "\"\u{10FFFF}\"", "\"\u{10F000}\""]
        let values = try texts.map { try JSONValue(parsing: Array($0.utf8), name: "t") }
        #expect(Set(values).count == texts.count)
    }
}
