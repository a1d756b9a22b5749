/// The records and problems of one piece of input, in input order.
struct RecordChunk: Sendable {
    var documents: [Document] = []
    /// The fingerprint of each document's record, when the read keeps them (else empty).
    var documentPrints: [RecordPrint] = []
    var objects: [BucketObject] = []
    var collections: [CollectionConfig] = []
    var reconciliations: [CollectionReconciliation] = []
    var checkedBuckets: [String] = []
    var batches: [ProcessingBatch] = []
    var problems: [LineageKitError] = []
    var skipped = 0
    /// Documents taken from an earlier snapshot rather than decoded.
    var reused = 0
    /// Lines in this chunk, for turning chunk-relative lines into file lines.
    var lineCount = 0
    /// The input is a file LineageKit wrote (a baseline, a plan, a manifest), not records.
    var isLineageFile = false

    /// Moves every line number on by `lines` (a piece of a file read from its middle).
    mutating func shiftLines(by lines: Int) {
        guard lines > 0 else { return }
        problems = problems.map { $0.shiftingLines(by: lines) }
        for index in documents.indices {
            documents[index].line += Int32(lines)
        }
        for index in objects.indices {
            objects[index].location?.line += lines
        }
        for index in collections.indices {
            collections[index].location?.line += lines
        }
    }

    mutating func append(_ record: consuming Record) {
        switch consume record {
        case .document(let document): documents.append(document)
        case .object(let object): objects.append(object)
        case .collection(let collection): collections.append(collection)
        }
    }
}
