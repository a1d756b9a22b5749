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
        /// Keep a fingerprint of each document's record (24 bytes per document with its index), so that reading a
        /// later snapshot of the same namespace can take the documents whose record has not changed
        /// from this one instead of decoding them again (``SnapshotReader/read(_:reusingDocumentsOf:)``).
        public var keepsRecordPrints = false

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
        try read(inputs, reuse: nil)
    }

    /// Reads every input into one snapshot, as `read(_:)` does, taking each document whose record
    /// in a JSON Lines file is byte for byte a record of `earlier` from `earlier` instead of
    /// decoding it again (with its place in the new input: file, offset and line).
    ///
    /// This is what makes comparing two snapshots of a namespace cheap: most documents do not
    /// change between them. A fingerprint of each record's bytes proposes the earlier record, and
    /// the earlier record's bytes, read again from its file, must be the same: a record whose
    /// earlier file is gone or changed is decoded. `earlier` must have been read with
    /// ``Options/keepsRecordPrints`` (and its documents left unchanged since); otherwise every
    /// record is decoded, as by `read(_:)`. Either way the result is the snapshot `read(_:)`
    /// returns; ``ReadReport/reusedDocuments`` counts the documents taken.
    ///
    /// - Throws: as `read(_:)`.
    public func read(_ inputs: [InputSource], reusingDocumentsOf earlier: Snapshot) throws -> Snapshot {
        try read(inputs, reuse: DocumentReuse(of: earlier))
    }

    private func read(_ inputs: [InputSource], reuse: DocumentReuse?) throws -> Snapshot {
        var collector = RecordCollector(options: options)
        for input in inputs {
            switch input {
            case .path(let path):
                for file in try Self.files(at: path) {
                    try readFile(file, reuse: reuse, into: &collector)
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

    /// Reads one input; a convenience for `read(_:)`.
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

    private func readFile(_ path: String, reuse: DocumentReuse?, into collector: inout RecordCollector) throws {
        let handle = try OpenFile(path: path)
        let origin = RecordOrigin(
            name: path, content: .file(size: handle.size, modificationTime: handle.modificationTime))
        // A .jsonl file holding one JSON array (a common mix-up) is read as the .json reader would.
        collector.noteOrigin(origin)
        if path.hasSuffix(".jsonl"), try handle.firstSignificantByte() != UInt8(ascii: "[") {
            collector.noteFile(path, bytes: handle.size)
            var chunks = try JSONLinesReader(origin: origin, handle: handle, options: options, reuse: reuse).read()
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
        id: "", statements: StoredStatements([]), userFieldStorage: .held([]), systemFacts: nil,
        raw: RawJSON(bytes: []))
}
