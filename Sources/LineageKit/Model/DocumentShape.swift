/// The response shape a document was written in, as the Mixpeek API returned it over time.
public enum DocumentShape: String, Sendable, Hashable, CaseIterable, Comparable {
    /// 2025-10, `document_schema_version` v1: lineage in a nested `lineage` object.
    case nested2025v1 = "2025-10-v1"
    /// 2025-10, `document_schema_version` v2: flat root fields, the nested object optional.
    case flat2025v2 = "2025-10-v2"
    /// 2025-11: flat root fields with a root `lineage_chain` and `lineage_path`.
    case flat2025 = "2025-11"
    /// The current shape: everything system under `_internal`, user fields at the root.
    case current = "current"
    /// No lineage field at all (for example a trimmed list result).
    case unknown = "unknown"

    private var rank: Int {
        switch self {
        case .nested2025v1: 0
        case .flat2025v2: 1
        case .flat2025: 2
        case .current: 3
        case .unknown: 4
        }
    }

    /// Orders values for stable, sorted output.
    public static func < (lhs: DocumentShape, rhs: DocumentShape) -> Bool {
        lhs.rank < rhs.rank
    }
}

/// Where in a document a set of lineage facts was stated.
public enum LineagePlace: String, Sendable, Hashable, CaseIterable {
    /// The 2025-10 nested `lineage` object.
    case nested = "lineage"
    /// Flat fields at the document root (2025-10 v2, 2025-11, or stale ones beside `_internal`).
    case root = "root"
    /// The current `_internal.lineage` object.
    case `internal` = "_internal.lineage"

    /// The JSON path of `field` in this place, e.g. `_internal.lineage.root_object_id`.
    ///
    /// `field` is the canonical name (`root_object_id`, `chain`, `path`, …); the chain and path
    /// carry the names this place gave them (`lineage_chain`, `lineage_path`).
    public func fieldPath(_ field: String) -> String {
        switch (self, field) {
        case (.nested, "chain"): "lineage.lineage_chain"
        case (.nested, _): "lineage.\(field)"
        case (.root, "chain"): "lineage_chain"
        case (.root, "path"): "lineage_path"
        case (.root, _): field
        case (.internal, _): "_internal.lineage.\(field)"
        }
    }
}

/// What a document was made from directly: a bucket object or another collection's document.
public enum SourceKind: Sendable, Hashable, CustomStringConvertible {
    /// Made from a bucket object (the spec's tier 1).
    case bucket
    /// Made from a document of another collection (tier 2 and deeper).
    case collection
    /// A value the API has not documented, kept as written.
    case other(String)

    /// Creates a kind from its wire value.
    public init(_ rawValue: String) {
        switch rawValue {
        case "bucket": self = .bucket
        case "collection": self = .collection
        default: self = .other(rawValue)
        }
    }

    /// The wire value.
    public var description: String {
        switch self {
        case .bucket: "bucket"
        case .collection: "collection"
        case .other(let value): value
        }
    }
}
