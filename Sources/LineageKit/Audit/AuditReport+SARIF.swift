/// The audit as SARIF 2.1.0, the format code scanning (GitHub, GitLab, Azure DevOps, VS Code's
/// SARIF viewer) reads.
extension AuditReport {
    /// The SARIF version written.
    public static let sarifVersion = "2.1.0"

    /// A SARIF 2.1.0 log with one run: the tool (`lineage`, `toolVersion`) with a reporting
    /// descriptor for each rule in `rules` (its summary as the description and help, its severity
    /// as the default level), and one result per finding. Each result names its rule, carries
    /// ``Finding/fingerprint`` as the `lineageFinding/v1` partial fingerprint (stable across runs
    /// and machines, the same as baselines and GitLab's), the document and collection as logical
    /// locations, the evidence as properties, and the file and line that hold the document (from
    /// `location`; findings about a collection or bucket get `fallback`, when given, because code
    /// scanning shows only located results).
    public func sarif(
        rules: [any AuditRule], toolVersion: String, fallback: SourceLocation? = nil,
        location: (Finding) -> SourceLocation?
    ) -> JSONValue {
        let ruleIndex = Dictionary(
            rules.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let descriptors: [JSONValue] = rules.map { rule in
            [
                "id": .string(rule.id), "name": .string(Self.sarifRuleName(rule.id)),
                "shortDescription": ["text": .string(rule.summary)],
                "fullDescription": ["text": .string(rule.summary)],
                "help": [
                    "text": .string("\(rule.summary) The rules and their evidence are described in docs/cli.md."),
                    "markdown": .string(
                        "**`\(rule.id)`** (\(rule.severity.rawValue)): \(rule.summary)\n\n"
                            + "The rules and their evidence are described in `docs/cli.md`."),
                ],
                "defaultConfiguration": ["level": .string(Self.sarifLevel(rule.severity))],
                "properties": ["tags": ["lineage", .string(String(rule.id.prefix { $0 != "." }))]],
            ]
        }
        let results: [JSONValue] = findings.map { finding in
            var result: JSONObject = [
                "ruleId": .string(finding.rule), "level": .string(Self.sarifLevel(finding.severity)),
                "message": ["text": .string(finding.message)],
                "partialFingerprints": ["lineageFinding/v1": .string(finding.fingerprint)],
            ]
            if let index = ruleIndex[finding.rule] { result["ruleIndex"] = .number(JSONNumber(index)) }
            var place: JSONObject = [:]
            if let source = location(finding) ?? fallback {
                place["physicalLocation"] = [
                    "artifactLocation": ["uri": .string(Self.sarifURI(source.file))],
                    "region": ["startLine": .number(JSONNumber(max(1, source.line)))],
                ]
            }
            var logical: [JSONValue] = []
            if let document = finding.documentID {
                logical.append([
                    "name": .string(document),
                    "fullyQualifiedName": .string((finding.collectionID.map { $0 + "/" } ?? "") + document),
                    "kind": "document",
                ])
            } else if let collection = finding.collectionID {
                logical.append(["name": .string(collection), "kind": "collection"])
            }
            if !logical.isEmpty { place["logicalLocations"] = .array(logical) }
            if !place.isEmpty { result["locations"] = [.object(place)] }
            var properties: JSONObject = ["evidence": .object(finding.evidence)]
            if let collection = finding.collectionID { properties["collection_id"] = .string(collection) }
            if let document = finding.documentID { properties["document_id"] = .string(document) }
            result["properties"] = .object(properties)
            return .object(result)
        }
        return [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": .string(Self.sarifVersion),
            "runs": [
                [
                    "tool": [
                        "driver": [
                            "name": "lineage", "fullName": "LineageKit lineage audit",
                            "semanticVersion": .string(toolVersion), "rules": .array(descriptors),
                        ]
                    ],
                    "results": .array(results),
                    "properties": [
                        "documents": .number(JSONNumber(documents)), "objects": .number(JSONNumber(objects)),
                        "collections": .number(JSONNumber(collections)),
                        "suppressed_by_baseline": .number(JSONNumber(suppressedByBaseline)),
                    ],
                ]
            ],
        ]
    }

    /// SARIF's level for a severity: `error`, `warning` or `note`.
    static func sarifLevel(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// A rule id as a SARIF rule name (PascalCase words): `mismatch.root` → `MismatchRoot`.
    static func sarifRuleName(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    /// A file path as a SARIF artifact URI: an absolute path as a `file://` URI, a relative one as a
    /// relative reference (what code scanning resolves against the repository), with every byte
    /// outside RFC 3986's unreserved characters and `/` percent-encoded.
    package static func sarifURI(_ path: String) -> String {
        var encoded = ""
        for byte in path.utf8 {
            let unreserved =
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || [0x2D, 0x2E, 0x5F, 0x7E, 0x2F].contains(byte)
            if unreserved {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF")
                encoded += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}
