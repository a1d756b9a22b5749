/// Statements kept one after another, for the documents one reader thread read: a document's
/// statements then cost no allocation of their own (an array of one 32-byte statement took 80
/// bytes of heap). Only the reading thread appends, while it reads; once the read is over the
/// store is only read, from any thread (as ``UserFieldPrintStore``).
final class StatementStore: @unchecked Sendable {
    @exclusivity(unchecked) private(set) var statements: ContiguousArray<LineageStatement> = []

    init() {}

    /// A store holding exactly `statements` (a document made or changed in memory).
    init(_ statements: [LineageStatement]) {
        self.statements = ContiguousArray(statements)
    }

    /// The store of documents stating nothing.
    static let empty = StatementStore()

    /// Where the next statement appended will be.
    var count: Int { statements.count }

    func append(_ statement: LineageStatement) {
        statements.append(statement)
    }
}

/// A document's statements, most authoritative first, where a ``StatementStore`` keeps them.
struct StoredStatements: RandomAccessCollection, Sendable, Equatable {
    let store: StatementStore
    private let start: UInt32
    private let length: UInt32

    /// The statements `store` holds from `start` on, `count` of them.
    init(store: StatementStore, start: Int, count: Int) {
        precondition(start + count <= Int(UInt32.max), "more statements than a store keeps")
        self.store = store
        self.start = UInt32(start)
        self.length = UInt32(count)
    }

    /// `statements`, in a store of their own (none for no statements).
    init(_ statements: [LineageStatement]) {
        self.init(
            store: statements.isEmpty ? .empty : StatementStore(statements), start: 0, count: statements.count)
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
