import LineageKit

/// Edits a sample document's lineage in whatever shape it was written, for defect injection.
///
/// Lineage lives in up to three places: `_internal.lineage` (chain `chain`, path `path`), the
/// nested `lineage` object (chain `lineage_chain`, no path) and the root (chain `lineage_chain`,
/// path `lineage_path`).
struct SampleDocumentEditor {
    private(set) var document: JSONObject
    private static let flatFields = [
        "root_object_id", "root_bucket_id", "source_type", "source_object_id", "source_document_id",
        "source_collection_id",
    ]

    init(_ value: JSONValue) {
        document = value.objectValue ?? JSONObject()
    }

    var value: JSONValue { .object(document) }
    var id: String { document["document_id"]?.stringValue ?? "" }
    var collection: String { document["collection_id"]?.stringValue ?? "" }

    private enum Place: CaseIterable {
        case internalLineage, nested, root
    }

    private var hasInternal: Bool { document["_internal"]?["lineage"]?.objectValue != nil }
    private var hasNested: Bool { document["lineage"]?.objectValue != nil }
    private var hasRootFacts: Bool {
        Self.flatFields.contains { document[$0] != nil } || document["lineage_path"] != nil
    }

    /// The places present, most authoritative first (as `ResolvedLineage` ranks them).
    private var places: [Place] {
        var result: [Place] = []
        if hasInternal { result.append(.internalLineage) }
        let version = document["document_schema_version"]?.stringValue
        let nestedFirst = version == "v1" || (version == nil && hasNested)
        if nestedFirst && hasNested { result.append(.nested) }
        if hasRootFacts { result.append(.root) }
        if !nestedFirst && hasNested { result.append(.nested) }
        return result
    }

    private func object(_ place: Place) -> JSONObject {
        switch place {
        case .internalLineage: document["_internal"]?["lineage"]?.objectValue ?? JSONObject()
        case .nested: document["lineage"]?.objectValue ?? JSONObject()
        case .root: document
        }
    }

    private mutating func setObject(_ object: JSONObject, _ place: Place) {
        switch place {
        case .internalLineage:
            var internalPayload = document["_internal"]?.objectValue ?? JSONObject()
            internalPayload["lineage"] = .object(object)
            document["_internal"] = .object(internalPayload)
        case .nested: document["lineage"] = .object(object)
        case .root: document = object
        }
    }

    private func chainKey(_ place: Place) -> String { place == .internalLineage ? "chain" : "lineage_chain" }
    private func pathKey(_ place: Place) -> String? {
        switch place {
        case .internalLineage: "path"
        case .root: "lineage_path"
        case .nested: nil
        }
    }

    /// Sets `field` in every place stating it (in the primary place when none does).
    mutating func setFact(_ field: String, _ value: String) {
        let stating = places.filter { object($0)[field] != nil }
        for place in stating.isEmpty ? Array(places.prefix(1)) : stating {
            var target = object(place)
            target[field] = .string(value)
            setObject(target, place)
        }
    }

    /// Sets `field` in the most authoritative place only.
    mutating func setFactInPrimaryPlace(_ field: String, _ value: String) {
        guard let place = places.first else { return }
        var target = object(place)
        target[field] = .string(value)
        setObject(target, place)
    }

    /// Sets `field` in a less authoritative place (adding one when the document has a single
    /// place), so that the resolved value stays right and the places disagree.
    mutating func setFactInSecondaryPlace(_ field: String, _ value: String) {
        let present = places
        if present.count > 1, let place = present.last {
            var target = object(place)
            target[field] = .string(value)
            setObject(target, place)
        } else if present.first == .root {
            // 2025-11: flat fields only. Declaring schema v2 keeps the root authoritative and makes
            // the nested object a second, less authoritative place.
            document["document_schema_version"] = "v2"
            document["lineage"] = [field: .string(value)]
        } else {
            document[field] = .string(value)
        }
    }

    /// Applies `edit` to the chain of every place stating one.
    mutating func editChains(_ edit: (inout [JSONObject]) -> Void) {
        for place in places {
            var target = object(place)
            guard let chain = target[chainKey(place)]?.arrayValue else { continue }
            var steps = chain.map { $0.objectValue ?? JSONObject() }
            edit(&steps)
            target[chainKey(place)] = .array(steps.map(JSONValue.object))
            setObject(target, place)
        }
    }

    /// Applies `edit` to the segments of every path; with `addingWhenAbsent`, a document without a
    /// path gets a root `lineage_path` built from its root bucket and chain first.
    mutating func editPaths(addingWhenAbsent: Bool = false, _ edit: (inout [String]) -> Void) {
        var edited = false
        for place in places {
            guard let key = pathKey(place) else { continue }
            var target = object(place)
            guard let path = target[key]?.stringValue else { continue }
            var segments = path.split(separator: "/").map(String.init)
            edit(&segments)
            target[key] = .string(segments.joined(separator: "/"))
            setObject(target, place)
            edited = true
        }
        guard !edited, addingWhenAbsent, let place = places.first else { return }
        let source = object(place)
        let bucket = source["root_bucket_id"]?.stringValue ?? ""
        let chain = source[chainKey(place)]?.arrayValue ?? []
        var segments = [bucket] + chain.compactMap { $0["collection_id"]?.stringValue }
        edit(&segments)
        document["lineage_path"] = .string(segments.joined(separator: "/"))
    }

    /// Removes every lineage field in every place.
    mutating func removeLineage() {
        if var internalPayload = document["_internal"]?.objectValue {
            internalPayload["lineage"] = nil
            document["_internal"] = .object(internalPayload)
        }
        document["lineage"] = nil
        for field in Self.flatFields + ["lineage_chain", "lineage_path"] {
            document[field] = nil
        }
    }

    /// Sets (or, with `nil`, removes) a user field, at the root or in `metadata` as the shape has it.
    mutating func setUserField(_ field: String, _ value: String?) {
        setUserField(field, value: value.map(JSONValue.string))
    }

    /// Sets (or, with `nil`, removes) a user field to any JSON value, where the shape keeps user fields.
    mutating func setUserField(_ field: String, value: JSONValue?) {
        if document["_internal"] != nil {
            document[field] = value
        } else {
            var metadata = document["metadata"]?.objectValue ?? JSONObject()
            metadata[field] = value
            document["metadata"] = .object(metadata)
        }
    }

    /// The root object the document's most authoritative place names (as `ResolvedLineage` reads it).
    var resolvedRoot: String? {
        places.lazy.compactMap { object($0)["root_object_id"]?.stringValue }.first
    }

    /// A user field's string value, from the root or `metadata` as the shape has it.
    func userField(_ field: String) -> String? {
        (document["_internal"] != nil ? document[field] : document["metadata"]?[field])?.stringValue
    }

    /// Makes the document anew, as a re-run would: a new id, and its creation and update times
    /// (where it states them) `seconds` later.
    mutating func remake(id: String, laterBy seconds: Int) {
        document["document_id"] = .string(id)
        func later(_ object: inout JSONObject) {
            for key in ["created_at", "updated_at"] {
                guard let text = object[key]?.stringValue, let time = ISOTimestamp.seconds(text) else { continue }
                object[key] = .string(isoTimestamp(Int(time) + seconds))
            }
        }
        later(&document)
        if var internalPayload = document["_internal"]?.objectValue {
            internalPayload["document_id"] = .string(id)
            later(&internalPayload)
            document["_internal"] = .object(internalPayload)
        }
    }

    /// Whether the document has an `_internal` block (the current shape, or migrated).
    var hasInternalPayload: Bool { document["_internal"]?.objectValue != nil }

    /// Sets `_internal.metadata.feature_extractor_config_hash` and `_internal.created_at`.
    mutating func setConfigHash(_ hash: String, createdAt: String) {
        guard var internalPayload = document["_internal"]?.objectValue else { return }
        var metadata = internalPayload["metadata"]?.objectValue ?? JSONObject()
        metadata["feature_extractor_config_hash"] = .string(hash)
        internalPayload["metadata"] = .object(metadata)
        internalPayload["created_at"] = .string(createdAt)
        document["_internal"] = .object(internalPayload)
    }

    /// Sets the ingestion status where the shape keeps it.
    mutating func setIngestionStatus(_ status: String) {
        if var internalPayload = document["_internal"]?.objectValue {
            var metadata = internalPayload["metadata"]?.objectValue ?? JSONObject()
            metadata["ingestion_status"] = .string(status)
            internalPayload["metadata"] = .object(metadata)
            document["_internal"] = .object(internalPayload)
        } else {
            var metadata = document["internal_metadata"]?.objectValue ?? JSONObject()
            metadata["ingestion_status"] = .string(status)
            document["internal_metadata"] = .object(metadata)
        }
    }
}
