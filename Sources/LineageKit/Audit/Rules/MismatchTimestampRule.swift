/// `mismatch.timestamp`: a chain step's timestamp is earlier than the step before it.
package struct MismatchTimestampRule: AuditRule {
    /// The stable rule id.
    package let id = "mismatch.timestamp"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary = "a chain step's timestamp is earlier than the step before it"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        for statement in document.document.storedStatements {
            guard let chain = statement.storedChain, chain.count > 1 else { continue }
            // The common case, one format throughout (`…Z`, same length), compares as text.
            if Self.inOrderAsText(chain) { continue }
            var previous: (index: Int, text: String, seconds: Double)?
            var backwards: [JSONValue] = []
            for (index, step) in chain.enumerated() {
                guard let text = step.timestamp, let seconds = ISOTimestamp.seconds(text) else { continue }
                if let before = previous, seconds < before.seconds {
                    let path = statement.place.fieldPath("chain")
                    backwards.append(
                        [
                            "earlier": Evidence.stated("\(path)[\(before.index)].timestamp", before.text),
                            "later": Evidence.stated("\(path)[\(index)].timestamp", text),
                        ])
                }
                previous = (index, text, seconds)
            }
            guard let first = backwards.first else { continue }
            let later = first["later"]?["value"]?.stringValue ?? "?"
            let earlier = first["earlier"]?["value"]?.stringValue ?? "?"
            findings.append(
                finding(
                    document, "chain step at \(later) comes after a step at \(earlier)",
                    evidence: ["steps_out_of_order": .array(backwards)]))
            return
        }
    }

    /// Whether every timestamp is UTC (`Z`) of one length and they never go backwards as text.
    /// Timestamps kept packed (the usual `…Z` form) compare as their kept digits, so the common
    /// chain makes no string.
    static func inOrderAsText(_ chain: some Collection<LineageStep>) -> Bool {
        if chain.allSatisfy({ $0.keptTimestamp?.isPackedUTC ?? true }) {
            return neverBackwards(chain.lazy.compactMap { $0.keptTimestamp?.stored })
        }
        let texts = chain.compactMap(\.timestamp)
        return texts.allSatisfy { $0.utf8.last == UInt8(ascii: "Z") } && neverBackwards(texts)
    }

    /// Whether `texts` are of one length and never go backwards.
    private static func neverBackwards(_ texts: some Sequence<String>) -> Bool {
        var previous: String?
        for text in texts {
            if let before = previous {
                guard before.utf8.count == text.utf8.count else { return false }
                if text.utf8.lexicographicallyPrecedes(before.utf8) { return false }
            }
            previous = text
        }
        return true
    }
}

extension MismatchTimestampRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables: in any place's chain, a readable
    /// timestamp earlier than the readable one before it.
    package func sql(_ dialect: SQLDialect) -> String {
        let seconds = dialect.filter(
            dialect.transform("chain", "x", dialect.isoSeconds("x.timestamp")), "e", "e IS NOT NULL")
        let backwards = dialect.filter(
            dialect.range("2", through: dialect.size("seconds")), "i",
            "\(dialect.element("seconds", "i")) < \(dialect.element("seconds", "i - 1"))")
        return """
            SELECT document_id, collection_id,
              'a timestamp of the chain is earlier than the step before it (' || min(place) || ')' AS message,
              \(dialect.object([("chain", "min(place)")])) AS evidence
            FROM (
              SELECT document_id, collection_id, place, \(seconds) AS seconds
              FROM lk_stmt WHERE \(dialect.size("chain")) > 1
            ) timed
            WHERE \(dialect.size("seconds")) > 1 AND \(dialect.size(backwards)) > 0
            GROUP BY document_id, collection_id
            """
    }
}
