import Foundation
import Testing

@testable import LineageKit

/// What a document costs in memory is mostly the size of a few values, which a new field or a
/// changed order quietly raises: these are the sizes docs/architecture.md ("Memory") states.
@Suite("Memory layout")
struct MemoryLayoutTests {
    @Test("a document, a statement, a chain step and a graph node keep their documented sizes")
    func sizes() {
        #expect(MemoryLayout<Document>.stride == 80)
        #expect(MemoryLayout<RawJSON>.size == 16)
        #expect(MemoryLayout<PackedID>.size == 16, "a document id in the two words a String took")
        #expect(MemoryLayout<LineageStatement>.stride == 32)
        #expect(MemoryLayout<LineageStep>.stride == 40)
        #expect(MemoryLayout<StepTimestamp?>.size == 16)
        #expect(MemoryLayout<DecompositionGraph.Node>.stride == 40)
    }

    @Test("a record of 16 MiB or more, or at 1 TiB or further, keeps its place in an origin of its own")
    func longRecords() {
        let origin = RecordOrigin(
            name: "documents.jsonl", content: .file(size: 1 << 42, modificationTime: .init(modificationOf: stat())))
        let longestShared = (1 << 24) - 2
        let furthestShared = (1 << 40) - 1
        for (offset, length) in [(7, longestShared), (furthestShared, 0), (furthestShared, longestShared), (0, 1)] {
            let kept = RawJSON(origin: origin, offset: offset, length: length)
            #expect(kept.length == length && kept.offset == offset && kept.origin === origin)
        }
        let own = [
            (11, longestShared + 1), (11, Int(UInt32.max)), (11, 5_000_000_000), (1 << 40, 2), (1 << 41, 1 << 30),
            (Int(Int64.max >> 1), 3),
        ]
        for (offset, length) in own {
            let kept = RawJSON(origin: origin, offset: offset, length: length)
            #expect(kept.length == length && kept.offset == offset)
            #expect(kept.origin !== origin && kept.origin.name == origin.name)
        }
        #expect(RawJSON(bytes: Array("{}".utf8)).length == 2)
    }
}
