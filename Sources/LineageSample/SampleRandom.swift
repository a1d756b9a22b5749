import LineageKit

/// The sample generator's random source.
typealias SampleRandom = SeededRandom

extension SeededRandom {
    /// An id: `prefix` and 20 lowercase hex digits.
    mutating func id(_ prefix: String) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var value = next()
        var extra = next()
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        for position in 0..<20 {
            if position == 16 { value = extra }
            digits.append(hex[Int(value & 0xF)])
            value >>= 4
            if position >= 16 { extra = value }
        }
        return prefix + String(decoding: digits, as: UTF8.self)
    }

    /// A whole number in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    /// `true` with probability `chance`.
    mutating func chance(_ chance: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < chance
    }

    /// One element of a non-empty array.
    mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[Int.random(in: 0..<elements.count, using: &self)]
    }
}

/// Formats seconds since 1970 as an ISO-8601 UTC timestamp (`2025-10-31T10:00:00Z`), without
/// Foundation so that samples are identical everywhere.
func isoTimestamp(_ seconds: Int) -> String {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    // Civil-from-days (Howard Hinnant's algorithm).
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):"
        + "\(two(secondOfDay % 60))Z"
}
