/// A ``LineageStatement`` while its record is read: every fact held in place, so that filling one
/// in, field by field, never makes a ``SharedFacts`` instance; ``RecordDecoder`` makes the
/// statement, with its shared facts found among the reader's, once the record is read.
struct StatementDraft {
    let place: LineagePlace
    var ids = StatementIDs()
    var chain: StoredChain?
    var shared = SharedStatementFacts()

    init(place: LineagePlace) {
        self.place = place
    }

    /// Whether the place states no fact at all.
    var isEmpty: Bool {
        ids.isEmpty && chain == nil && shared.isEmpty
    }

    /// The statement, its chain moved out of the draft rather than copied, so that the chain is
    /// not retained for the statement and released again with the draft; the other facts are
    /// found among the reader's shared instances (none made for facts that state nothing).
    mutating func take(
        sharing interner: inout SharedFacts<SharedStatementFacts>.Interner,
        ids idInterner: inout SharedFacts<StatementIDs>.Interner
    ) -> LineageStatement {
        var taken: StoredChain?
        swap(&taken, &chain)
        return LineageStatement(
            place: place, chain: taken, sharedIDs: idInterner.shared(ids), sharedFacts: interner.shared(shared))
    }
}
