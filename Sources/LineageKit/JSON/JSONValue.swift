/// A JSON value that keeps what a round trip needs: key order and the exact text of numbers.
///
/// LineageKit never loses data it reads: a document read and written back is the same JSON value.
/// Objects are ordered key/value lists (``JSONObject``) and numbers keep their literal text
/// (``JSONNumber``), so `1.0` stays `1.0` and a 20-digit id stays exact.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The number as an `Int`, when this is a whole number that fits.
    public var intValue: Int? {
        if case .number(let value) = self { return value.intValue }
        return nil
    }

    /// The flag, when this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The JSON type name used in error messages: `null`, `boolean`, `number`, `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Looks up a member of an object; `nil` when this is not an object or has no such key.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

/// A JSON number kept as its literal text.
///
/// Two numbers are equal when they denote the same decimal value (`120`, `120.0` and `1.2e2`), so
/// comparisons of metadata values do not depend on how a writer formatted them. The comparison is
/// exact, never through `Double`: `9007199254740992` and `9007199254740993` differ, and so do
/// `1e400` and `1e999`.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number exactly as it appeared in the input.
    public let text: String

    /// Creates a number from its JSON text; the text must already be a valid JSON number.
    public init(text: String) {
        self.text = text
    }

    /// Creates a number from an integer.
    public init(_ value: Int) {
        self.text = String(value)
    }

    /// Creates a number from a double; non-finite values are not JSON and become `0`.
    public init(_ value: Double) {
        guard value.isFinite else {
            self.text = "0"
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            self.text = String(Int64(value))
        } else {
            self.text = String(value)
        }
    }

    /// The value as a double (which may round very long numbers).
    public var doubleValue: Double { Double(text) ?? .nan }

    /// The value as an integer, when it is one.
    public var intValue: Int? {
        if let value = Int(text) { return value }
        let exact = decimal
        if exact.digits.isEmpty { return 0 }
        guard exact.exponent >= 0, exact.exponentOverflow == nil, exact.digits.count + exact.exponent <= 19 else {
            return nil
        }
        return Int(exact.canonicalText)
    }

    /// A short text for people.
    public var description: String { text }

    /// Whether two numbers denote the same decimal value.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.text == rhs.text || lhs.decimal == rhs.decimal
    }

    /// Hashes the exact decimal value, so equal numbers hash alike.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(decimal)
    }

    /// The exact value: sign, significant digits (no leading or trailing zeros) and a decimal
    /// exponent, so that the value is `digits × 10^exponent`. Zero has no digits.
    var decimal: ExactDecimal { ExactDecimal(text) }
}

/// A JSON number's exact decimal value, in a canonical form that equality and hashing compare.
struct ExactDecimal: Hashable {
    var negative = false
    /// Significant digits, without leading or trailing zeros; empty for zero.
    var digits: [UInt8] = []
    /// The power of ten the digits are scaled by. An exponent beyond `Int`'s range saturates, and
    /// `exponentOverflow` keeps the literal so two such numbers still compare by their text.
    var exponent = 0
    var exponentOverflow: String?

    init(_ text: String) {
        var utf8 = Array(text.utf8)[...]
        if utf8.first == UInt8(ascii: "-") {
            negative = true
            utf8 = utf8.dropFirst()
        } else if utf8.first == UInt8(ascii: "+") {
            utf8 = utf8.dropFirst()
        }
        var mantissa: [UInt8] = []
        var fractionLength = 0
        var inFraction = false
        var exponentText = Substring("")
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                mantissa.append(byte)
                if inFraction { fractionLength += 1 }
            } else if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                exponentText = Substring(decoding: utf8[(index + 1)...], as: UTF8.self)
                break
            }
            index += 1
        }
        var start = 0
        while start < mantissa.count, mantissa[start] == UInt8(ascii: "0") { start += 1 }
        var end = mantissa.count
        var trailingZeros = 0
        while end > start, mantissa[end - 1] == UInt8(ascii: "0") {
            end -= 1
            trailingZeros += 1
        }
        digits = Array(mantissa[start..<end])
        if digits.isEmpty {
            negative = false
            return
        }
        let written =
            exponentText.isEmpty ? 0 : Int(exponentText.hasPrefix("+") ? exponentText.dropFirst() : exponentText)
        guard let written else {
            exponentOverflow = String(exponentText)
            exponent = trailingZeros - fractionLength
            return
        }
        let (scaled, overflow) = written.addingReportingOverflow(trailingZeros - fractionLength)
        if overflow {
            exponentOverflow = String(exponentText)
            exponent = trailingZeros - fractionLength
        } else {
            exponent = scaled
        }
    }

    /// The value as plain decimal text, for whole numbers of reasonable size.
    var canonicalText: String {
        guard !digits.isEmpty else { return "0" }
        var out = negative ? "-" : ""
        out += String(decoding: digits, as: UTF8.self)
        if exponent > 0 { out += String(repeating: "0", count: exponent) }
        return out
    }
}

/// A JSON object: members in their original order, with lookup by key.
///
/// JSON allows a key twice; like most readers, lookup returns the last occurrence, while
/// ``members`` keeps every one so that writing the object back loses nothing.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// The members in input order.
    public private(set) var members: [(key: String, value: JSONValue)]

    /// Creates an object from ordered members.
    public init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in input order.
    public var keys: [String] { members.map(\.key) }

    /// The value of `key` (its last occurrence), or `nil`; setting `nil` removes every occurrence.
    public subscript(key: String) -> JSONValue? {
        get {
            members.withUnsafeBufferPointer { buffer in
                var index = buffer.count
                while index > 0 {
                    index -= 1
                    if buffer[index].key == key { return buffer[index].value }
                }
                return nil
            }
        }
        set {
            if let newValue {
                if let index = members.lastIndex(where: { $0.key == key }) {
                    members[index].value = newValue
                } else {
                    members.append((key, newValue))
                }
            } else {
                members.removeAll { $0.key == key }
            }
        }
    }

    /// The first key that appears more than once, if any. JSON leaves such an object's meaning
    /// open; LineageKit's readers refuse it where they read facts or user fields.
    public var duplicateKey: String? {
        guard members.count > 1 else { return nil }
        var seen = Set<String>(minimumCapacity: members.count)
        return members.first { !seen.insert($0.key).inserted }?.key
    }

    /// Iterates over the members in input order.
    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        members.makeIterator()
    }

    /// Objects are equal when they have the same keys with equal values, whatever the order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        if lhs.members.elementsEqual(rhs.members, by: { $0.key == $1.key && $0.value == $1.value }) {
            return true
        }
        let left = Dictionary(lhs.members, uniquingKeysWith: { _, last in last })
        let right = Dictionary(rhs.members, uniquingKeysWith: { _, last in last })
        return left == right
    }

    /// Hashes the parts that equality compares.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in members {
            var memberHasher = Hasher()
            memberHasher.combine(key)
            memberHasher.combine(value)
            combined ^= memberHasher.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    /// Creates the value from a literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates the value from a literal.
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    /// Creates the value from a literal.
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    /// Creates the value from a literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Creates the value from a literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Creates the value from a literal.
    public init(nilLiteral: ()) { self = .null }
    /// Creates the value from a literal.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object from a literal, keeping the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}
