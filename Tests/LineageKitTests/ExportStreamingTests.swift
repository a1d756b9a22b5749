import Testing

@testable import LineageKit

/// The exports' streaming: items rendered in parallel blocks, written in order while the next
/// block renders, and a failing write stopping everything.
@Suite("Export streaming")
struct ExportStreamingTests {
    /// Every item once, in order, across blocks and pieces of any size.
    @Test("pieces reach the sink in item order, every item once", arguments: [0, 1, 7, 100, 20_000])
    func order(count: Int) {
        var written: [UInt8] = []
        var calls = 0
        ExportInput.renderInParallel(
            count: count, blockSize: 64,
            render: { range, bytes in
                for item in range { bytes.append(contentsOf: "\(item)\n".utf8) }
            },
            to: { bytes in
                calls += 1
                written += bytes
            })
        let expected = (0..<count).map { "\($0)\n" }.joined()
        #expect(String(decoding: written, as: UTF8.self) == expected)
        #expect(calls >= (count + 63) / 64)
    }

    /// A sink that fails stops the export with its error, and no later piece is written.
    @Test("a failing write stops the export with its error")
    func failingSink() {
        struct DiskFull: Error {}
        var calls = 0
        #expect(throws: DiskFull.self) {
            try ExportInput.renderInParallel(
                count: 10_000, blockSize: 100,
                render: { range, bytes in
                    for item in range { bytes.append(UInt8(truncatingIfNeeded: item)) }
                },
                to: { _ in
                    calls += 1
                    if calls == 3 { throw DiskFull() }
                })
        }
        #expect(calls == 3)
    }
}
