import LineageKit

/// A document's user fields as the API shows them, and the PATCH body that sets them.
///
/// The 2025 shapes keep user fields in `metadata`; the current shape keeps them at the root,
/// beside `_internal` and the other system fields (``Document/systemRootFieldNames``).
struct UserFields: Equatable {
    /// Whether they live at the root (current shape) rather than in `metadata`.
    var atRoot: Bool
    /// The fields.
    var values: JSONObject

    /// The user fields of a document as the API returned it.
    init(document: JSONValue) throws {
        guard let object = document.objectValue else { throw CorrectionsError("the document is not a JSON object") }
        (atRoot, values) = Document.userFields(inResponse: object)
    }

    init(atRoot: Bool, values: JSONObject) {
        self.atRoot = atRoot
        self.values = values
    }

    /// A PATCH body that leaves the user fields exactly `values`, in the document's shape: the
    /// complete object, so it is right whether the API merges or replaces.
    var body: JSONValue {
        atRoot ? .object(values) : ["metadata": .object(values)]
    }

    /// A body that removes `fields` on a server that merges (JSON Merge Patch: `null` removes).
    func removalBody(_ fields: [String]) -> JSONValue {
        var removal = JSONObject()
        for field in fields { removal[field] = .null }
        return atRoot ? .object(removal) : ["metadata": .object(removal)]
    }

    /// The value at a dotted path.
    func value(at path: String) -> JSONValue? {
        values.value(atPath: path)
    }

    /// Sets (or, with `nil`, removes) the value at a dotted path, creating objects on the way.
    mutating func set(_ value: JSONValue?, at path: String) {
        Self.set(value, at: path.split(separator: ".").map(String.init)[...], in: &values)
    }

    private static func set(_ value: JSONValue?, at path: ArraySlice<String>, in object: inout JSONObject) {
        guard let first = path.first else { return }
        if path.count == 1 {
            object[first] = value
            return
        }
        var inner = object[first]?.objectValue ?? JSONObject()
        set(value, at: path.dropFirst(), in: &inner)
        object[first] = .object(inner)
    }
}
