/// Bounded concurrency for request work: many documents or collections, a few at a time.
package enum Concurrently {
    /// `body(0)` … `body(count - 1)` with at most `limit` running at once, the results in index
    /// order. `completed` hears how many have finished after each one does.
    package static func map<T: Sendable>(
        _ count: Int, limit: Int, completed: ((Int) -> Void)? = nil,
        _ body: @escaping @Sendable (Int) async throws -> T
    ) async throws -> [T] {
        var results = [T?](repeating: nil, count: count)
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            var next = 0
            func launch() {
                let index = next
                next += 1
                group.addTask { (index, try await body(index)) }
            }
            while next < min(max(1, limit), count) { launch() }
            var finished = 0
            while let (index, result) = try await group.next() {
                results[index] = result
                finished += 1
                completed?(finished)
                if next < count { launch() }
            }
        }
        return results.compactMap { $0 }
    }
}
