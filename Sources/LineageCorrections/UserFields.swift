import LineageKit

/// A document's user fields as the API shows them, and the PATCH bodies that set them.
///
/// The 2025 shapes keep user fields in `metadata`; the current shape keeps them at the root,
/// beside `_internal` and the other system fields (`Document.systemRootFieldNames`). Today's API
/// takes every shape's user fields in a PATCH body's `metadata` (each key sent is set, a key set to
/// `null` is removed, keys left out stay), so that is the form sent first (``PatchForm``).
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

    /// The first top-level key that appears twice, when one does. Such a document is never
    /// patched: which of the values the API keeps is unknowable (docs/cli.md).
    var duplicateKey: String? { values.duplicateKey }

    /// A PATCH body in `form` that leaves the user fields exactly `values`, coming from `current`:
    /// every field (so a server that replaces is right too) and `null` for each removed one (so a
    /// server that merges removes it).
    func body(form: PatchForm, from current: UserFields) -> JSONValue {
        var fields = values
        for key in current.values.keys where values[key] == nil { fields[key] = .null }
        switch form {
        case .metadata: return ["metadata": .object(fields)]
        case .root: return .object(fields)
        }
    }

    /// The value a change's target holds; `nil` when absent (or when the way there is not objects).
    func value(at target: CorrectionPlan.Target) -> JSONValue? {
        var current: JSONValue = .object(values)
        for token in target.tokens {
            guard let next = current.objectValue?[token] else { return nil }
            current = next
        }
        return current
    }

    /// The first value on the way to `target` that is not an object, which a change would have to
    /// replace: such a change is refused.
    func blockingValue(on target: CorrectionPlan.Target) -> (pointer: String, value: JSONValue)? {
        var current: JSONValue = .object(values)
        var walked: [String] = []
        for token in target.tokens.dropLast() {
            walked.append(token)
            guard let next = current.objectValue?[token] else { return nil }
            guard next.objectValue != nil else { return (JSONPointer.text(walked), next) }
            current = next
        }
        return nil
    }

    /// Sets (or, with `nil`, removes) the target's value, creating missing objects on the way;
    /// the caller has checked ``blockingValue(on:)``.
    mutating func set(_ value: JSONValue?, at target: CorrectionPlan.Target) {
        Self.set(value, at: target.tokens[...], in: &values)
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

/// Where a PATCH body puts the user fields.
enum PatchForm: String, Sendable {
    /// `{"metadata": {…}}`: today's API for every shape.
    case metadata
    /// User fields at the body's root: accepted only by servers that name no `metadata` key.
    case root
}
