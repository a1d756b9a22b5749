/// `drift.metadata`: a passthrough field's value differs from its expected value, or is missing.
///
/// The passthrough fields of a collection are its configuration's `field_passthrough` entries
/// (`target_path`, else `source_path`); without a configuration, the user fields the document
/// shares with its root object's metadata. The expected value is the root object's metadata value
/// when the root object is in the input (and has the field), otherwise the source document's.
/// The evidence carries the expected values, which corrections turn into PATCH requests.
public struct MetadataDriftRule: AuditRule {
    /// The stable rule id.
    public let id = "drift.metadata"
    /// The severity of this rule's findings.
    public let severity = Severity.warning
    /// When the rule fires, in one line.
    public let summary =
        "a passthrough field's value differs from the root object's (or source document's), or is missing"

    /// Creates the rule.
    public init() {}

    /// Checks one document.
    public func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        let doc = document.document
        let root = context.rootMetadata(of: document)
        let fields: [AuditContext.PassthroughPair]
        if let configured = context.passthroughFields(of: document) {
            fields = configured
        } else if let root {
            fields = root.metadata.keys.map { AuditContext.PassthroughPair(field: $0, sourcePath: $0) }.filter { pair in
                switch Self.print(of: doc, pair.fieldHash) {
                case .absent: false
                case .present: true
                case .unknown: doc.userFields[pair.field] != nil
                }
            }
        } else {
            return
        }
        guard !fields.isEmpty else { return }
        var source: Document?
        var sourceLooked = false
        var drifted: [JSONValue] = []
        var expectedValues = JSONObject()
        for index in fields.indices {
            let field = fields[index].field
            let sourcePath = fields[index].sourcePath
            var expected: JSONValue?
            var fromRoot = false
            // Equal fingerprints settle a field without reading the document's fields from its
            // file; anything else is compared exactly.
            let actualPrint = Self.print(of: doc, fields[index].fieldHash)
            if let root, let value = root.metadata.value(atPath: sourcePath) {
                if case .present(let actual) = actualPrint, let sourceHash = fields[index].sourceHash,
                    context.rootMetadataPrint(of: document, nameHash: sourceHash) == actual
                {
                    continue
                }
                expected = value
                fromRoot = true
            } else {
                if !sourceLooked {
                    source = context.sourceDocument(of: document)
                    sourceLooked = true
                }
                guard let source else { continue }
                let sourcePrint = Self.print(of: source, fields[index].sourceHash)
                if sourcePrint == .absent { continue }
                if case .present = sourcePrint, sourcePrint == actualPrint { continue }
                expected = source.userField(sourcePath)
            }
            guard let expected else { continue }
            let actual = doc.userField(field)
            guard actual != expected else { continue }
            let origin =
                fromRoot
                ? "root object \(root?.id ?? "?") metadata.\(sourcePath)"
                : "source document \(source?.id ?? "?") \(sourcePath)"
            var entry: JSONObject = [
                "field": .string(field), "expected": expected, "expected_from": .string(origin),
                "missing": .bool(actual == nil),
            ]
            if let actual { entry["actual"] = actual }
            drifted.append(.object(entry))
            expectedValues[field] = expected
        }
        guard !drifted.isEmpty else { return }
        let names = expectedValues.keys.joined(separator: ", ")
        findings.append(
            finding(
                document, "\(drifted.count) passthrough field(s) differ from their source: \(names)",
                evidence: ["fields": .array(drifted), "expected": .object(expectedValues)]))
    }

    /// What fingerprints say of the field whose name hashes to `nameHash` (unknown for a dotted
    /// path, `nil`, which may descend into objects).
    private static func print(of document: Document, _ nameHash: UInt64?) -> UserFieldPrint {
        nameHash.map { document.userFieldPrint(nameHash: $0) } ?? .unknown
    }
}
