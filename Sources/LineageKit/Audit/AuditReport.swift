/// What an audit found: counts of what was audited and every finding, in a deterministic order.
public struct AuditReport: Sendable {
    /// Documents audited.
    public var documents: Int
    /// Bucket objects in the input.
    public var objects: Int
    /// Distinct collections (holding documents or configured).
    public var collections: Int
    /// The ids of the rules that ran.
    public var rules: [String]
    /// The findings, sorted by rule, collection and document.
    public var findings: [Finding]
    /// Findings left out because the baseline already had them.
    public var suppressedByBaseline = 0

    /// Creates a report.
    public init(documents: Int, objects: Int, collections: Int, rules: [String], findings: [Finding]) {
        self.documents = documents
        self.objects = objects
        self.collections = collections
        self.rules = rules
        self.findings = findings
    }

    /// Findings per rule id.
    public var countsByRule: [String: Int] {
        findings.reduce(into: [:]) { $0[$1.rule, default: 0] += 1 }
    }

    /// Findings per severity.
    public var countsBySeverity: [Severity: Int] {
        findings.reduce(into: [:]) { $0[$1.severity, default: 0] += 1 }
    }

    /// Whether any finding is at least as severe as `threshold`.
    public func hasFindings(atLeast threshold: Severity) -> Bool {
        findings.contains { $0.severity >= threshold }
    }

    /// The report without the findings `baseline` already has (matched by rule and document).
    public func excluding(_ baseline: AuditBaseline) -> AuditReport {
        var report = self
        report.findings = findings.filter { !baseline.contains($0) }
        report.suppressedByBaseline = findings.count - report.findings.count
        return report
    }

    /// The report as JSON, the stable contract of `lineage audit --format json` (docs/cli.md).
    public var json: JSONValue {
        let byRule = countsByRule.sorted { $0.key < $1.key }.map {
            (key: $0.key, value: JSONValue.number(JSONNumber($0.value)))
        }
        let bySeverity = Severity.allCases.reversed().map {
            (key: $0.rawValue, value: JSONValue.number(JSONNumber(countsBySeverity[$0] ?? 0)))
        }
        return [
            "summary": [
                "documents": .number(JSONNumber(documents)), "objects": .number(JSONNumber(objects)),
                "collections": .number(JSONNumber(collections)), "findings": .number(JSONNumber(findings.count)),
                "by_rule": .object(JSONObject(byRule)), "by_severity": .object(JSONObject(bySeverity)),
                "suppressed_by_baseline": .number(JSONNumber(suppressedByBaseline)),
            ],
            "findings": .array(findings.map(\.json)),
        ]
    }
}
