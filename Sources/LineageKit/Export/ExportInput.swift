import Dispatch
import Foundation

/// What every export reads: the graph, the nodes to export, and the audit's findings by node,
/// with the facts the formats share (each document's extractor, each node's tier).
struct ExportInput: @unchecked Sendable {
    let graph: DecompositionGraph
    /// Positions in ``DecompositionGraph/nodes`` to export, in graph order.
    let included: [Int]
    /// Whether each node is exported.
    let isIncluded: [Bool]
    /// Findings about each document, by node position.
    let findings: [Int: [Finding]]
    /// Each node's tier (``DecompositionGraph/allTiers()``; negative when unknown).
    let tiers: [Int32]
    /// Each collection's configured extractor.
    private let configuredExtractor: [String: String]

    init(graph: DecompositionGraph, nodes: [DecompositionGraph.Node]?, findings: [Finding]) {
        self.graph = graph
        var isIncluded = [Bool](repeating: nodes == nil, count: graph.nodes.count)
        if let nodes { for node in nodes { isIncluded[node.index] = true } }
        self.isIncluded = isIncluded
        included = isIncluded.indices.filter { isIncluded[$0] }
        var byNode: [Int: [Finding]] = [:]
        for finding in findings {
            if let document = finding.documentID, let node = graph.node(.document(document)) {
                byNode[node.index, default: []].append(finding)
            }
        }
        self.findings = byNode
        tiers = graph.allTiers()
        var configured: [String: String] = [:]
        for collection in graph.collections {
            if let extractor = collection.featureExtractorID { configured[collection.id] = extractor }
        }
        configuredExtractor = configured
    }

    /// The exported node's source, when it is exported too.
    func parent(of index: Int) -> Int? {
        let parent = graph.parentIndex[index]
        return parent >= 0 && isIncluded[Int(parent)] ? Int(parent) : nil
    }

    /// The extractor that made a document (its chain's last step, else its collection's
    /// configuration) and when (that step's timestamp), from one resolution of its lineage.
    func extractorAndTime(of index: Int) -> (extractor: String?, time: String?) {
        let step = graph.document(atNode: index)?.lineage.storedChain?.last
        return (
            step?.featureExtractorID ?? graph.nodes.collectionID(at: index).flatMap { configuredExtractor[$0] },
            step?.timestamp
        )
    }

    /// Renders `count` items in blocks, each block cut into ``pieceRanges(of:)`` and rendered on all
    /// cores, and hands each piece's bytes to `sink` in order, on the calling thread: the output
    /// streams, and at most two blocks' worth is in memory. A block is written while the next is
    /// rendered, so the writing (a tenth of a 1M-document PROV-JSON export's time, in the kernel)
    /// no longer leaves the cores idle. The pieces of a written block are emptied and rendered into
    /// again two blocks later, so a long export does not keep asking for (and zeroing) new pages.
    static func renderInParallel(
        count: Int, blockSize: Int = 1 << 16, render: @escaping @Sendable (Range<Int>, inout [UInt8]) -> Void,
        to sink: ([UInt8]) throws -> Void
    ) rethrows {
        let rendered = RenderedBlock()
        let group = DispatchGroup()
        // Renders the block starting at `start` on the worker threads, into `rendered`, reusing `spare`.
        func startRendering(at start: Int, reusing spare: SpareBuffers) {
            let end = min(count, start + blockSize)
            DispatchQueue.global().async(group: group) {
                let ranges = pieceRanges(of: end - start).map {
                    (start + $0.lowerBound)..<(start + $0.upperBound)
                }
                rendered.outputs = mapPieces(ranges.count) { piece in
                    var bytes = spare.take(piece)
                    render(ranges[piece], &bytes)
                    return bytes
                }
            }
        }
        // No rendering outlives this call, even when the sink throws: it may read the caller's data.
        defer { group.wait() }
        var start = 0
        var spare = SpareBuffers([])
        if count > 0 { startRendering(at: 0, reusing: spare) }
        while start < count {
            group.wait()
            var outputs = rendered.outputs
            rendered.outputs = []
            start = min(count, start + blockSize)
            if start < count { startRendering(at: start, reusing: spare) }
            for output in outputs where !output.isEmpty { try sink(output) }
            for piece in outputs.indices { outputs[piece].removeAll(keepingCapacity: true) }
            spare = SpareBuffers(outputs)
        }
    }

    /// The pieces of the block last rendered, handed from the rendering threads to the writing
    /// one; a `DispatchGroup` wait orders every access.
    private final class RenderedBlock: @unchecked Sendable {
        var outputs: [[UInt8]] = []
    }

    /// Emptied buffers of a written block, each taken (moved out, so appending copies nothing) by
    /// the one thread rendering that piece.
    private final class SpareBuffers: @unchecked Sendable {
        private var buffers: [[UInt8]]
        private let lock = NSLock()

        init(_ buffers: [[UInt8]]) { self.buffers = buffers }

        func take(_ piece: Int) -> [UInt8] {
            lock.lock()
            defer { lock.unlock() }
            guard piece < buffers.count else { return [] }
            var taken: [UInt8] = []
            swap(&taken, &buffers[piece])
            return taken
        }
    }

    /// The worst severity among `findings`.
    static func worst(_ findings: [Finding]) -> Severity? { findings.map(\.severity).max() }
}

extension Array where Element == UInt8 {
    /// Appends `text` as UTF-8.
    mutating func append(_ text: String) { append(contentsOf: text.utf8) }

    /// Appends a constant's UTF-8 bytes, copied whole.
    mutating func append(constant text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends the decimal digits of `value`, as `String(value)` writes them, without making a string.
    mutating func appendDecimal(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}

/// A compact JSON object written straight into bytes, members in the order they are added: what
/// ``JSONValue/write(into:layout:)`` makes of the same object, without building it.
struct InlineJSONObject {
    private var isEmpty = true

    /// Opens the object.
    init(into bytes: inout [UInt8]) { bytes.append(UInt8(ascii: "{")) }

    /// Adds `"key":"value"`, the value escaped.
    mutating func string(_ key: StaticString, _ value: String, into bytes: inout [UInt8]) {
        self.key(key, into: &bytes)
        JSONValue.writeString(value, into: &bytes)
    }

    /// Adds `"key":` and an integer.
    mutating func integer(_ key: StaticString, _ value: Int, into bytes: inout [UInt8]) {
        self.key(key, into: &bytes)
        bytes.appendDecimal(value)
    }

    /// Adds `"key":true` or `"key":false`.
    mutating func bool(_ key: StaticString, _ value: Bool, into bytes: inout [UInt8]) {
        self.key(key, into: &bytes)
        bytes.append(constant: value ? "true" : "false")
    }

    /// Closes the object.
    func close(into bytes: inout [UInt8]) { bytes.append(UInt8(ascii: "}")) }

    /// Adds `"key":`, for the caller to write the value. Keys are constants that need no escaping.
    mutating func key(_ key: StaticString, into bytes: inout [UInt8]) {
        if !isEmpty { bytes.append(UInt8(ascii: ",")) }
        isEmpty = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(constant: key)
        bytes.append(constant: "\":")
    }
}

/// Bytes gathered into pieces and handed on, so an export is written as it is made and never
/// held whole.
struct ChunkedOutput {
    private(set) var buffer: [UInt8] = []
    let chunkSize: Int

    init(chunkSize: Int) {
        self.chunkSize = chunkSize
        buffer.reserveCapacity(min(chunkSize, 1 << 22) + 4096)
    }

    mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    mutating func append(_ value: JSONValue) { value.write(into: &buffer) }

    mutating func append(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    /// Hands the buffer on once it holds at least a chunk.
    mutating func flushIfFull(_ sink: ([UInt8]) throws -> Void) rethrows {
        guard buffer.count >= chunkSize else { return }
        try sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hands on what is left.
    mutating func finish(_ sink: ([UInt8]) throws -> Void) rethrows {
        if !buffer.isEmpty { try sink(buffer) }
        buffer.removeAll()
    }
}
