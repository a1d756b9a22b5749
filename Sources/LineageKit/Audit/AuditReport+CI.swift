import Foundation

/// The audit in the formats CI systems read besides JUnit: GitLab Code Quality and GitHub's
/// workflow annotations and job summary.
extension AuditReport {
    /// GitLab Code Quality (`artifacts:reports:codequality`): one issue per finding with
    /// `description`, `check_name` (the rule), `fingerprint` (``Finding/fingerprint``), `severity`
    /// (`critical` for errors, `major` for warnings, `info`) and `location` (the file and line that
    /// hold the document, from `location`; `lineage` line 1 when unknown).
    public func gitlabCodeQuality(location: (Finding) -> SourceLocation?) -> JSONValue {
        .array(
            findings.map { finding in
                let place = location(finding)
                let severity: String
                switch finding.severity {
                case .error: severity = "critical"
                case .warning: severity = "major"
                case .info: severity = "info"
                }
                return [
                    "description": .string("\(finding.rule): \(finding.message)"), "check_name": .string(finding.rule),
                    "fingerprint": .string(finding.fingerprint), "severity": .string(severity),
                    "categories": ["Bug Risk"],
                    "location": [
                        "path": .string(place?.file ?? "lineage"),
                        "lines": ["begin": .number(JSONNumber(place?.line ?? 1))],
                    ],
                ]
            })
    }

    /// GitHub Actions workflow commands: at most `maximumAnnotations` `::error`/`::warning`/
    /// `::notice` lines (errors first; GitHub shows at most 10 of each kind per step), each with
    /// the file and line of the document when known.
    public func githubAnnotations(maximumAnnotations: Int = 10, location: (Finding) -> SourceLocation?) -> String {
        let ordered = findings.enumerated().sorted {
            ($1.element.severity, $0.offset) < ($0.element.severity, $1.offset)
        }
        var out = ""
        for (_, finding) in ordered.prefix(maximumAnnotations) {
            let command: String
            switch finding.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .info: command = "notice"
            }
            var properties = ["title=" + Self.annotationProperty(finding.rule)]
            if let place = location(finding) {
                properties.insert("line=\(place.line)", at: 0)
                properties.insert("file=" + Self.annotationProperty(place.file), at: 0)
            }
            let subject = finding.documentID ?? finding.collectionID ?? "namespace"
            out +=
                "::\(command) \(properties.joined(separator: ","))::"
                + Self.annotationData("\(subject): \(finding.message)") + "\n"
        }
        return out
    }

    /// A Markdown job summary (for `$GITHUB_STEP_SUMMARY`): totals, findings by rule and severity,
    /// and the first `maximumFindings` findings with their evidence; `moreHint`, after "and N
    /// more", says where the rest are.
    public func githubSummary(maximumFindings: Int = 20, moreHint: String? = nil) -> String {
        let bySeverity = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        var out = "## lineage audit\n\n"
        out += "\(documents) document(s), \(objects) object(s), \(collections) collection(s): "
        out += "**\(bySeverity[.error] ?? 0) error(s)**, \(bySeverity[.warning] ?? 0) warning(s), "
        out += "\(bySeverity[.info] ?? 0) info"
        if suppressedByBaseline > 0 { out += "; \(suppressedByBaseline) known from the baseline" }
        out += "\n\n"
        guard !findings.isEmpty else { return out + "No findings.\n" }
        out += "| rule | severity | findings |\n|---|---|---:|\n"
        let severityOfRule = Dictionary(
            findings.map { ($0.rule, $0.severity) }, uniquingKeysWith: { first, _ in first })
        for (rule, count) in countsByRule.sorted(by: { $0.key < $1.key }) {
            out += "| `\(rule)` | \(severityOfRule[rule]?.rawValue ?? "") | \(count) |\n"
        }
        out += "\n| rule | document | collection | message |\n|---|---|---|---|\n"
        for finding in findings.prefix(maximumFindings) {
            let evidence = JSONValue.object(finding.evidence).serialized()
            out +=
                "| `\(finding.rule)` | \(Self.cell(finding.documentID ?? "")) | \(Self.cell(finding.collectionID ?? "")) | "
                + Self.cell(finding.message) + "<br>`" + Self.cell(evidence).replacingOccurrences(of: "`", with: "'")
                + "` |\n"
        }
        if findings.count > maximumFindings {
            out += "\n" + .andMore(findings.count - maximumFindings, hint: moreHint) + ".\n"
        }
        return out
    }

    /// Text for a Markdown table cell: pipes escaped, line breaks as `<br>`, HTML special characters escaped.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "<br>")
    }

    /// A workflow command's message, escaped as the runner reads it (`%`, CR, LF).
    static func annotationData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// A workflow command's property value, escaped as the runner reads it (also `:` and `,`).
    static func annotationProperty(_ text: String) -> String {
        annotationData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
