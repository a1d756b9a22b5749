import Foundation
import LineageKit

extension Array where Element: Sendable {
    /// `transform` of every element, in order, computed on all cores in runs of neighbouring
    /// elements (one run when there are few).
    func concurrentMap<Output: Sendable>(_ transform: @Sendable (Element) -> Output) -> [Output] {
        let pieces = Swift.min(count / 256 + 1, ProcessInfo.processInfo.activeProcessorCount * 4)
        guard pieces > 1 else { return map(transform) }
        return mapPieces(pieces) { piece in
            self[(count * piece / pieces)..<(count * (piece + 1) / pieces)].map(transform)
        }.flatMap { $0 }
    }
}
