extension AuditReport {
    /// How ``text(_:)`` lays out the report.
    public struct TextOptions: Sendable {
        /// Colour severities with ANSI escapes (only for a terminal, and never with `NO_COLOR`).
        public var colour: Bool
        /// Findings shown per rule before "and N more" (`nil` shows all).
        public var maximumPerRule: Int?
        /// How to see the rest, shown in parentheses after "and N more" (a command adds its flag).
        public var moreHint: String?

        /// Creates options.
        public init(colour: Bool = false, maximumPerRule: Int? = 10, moreHint: String? = nil) {
            self.colour = colour
            self.maximumPerRule = maximumPerRule
            self.moreHint = moreHint
        }
    }

    /// The report for a terminal: a summary, then findings grouped by rule.
    public func text(_ options: TextOptions = TextOptions()) -> String {
        var lines: [String] = []
        let counts = countsBySeverity
        lines.append(
            "Audited \(documents) document(s), \(objects) object(s), \(collections) collection(s): "
                + "\(counts[.error] ?? 0) error(s), \(counts[.warning] ?? 0) warning(s), \(counts[.info] ?? 0) info")
        if suppressedByBaseline > 0 {
            lines.append("\(suppressedByBaseline) finding(s) already in the baseline are not shown")
        }
        let byRule = countsByRule
        if !byRule.isEmpty {
            lines.append("")
            let width = byRule.keys.map(\.count).max() ?? 0
            for (rule, count) in byRule.sorted(by: { $0.key < $1.key }) {
                let severity = findings.first { $0.rule == rule }?.severity ?? .info
                lines.append(
                    "  " + rule + String(repeating: " ", count: width - rule.count + 2)
                        + paint(severity.rawValue.padding(7), severity, options) + "  \(count)")
            }
        }
        var start = 0
        while start < findings.count {
            let rule = findings[start].rule
            var end = start
            while end < findings.count && findings[end].rule == rule { end += 1 }
            lines.append("")
            let severity = findings[start].severity
            lines.append(paint("\(rule) (\(severity.rawValue), \(end - start))", severity, options))
            let shown = options.maximumPerRule.map { min($0, end - start) } ?? (end - start)
            for finding in findings[start..<(start + shown)] {
                let subject =
                    finding.documentID.map { "\($0) in \(finding.collectionID ?? "?")" }
                    ?? finding.collectionID
                    ?? finding.evidence["bucket_id"]?.stringValue.map { "bucket \($0)" } ?? "namespace"
                lines.append("  \(subject): \(finding.message)")
            }
            if shown < end - start {
                lines.append("  " + .andMore(end - start - shown, hint: options.moreHint))
            }
            start = end
        }
        if findings.isEmpty {
            lines.append("")
            lines.append("No findings.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func paint(_ text: String, _ severity: Severity, _ options: TextOptions) -> String {
        guard options.colour else { return text }
        let code: String
        switch severity {
        case .error: code = "31"
        case .warning: code = "33"
        case .info: code = "36"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
