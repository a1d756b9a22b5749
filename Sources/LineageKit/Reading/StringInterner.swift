#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Shares one copy of each repeated id string (collection, bucket, root object, parent ids,
/// chain timestamps), found from the raw bytes so that a repeat costs no allocation.
///
/// Ids repeat close together: the frames of a video name the same root object, the scenes of a
/// frame name that frame, and each chain repeats its parent's steps. A small direct-mapped cache
/// (4,096 entries, looked up with ``FastHash``) catches those repeats while staying in the CPU
/// cache; an id that comes back after being evicted gets a second copy, which costs memory only.
/// Strings of up to 15 UTF-8 bytes are stored inline by Swift and are not interned.
struct StringInterner {
    private static let size = 4096
    private var hashes = [UInt64](repeating: 0, count: size)
    private var strings = [String](repeating: "", count: size)

    /// The string with these UTF-8 bytes, already validated by the caller.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.count > 15 else { return String(decoding: bytes, as: UTF8.self) }
        let hash = FastHash.hash(bytes) | 1
        let slot = Int(truncatingIfNeeded: hash >> 20) & (Self.size - 1)
        if hashes[slot] == hash {
            // One read of the cached string: the copy returned is its only retain.
            let cached = strings[slot]
            if FastHash.equal(cached, bytes) { return cached }
        }
        let string = String(decoding: bytes, as: UTF8.self)
        hashes[slot] = hash
        strings[slot] = string
        return string
    }

    /// The interned copy of `string` (for strings that needed unescaping first).
    mutating func intern(_ string: String) -> String {
        var string = string
        return string.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }
}

/// A fast, non-cryptographic hash of bytes (multiply-xorshift over 8-byte words), for tables keyed
/// by ids where Swift's seeded SipHash costs more than the rest of the lookup.
enum FastHash {
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = mix(hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for index in offset..<bytes.count {
                tail = tail << 8 | UInt64(bytes[index])
            }
            hash = mix(hash ^ tail)
        }
        return mix(hash)
    }

    @inline(__always)
    static func hash(_ string: String) -> UInt64 {
        // In place when the string's bytes are contiguous (native strings): no copy, no retain.
        if let hashed = string.utf8.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return hashed
        }
        var string = string
        return string.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// `hash` with `string` (or its absence) mixed in: a hash of several optional strings, the
    /// same in every process (Swift's `Hasher` is seeded per process).
    @inline(__always)
    static func combine(_ hash: UInt64, _ string: String?) -> UInt64 {
        mix(hash &* 31 ^ (string.map { Self.hash($0) } ?? 0x51_7CC1_B727_220A))
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var value = value &* 0xBF58_476D_1CE4_E5B9
        value ^= value >> 31
        value = value &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 29)
    }

    /// Whether two byte ranges hold the same bytes.
    @inline(__always)
    static func equal(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        guard left.count == right.count else { return false }
        guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
        return memcmp(leftBase, rightBase, left.count) == 0
    }

    /// Whether `string`'s UTF-8 bytes are `bytes`.
    @inline(__always)
    static func equal(_ string: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        // In place when the string's bytes are contiguous (native strings): no copy, no retain.
        if let equal = string.utf8.withContiguousStorageIfAvailable({ equal(UnsafeRawBufferPointer($0), bytes) }) {
            return equal
        }
        var string = string
        return string.withUTF8 { utf8 in
            guard utf8.count == bytes.count else { return false }
            guard let left = utf8.baseAddress, let right = bytes.baseAddress else { return true }
            return memcmp(left, right, utf8.count) == 0
        }
    }
}
