/// A ``LineageStatement`` while its record is read: every fact held in place, so that filling one
/// in, field by field, never makes a ``SharedFacts`` instance; ``RecordDecoder`` makes the
/// statement, with its shared facts found among the reader's, once the record is read.
struct StatementDraft {
    let place: LineagePlace
    var ids = StatementIDs()
    var chain: [LineageStep]?
    var shared = SharedStatementFacts()

    init(place: LineagePlace) {
        self.place = place
    }

    /// Whether the place states no fact at all.
    var isEmpty: Bool {
        ids.isEmpty && chain == nil && shared.isEmpty
    }

    /// The statement, its draft left empty: moved rather than copied, so that no string is
    /// retained for the statement and released again with the draft.
    mutating func take(
        sharing interner: inout SharedFacts<SharedStatementFacts>.Interner,
        ids idInterner: inout SharedFacts<StatementIDs>.Interner
    ) -> LineageStatement {
        var statement = LineageStatement(place: place)
        swap(&statement.chain, &chain)
        if !ids.isEmpty {
            statement.sharedIDs = idInterner.shared(ids)
            ids = StatementIDs()
        }
        if !shared.isEmpty {
            statement.sharedFacts = interner.shared(shared)
            shared = SharedStatementFacts()
        }
        return statement
    }
}
