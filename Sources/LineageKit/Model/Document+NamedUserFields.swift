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
    /// `metadata`. A name written twice gives its last value, as ``JSONObject``'s lookup does.
    private func readUserFields(named names: [String]) throws -> JSONObject {
        let wanted = names.map { Array($0.utf8) }
        func wantedPosition(of key: RawKey) -> Int? {
            wanted.firstIndex { $0.elementsEqual(key.bytes) }
        }
        let bytes = try raw.bytes()
        return try bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(bytes: buffer)
            var atRoot: [JSONValue?] = Array(repeating: nil, count: names.count)
            var internalIsObject = false
            var metadataStart: Int?
            try scanner.readObjectRawKeys { scanner, key in
                if key == "_internal" {
                    internalIsObject = internalIsObject || scanner.peek() == UInt8(ascii: "{")
                } else if key == "metadata", scanner.peek() == UInt8(ascii: "{") {
                    metadataStart = scanner.index
                }
                if let position = wantedPosition(of: key), !Self.systemRootFieldNames.contains(names[position]) {
                    atRoot[position] = try scanner.parseValue()
                } else {
                    try scanner.skipValue()
                }
            }
            var found = atRoot
            if !internalIsObject {
                found = Array(repeating: nil, count: names.count)
                if let metadataStart {
                    var metadata = JSONScanner(bytes: buffer, start: metadataStart)
                    try metadata.readObjectRawKeys { scanner, key in
                        if let position = wantedPosition(of: key) {
                            found[position] = try scanner.parseValue()
                        } else {
                            try scanner.skipValue()
                        }
                    }
                }
            }
            // A name asked for twice is answered twice, as picking from the whole fields does.
            return JSONObject(
                names.indices.compactMap { position in
                    found[wanted.firstIndex(of: wanted[position]) ?? position].map { (key: names[position], value: $0) }
                })
        }
    }
}
