import Foundation
import Testing

@testable import LineageKit

/// What a document costs in memory is mostly the size of a few values, which a new field or a
/// changed order quietly raises: these are the sizes docs/architecture.md ("Memory") states.
@Suite("Memory layout")
struct MemoryLayoutTests {
    @Test("a document, a statement, a chain step and a graph node keep their documented sizes")
    func sizes() {
        #expect(MemoryLayout<Document>.stride == 88)
        #expect(MemoryLayout<RawJSON>.size == 20)
        #expect(MemoryLayout<LineageStatement>.stride == 32)
        #expect(MemoryLayout<LineageStep>.stride == 40)
        #expect(MemoryLayout<StepTimestamp?>.size == 16)
        #expect(MemoryLayout<DecompositionGraph.Node>.stride == 40)
    }

    @Test("a record of 4 GiB or more keeps its length, in an origin of its own; shorter ones share theirs")
    func longRecords() {
        let origin = RecordOrigin(
            name: "documents.jsonl", content: .file(size: 1 << 40, modificationTime: .init(modificationOf: stat())))
        let longest = Int(UInt32.max) - 1
        let short = RawJSON(origin: origin, offset: 7, length: longest)
        #expect(short.length == longest && short.offset == 7 && short.origin === origin)
        for length in [Int(UInt32.max), Int(UInt32.max) + 1, 5_000_000_000, 1 << 40] {
            let long = RawJSON(origin: origin, offset: 11, length: length)
            #expect(long.length == length && long.offset == 11)
            #expect(long.origin !== origin && long.origin.name == origin.name)
        }
        #expect(RawJSON(bytes: Array("{}".utf8)).length == 2)
    }
}
