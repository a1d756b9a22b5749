/// How much a finding matters, from `info` (useful, not wrong) to `error` (lineage is wrong).
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// Useful to know, not wrong: what could not be checked, partial coverage.
    case info
    /// Probably wrong, or wrong in a way that can be corrected (drift, incomplete ingestion).
    case warning
    /// Lineage is wrong or broken.
    case error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    /// Orders by importance: `info` < `warning` < `error`.
    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs.rank < rhs.rank
    }
}
