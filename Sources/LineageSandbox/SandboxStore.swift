import Foundation
import LineageKit

/// The namespace a sandbox serves, held in memory: collections, documents per collection in
/// listing order (each kept as parsed JSON and as compact bytes for fast pages) and bucket objects.
struct SandboxStore: Sendable {
    struct Entry: Sendable {
        var value: JSONValue
        var bytes: [UInt8]

        init(_ value: JSONValue) {
            self.value = value
            var bytes: [UInt8] = []
            value.write(into: &bytes)
            self.bytes = bytes
        }
    }

    var collections: [Entry] = []
    var collectionIndex: [String: Int] = [:]
    /// Documents by collection id, in file order.
    var documents: [String: [Entry]] = [:]
    var documentIndex: [String: [String: Int]] = [:]
    var objects: [String: [Entry]] = [:]
    var objectIndex: [String: [String: Int]] = [:]
    /// Processing batches by bucket (from `batches.json`, as `lineage fetch --batches` writes it),
    /// each without its failed documents, which are kept apart by batch id.
    var batches: [String: [Entry]] = [:]
    var failedDocuments: [String: [JSONValue]] = [:]
    /// The manifest's namespace, when the snapshot has one.
    var namespace: String?
    /// Every document's collection and position, in file order, for writing back.
    var order: [(collection: String, position: Int)] = []

    /// Reads a snapshot directory: `documents.jsonl`, and when present `objects.jsonl`,
    /// `collections.json` (an array, or JSON Lines) and `snapshot.json`.
    init(directory: String) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            let exists = manager.fileExists(atPath: directory)
            throw LineageKitError(
                code: .unreadableInput,
                message: exists
                    ? "\(directory) is a file, not a snapshot directory (give the directory lineage fetch wrote)"
                    : "\(directory) does not exist (give a snapshot directory, such as lineage fetch writes)")
        }
        for value in try Self.records(at: directory + "/collections.json") {
            guard let id = value.objectValue?["collection_id"]?.stringValue else {
                throw LineageKitError(
                    code: .missingField, message: "a collection in \(directory)/collections.json has no collection_id")
            }
            collectionIndex[id] = collections.count
            collections.append(Entry(value))
        }
        for (number, value) in try Self.records(at: directory + "/documents.jsonl").enumerated() {
            guard let object = value.objectValue, let id = object["document_id"]?.stringValue,
                let collection = object["collection_id"]?.stringValue
            else {
                throw LineageKitError(
                    code: .missingField, message: "record \(number + 1) has no document_id or collection_id",
                    location: SourceLocation(file: directory + "/documents.jsonl", line: number + 1))
            }
            if collectionIndex[collection] == nil {
                collectionIndex[collection] = collections.count
                // A collection the snapshot has no configuration for: its id and name, which readers
                // take for a collection without a configuration.
                let minimal: JSONValue = ["collection_id": .string(collection), "collection_name": .string(collection)]
                collections.append(Entry(minimal))
            }
            let position = documents[collection, default: []].count
            documentIndex[collection, default: [:]][id] = position
            documents[collection, default: []].append(Entry(value))
            order.append((collection, position))
        }
        for value in try Self.records(at: directory + "/objects.jsonl") {
            guard let object = value.objectValue, let id = object["object_id"]?.stringValue,
                let bucket = object["bucket_id"]?.stringValue
            else { continue }
            objectIndex[bucket, default: [:]][id] = objects[bucket, default: []].count
            objects[bucket, default: []].append(Entry(value))
        }
        for file in try Self.records(at: directory + "/batches.json") where file[ProcessingBatch.fileKey] != nil {
            for batch in file["batches"]?.arrayValue ?? [] {
                guard var object = batch.objectValue, let id = object["batch_id"]?.stringValue,
                    let bucket = object["bucket_id"]?.stringValue
                else {
                    throw LineageKitError(
                        code: .missingField,
                        message: "a batch in \(directory)/batches.json has no batch_id or bucket_id")
                }
                failedDocuments[id] = object["failed_documents"]?.arrayValue ?? []
                object["failed_documents"] = nil
                batches[bucket, default: []].append(Entry(.object(object)))
            }
        }
        if let manifest = try Self.records(at: directory + "/snapshot.json").first {
            namespace = manifest.objectValue?["namespace"]?.stringValue
        }
    }

    /// Removes a document; its collection's later documents move up one place.
    mutating func removeDocument(_ id: String, inCollection collection: String) {
        guard let position = documentIndex[collection]?[id] else { return }
        documents[collection]?.remove(at: position)
        documentIndex[collection]?[id] = nil
        for (other, index) in documentIndex[collection] ?? [:] where index > position {
            documentIndex[collection]?[other] = index - 1
        }
        order = order.compactMap { entry in
            guard entry.collection == collection else { return entry }
            if entry.position == position { return nil }
            return entry.position > position ? (collection, entry.position - 1) : entry
        }
    }

    /// Adds a document at the end of its collection.
    mutating func addDocument(_ value: JSONValue, id: String, inCollection collection: String) {
        let position = documents[collection, default: []].count
        documentIndex[collection, default: [:]][id] = position
        documents[collection, default: []].append(Entry(value))
        order.append((collection, position))
    }

    /// The JSON values of a file: one array, one object, or JSON Lines; none when the file is absent.
    static func records(at path: String) throws -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let bytes = [UInt8](data)
        let first = bytes.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        if first == UInt8(ascii: "[") {
            return try JSONValue(parsing: bytes, name: path).arrayValue ?? []
        }
        // One object, even pretty-printed over many lines (a manifest), else JSON Lines.
        if let whole = try? JSONValue(parsing: bytes, name: path), whole.objectValue != nil { return [whole] }
        return try JSONValue.parseLines(bytes, name: path).map(\.value)
    }

    /// Writes the documents back to `directory/documents.jsonl`, atomically.
    func writeDocuments(to directory: String) throws {
        let file = try AtomicFileWriter(path: directory + "/documents.jsonl", overwrite: true)
        for (collection, position) in order {
            guard let entry = documents[collection]?[position] else { continue }
            try file.write(entry.bytes + [0x0A])
        }
        try file.commit()
    }
}
