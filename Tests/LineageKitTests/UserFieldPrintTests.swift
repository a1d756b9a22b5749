import Testing

@testable import LineageKit

/// The store of user-field fingerprints keeps each distinct list of field names once; what it gives
/// back must be exactly what was put in, whether a document shares a list, has one of its own, or
/// comes after the store stopped keeping new lists.
@Suite("User field fingerprints")
struct UserFieldPrintTests {
    /// Pairs of (name hash, value hash) for `names`, with values from `seed`.
    static func pairs(_ names: [UInt64], seed: UInt64) -> [UInt64] {
        names.enumerated().flatMap { [$0.element, seed &* 31 &+ UInt64($0.offset)] }
    }

    static func expectRoundTrip(_ prints: UserFieldPrints, _ pairs: [UInt64]) {
        #expect(prints.count == pairs.count / 2)
        #expect(prints.pairs.flatMap { [$0.name, $0.value] } == pairs)
        for field in 0..<(pairs.count / 2) {
            #expect(prints.lookup(pairs[field * 2]) == .present(pairs[field * 2 + 1]))
        }
        #expect(prints.lookup(0xDEAD_BEEF) == .absent)
    }

    @Test("documents with the same names share them, and each gets its own values back")
    func sharedLayouts() {
        let store = UserFieldPrintStore()
        let layouts: [[UInt64]] = [[1, 2, 3], [2, 1, 3], [], [7], [1, 2, 3, 4]]
        var made: [(UserFieldPrints, [UInt64])] = []
        for seed in 0..<200 {
            let pairs = Self.pairs(layouts[seed % layouts.count], seed: UInt64(seed))
            made.append((pairs.withUnsafeBufferPointer { store.append($0) }, pairs))
        }
        for (prints, pairs) in made { Self.expectRoundTrip(prints, pairs) }
        #expect(Set(made.map(\.0.layout)).count == layouts.count, "one layout per distinct list of names")
        #expect(store.values.count == made.reduce(0) { $0 + $1.1.count / 2 }, "8 bytes per field")
    }

    @Test("past the most layouts kept, names are kept beside the values and read back the same")
    func beyondTheLayoutCap() {
        let store = UserFieldPrintStore()
        var made: [(UserFieldPrints, [UInt64])] = []
        for seed in 0..<(UserFieldPrintStore.maximumLayouts + 300) {
            let pairs = Self.pairs([UInt64(seed) &* 0x9E37_79B9, 42], seed: UInt64(seed))
            made.append((pairs.withUnsafeBufferPointer { store.append($0) }, pairs))
        }
        let repeated = Self.pairs([0, 42], seed: 5)
        made.append((repeated.withUnsafeBufferPointer { store.append($0) }, repeated))
        #expect(made.filter { $0.0.layout < 0 }.count == 300)
        #expect(made.last?.0.layout == 0, "a list already kept is still shared after the cap")
        for (prints, pairs) in made where prints.layout < 0 || prints.start % 997 == 0 {
            Self.expectRoundTrip(prints, pairs)
        }
    }
}
