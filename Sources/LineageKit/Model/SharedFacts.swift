/// Facts held shared (``SharedFacts``): a value with an empty state, which holders keep as `nil`.
protocol ShareableFacts: Equatable, Sendable {
    /// No fact stated.
    init()
    /// Whether no fact is stated.
    var isEmpty: Bool { get }
}

/// An immutable value on the heap, shared by every holder of an equal value: facts that few
/// documents differ in (their schema version and ingestion status, their statements' root bucket
/// and path) cost each document a reference, 8 bytes, instead of the strings themselves.
final class SharedFacts<Value: ShareableFacts>: Sendable {
    let value: Value

    private init(_ value: Value) {
        self.value = value
    }

    /// An instance holding `value`, `nil` when it states nothing.
    static func make(_ value: Value) -> SharedFacts? {
        value.isEmpty ? nil : SharedFacts(value)
    }

    /// `facts` changed by `change`, as a new instance: instances are shared, so never changed.
    static func changing(_ facts: SharedFacts?, _ change: (inout Value) -> Void) -> SharedFacts? {
        var value = facts?.value ?? Value()
        change(&value)
        return make(value)
    }

    /// Whether `lhs` and `rhs` hold equal values (`nil` for none), by identity first.
    static func same(_ lhs: SharedFacts?, _ rhs: SharedFacts?) -> Bool {
        if lhs === rhs { return true }
        guard let lhs, let rhs else { return false }
        return lhs.value == rhs.value
    }

    /// One reader thread's recent instances, handed out again for equal values. It keeps a few
    /// dozen: past that, a new value replaces the oldest kept, so input where every value differs
    /// costs an instance each and a bounded search, never a wrong answer.
    struct Interner {
        private var kept: [SharedFacts] = []
        private var nextReplaced = 0
        /// Where the last value was found: neighbouring records mostly state the same facts.
        private var lastFound = 0
        static var capacity: Int { 32 }

        /// The kept instance holding `value`, else a new one (kept in place of the oldest);
        /// `nil` when `value` states nothing.
        mutating func shared(_ value: Value) -> SharedFacts? {
            guard !value.isEmpty else { return nil }
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
}
