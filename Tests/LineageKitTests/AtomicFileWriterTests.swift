import Foundation
import LineageTestSupport
import Testing

@testable import LineageKit

/// `AtomicFileWriter`: what reaches the file, in order, whether a piece is buffered or written
/// straight through.
@Suite("Atomic file writer")
struct AtomicFileWriterTests {
    @Test("small and large pieces, arrays and text, reach the file whole and in order")
    func piecesInOrder() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("out.bin")
        // Each piece its own byte pattern, so a piece out of place shows.
        func piece(_ count: Int, _ seed: Int) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: count) { bytes, initialized in
                for index in 0..<count { bytes[index] = UInt8(truncatingIfNeeded: index &* (2 * seed + 1) &+ seed) }
                initialized = count
            }
        }
        // Below, at and above the 1 MiB threshold, so pieces are buffered, flushed and written through.
        let pieces = [10, 3 << 20, 1 << 20, 5, (1 << 20) - 1, 2 << 20].enumerated().map { piece($1, $0 + 1) }
        let writer = try AtomicFileWriter(path: path)
        var expected: [UInt8] = []
        for (number, bytes) in pieces.enumerated() {
            try writer.write(bytes)
            expected += bytes
            try writer.write("|\(number)|")
            expected += Array("|\(number)|".utf8)
        }
        #expect(!FileManager.default.fileExists(atPath: path), "nothing at the path before commit")
        try writer.commit()
        let written = try #require(FileManager.default.contents(atPath: path))
        #expect(written.count == expected.count)
        // On a difference, say where they part rather than printing megabytes.
        if written != Data(expected) {
            let firstDifference = zip(written, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            Issue.record("the file differs from the pieces written from byte \(firstDifference ?? expected.count)")
        }
    }
}
