import Foundation

/// When and how long to wait before trying a request again: exponential backoff with full jitter
/// (a random wait between zero and the exponential bound), `Retry-After` honoured when the server
/// sends it, within a number of attempts and a total deadline.
public struct RetryPolicy: Sendable {
    /// Tries per request, the first included.
    public var maximumAttempts: Int
    /// The bound of the first wait; it doubles with each retry.
    public var baseDelay: Double
    /// The largest bound of a wait.
    public var maximumDelay: Double
    /// Seconds after a request's first try by which it must have succeeded.
    public var deadline: Double

    /// Statuses worth retrying: rate limiting and server trouble.
    public static let retriedStatuses: Set<Int> = [429, 500, 502, 503, 504]

    /// Creates a policy.
    public init(maximumAttempts: Int = 8, baseDelay: Double = 0.25, maximumDelay: Double = 20, deadline: Double = 300) {
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.deadline = deadline
    }

    /// The wait before retry number `retry` (1 for the first retry): `Retry-After` when given,
    /// else a random time up to `baseDelay × 2^(retry-1)`, capped at ``maximumDelay``.
    public func delay(beforeRetry retry: Int, retryAfter: Double?) -> Double {
        if let retryAfter { return max(0, retryAfter) }
        let bound = min(maximumDelay, baseDelay * pow(2, Double(max(0, retry - 1))))
        return Double.random(in: 0...bound)
    }

    /// Seconds to wait from a `Retry-After` value: delta-seconds, or an HTTP date (RFC 9110).
    public static func retryAfterSeconds(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: value) { return max(0, date.timeIntervalSince(now)) }
        }
        return nil
    }
}
