import LineageKit
import Synchronization

/// Values the CLI keeps until the process exits. A snapshot and graph of a million documents are
/// millions of small heap objects; freeing them one by one when a command returns took 0.5-0.7 s
/// of one core at 1M documents, while the process's exit frees them at once.
enum ProcessLifetime {
    private static let kept = Mutex<[any Sendable]>([])

    /// Keeps `value` alive until the process exits, and returns it.
    static func keep<Value: Sendable>(_ value: Value) -> Value {
        kept.withLock { $0.append(value) }
        return value
    }

    /// The decomposition graph of `snapshot`, kept (with the snapshot) until the process exits.
    static func graph(of snapshot: Snapshot) -> DecompositionGraph {
        _ = keep(snapshot)
        return keep(DecompositionGraph(snapshot: snapshot))
    }
}
