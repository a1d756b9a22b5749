extension Document {
    /// The top-level user fields among `names` (escaped keys are compared in their decoded form).
    ///
    /// A document read from a file reads its record again but builds only the values asked for,
    /// skipping the rest: drawing a large picture asks for a node's label fields this way, once a
    /// document, and parsing every record whole was most of its DOT time.
    public func userFields(named names: [String]) -> JSONObject {
        guard !names.isEmpty, names.contains(where: { userFieldPrint($0) != .absent }) else { return JSONObject() }
        if case .input = userFieldStorage, let found = try? readUserFields(named: names) { return found }
        let fields = userFields
        return JSONObject(names.compactMap { name in fields[name].map { (key: name, value: $0) } })
    }

    /// Reads the fields named `names` from the record, where ``userFields(inResponse:)`` finds user
    /// fields: at the root beside an `_internal` object (system root fields excepted), else in
    /// `metadata`. Values are found first and only those kept are built. A name written twice
    /// gives its last value, as ``JSONObject``'s lookup does.
    private func readUserFields(named names: [String]) throws -> JSONObject {
        let wanted = names.map { Array($0.utf8) }
        let bytes = try raw.bytes()
        return try bytes.withUnsafeBytes { buffer in
            /// Where the value of each wanted name starts in the object at `start` (a name asked
            /// twice at its first position), skipping every value; `visit` sees each key first.
            func valueStarts(
                ofObjectAt start: Int, _ visit: (RawKey, inout JSONScanner) -> Void = { _, _ in }
            ) throws -> [Int?] {
                var starts = [Int?](repeating: nil, count: names.count)
                var scanner = JSONScanner(bytes: buffer, start: start)
                try scanner.readObjectRawKeys { scanner, key in
                    visit(key, &scanner)
                    if let position = wanted.firstIndex(where: { $0.elementsEqual(key.bytes) }) {
                        starts[position] = scanner.index
                    }
                    try scanner.skipValue()
                }
                return starts
            }
            var internalIsObject = false
            var metadataStart: Int?
            var starts = try valueStarts(ofObjectAt: 0) { key, scanner in
                if key == "_internal" {
                    internalIsObject = internalIsObject || scanner.peek() == UInt8(ascii: "{")
                } else if key == "metadata", scanner.peek() == UInt8(ascii: "{") {
                    metadataStart = scanner.index
                }
            }
            if internalIsObject {
                for position in names.indices where Self.systemRootFieldNames.contains(names[position]) {
                    starts[position] = nil
                }
            } else {
                starts = try metadataStart.map { try valueStarts(ofObjectAt: $0) } ?? starts.map { _ in nil }
            }
            // A name asked for twice is answered twice, as picking from the whole fields does.
            return JSONObject(
                try names.indices.compactMap { position in
                    guard let start = starts[wanted.firstIndex(of: wanted[position]) ?? position] else { return nil }
                    var scanner = JSONScanner(bytes: buffer, start: start)
                    return (key: names[position], value: try scanner.parseValue())
                })
        }
    }
}
