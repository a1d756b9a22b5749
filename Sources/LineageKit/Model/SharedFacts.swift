/// Facts held shared (``SharedFacts``): a value with an empty state, which holders keep as `nil`.
protocol ShareableFacts: Equatable, Sendable {
    /// No fact stated.
    init()
    /// A hash of the facts, the same in every process (``FastHash/combine(_:_:)``), so which
    /// values share an interner's slot does not change from run to run.
    var stableHash: UInt64 { get }
}

extension ShareableFacts {
    /// Whether no fact is stated: the value is the one made with none (such holders keep `nil`).
    var isEmpty: Bool { self == Self() }
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

    /// One reader thread's instances, handed out again for equal values: a table of 1,024 slots
    /// where a value may sit in either of two, chosen by its hash, and the last instance handed
    /// out is checked first (neighbouring records mostly state the same facts). A value finding
    /// both its slots taken replaces the first; a namespace with more distinct values than slots
    /// shares less, never wrongly.
    struct Interner {
        static var capacity: Int { 1024 }
        private var slots = [SharedFacts?](repeating: nil, count: capacity)
        private var last: SharedFacts?

        /// The kept instance holding `value`, else a new one (kept in one of its slots); `nil`
        /// when `value` states nothing.
        mutating func shared(_ value: Value) -> SharedFacts? {
            guard !value.isEmpty else { return nil }
            if let last, last.value == value { return last }
            let hash = value.stableHash
            let first = Int(truncatingIfNeeded: hash) & (Self.capacity - 1)
            let second = Int(truncatingIfNeeded: hash >> 32) & (Self.capacity - 1)
            if let kept = slots[first], kept.value == value {
                last = kept
                return kept
            }
            if let kept = slots[second], kept.value == value {
                last = kept
                return kept
            }
            let facts = SharedFacts(value)
            slots[slots[first] != nil && slots[second] == nil ? second : first] = facts
            last = facts
            return facts
        }
    }
}
