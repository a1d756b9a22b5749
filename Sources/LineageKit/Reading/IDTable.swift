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

    /// The number of keys.
    var count: Int { keys.count }

    /// The value stored for `key`, or -1.
    func value(for key: String) -> Int32 {
        value(for: key, hash: FastHash.hash(key))
    }

    /// The value stored for `key`, whose ``FastHash`` is `hash`, or -1.
    func value(for key: String, hash: UInt64) -> Int32 {
        let (_, _, found) = probe(key, hash: hash)
        return found.map { values[$0] } ?? -1
    }

    /// Stores `value` for `key` unless the key is present; returns the value already stored, or -1.
    @discardableResult
    mutating func insert(_ key: String, value: Int32) -> Int32 {
        insert(key, hash: FastHash.hash(key), value: value)
    }

    /// ``insert(_:value:)`` with the key's ``FastHash`` computed beforehand (on another thread).
    @discardableResult
    mutating func insert(_ key: String, hash: UInt64, value: Int32) -> Int32 {
        let (slot, tag, found) = probe(key, hash: hash)
        if let found { return values[found] }
        keys.append(key)
        values.append(value)
        slots[slot] = tag | UInt64(keys.count)
        if keys.count * 2 > slots.count { grow() }
        return -1
    }

    /// The slot holding `key` (with its entry's position), or the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: String, hash: UInt64) -> (slot: Int, tag: UInt64, found: Int?) {
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

    /// Adds `offset` to every stored value.
    mutating func shiftValues(by offset: Int32) {
        for index in values.indices { values[index] += offset }
    }

    /// The ``FastHash`` of the key of each item, computed on all cores; `hash` hashes an item's key
    /// in place.
    static func hashes<Item>(
        of items: UnsafeBufferPointer<Item>, hash key: @Sendable (UnsafeBufferPointer<Item>, Int) -> UInt64
    ) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: items.count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            let shared = WorkerShared((items, base))
            forEachPiece(of: items.count) { range in
                let (items, output) = shared.value
                for index in range {
                    (output + index).initialize(to: key(items, index))
                }
            }
            initialized = items.count
        }
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
