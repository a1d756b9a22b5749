/// A map from id strings to dense indices, hashed with ``FastHash``: the reader's duplicate check
/// and the graph's node index do one lookup per record, and Swift's seeded SipHash made those
/// lookups cost more than decoding the record's lineage.
struct IDTable: Sendable {
    private var keys: [String] = []
    private var values: [Int32] = []
    /// Each slot holds an entry's position + 1 (0 = empty) and its hash's high bits.
    private var slots: [UInt64]

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// The value stored for `key`, or -1.
    func value(for key: String) -> Int32 {
        let (_, _, found) = probe(key)
        return found.map { values[$0] } ?? -1
    }

    /// Stores `value` for `key` unless the key is present; returns the value already stored, or -1.
    @discardableResult
    mutating func insert(_ key: String, value: Int32) -> Int32 {
        let (slot, tag, found) = probe(key)
        if let found { return values[found] }
        keys.append(key)
        values.append(value)
        slots[slot] = tag | UInt64(keys.count)
        if keys.count * 2 > slots.count { grow() }
        return -1
    }

    /// The slot holding `key` (with its entry's position), or the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: String) -> (slot: Int, tag: UInt64, found: Int?) {
        let hash = FastHash.hash(key)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let entry = slots[slot]
            let position = Int(entry & 0xFFFF_FFFF) - 1
            if entry & 0xFFFF_FFFF_0000_0000 == tag, keys[position] == key {
                return (slot, tag, position)
            }
            slot = (slot + 1) & mask
        }
        return (slot, tag, nil)
    }

    private mutating func grow() {
        var bigger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for (position, key) in keys.enumerated() {
            let hash = FastHash.hash(key)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(position + 1)
        }
        slots = bigger
    }
}
