import Dispatch
import Foundation

/// A value handed to the threads of `DispatchQueue.concurrentPerform` that only read it, or
/// write positions no other thread writes (buffers of results, one range per thread).
struct WorkerShared<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Runs `body` on every range of `0..<count` cut into pieces of at least 8,192 (at most 16), on
/// all cores.
func forEachPiece(of count: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let pieces = min(count / 8192 + 1, 16)
    DispatchQueue.concurrentPerform(iterations: pieces) { piece in
        body((count * piece / pieces)..<(count * (piece + 1) / pieces))
    }
}

/// Results of the pieces of `forEachPiece`, in any order (for results merged without regard to order).
final class PieceResults<First, Second>: @unchecked Sendable {
    private var results: [(First, Second)] = []
    private let lock = NSLock()

    func append(_ result: (First, Second)) {
        lock.withLock { results.append(result) }
    }

    var all: [(First, Second)] {
        lock.withLock { results }
    }
}
