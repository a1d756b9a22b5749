import Foundation

/// Gathers chunks into a snapshot, merging identical duplicates and reporting conflicting ones.
struct RecordCollector {
    let options: SnapshotReader.Options
    /// The documents of each chunk, in input order, joined into one array by ``finish()``.
    private var documentPieces: [[Document]] = []
    /// The fingerprints of the documents of each chunk, when the read keeps them.
    private var documentPrintPieces: [[RecordPrint]] = []
    private var objects: [BucketObject] = []
    private var collections: [CollectionConfig] = []
    private var reconciliations: [CollectionReconciliation] = []
    private var checkedBuckets: Set<String> = []
    private var batches: [ProcessingBatch] = []
    private var report = ReadReport()
    /// The files read, as they were when read, for ``Snapshot/checkInputsUnchanged()``.
    private var origins: [RecordOrigin] = []

    init(options: SnapshotReader.Options) {
        self.options = options
    }

    mutating func noteLineageFile(_ name: String) {
        report.lineageFiles.append(name)
    }

    mutating func noteOrigin(_ origin: RecordOrigin) {
        origins.append(origin)
    }

    mutating func noteFile(_ name: String, bytes: Int) {
        report.files.append(name)
        report.bytes += bytes
    }

    /// Adds a chunk (its line numbers already absolute).
    mutating func add(_ chunk: consuming RecordChunk) throws {
        if let first = chunk.problems.first, !options.keepGoing {
            throw first
        }
        report.skipped(chunk.skipped, problems: chunk.problems, keeping: options.maximumReportedProblems)
        report.reusedDocuments += chunk.reused
        if !chunk.documents.isEmpty {
            if options.keepsRecordPrints {
                let prints = chunk.documentPrints
                documentPrintPieces.append(
                    prints.count == chunk.documents.count
                        ? prints : Array(repeating: .none, count: chunk.documents.count))
            }
            documentPieces.append([])
            swap(&documentPieces[documentPieces.count - 1], &chunk.documents)
        }
        objects.append(contentsOf: chunk.objects)
        collections.append(contentsOf: chunk.collections)
        reconciliations.append(contentsOf: chunk.reconciliations)
        checkedBuckets.formUnion(chunk.checkedBuckets)
        batches.append(contentsOf: chunk.batches)
    }

    mutating func finish() throws -> Snapshot {
        var documents = Self.join(&documentPieces)
        let documentIndex: IDTable?
        let droppedDocuments: Set<Int>
        (documents, documentIndex, droppedDocuments) = try deduplicate(
            documents, kind: "document", table: IDTable(documents: documents), id: { $0[$1].id },
            hash: { Document.idHash(of: $0, at: $1) }, location: { $0[$1].location }, content: { try $0[$1].json() })
        var reuseIndex: DocumentReuseIndex?
        if options.keepsRecordPrints {
            let prints = Self.removing(droppedDocuments, from: documentPrintPieces.flatMap { $0 })
            documentPrintPieces = []
            reuseIndex = DocumentReuseIndex(prints: prints)
        }
        objects = try deduplicate(
            objects, kind: "object", id: { $0[$1].id }, location: { $0[$1].location },
            content: { try $0[$1].readJSON() }
        ).items
        collections = try deduplicate(
            collections, kind: "collection", id: { $0[$1].id }, location: { $0[$1].location },
            content: { $0[$1].json }
        ).items
        var snapshot = Snapshot(
            documents: documents, objects: objects, collections: collections, reconciliations: reconciliations,
            report: report)
        snapshot.documentIndex = documentIndex
        snapshot.reuseIndex = reuseIndex
        snapshot.origins = origins
        snapshot.checkedBuckets = checkedBuckets
        snapshot.batches = batches
        return snapshot
    }

    /// Joins the pieces into one array by moving each document (on all cores, each piece to its
    /// place), leaving the pieces empty: copying a million documents would retain and release each
    /// of their parts, touching memory that is cold by then. Each piece is freed as soon as it is
    /// moved, so fewer of the pieces' pages are still held while the joined array's are written
    /// (peak RSS of `lineage audit` on a million vendor-style documents: 837 to 831 MiB).
    private static func join(_ pieces: inout [[Document]]) -> [Document] {
        if pieces.count == 1 { return pieces.removeLast() }
        var starts: [Int] = []
        var total = 0
        for piece in pieces {
            starts.append(total)
            total += piece.count
        }
        let placeholder = Document.placeholder
        let joined = [Document](unsafeUninitializedCapacity: total) { buffer, initialized in
            buffer.adviseHugePages()
            pieces.withUnsafeMutableBufferPointer { pieces in
                let shared = WorkerShared((pieces, buffer, starts))
                DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
                    let (pieces, buffer, starts) = shared.value
                    pieces[index].withUnsafeMutableBufferPointer { moved in
                        guard let source = moved.baseAddress, let target = buffer.baseAddress else { return }
                        (target + starts[index]).moveInitialize(from: source, count: moved.count)
                        source.initialize(repeating: placeholder, count: moved.count)
                    }
                    pieces[index] = []
                }
            }
            initialized = total
        }
        pieces = []
        return joined
    }

    /// Drops repeated ids (an identical repeat silently, a different one as an error) and returns
    /// the items left with an index of their ids to their positions, when nothing was dropped
    /// (after a drop the positions have moved, and the graph builds its own index). The
    /// closures read an item in place: copying a document to read its id costs a retain and a
    /// release of each of its parts.
    /// `documentTable`, when given, is an empty ``IDTable/init(documents:)`` over `items`; `hash`,
    /// when given, hashes an item's id without making its string.
    private mutating func deduplicate<Item>(
        _ items: [Item], kind: String, table documentTable: IDTable? = nil,
        id: @escaping @Sendable (UnsafeBufferPointer<Item>, Int) -> String,
        hash: (@Sendable (UnsafeBufferPointer<Item>, Int) -> UInt64)? = nil,
        location: (UnsafeBufferPointer<Item>, Int) -> SourceLocation?,
        content: (UnsafeBufferPointer<Item>, Int) throws -> JSONValue
    ) throws -> (items: [Item], index: IDTable?, dropped: Set<Int>) {
        var table = documentTable ?? IDTable(capacity: items.count)
        var drop: Set<Int> = []
        try items.withUnsafeBufferPointer { buffer in
            let hashes = IDTable.hashes(of: buffer, hash: hash ?? { FastHash.hash(id($0, $1)) })
            for index in buffer.indices {
                let earlier =
                    documentTable != nil
                    ? table.insertDocument(at: index, hash: hashes[index])
                    : table.insert(id(buffer, index), hash: hashes[index], value: Int32(index))
                guard earlier >= 0 else { continue }
                drop.insert(index)
                if try content(buffer, Int(earlier)) == content(buffer, index) {
                    report.identicalDuplicates += 1
                    continue
                }
                let firstPlace = location(buffer, Int(earlier))?.description ?? "an earlier input"
                let error = LineageKitError(
                    code: .conflictingDuplicate,
                    message: "\(kind) appears twice with different content (first at \(firstPlace)); not merged",
                    location: location(buffer, index), recordID: id(buffer, index))
                guard options.keepGoing else { throw error }
                report.skipped(1, problems: [error], keeping: options.maximumReportedProblems)
            }
        }
        guard !drop.isEmpty else { return (items, table, []) }
        return (Self.removing(drop, from: items), nil, drop)
    }

    /// `items` without those at the positions `dropped`, in order (`items` itself when none are).
    private static func removing<Item>(_ dropped: Set<Int>, from items: [Item]) -> [Item] {
        guard !dropped.isEmpty else { return items }
        return items.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
    }
}
