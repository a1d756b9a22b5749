/// Statements and chain steps kept one after another, for the documents one reader thread read:
/// a document's statements and a statement's chain then cost no allocation of their own (an
/// array of one 32-byte statement took 80 bytes of heap, a chain of one 40-byte step as many).
/// It also keeps the ids of those documents that do not pack (``PackedID``).
/// Only the reading thread appends, while it reads; once the read is over the store is only read,
/// from any thread (as ``UserFieldPrintStore``).
final class LineageStore: @unchecked Sendable {
    @exclusivity(unchecked) private(set) var statements: ContiguousArray<LineageStatement> = []
    @exclusivity(unchecked) private(set) var steps: ContiguousArray<LineageStep> = []
    /// Document ids of neither packed form, each at the index its ``PackedID/kept(at:)`` holds.
    @exclusivity(unchecked) private(set) var ids: [String] = []

    init() {}

    /// A store holding exactly `statements`, and `ids` (a document made or changed in memory).
    init(statements: [LineageStatement], ids: [String] = []) {
        self.statements = ContiguousArray(statements)
        self.ids = ids
    }

    /// A store holding exactly `steps` (a chain made or changed in memory).
    init(steps: [LineageStep]) {
        self.steps = ContiguousArray(steps)
    }

    /// The store of documents stating nothing and of empty chains.
    static let empty = LineageStore()

    /// Makes room for `count` statements in all, so that the array is not grown by copies (each
    /// into freshly faulted pages, the old ones left behind in the allocator). Never inlined, so
    /// that heap profiles tell this room from the steps' (`Benchmarks/heap-by-part.sh`).
    @inline(never)
    func reserve(statements count: Int) {
        statements.reserveCapacity(count)
    }

    /// Makes room for `count` steps in all, as ``reserve(statements:)``.
    @inline(never)
    func reserve(steps count: Int) {
        steps.reserveCapacity(count)
    }

    func append(_ statement: LineageStatement) {
        statements.append(statement)
    }

    func append(_ step: LineageStep) {
        steps.append(step)
    }

    /// Keeps a document id that does not pack; returns its index.
    func keep(id: String) -> Int {
        ids.append(id)
        return ids.count - 1
    }
}

/// A document's statements, most authoritative first, where a ``LineageStore`` keeps them.
struct StoredStatements: RandomAccessCollection, Sendable, Equatable {
    let store: LineageStore
    private let start: UInt32
    private let length: UInt32

    /// The statements `store` holds from `start` on, `count` of them.
    init(store: LineageStore, start: Int, count: Int) {
        precondition(start + count <= Int(UInt32.max), "more statements than a store keeps")
        self.store = store
        self.start = UInt32(start)
        self.length = UInt32(count)
    }

    /// `statements`, in a store of their own (none for no statements).
    init(_ statements: [LineageStatement]) {
        self.init(
            store: statements.isEmpty ? .empty : LineageStore(statements: statements), start: 0,
            count: statements.count)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { Int(length) }

    subscript(position: Int) -> LineageStatement {
        store.statements[Int(start) + position]
    }

    static func == (lhs: StoredStatements, rhs: StoredStatements) -> Bool {
        lhs.elementsEqual(rhs)
    }
}

/// A lineage chain, root first, where a ``LineageStore`` keeps its steps: 14 bytes, so that a
/// statement holding one is still 32.
struct StoredChain: RandomAccessCollection, Sendable, Hashable {
    let store: LineageStore
    let start: UInt32
    /// The number of steps, or ``toTheEnd`` for a chain too long to count here, which has a store
    /// of its own and runs to its end.
    private let length: UInt16
    private static let toTheEnd = UInt16.max
    /// The fewest steps a chain has that must end its store.
    static let longest = Int(toTheEnd)

    /// The steps `store` holds from `start` on, `count` of them; a chain of ``toTheEnd`` steps or
    /// more must be the last in its store.
    init(store: LineageStore, start: Int, count: Int) {
        precondition(start + count <= Int(UInt32.max), "more steps than a store keeps")
        precondition(count < Int(Self.toTheEnd) || start + count == store.steps.count, "a long chain ends its store")
        self.store = store
        self.start = UInt32(start)
        self.length = UInt16(Swift.min(count, Int(Self.toTheEnd)))
    }

    /// `steps`, in a store of their own (none for no steps).
    init(_ steps: [LineageStep]) {
        self.init(store: steps.isEmpty ? .empty : LineageStore(steps: steps), start: 0, count: steps.count)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { length == Self.toTheEnd ? store.steps.count - Int(start) : Int(length) }

    subscript(position: Int) -> LineageStep {
        store.steps[Int(start) + position]
    }

    static func == (lhs: StoredChain, rhs: StoredChain) -> Bool {
        (lhs.store === rhs.store && lhs.start == rhs.start && lhs.length == rhs.length) || lhs.elementsEqual(rhs)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for step in self { hasher.combine(step) }
    }
}
