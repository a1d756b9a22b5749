/// Where a document's user fields are kept.
enum UserFieldStorage: Sendable {
    /// In the record's input: only a fingerprint of each top-level field is in memory.
    case input(UserFieldPrints)
    /// Held as compact JSON object text (documents made or changed in memory; empty for none).
    case held([UInt8])
}

/// What fingerprints say of one top-level user field.
enum UserFieldPrint: Sendable, Equatable {
    /// The document has no such field.
    case absent
    /// The field is present; its value's bytes, as written in the input, hash to this. Equal
    /// fingerprints mean equal bytes (up to a 64-bit hash collision); different ones do not mean
    /// different values (`1.0` and `1.00`, `"é"` and `"\u00e9"`), so callers compare those exactly.
    case present(UInt64)
    /// Not known without reading the fields.
    case unknown
}

/// The fingerprints of one document's top-level user fields: (hash of the decoded name, hash of
/// the value's bytes) for each, kept in a store shared by the documents one reader thread read, so
/// a document costs no allocation of its own for them.
struct UserFieldPrints: Sendable {
    let store: UserFieldPrintStore
    /// Where the document's value hashes start in the store.
    let start: Int32
    /// The document's list of field names in the store, or -1 when the names are kept beside the
    /// values (pairs).
    let layout: Int32

    /// The number of fields.
    var count: Int { store.fieldCount(self) }

    /// Every (name hash, value hash) pair, in the order the fields were written.
    var pairs: [(name: UInt64, value: UInt64)] {
        var pairs: [(name: UInt64, value: UInt64)] = []
        forEach { pairs.append(($0, $1)) }
        return pairs
    }

    /// The fingerprint of the first field whose name hashes to `nameHash`.
    func lookup(_ nameHash: UInt64) -> UserFieldPrint {
        store.lookup(self, nameHash)
    }

    /// Calls `body` with each field's (name hash, value hash), in the order written.
    @inline(__always)
    func forEach(_ body: (UInt64, UInt64) -> Void) {
        store.forEach(self, body)
    }
}

/// The fingerprints of the documents one reader thread decoded. Only that thread appends, while it
/// reads; once the read is over the store is only read, from any thread.
///
/// Documents of one collection mostly have the same user fields in the same order, so each
/// distinct list of names is kept once (a layout) and a document keeps only its value hashes:
/// 8 bytes per field instead of 16. Past ``maximumLayouts`` distinct lists (fields that differ from
/// document to document), names are kept beside the values again.
///
/// Only one thread writes a store, and nobody reads it meanwhile, so its arrays skip Swift's
/// run-time exclusivity checks (`@exclusivity(unchecked)`): the rules look fingerprints up for
/// every document, and those checks were most of a lookup's cost (3% of `lineage audit`'s CPU).
final class UserFieldPrintStore: @unchecked Sendable {
    /// Value hashes; for a document without a layout, its field count and then its (name hash,
    /// value hash) pairs.
    @exclusivity(unchecked) private(set) var values: [UInt64] = []
    /// The names of every layout, one after another.
    @exclusivity(unchecked) private var layoutNames: [UInt64] = []
    /// Where each layout starts in ``layoutNames``, and (last) where the next would.
    @exclusivity(unchecked) private var layoutStarts: [Int32] = [0]
    /// Layouts by a hash of their names (open addressing; -1 empty).
    private var layoutSlots = [Int32](repeating: -1, count: 1024)

    static let maximumLayouts = 1 << 16

    /// Makes room for `count` value hashes in all (see ``LineageStore/reserve(statements:)``).
    func reserve(values count: Int) {
        values.reserveCapacity(count)
    }

    /// Appends one document's (name hash, value hash) pairs and returns their place.
    func append(_ pairs: UnsafeBufferPointer<UInt64>) -> UserFieldPrints {
        let count = pairs.count / 2
        let start = Int32(values.count)
        if let layout = layout(of: pairs) {
            for field in 0..<count { values.append(pairs[field * 2 + 1]) }
            return UserFieldPrints(store: self, start: start, layout: layout)
        }
        values.append(UInt64(count))
        values.append(contentsOf: pairs)
        return UserFieldPrints(store: self, start: start, layout: -1)
    }

    /// How many fields `prints` has.
    func fieldCount(_ prints: UserFieldPrints) -> Int {
        guard prints.layout >= 0 else { return Int(values[Int(prints.start)]) }
        return Int(layoutStarts[Int(prints.layout) + 1] - layoutStarts[Int(prints.layout)])
    }

    @inline(__always)
    func forEach(_ prints: UserFieldPrints, _ body: (UInt64, UInt64) -> Void) {
        values.withUnsafeBufferPointer { values in
            if prints.layout >= 0 {
                layoutNames.withUnsafeBufferPointer { names in
                    let first = Int(layoutStarts[Int(prints.layout)])
                    let count = Int(layoutStarts[Int(prints.layout) + 1]) - first
                    let start = Int(prints.start)
                    for field in 0..<count { body(names[first + field], values[start + field]) }
                }
            } else {
                let start = Int(prints.start) + 1
                for field in 0..<Int(values[start - 1]) {
                    body(values[start + field * 2], values[start + field * 2 + 1])
                }
            }
        }
    }

    /// The fingerprint of the first of `prints`' fields whose name hashes to `nameHash`, found
    /// without visiting the fields after it.
    func lookup(_ prints: UserFieldPrints, _ nameHash: UInt64) -> UserFieldPrint {
        values.withUnsafeBufferPointer { values in
            if prints.layout >= 0 {
                return layoutNames.withUnsafeBufferPointer { names in
                    let first = Int(layoutStarts[Int(prints.layout)])
                    let count = Int(layoutStarts[Int(prints.layout) + 1]) - first
                    let start = Int(prints.start)
                    for field in 0..<count where names[first + field] == nameHash {
                        return .present(values[start + field])
                    }
                    return .absent
                }
            }
            let start = Int(prints.start) + 1
            for field in 0..<Int(values[start - 1]) where values[start + field * 2] == nameHash {
                return .present(values[start + field * 2 + 1])
            }
            return .absent
        }
    }

    /// The layout of the names in `pairs`, added if new; `nil` when the store holds as many
    /// layouts as it keeps.
    private func layout(of pairs: UnsafeBufferPointer<UInt64>) -> Int32? {
        let count = pairs.count / 2
        let mask = layoutSlots.count - 1
        var slot = Self.slot(count: count, mask: mask) { pairs[$0 * 2] }
        while layoutSlots[slot] >= 0 {
            let layout = Int(layoutSlots[slot])
            let first = Int(layoutStarts[layout])
            if Int(layoutStarts[layout + 1]) - first == count,
                (0..<count).allSatisfy({ layoutNames[first + $0] == pairs[$0 * 2] })
            {
                return Int32(layout)
            }
            slot = (slot + 1) & mask
        }
        let layoutCount = layoutStarts.count - 1
        guard layoutCount < Self.maximumLayouts else { return nil }
        for field in 0..<count { layoutNames.append(pairs[field * 2]) }
        layoutStarts.append(Int32(layoutNames.count))
        layoutSlots[slot] = Int32(layoutCount)
        if (layoutCount + 1) * 2 > layoutSlots.count { growSlots() }
        return Int32(layoutCount)
    }

    private func growSlots() {
        var slots = [Int32](repeating: -1, count: layoutSlots.count * 2)
        let mask = slots.count - 1
        for layout in 0..<(layoutStarts.count - 1) {
            let first = Int(layoutStarts[layout])
            var slot = Self.slot(count: Int(layoutStarts[layout + 1]) - first, mask: mask) { layoutNames[first + $0] }
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(layout)
        }
        layoutSlots = slots
    }

    /// The first slot of the layout of `count` names (`name(i)` the i-th), by a hash of the names.
    @inline(__always)
    private static func slot(count: Int, mask: Int, name: (Int) -> UInt64) -> Int {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
        for field in 0..<count { hash = (hash ^ name(field)) &* 0xBF58_476D_1CE4_E5B9 }
        hash ^= hash >> 29
        return Int(truncatingIfNeeded: hash) & mask
    }
}
