/// The single-valued lineage facts a document may state in several places, for rules that
/// compare places.
enum LineageFact: CaseIterable {
    case rootObjectID, rootBucketID, sourceType, sourceObjectID, sourceDocumentID, sourceCollectionID

    /// The canonical field name (`root_object_id`, …).
    var field: String {
        switch self {
        case .rootObjectID: "root_object_id"
        case .rootBucketID: "root_bucket_id"
        case .sourceType: "source_type"
        case .sourceObjectID: "source_object_id"
        case .sourceDocumentID: "source_document_id"
        case .sourceCollectionID: "source_collection_id"
        }
    }

    func value(in statement: LineageStatement) -> String? {
        switch self {
        case .rootObjectID: statement.rootObjectID
        case .rootBucketID: statement.rootBucketID
        case .sourceType: statement.sourceType?.description
        case .sourceObjectID: statement.sourceObjectID
        case .sourceDocumentID: statement.sourceDocumentID
        case .sourceCollectionID: statement.sourceCollectionID
        }
    }

    /// The places among `statements` (a document's) that state this fact with different values,
    /// as evidence; `nil` when they agree (or fewer than two places state it).
    func disagreement(among statements: StoredStatements) -> JSONObject? {
        // Most documents agree with themselves: find out without allocating first.
        var first: String?
        var differs = false
        for statement in statements {
            guard let value = value(in: statement) else { continue }
            if let first {
                if value != first {
                    differs = true
                    break
                }
            } else {
                first = value
            }
        }
        guard differs else { return nil }
        var stated: [(path: String, value: String?)] = []
        var distinct: Set<String> = []
        for statement in statements {
            guard let value = value(in: statement) else { continue }
            stated.append((statement.place.fieldPath(field), value))
            distinct.insert(value)
        }
        guard distinct.count > 1 else { return nil }
        return Evidence.disagreement(field: field, values: stated)
    }

    /// Where `document` states this fact (its most authoritative place).
    func path(in document: Document) -> String {
        let place = document.storedStatements.first { value(in: $0) != nil }?.place ?? .internal
        return place.fieldPath(field)
    }
}

extension Document {
    /// The path of the chain in the most authoritative place stating one.
    var chainPath: String {
        (storedStatements.first { $0.storedChain != nil }?.place ?? .internal).fieldPath("chain")
    }
}

extension JSONObject {
    /// The value at a dotted path (`metadata.title`), descending through objects; a key that
    /// itself holds dots is found first.
    public func value(atPath path: String) -> JSONValue? {
        if let direct = self[path] { return direct }
        guard path.contains(".") else { return nil }
        var current: JSONValue = .object(self)
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let next = current[String(component)] else { return nil }
            current = next
        }
        return current
    }
}

/// Parses ISO-8601 timestamps (`2025-10-31T10:00:00Z`, with optional fraction and offset) into
/// seconds since 1970, for ordering chain steps; `nil` for anything else.
package enum ISOTimestamp {
    package static func seconds(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"), let year = number(0..<4), let month = number(5..<7),
            let day = number(8..<10), let hour = number(11..<13), let minute = number(14..<16),
            let second = number(17..<19), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"): index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                guard let hours = number((index + 1)..<(index + 3)) else { return nil }
                var minutesStart = index + 3
                if minutesStart < bytes.count, bytes[minutesStart] == UInt8(ascii: ":") { minutesStart += 1 }
                let minutes = number(minutesStart..<(minutesStart + 2)) ?? 0
                offset = sign * (hours * 3600 + minutes * 60)
                index = minutesStart + 2
            default: return nil
            }
        }
        guard index >= bytes.count else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
}
