/// A saved set of known findings, so that a CI job can fail on new problems only.
///
/// Findings are matched by rule and document (or, for findings about a whole collection, by rule
/// and collection): a known problem whose message or evidence changed is still known.
public struct AuditBaseline: Sendable {
    /// The format marker and version written into every baseline file.
    public static let formatKey = "lineage_baseline"
    private let keys: Set<String>
    /// The findings the baseline was made from, as written.
    public let entries: [JSONValue]

    /// Makes a baseline of a report's findings.
    public init(report: AuditReport) {
        entries = report.findings.map {
            var entry: JSONObject = [
                "rule": .string($0.rule), "document_id": $0.documentID.map(JSONValue.string) ?? .null,
                "collection_id": $0.collectionID.map(JSONValue.string) ?? .null,
            ]
            for key in Finding.baselineEvidenceKeys {
                if let value = $0.evidence[key] { entry[key] = value }
            }
            return .object(entry)
        }
        keys = Set(report.findings.map(\.baselineKey))
    }

    /// Reads a baseline file's contents.
    ///
    /// - Throws: ``LineageKitError`` naming `name` when the text is not a baseline.
    public init(bytes: [UInt8], name: String) throws {
        let value: JSONValue
        do {
            value = try RawJSON(bytes: bytes).value()
        } catch let error as LineageKitError {
            throw LineageKitError(code: error.code, message: "\(name) is not valid JSON: \(error.message)")
        }
        guard value[Self.formatKey] != nil, let findings = value["findings"]?.arrayValue else {
            throw LineageKitError(
                code: .unknownRecordKind,
                message: "\(name) is not a lineage baseline", remedy: .writeBaseline)
        }
        var keys: Set<String> = []
        for entry in findings {
            guard let rule = entry["rule"]?.stringValue else {
                throw LineageKitError(code: .missingField, message: "\(name): a baseline entry has no rule")
            }
            var evidence = JSONObject()
            for key in Finding.baselineEvidenceKeys {
                if let value = entry[key] { evidence[key] = value }
            }
            let finding = Finding(
                rule: rule, severity: .info, documentID: entry["document_id"]?.stringValue,
                collectionID: entry["collection_id"]?.stringValue, message: "", evidence: evidence)
            keys.insert(finding.baselineKey)
        }
        self.entries = findings
        self.keys = keys
    }

    /// Whether the baseline already has `finding`.
    public func contains(_ finding: Finding) -> Bool {
        keys.contains(finding.baselineKey)
    }

    /// The baseline file's text.
    public var json: JSONValue {
        [Self.formatKey: 1, "findings": .array(entries)]
    }
}
