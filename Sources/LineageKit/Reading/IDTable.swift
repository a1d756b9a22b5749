/// A map from id strings to dense indices, hashed with ``FastHash``: the reader's duplicate check
/// and the graph's node index do one lookup per record, and Swift's seeded SipHash made those
/// lookups cost more than decoding the record's lineage.
///
/// A table made over documents (``init(documents:)``) keeps no keys of its own for them: entry `p`
/// is the document at position `p`, its key that document's id and its value `p` (plus
/// ``shiftValues(by:)``). Keys inserted beyond them (the graph's ghost documents) are kept as
/// usual. A million documents' ids copied into a table of their own cost 20 MB and a retain of
/// each id, a cache miss each, in the reader's one serial loop.
struct IDTable: Sendable {
    /// The documents whose ids are the first keys (entries `0..<documents.count`), if any.
    private let documents: [Document]
    /// Added to a document entry's position to make its value.
    private var documentOffset: Int32 = 0
    /// How many document entries were inserted.
    private var documentCount = 0
    /// Keys and values of the other entries, numbered from `documents.count`.
    private var keys: [String] = []
    private var values: [Int32] = []
    /// Each slot holds an entry's number + 1 (0 = empty) and its hash's high bits.
    private var slots: [UInt64]

    init(capacity: Int = 16) {
        documents = []
        slots = Self.emptySlots(for: capacity)
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// An empty table whose document entries, inserted with ``insertDocument(at:hash:)``, are
    /// `documents`' ids.
    init(documents: [Document]) {
        self.documents = documents
        slots = Self.emptySlots(for: documents.count)
    }

    /// A table of `documents`' ids to their positions (the first of a repeated id).
    init(indexing documents: [Document]) {
        self.init(documents: documents)
        documents.withUnsafeBufferPointer { documents in
            for position in documents.indices {
                insertDocument(at: position, hash: Document.idHash(of: documents, at: position))
            }
        }
    }

    /// Slots for `capacity` entries at most two thirds full. (At most half full took 10M
    /// documents' table from 2^24 slots to 2^25, 134 MB more; a lookup at two thirds probes 2 slots
    /// on average, an absent key 5.)
    private static func emptySlots(for capacity: Int) -> [UInt64] {
        var size = 16
        while !holds(capacity, in: size) { size *= 2 }
        return Array(repeating: 0, count: size)
    }

    @inline(__always)
    private static func holds(_ count: Int, in slots: Int) -> Bool {
        count * 3 <= slots * 2
    }

    /// The number of keys.
    var count: Int { documentCount + keys.count }

    /// The value stored for `key`, or -1.
    func value(for key: String) -> Int32 {
        value(for: key, hash: FastHash.hash(key))
    }

    /// The value stored for `key`, whose ``FastHash`` is `hash`, or -1.
    func value(for key: String, hash: UInt64) -> Int32 {
        let (_, _, found) = probe(hash: hash) { entry(at: $0, is: key) }
        return found.map(value(ofEntry:)) ?? -1
    }

    /// The value stored for `document`'s id, or -1 (making no string of a packed id).
    func value(forIDOf document: Document) -> Int32 {
        let (_, _, found) = probe(hash: document.idHash) { entry in
            entry < documents.count
                ? documents[entry].hasSameID(as: document) : document.hasID(keys[entry - documents.count])
        }
        return found.map(value(ofEntry:)) ?? -1
    }

    /// Stores `value` for `key` unless the key is present; returns the value already stored, or -1.
    @discardableResult
    mutating func insert(_ key: String, value: Int32) -> Int32 {
        insert(key, hash: FastHash.hash(key), value: value)
    }

    /// ``insert(_:value:)`` with the key's ``FastHash`` computed beforehand (on another thread).
    @discardableResult
    mutating func insert(_ key: String, hash: UInt64, value: Int32) -> Int32 {
        let (slot, tag, found) = probe(hash: hash) { entry(at: $0, is: key) }
        if let found { return self.value(ofEntry: found) }
        keys.append(key)
        values.append(value)
        add(entry: documents.count + keys.count - 1, slot: slot, tag: tag)
        return -1
    }

    /// Stores the id of the document at `position` (hashing to `hash`) unless the id is present;
    /// returns the value already stored for it, or -1.
    @discardableResult
    mutating func insertDocument(at position: Int, hash: UInt64) -> Int32 {
        let found = documents.withUnsafeBufferPointer { documents in
            probe(hash: hash) { entry in
                entry < documents.count
                    ? documents[position].hasSameID(as: documents[entry])
                    : documents[position].hasID(keys[entry - documents.count])
            }
        }
        if let entry = found.found { return value(ofEntry: entry) }
        documentCount += 1
        add(entry: position, slot: found.slot, tag: found.tag)
        return -1
    }

    private mutating func add(entry: Int, slot: Int, tag: UInt64) {
        slots[slot] = tag | UInt64(entry + 1)
        if !Self.holds(count, in: slots.count) { grow() }
    }

    @inline(__always)
    private func value(ofEntry entry: Int) -> Int32 {
        entry < documents.count ? Int32(entry) + documentOffset : values[entry - documents.count]
    }

    /// The slot holding the entry whose key `matches` (asked with the entry's number), or the
    /// empty slot where it would go. `matches` is asked only of keys whose hash agrees in its high
    /// bits.
    @inline(__always)
    private func probe(hash: UInt64, matches: (Int) -> Bool) -> (slot: Int, tag: UInt64, found: Int?) {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let entry = slots[slot]
            let position = Int(entry & 0xFFFF_FFFF) - 1
            if entry & 0xFFFF_FFFF_0000_0000 == tag, matches(position) {
                return (slot, tag, position)
            }
            slot = (slot + 1) & mask
        }
        return (slot, tag, nil)
    }

    /// Whether the key of entry `entry` is `key`.
    @inline(__always)
    private func entry(at entry: Int, is key: String) -> Bool {
        entry < documents.count ? documents[entry].hasID(key) : keys[entry - documents.count] == key
    }

    @inline(__always)
    private func hash(ofEntry entry: Int) -> UInt64 {
        entry < documents.count ? documents[entry].idHash : FastHash.hash(keys[entry - documents.count])
    }

    /// Adds `offset` to every stored value.
    mutating func shiftValues(by offset: Int32) {
        documentOffset += offset
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
        for entry in slots where entry != 0 {
            var slot = Int(truncatingIfNeeded: hash(ofEntry: Int(entry & 0xFFFF_FFFF) - 1)) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = entry
        }
        slots = bigger
    }
}
