/// The diff as `lineage diff` prints it: JSON (a stable contract, docs/cli.md) and text.
extension SnapshotDiff {
    /// The diff as JSON: `old` and `new` counts, a `summary` of counts, and the lists
    /// (`documents`, `objects`, `lineage_changed`, `user_fields_changed`, `findings`).
    public var json: JSONValue { jsonParts.value }

    /// Writes ``json`` as text, one list element at a time (each compact, on its own line), so
    /// the whole text is never in memory: `write` is called with pieces of about `chunkSize` bytes.
    public func writeJSON(chunkSize: Int = 1 << 20, to write: ([UInt8]) throws -> Void) rethrows {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkSize + 4096)
        try jsonParts.write(into: &buffer, depth: 0) { buffer in
            if buffer.count >= chunkSize {
                try write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer.append(UInt8(ascii: "\n"))
        try write(buffer)
    }

    /// The JSON contract as parts: lists stay lazy, so ``writeJSON(chunkSize:to:)`` makes one
    /// element at a time.
    private var jsonParts: JSONPart {
        func counts(_ counts: Counts) -> JSONValue {
            [
                "documents": .number(JSONNumber(counts.documents)), "objects": .number(JSONNumber(counts.objects)),
                "findings": .number(JSONNumber(counts.findings)),
            ]
        }
        func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
        func list<Item>(_ items: [Item], _ element: @escaping (Item) -> JSONValue) -> JSONPart {
            .elements(items.count) { element(items[$0]) }
        }
        func finding(_ finding: Finding) -> JSONValue {
            guard case .object(var members) = finding.json else { return finding.json }
            members["fingerprint"] = .string(finding.fingerprint)
            return .object(members)
        }
        let summary: JSONValue = [
            "documents_added": number(addedDocuments.count), "documents_removed": number(removedDocuments.count),
            "objects_added": number(addedObjects.count), "objects_removed": number(removedObjects.count),
            "lineage_changed": number(lineageChanges.count), "user_fields_changed": number(userFieldChanges.count),
            "findings_new": number(newFindings.count), "findings_resolved": number(resolvedFindings.count),
            "findings_persisting": number(persistingFindings.count),
            "new_by_severity": .object(
                JSONObject(
                    Severity.allCases.reversed().map { severity in
                        (severity.rawValue, number(newFindings.count { $0.severity == severity }))
                    })),
        ]
        return .object([
            ("old", .value(counts(oldCounts))), ("new", .value(counts(newCounts))), ("summary", .value(summary)),
            (
                "documents",
                .object([("added", list(addedDocuments, \.json)), ("removed", list(removedDocuments, \.json))])
            ),
            ("objects", .object([("added", list(addedObjects, \.json)), ("removed", list(removedObjects, \.json))])),
            (
                "lineage_changed",
                list(lineageChanges) { change in
                    var members = change.document.json.objectValue ?? JSONObject()
                    members["resolved"] = .array(change.resolved.map(\.json))
                    members["statements"] = .array(change.statements.map(\.json))
                    return .object(members)
                }
            ),
            (
                "user_fields_changed",
                list(userFieldChanges) { change in
                    var members = change.document.json.objectValue ?? JSONObject()
                    members["added"] = .array(change.added.map(JSONValue.string))
                    members["removed"] = .array(change.removed.map(JSONValue.string))
                    members["changed"] = .array(change.changed.map(JSONValue.string))
                    return .object(members)
                }
            ),
            ("user_fields_unreadable", list(unreadableUserFields, \.json)),
            (
                "findings",
                .object([
                    ("new", list(newFindings, finding)), ("resolved", list(resolvedFindings, finding)),
                    ("persisting", list(persistingFindings, finding)),
                ])
            ),
        ])
    }

    /// The diff for people: a summary, then each list (at most `maximumPerSection` entries each,
    /// `nil` for all; `moreHint`, in parentheses after "and N more", says how to see the rest).
    public func text(maximumPerSection: Int? = 10, moreHint: String? = nil) -> String {
        var out = "documents: \(oldCounts.documents) → \(newCounts.documents) "
        out += "(+\(addedDocuments.count) −\(removedDocuments.count)); "
        out +=
            "objects: \(oldCounts.objects) → \(newCounts.objects) (+\(addedObjects.count) −\(removedObjects.count))\n"
        out += "lineage changed in \(lineageChanges.count) document(s); "
        out += "user fields changed in \(userFieldChanges.count) document(s)\n"
        let newErrors = newFindings.count { $0.severity == .error }
        let newWarnings = newFindings.count { $0.severity == .warning }
        out += "findings: \(newFindings.count) new (\(newErrors) error(s), \(newWarnings) warning(s)), "
        out += "\(resolvedFindings.count) resolved, \(persistingFindings.count) persisting\n"
        if !unreadableUserFields.isEmpty {
            out +=
                "warning: the user fields of \(unreadableUserFields.count) document(s) could not be read again "
                + "(an input file changed or vanished); they are not compared\n"
        }
        func section<Item>(_ title: String, _ items: [Item], _ line: (Item) -> String) {
            guard !items.isEmpty else { return }
            out += "\n\(title) (\(items.count)):\n"
            let shown = maximumPerSection.map { Array(items.prefix($0)) } ?? items
            for item in shown { out += "  " + line(item) + "\n" }
            if shown.count < items.count {
                out += "  " + .andMore(items.count - shown.count, hint: moreHint) + "\n"
            }
        }
        section("Added documents", addedDocuments) { "+ \($0.collectionID)/\($0.documentID)" }
        section("Removed documents", removedDocuments) { "- \($0.collectionID)/\($0.documentID)" }
        section("Added objects", addedObjects) { "+ \($0.bucketID)/\($0.objectID)" }
        section("Removed objects", removedObjects) { "- \($0.bucketID)/\($0.objectID)" }
        section("Lineage changed", lineageChanges) { change in
            let facts = (change.resolved.isEmpty ? change.statements : change.resolved).map { fact in
                var (before, after) = (Self.describe(fact.old), Self.describe(fact.new))
                if before == after { (before, after) = (Self.serialize(fact.old), Self.serialize(fact.new)) }
                return "\(fact.fieldPath): \(before) → \(after)"
            }
            return "~ \(change.document.collectionID)/\(change.document.documentID): " + facts.joined(separator: "; ")
        }
        section("User fields changed", userFieldChanges) { change in
            var parts: [String] = []
            if !change.changed.isEmpty { parts.append("changed " + change.changed.joined(separator: ", ")) }
            if !change.added.isEmpty { parts.append("added " + change.added.joined(separator: ", ")) }
            if !change.removed.isEmpty { parts.append("removed " + change.removed.joined(separator: ", ")) }
            return "~ \(change.document.collectionID)/\(change.document.documentID): " + parts.joined(separator: "; ")
        }
        func finding(_ finding: Finding) -> String {
            "\(finding.severity.rawValue) \(finding.rule) "
                + "\(finding.documentID ?? finding.collectionID ?? "namespace"): \(finding.message)"
        }
        section("New findings", newFindings.sorted { $0.severity > $1.severity }, finding)
        section("Resolved findings", resolvedFindings, finding)
        return out
    }

    /// A fact's value for people: the string, the chain's collections joined by ` > `, or `unstated`.
    static func describe(_ value: JSONValue?) -> String {
        guard let value else { return "unstated" }
        if let string = value.stringValue { return string }
        if let steps = value.arrayValue {
            return "[" + steps.map { $0["collection_id"]?.stringValue ?? "?" }.joined(separator: " > ") + "]"
        }
        return value.serialized()
    }

    /// A fact's value as compact JSON, or `unstated`.
    static func serialize(_ value: JSONValue?) -> String { value?.serialized() ?? "unstated" }
}

extension SnapshotDiff.DocumentReference {
    /// `{"collection_id": …, "document_id": …}`.
    public var json: JSONValue { ["collection_id": .string(collectionID), "document_id": .string(documentID)] }
}

extension SnapshotDiff.ObjectReference {
    /// `{"bucket_id": …, "object_id": …}`.
    public var json: JSONValue { ["bucket_id": .string(bucketID), "object_id": .string(objectID)] }
}

extension SnapshotDiff.FactChange {
    /// `{"fact", "place" (null for resolved), "field", "old", "new"}`; unstated values are `null`.
    public var json: JSONValue {
        [
            "fact": .string(fact), "place": place.map { .string($0.rawValue) } ?? .null, "field": .string(fieldPath),
            "old": old ?? .null, "new": new ?? .null,
        ]
    }
}

/// A JSON document in parts: whole values, objects of parts, and lists made one element at a time.
private indirect enum JSONPart {
    case value(JSONValue)
    case object([(String, JSONPart)])
    case elements(Int, (Int) -> JSONValue)

    /// The whole value.
    var value: JSONValue {
        switch self {
        case .value(let value): value
        case .object(let members): .object(JSONObject(members.map { ($0.0, $0.1.value) }))
        case .elements(let count, let element): .array((0..<count).map(element))
        }
    }

    /// Appends the text, indented two spaces a level with each list element compact on its own
    /// line, calling `flush` after each element so the caller can write out what is buffered.
    func write(into output: inout [UInt8], depth: Int, flush: (inout [UInt8]) throws -> Void) rethrows {
        func newline(_ depth: Int) {
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
        }
        switch self {
        case .value(let value):
            value.write(into: &output)
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, (key, part)) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                JSONValue.string(key).write(into: &output)
                output.append(contentsOf: ": ".utf8)
                try part.write(into: &output, depth: depth + 1, flush: flush)
            }
            newline(depth)
            output.append(UInt8(ascii: "}"))
        case .elements(let count, let element):
            guard count > 0 else {
                output.append(contentsOf: "[]".utf8)
                return
            }
            output.append(UInt8(ascii: "["))
            for index in 0..<count {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                element(index).write(into: &output)
                try flush(&output)
            }
            newline(depth)
            output.append(UInt8(ascii: "]"))
        }
    }
}
