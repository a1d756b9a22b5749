/// An immutable value on the heap, shared by every holder of an equal value: facts that few
/// documents differ in (their schema version and ingestion status, their statements' root bucket
/// and path) cost each document a reference, 8 bytes, instead of the strings themselves.
final class SharedFacts<Value: Equatable & Sendable>: Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Whether `lhs` and `rhs` hold equal values (`nil` for none), by identity first.
    static func same(_ lhs: SharedFacts?, _ rhs: SharedFacts?) -> Bool {
        if lhs === rhs { return true }
        guard let lhs, let rhs else { return false }
        return lhs.value == rhs.value
    }
}

/// One reader thread's recent ``SharedFacts``, handed out again for equal values. It keeps a few
/// dozen: past that, a new value replaces the oldest kept, so input where every value differs
/// costs an instance each and a bounded search, never a wrong answer.
struct SharedFactsInterner<Value: Equatable & Sendable> {
    private var kept: [SharedFacts<Value>] = []
    private var nextReplaced = 0
    /// Where the last value was found: neighbouring records mostly state the same facts.
    private var lastFound = 0
    static var capacity: Int { 32 }

    /// The kept instance holding `value`, else a new one (kept in place of the oldest).
    mutating func shared(_ value: Value) -> SharedFacts<Value> {
        if lastFound < kept.count, kept[lastFound].value == value { return kept[lastFound] }
        for position in kept.indices where kept[position].value == value {
            lastFound = position
            return kept[position]
        }
        let facts = SharedFacts(value)
        if kept.count < Self.capacity {
            kept.append(facts)
        } else {
            kept[nextReplaced] = facts
            nextReplaced = (nextReplaced + 1) % Self.capacity
        }
        return facts
    }
}
