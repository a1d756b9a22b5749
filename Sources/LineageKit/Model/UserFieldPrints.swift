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

/// The fingerprints of one document's top-level user fields: pairs of (hash of the decoded
/// name, hash of the value's bytes), kept in a store shared by the documents one reader thread read,
/// so a document costs no allocation of its own for them.
struct UserFieldPrints: Sendable {
    let store: UserFieldPrintStore
    let start: Int32
    /// The number of fields.
    let count: Int32

    /// Every (name hash, value hash) pair, in the order the fields were written.
    var pairs: [(name: UInt64, value: UInt64)] {
        store.values.withUnsafeBufferPointer { values in
            (0..<Int(count)).map { field in
                let position = (Int(start) + field) * 2
                return (values[position], values[position + 1])
            }
        }
    }

    func lookup(_ nameHash: UInt64) -> UserFieldPrint {
        var found = UserFieldPrint.absent
        store.values.withUnsafeBufferPointer { values in
            var position = Int(start) * 2
            let end = position + Int(count) * 2
            while position < end {
                if values[position] == nameHash {
                    found = .present(values[position + 1])
                    return
                }
                position += 2
            }
        }
        return found
    }
}

/// The fingerprints of the documents one reader thread decoded. Only that thread appends, while it
/// reads; once the read is over the store is only read, from any thread.
final class UserFieldPrintStore: @unchecked Sendable {
    var values: [UInt64] = []

    /// Appends one document's pairs and returns their place.
    func append(_ pairs: UnsafeBufferPointer<UInt64>) -> UserFieldPrints {
        let start = Int32(values.count / 2)
        values.append(contentsOf: pairs)
        return UserFieldPrints(store: self, start: start, count: Int32(pairs.count / 2))
    }
}
