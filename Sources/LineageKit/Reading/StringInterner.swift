#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Shares one copy of each repeated id string (collection, bucket, root object, parent ids,
/// chain timestamps), found from the raw bytes so that a repeat costs no allocation.
///
/// Ids repeat across a namespace: every frame of a video names the same root object, every
/// scene of a frame names that frame. Interning them keeps memory proportional to distinct ids,
/// and looking them up by bytes (with ``FastHash``) before any `String` exists keeps the reader
/// fast. Strings of up to 15 UTF-8 bytes are stored inline by Swift and are not interned.
struct StringInterner {
    private var strings: [String] = []
    /// Open addressing: each slot holds a string's index + 1 (0 = empty) and its hash's high bits.
    private var slots: [UInt64] = Array(repeating: 0, count: 1024)

    /// The string with these UTF-8 bytes, already validated by the caller.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.count > 15 else { return String(decoding: bytes, as: UTF8.self) }
        let hash = FastHash.hash(bytes)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let entry = slots[slot]
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let candidate = strings[Int(entry & 0xFFFF_FFFF) - 1]
                if FastHash.equal(candidate, bytes) { return candidate }
            }
            slot = (slot + 1) & mask
        }
        let string = String(decoding: bytes, as: UTF8.self)
        strings.append(string)
        slots[slot] = tag | UInt64(strings.count)
        if strings.count * 2 > slots.count { grow() }
        return string
    }

    /// The interned copy of `string` (for strings that needed unescaping first).
    mutating func intern(_ string: String) -> String {
        var string = string
        return string.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    private mutating func grow() {
        var bigger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for (index, string) in strings.enumerated() {
            let hash = FastHash.hash(string)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
        }
        slots = bigger
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
        var string = string
        return string.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var value = value &* 0xBF58_476D_1CE4_E5B9
        value ^= value >> 31
        value = value &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 29)
    }

    /// Whether `string`'s UTF-8 bytes are `bytes`.
    @inline(__always)
    static func equal(_ string: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var string = string
        return string.withUTF8 { utf8 in
            guard utf8.count == bytes.count else { return false }
            guard let left = utf8.baseAddress, let right = bytes.baseAddress else { return true }
            return memcmp(left, right, utf8.count) == 0
        }
    }
}
