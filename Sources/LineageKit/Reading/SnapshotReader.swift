import Dispatch
import Foundation

/// Reads documents, bucket objects and collection configurations from files, directories and
/// standard input into a ``Snapshot``.
///
/// A file may be JSON Lines, a JSON array of records, a single record, or a list-response
/// envelope (`{"results": [...], "pagination": ...}`, or `groups` of documents). Each record's kind
/// is detected from its keys. JSON Lines files, the bulk format, are read in parallel in blocks,
/// without holding the file in memory. By default the first bad record stops the read with a
/// ``LineageKitError`` naming file, line and column; with ``Options/keepGoing`` bad records are
/// skipped and counted in the ``ReadReport``.
public struct SnapshotReader: Sendable {
    /// How to read.
    public struct Options: Sendable {
        /// Skip bad records instead of stopping at the first one.
        public var keepGoing = false
        /// How many problems the report keeps in full.
        public var maximumReportedProblems = 10
        /// How many threads read JSON Lines files.
        public var concurrency = ProcessInfo.processInfo.activeProcessorCount

        /// Creates options.
        public init(keepGoing: Bool = false, maximumReportedProblems: Int = 10, concurrency: Int? = nil) {
            self.keepGoing = keepGoing
            self.maximumReportedProblems = maximumReportedProblems
            if let concurrency { self.concurrency = max(1, concurrency) }
        }
    }

    /// The options in force.
    public var options: Options

    /// Creates a reader.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Reads every input into one snapshot.
    ///
    /// - Throws: ``LineageKitError`` for unreadable inputs, and for bad records unless
    ///   ``Options/keepGoing`` is set; also for the same id twice with different content.
    public func read(_ inputs: [InputSource]) throws -> Snapshot {
        var collector = RecordCollector(options: options)
        for input in inputs {
            switch input {
            case .path(let path):
                for file in try Self.files(at: path) {
                    try readFile(file, into: &collector)
                }
            case .standardInput:
                let bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
                try readWhole(bytes, origin: RecordOrigin(name: "<stdin>", content: .memory(bytes)), into: &collector)
            case .bytes(let bytes, let name):
                try readWhole(bytes, origin: RecordOrigin(name: name, content: .memory(bytes)), into: &collector)
            }
        }
        return try collector.finish()
    }

    /// Reads one input; a convenience for ``read(_:)``.
    public func read(_ input: InputSource) throws -> Snapshot {
        try read([input])
    }

    // MARK: - Files

    /// The files an input path stands for: itself, or the `.json`/`.jsonl` files directly inside
    /// it, in name order (subdirectories are not read, so a snapshot directory can keep other
    /// material, such as a sample's expected findings, in a folder of its own).
    static func files(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LineageKitError(code: .unreadableInput, message: "\(path): no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw LineageKitError(code: .unreadableInput, message: "\(path): cannot list the directory: \(error)")
        }
        let found = names.filter { name in
            guard name.hasSuffix(".json") || name.hasSuffix(".jsonl"), !name.hasPrefix(".") else { return false }
            var isSubdirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isSubdirectory)
                && !isSubdirectory.boolValue
        }
        guard !found.isEmpty else {
            throw LineageKitError(
                code: .unreadableInput,
                message: "\(path): no .json or .jsonl files in this directory (subdirectories are not read)")
        }
        return found.sorted().map { (path as NSString).appendingPathComponent($0) }
    }

    private func readFile(_ path: String, into collector: inout RecordCollector) throws {
        let handle = try OpenFile(path: path)
        let origin = RecordOrigin(
            name: path, content: .file(size: handle.size, modificationTime: handle.modificationTime))
        // A .jsonl file holding one JSON array (a common mix-up) is read as the .json reader would.
        collector.noteOrigin(origin)
        if path.hasSuffix(".jsonl"), try handle.firstSignificantByte() != UInt8(ascii: "[") {
            collector.noteFile(path, bytes: handle.size)
            var chunks = try JSONLinesReader(origin: origin, handle: handle, options: options).read()
            chunks.reverse()
            // Each piece is freed as soon as it is added, so pieces and snapshot never all coexist.
            while let chunk = chunks.popLast() {
                try collector.add(chunk)
            }
        } else {
            let bytes = try handle.readAll()
            try readWhole(bytes, origin: origin, into: &collector)
        }
    }

    private func readWhole(_ bytes: [UInt8], origin: RecordOrigin, into collector: inout RecordCollector) throws {
        collector.noteFile(origin.name, bytes: bytes.count)
        var reader = WholeFileReader(bytes: bytes, origin: origin, keepGoing: options.keepGoing)
        reader.maximumReportedProblems = options.maximumReportedProblems
        let chunk = reader.read()
        if chunk.isLineageFile { collector.noteLineageFile(origin.name) }
        try collector.add(chunk)
    }
}

/// The records and problems of one piece of input, in input order.
struct RecordChunk: Sendable {
    var documents: [Document] = []
    var objects: [BucketObject] = []
    var collections: [CollectionConfig] = []
    var reconciliations: [CollectionReconciliation] = []
    var checkedBuckets: [String] = []
    var batches: [ProcessingBatch] = []
    var problems: [LineageKitError] = []
    var skipped = 0
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

/// Gathers chunks into a snapshot, merging identical duplicates and reporting conflicting ones.
struct RecordCollector {
    let options: SnapshotReader.Options
    /// The documents of each chunk, in input order, joined into one array by ``finish()``.
    private var documentPieces: [[Document]] = []
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
        if !chunk.documents.isEmpty {
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
        (documents, documentIndex) = try deduplicate(
            documents, kind: "document", id: { $0[$1].id }, location: { $0[$1].location },
            content: { try $0[$1].json() })
        objects = try deduplicate(
            objects, kind: "object", id: { $0[$1].id }, location: { $0[$1].location }, content: { $0[$1].json }
        ).items
        collections = try deduplicate(
            collections, kind: "collection", id: { $0[$1].id }, location: { $0[$1].location },
            content: { $0[$1].json }
        ).items
        var snapshot = Snapshot(
            documents: documents, objects: objects, collections: collections, reconciliations: reconciliations,
            report: report)
        snapshot.documentIndex = documentIndex
        snapshot.origins = origins
        snapshot.checkedBuckets = checkedBuckets
        snapshot.batches = batches
        return snapshot
    }

    /// Joins the pieces into one array by moving each document (on all cores, each piece to its
    /// place), leaving the pieces empty: copying a million documents would retain and release each
    /// of their parts, touching memory that is cold by then.
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
    private mutating func deduplicate<Item>(
        _ items: [Item], kind: String, id: @Sendable (UnsafeBufferPointer<Item>, Int) -> String,
        location: (UnsafeBufferPointer<Item>, Int) -> SourceLocation?,
        content: (UnsafeBufferPointer<Item>, Int) throws -> JSONValue
    ) throws -> (items: [Item], index: IDTable?) {
        var table = IDTable(capacity: items.count)
        var drop: Set<Int> = []
        try items.withUnsafeBufferPointer { buffer in
            let hashes = IDTable.hashes(of: buffer) { FastHash.hash(id($0, $1)) }
            for index in buffer.indices {
                let earlier = table.insert(id(buffer, index), hash: hashes[index], value: Int32(index))
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
        guard !drop.isEmpty else { return (items, table) }
        return (items.enumerated().filter { !drop.contains($0.offset) }.map(\.element), nil)
    }
}

extension ReadReport {
    mutating func skipped(_ count: Int, problems newProblems: [LineageKitError], keeping maximum: Int) {
        skippedRecords += count
        for problem in newProblems where problems.count < maximum {
            problems.append(problem)
        }
    }
}

extension LineageKitError {
    /// The same error with its line moved on by `lines`.
    func shiftingLines(by lines: Int) -> LineageKitError {
        guard lines > 0, let location else { return self }
        return LineageKitError(
            code: code, message: message,
            location: SourceLocation(file: location.file, line: location.line + lines, column: location.column),
            recordID: recordID)
    }
}

extension Document {
    /// A document holding nothing on the heap but one shared origin, to fill vacated slots.
    static let placeholder = Document(
        id: "", collectionID: "", shape: .unknown, schemaVersion: nil, statements: [], userFieldStorage: .held([]),
        ingestionStatus: nil, raw: RawJSON(bytes: []))
}
