/// The audit as JUnit XML, the report format CI systems (GitLab, Jenkins, Azure, GitHub test
/// reporters) show as tests.
extension AuditReport {
    /// JUnit XML: a `testsuite` per rule that ran, a `testcase` per rule per collection with
    /// findings (or one passing `all collections` case), failing with up to `maximumFailures` of
    /// its errors and warnings in the failure's text and the count of the rest; `info` findings are
    /// the case's `system-out` and never fail it.
    public func junit(maximumFailures: Int = 20) -> String {
        var byRule: [String: [String: [Finding]]] = [:]
        for finding in findings {
            byRule[finding.rule, default: [:]][finding.collectionID ?? "namespace", default: []].append(finding)
        }
        var suites = ""
        var totalCases = 0
        var totalFailures = 0
        for rule in rules {
            let collections = byRule[rule] ?? [:]
            var cases = ""
            var failures = 0
            if collections.isEmpty {
                cases += "    <testcase classname=\"\(Self.xml(rule))\" name=\"all collections\"/>\n"
            }
            for (collection, found) in collections.sorted(by: { $0.key < $1.key }) {
                let failing = found.filter { $0.severity != .info }
                var body = ""
                if !failing.isEmpty {
                    failures += 1
                    var lines = failing.prefix(maximumFailures).map(Self.line)
                    if failing.count > maximumFailures { lines.append("… and \(failing.count - maximumFailures) more") }
                    let worst = failing.map(\.severity).max() ?? .warning
                    body +=
                        "      <failure message=\"\(Self.xml("\(failing.count) finding(s) of \(rule) in \(collection)"))\" "
                        + "type=\"\(worst.rawValue)\">\(Self.xml(lines.joined(separator: "\n"), inAttribute: false))</failure>\n"
                }
                let notes = found.filter { $0.severity == .info }
                if !notes.isEmpty {
                    let lines = notes.prefix(maximumFailures).map(Self.line)
                    body +=
                        "      <system-out>\(Self.xml(lines.joined(separator: "\n"), inAttribute: false))</system-out>\n"
                }
                cases += "    <testcase classname=\"\(Self.xml(rule))\" name=\"\(Self.xml(collection))\""
                cases += body.isEmpty ? "/>\n" : ">\n" + body + "    </testcase>\n"
            }
            let count = max(1, collections.count)
            totalCases += count
            totalFailures += failures
            suites +=
                "  <testsuite name=\"\(Self.xml(rule))\" tests=\"\(count)\" failures=\"\(failures)\" errors=\"0\">\n"
                + cases + "  </testsuite>\n"
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"lineage audit\" tests=\"\(totalCases)\" failures=\"\(totalFailures)\" errors=\"0\">\n"
            + suites + "</testsuites>\n"
    }

    /// One finding as a line: severity, document, message.
    private static func line(_ finding: Finding) -> String {
        "\(finding.severity.rawValue): \(finding.documentID ?? finding.collectionID ?? "namespace"): \(finding.message)"
    }

    /// `text` escaped for an XML attribute value, or element text when `inAttribute` is false;
    /// characters XML 1.0 cannot hold at all (most control characters) become `\u{FFFD}`
    /// (`[UInt8].appendXMLEscaped(_:inAttribute:)`'s rule).
    static func xml(_ text: String, inAttribute: Bool = true) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        bytes.appendXMLEscaped(text, inAttribute: inAttribute)
        return String(decoding: bytes, as: UTF8.self)
    }
}
