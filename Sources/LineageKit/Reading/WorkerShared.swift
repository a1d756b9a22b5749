import Dispatch
import Foundation

/// A value handed to the threads of `DispatchQueue.concurrentPerform` that only read it, or
/// write positions no other thread writes (buffers of results, one range per thread).
struct WorkerShared<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// `0..<count` cut into pieces of at least 8,192 (at most 16), for work spread over all cores.
func pieceRanges(of count: Int) -> [Range<Int>] {
    let pieces = min(count / 8192 + 1, 16)
    return (0..<pieces).map { (count * $0 / pieces)..<(count * ($0 + 1) / pieces) }
}

/// Runs `body` on every range of ``pieceRanges(of:)``, on all cores.
func forEachPiece(of count: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let ranges = pieceRanges(of: count)
    DispatchQueue.concurrentPerform(iterations: ranges.count) { body(ranges[$0]) }
}

/// Runs `body` for each of `count` pieces on all cores and returns the results in piece order.
/// The results are taken out of the slots the threads wrote, so the caller holds the only
/// reference to each (changing a result's arrays then copies nothing).
package func mapPieces<Output>(_ count: Int, _ body: @Sendable (Int) -> Output) -> [Output] {
    let slots = PieceSlots<Output>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { slots.store(body($0), at: $0) }
    return slots.take()
}

/// One result slot per piece, each written by exactly one thread of `concurrentPerform`.
private final class PieceSlots<Output>: @unchecked Sendable {
    private var slots: [Output?]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func store(_ output: Output, at index: Int) {
        lock.withLock { slots[index] = output }
    }

    /// Every result, leaving the slots empty (all are filled once `concurrentPerform` returns).
    func take() -> [Output] {
        let taken = lock.withLock {
            defer { slots = [] }
            return slots
        }
        return taken.compactMap { $0 }
    }
}
