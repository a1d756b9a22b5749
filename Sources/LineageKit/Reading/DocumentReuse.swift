/// A fingerprint of one record's bytes as written (a JSON Lines line without its surrounding
/// whitespace): its length and a 64-bit hash made from four independent lanes (xxHash64's round
/// over 32-byte stripes, so the lanes run in parallel on one core, where ``FastHash``'s single
/// chain of multiplications is made for short ids). Equal fingerprints only propose a match:
/// ``EarlierRecordMatcher`` compares the bytes.
struct RecordPrint: Hashable, Sendable {
    var length: Int
    var hash: UInt64

    /// The fingerprint of a record that is never reused (read from a whole JSON file, or made in
    /// memory): no record's bytes have a negative length.
    static let none = RecordPrint(length: -1, hash: 0)

    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    init(length: Int, hash: UInt64) {
        self.length = length
        self.hash = hash
    }

    /// The fingerprint of `bytes`.
    @inline(__always)
    init(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        var lane0 = Self.prime1 &+ Self.prime2
        var lane1 = Self.prime2
        var lane2: UInt64 = 0
        var lane3 = 0 &- Self.prime1
        var offset = 0
        while offset + 32 <= count {
            lane0 = Self.round(lane0, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            lane1 = Self.round(lane1, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            lane2 = Self.round(lane2, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
            lane3 = Self.round(lane3, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
            offset += 32
        }
        // The last words and the tail (its bytes and how many there are) go to the lanes in turn.
        var lane = 0
        while offset < count {
            var word: UInt64
            if offset + 8 <= count {
                word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                offset += 8
            } else {
                word = UInt64(count - offset) << 56
                var shift: UInt64 = 0
                while offset < count {
                    word |= UInt64(bytes[offset]) << shift
                    shift += 8
                    offset += 1
                }
            }
            switch lane {
            case 0: lane0 = Self.round(lane0, word)
            case 1: lane1 = Self.round(lane1, word)
            case 2: lane2 = Self.round(lane2, word)
            default: lane3 = Self.round(lane3, word)
            }
            lane = (lane + 1) & 3
        }
        let hash = Self.avalanche(
            lane0.rotated(1) &+ lane1.rotated(7) &+ lane2.rotated(12) &+ lane3.rotated(18) &+ UInt64(count))
        self.init(length: count, hash: hash)
    }

    @inline(__always)
    private static func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        (lane &+ word &* prime2).rotated(31) &* prime1
    }

    @inline(__always)
    private static func avalanche(_ value: UInt64) -> UInt64 {
        var value = value ^ (value >> 33)
        value = value &* 0xFF51_AFD7_ED55_8CCD
        value ^= value >> 33
        value = value &* 0xC4CE_B9FE_1A85_EC53
        return value ^ (value >> 33)
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotated(_ bits: UInt64) -> UInt64 {
        (self << bits) | (self >> (64 - bits))
    }
}

/// The documents of a snapshot by the fingerprint of their record, so that reading a later
/// snapshot of the same namespace can take a document whose record is unchanged, byte for byte,
/// instead of decoding it again (``SnapshotReader/read(_:reusingDocumentsOf:)``).
///
/// An open-addressing table of positions in the snapshot's documents, twice as many slots as
/// documents: 24 bytes per document with the 16-byte fingerprints.
struct DocumentReuseIndex: Sendable {
    private let prints: [RecordPrint]
    private let slots: [Int32]
    private let mask: Int

    /// Indexes `prints`, one per document in order (``RecordPrint/none`` for documents that can
    /// not be reused); when two documents have the same record, the first is kept.
    init(prints: [RecordPrint]) {
        var capacity = 16
        while capacity < prints.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for (position, print) in prints.enumerated() where print.length >= 0 {
            var slot = Int(truncatingIfNeeded: print.hash) & mask
            while slots[slot] >= 0, prints[Int(slots[slot])] != print {
                slot = (slot + 1) & mask
            }
            if slots[slot] < 0 { slots[slot] = Int32(position) }
        }
        self.prints = prints
        self.slots = slots
        self.mask = mask
    }

    /// How many documents the index covers.
    var count: Int { prints.count }

    /// The position of the document whose record has fingerprint `print`, if any.
    @inline(__always)
    func position(of print: RecordPrint) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            prints.withUnsafeBufferPointer { prints in
                var slot = Int(truncatingIfNeeded: print.hash) & mask
                while true {
                    let position = Int(slots[slot])
                    guard position >= 0 else { return nil }
                    if prints[position] == print { return position }
                    slot = (slot + 1) & mask
                }
            }
        }
    }
}

/// The documents a read may take from an earlier snapshot instead of decoding them.
struct DocumentReuse: Sendable {
    let index: DocumentReuseIndex
    /// The earlier snapshot's documents, by position in ``index``.
    let documents: [Document]

    /// The reuse `snapshot` offers, if it was read keeping fingerprints of its records
    /// (``SnapshotReader/Options/keepsRecordPrints``) and its documents have not changed since.
    init?(of snapshot: Snapshot) {
        guard let index = snapshot.reuseIndex, index.count == snapshot.documents.count else { return nil }
        self.index = index
        self.documents = snapshot.documents
    }
}

/// Finds, for the lines of one block of a JSON Lines file, the earlier documents they repeat: a
/// fingerprint proposes a candidate, and the earlier record's bytes, read again from its file,
/// confirm it byte for byte (an earlier file changed since only costs the reuse). The earlier
/// records of neighbouring lines are mostly neighbours too, so they are read in runs, one read
/// per run. One matcher per reading thread.
struct EarlierRecordMatcher {
    private let index: DocumentReuseIndex
    private let earlier: UnsafeBufferPointer<Document>
    /// The earlier files, opened once per thread.
    private var files: [ObjectIdentifier: OpenFile] = [:]
    private var run: [UInt8] = []
    private var candidates: [(file: ObjectIdentifier, offset: Int, line: Int, position: Int)] = []

    /// The longest run of earlier records read at once, and the widest gap inside a run.
    private static let longestRun = 8 << 20
    private static let widestGap = 64 << 10

    init(index: DocumentReuseIndex, earlier: UnsafeBufferPointer<Document>) {
        self.index = index
        self.earlier = earlier
    }

    /// For each line (a range of `bytes`, with its fingerprint), the position of the earlier
    /// document whose record is the same bytes, or -1.
    mutating func match(
        _ lines: [Range<Int>], prints: [RecordPrint], in bytes: UnsafeRawBufferPointer, into matches: inout [Int]
    ) {
        matches.removeAll(keepingCapacity: true)
        candidates.removeAll(keepingCapacity: true)
        for (line, print) in prints.enumerated() {
            matches.append(-1)
            guard print.length > 0, let position = index.position(of: print) else { continue }
            let raw = earlier[position].raw
            candidates.append((ObjectIdentifier(raw.origin), raw.offset, line, position))
        }
        guard !candidates.isEmpty else { return }
        // File by file, in file order, so that each run is as long as the neighbours allow.
        candidates.sort { ($0.file, $0.offset) < ($1.file, $1.offset) }
        var first = 0
        while first < candidates.count {
            let origin = earlier[candidates[first].position].raw.origin
            let start = candidates[first].offset
            var end = start
            var last = first
            while last < candidates.count {
                let raw = earlier[candidates[last].position].raw
                guard raw.origin === origin, raw.offset - end <= Self.widestGap,
                    raw.offset + raw.length - start <= Self.longestRun || last == first
                else { break }
                end = max(end, raw.offset + raw.length)
                last += 1
            }
            if readRun(of: origin, from: start, to: end) {
                run.withUnsafeBytes { run in
                    for candidate in candidates[first..<last] {
                        let raw = earlier[candidate.position].raw
                        let old = UnsafeRawBufferPointer(
                            rebasing: run[(raw.offset - start)..<(raw.offset - start + raw.length)])
                        let new = UnsafeRawBufferPointer(rebasing: bytes[lines[candidate.line]])
                        if FastHash.equal(old, new) { matches[candidate.line] = candidate.position }
                    }
                }
            }
            first = last
        }
    }

    /// Reads `start..<end` of the earlier file `origin` into ``run``; `false` when the file is
    /// gone, changed since it was read, or shorter.
    private mutating func readRun(of origin: RecordOrigin, from start: Int, to end: Int) -> Bool {
        guard case .file(let size, let modificationTime) = origin.content else { return false }
        let key = ObjectIdentifier(origin)
        if files[key] == nil {
            guard let file = try? OpenFile(path: origin.name), file.size == size,
                file.modificationTime == modificationTime
            else { return false }
            files[key] = file
        }
        guard let file = files[key] else { return false }
        if run.count < end - start { run = [UInt8](repeating: 0, count: end - start) }
        return (try? file.read(into: &run, at: 0, count: end - start, fileOffset: start)) == end - start
    }
}
