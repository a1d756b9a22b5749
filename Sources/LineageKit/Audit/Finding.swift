/// One problem (or, for `info`, one observation) the audit found, with the evidence behind it.
public struct Finding: Sendable, Hashable {
    /// The stable rule id, e.g. `mismatch.root`.
    public var rule: String
    /// How much it matters.
    public var severity: Severity
    /// The document it is about; `nil` for findings about a whole collection or bucket.
    public var documentID: String?
    /// The collection it is about (the document's collection for document findings).
    public var collectionID: String?
    /// One line, for people.
    public var message: String
    /// What was compared: fields, values, and where each was found.
    public var evidence: JSONObject

    /// Creates a finding.
    public init(
        rule: String, severity: Severity, documentID: String?, collectionID: String?, message: String,
        evidence: JSONObject = JSONObject()
    ) {
        self.rule = rule
        self.severity = severity
        self.documentID = documentID
        self.collectionID = collectionID
        self.message = message
        self.evidence = evidence
    }

    /// The finding as JSON: `rule`, `severity`, `document_id`, `collection_id`, `message`, `evidence`.
    public var json: JSONValue {
        [
            "rule": .string(rule), "severity": .string(severity.rawValue),
            "document_id": documentID.map(JSONValue.string) ?? .null,
            "collection_id": collectionID.map(JSONValue.string) ?? .null, "message": .string(message),
            "evidence": .object(evidence),
        ]
    }

    /// The key a baseline matches findings by: rule and document (or collection, for findings
    /// about a whole collection).
    public var baselineKey: String {
        var subject = documentID ?? collectionID ?? evidence["bucket_id"]?.stringValue ?? ""
        // Findings about one object in a collection (coverage.missing) are told apart by it.
        if documentID == nil, let object = evidence["object_id"]?.stringValue { subject += "\u{1F}" + object }
        // So are those about one batch's tier (batch.unreconciled).
        if documentID == nil, let batch = evidence["batch_id"]?.stringValue {
            subject += "\u{1F}" + batch + "\u{1F}" + (evidence["tier"]?.serialized() ?? "")
        }
        return "\(rule)\u{1F}\(documentID == nil ? "namespace" : "document")\u{1F}\(subject)"
    }

    /// A stable fingerprint of the finding: SHA-256 of ``baselineKey`` (rule and document, or the
    /// collection, bucket, object or batch it is about) as hex, the same across runs and machines,
    /// so baselines and CI systems (GitLab, SARIF) agree on which findings are new.
    public var fingerprint: String { SHA256.hex(Array(baselineKey.utf8)) }

    /// The evidence members ``baselineKey`` reads, which baselines keep beside rule, document and
    /// collection so that a finding read back from one has the same key.
    public static let baselineEvidenceKeys = ["bucket_id", "object_id", "batch_id", "tier"]

    /// The deterministic order of findings: rule, collection, document, message.
    static func ordered(_ lhs: Finding, _ rhs: Finding) -> Bool {
        (lhs.rule, lhs.collectionID ?? "", lhs.documentID ?? "", lhs.message)
            < (rhs.rule, rhs.collectionID ?? "", rhs.documentID ?? "", rhs.message)
    }
}

/// Helpers for building evidence: each value with the field path it was found at.
enum Evidence {
    /// `{"path": PATH, "value": VALUE}`.
    static func stated(_ path: String, _ value: String?) -> JSONValue {
        ["path": .string(path), "value": value.map(JSONValue.string) ?? .null]
    }

    /// `{"field": FIELD, "values": [{"path": …, "value": …}, …]}`.
    static func disagreement(field: String, values: [(path: String, value: String?)]) -> JSONObject {
        ["field": .string(field), "values": .array(values.map { stated($0.path, $0.value) })]
    }
}
