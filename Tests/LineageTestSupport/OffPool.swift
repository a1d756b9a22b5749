import Foundation

/// Runs blocking work (waiting for processes, synchronous HTTP) on a thread of its own, so a long
/// test does not hold one of Swift's few cooperative threads (two on a 2-core machine) and starve
/// every other test meanwhile. Expectations belong after the `await`, on the test's own task.
public enum OffPool {
    /// The result of `body`, computed on a new thread.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
