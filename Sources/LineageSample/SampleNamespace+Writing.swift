import Foundation
import LineageKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SampleNamespace {
    /// How many records ``write(to:overwrite:)`` wrote.
    public struct WriteSummary: Sendable, Hashable {
        /// Documents written to `documents.jsonl`.
        public var documents = 0
        /// Objects written to `objects.jsonl`.
        public var objects = 0
        /// Collection configurations written to `collections.json`.
        public var collections = 0
        /// Findings written to `expected-findings.jsonl` (with defects).
        public var expectedFindings = 0
        /// Bytes written in all.
        public var bytes = 0
    }

    /// The files a sample directory holds.
    public static let fileNames = (
        documents: "documents.jsonl", objects: "objects.jsonl", collections: "collections.json",
        expectedFindings: "expected/findings.jsonl", manifest: "snapshot.json", batches: "batches.json"
    )

    /// Writes the namespace to `directory` (created if needed) as `documents.jsonl`,
    /// `objects.jsonl` and `collections.json`, each atomically; with defects, also
    /// `expected/findings.jsonl` (in a subdirectory, which readers of the directory do not read),
    /// one `{"rule", "document_id", "collection_id"}` per line, the ``manifest`` as
    /// `snapshot.json` and the trees' processing batches as `batches.json`.
    ///
    /// - Throws: `LineageKitError` when a file exists and `overwrite` is false, or on write errors;
    ///   then no file of this call is left half-written.
    @discardableResult
    public func write(to directory: String, overwrite: Bool = false) throws -> WriteSummary {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LineageKitError(code: .writeFailed, message: "cannot create directory \(directory): \(error)")
        }
        let documents = try AtomicFileWriter(
            path: directory + "/" + Self.fileNames.documents, overwrite: overwrite)
        let objects = try AtomicFileWriter(path: directory + "/" + Self.fileNames.objects, overwrite: overwrite)
        let collections = try AtomicFileWriter(
            path: directory + "/" + Self.fileNames.collections, overwrite: overwrite)
        var expected: AtomicFileWriter?
        if options.defects > 0 {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory + "/expected", withIntermediateDirectories: true)
            } catch {
                throw LineageKitError(code: .writeFailed, message: "cannot create \(directory)/expected: \(error)")
            }
            expected = try AtomicFileWriter(
                path: directory + "/" + Self.fileNames.expectedFindings, overwrite: overwrite)
        }
        var summary = WriteSummary()
        var configs: [JSONValue] = []
        var batches: [JSONValue] = []
        var line: [UInt8] = []
        do {
            try generate { record in
                line.removeAll(keepingCapacity: true)
                switch record {
                case .collection(let value):
                    configs.append(value)
                case .object(let value):
                    value.write(into: &line)
                    line.append(0x0A)
                    try objects.write(line)
                    summary.objects += 1
                case .document(let value):
                    value.write(into: &line)
                    line.append(0x0A)
                    try documents.write(line)
                    summary.documents += 1
                case .batch(let value):
                    batches.append(value)
                case .expectedFinding(let value):
                    value.write(into: &line)
                    line.append(0x0A)
                    try expected?.write(line)
                    summary.expectedFindings += 1
                }
                summary.bytes += line.count
            }
        } catch {
            // Leave nothing behind: writers dropped uncommitted remove their temporary files, and
            // the `expected` directory is removed if this left it empty (`rmdir` removes only
            // empty directories).
            expected = nil
            if options.defects > 0 { rmdir(directory + "/expected") }
            throw error
        }
        let configText = JSONValue.array(configs).serialized(.pretty) + "\n"
        try collections.write(configText)
        summary.collections = configs.count
        summary.bytes += configText.utf8.count
        if !batches.isEmpty {
            let text = ProcessingBatch.file(batches).serialized(.pretty) + "\n"
            try AtomicFileWriter.write(text, to: directory + "/" + Self.fileNames.batches, overwrite: overwrite)
            summary.bytes += text.utf8.count
        }
        if let manifest {
            let text = manifest.serialized(.pretty) + "\n"
            try AtomicFileWriter.write(text, to: directory + "/" + Self.fileNames.manifest, overwrite: overwrite)
            summary.bytes += text.utf8.count
        }
        try documents.commit()
        try objects.commit()
        try collections.commit()
        try expected?.commit()
        return summary
    }
}
