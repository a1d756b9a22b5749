/// Maps parsed bucket-object and collection-configuration records into the model.
enum RecordMapping {
    static func object(from value: JSONValue, location: SourceLocation, offset: Int, raw: RawJSON) throws(RecordError)
        -> BucketObject
    {
        let record = value.objectValue ?? JSONObject()
        let id = try requiredString(record, "object_id", offset: offset, recordID: nil)
        try refuseDuplicateKeys(record, "the record", offset: offset, recordID: id)
        if let metadata = record["metadata"]?.objectValue {
            try refuseDuplicateKeys(metadata, "metadata", offset: offset, recordID: id)
        }
        let bucketID = try requiredString(record, "bucket_id", offset: offset, recordID: id)
        let metadata: JSONObject
        switch record["metadata"] {
        case nil, .null?: metadata = JSONObject()
        case .object(let object)?: metadata = object
        case let other?:
            throw RecordError(
                code: .wrongFieldType, offset: offset,
                message: "`metadata` must be an object or null, found \(other.typeName)", recordID: id)
        }
        let status = try optionalString(record, "status", offset: offset, recordID: id)
        return BucketObject(
            id: id, bucketID: bucketID, metadata: metadata, status: status, location: location, raw: raw)
    }

    static func collection(from value: JSONValue, location: SourceLocation, offset: Int) throws(RecordError)
        -> CollectionConfig
    {
        let record = value.objectValue ?? JSONObject()
        let id = try requiredString(record, "collection_id", offset: offset, recordID: nil)
        try refuseDuplicateKeys(record, "the record", offset: offset, recordID: id)
        let name = try optionalString(record, "collection_name", offset: offset, recordID: id)
        var sourceType: SourceKind?
        var buckets: [String] = []
        var collections: [String] = []
        if let source = record["source"], !source.isNull {
            guard let sourceObject = source.objectValue else {
                throw RecordError(
                    code: .wrongFieldType, offset: offset,
                    message: "`source` must be an object, found \(source.typeName)",
                    recordID: id)
            }
            sourceType = try optionalString(sourceObject, "type", offset: offset, recordID: id, path: "source.type")
                .map(SourceKind.init)
            buckets = try stringList(
                sourceObject, single: "bucket_id", list: "bucket_ids", offset: offset, recordID: id)
            collections = try stringList(
                sourceObject, single: "collection_id", list: "collection_ids", offset: offset, recordID: id)
        }
        var extractorID: String?
        var passthrough: [CollectionConfig.PassthroughField] = []
        if let extractor = record["feature_extractor"]?.objectValue {
            let path = "feature_extractor"
            extractorID = try optionalString(
                extractor, "feature_extractor_id", offset: offset, recordID: id, path: path + ".feature_extractor_id")
            if extractorID == nil,
                let extractorName = try optionalString(
                    extractor, "feature_extractor_name", offset: offset, recordID: id,
                    path: path + ".feature_extractor_name"),
                let version = try optionalString(
                    extractor, "version", offset: offset, recordID: id, path: path + ".version")
            {
                extractorID = "\(extractorName)_\(version)"
            }
            for (index, entry) in (extractor["field_passthrough"]?.arrayValue ?? []).enumerated() {
                let entryPath = "\(path).field_passthrough[\(index)]"
                guard let entryObject = entry.objectValue else {
                    throw RecordError(
                        code: .wrongFieldType, offset: offset,
                        message: "`\(entryPath)` must be an object, found \(entry.typeName)", recordID: id)
                }
                let sourcePath = try requiredString(
                    entryObject, "source_path", offset: offset, recordID: id, path: entryPath + ".source_path")
                let targetPath = try optionalString(
                    entryObject, "target_path", offset: offset, recordID: id, path: entryPath + ".target_path")
                passthrough.append(.init(sourcePath: sourcePath, targetPath: targetPath))
            }
        }
        return CollectionConfig(
            id: id, name: name, sourceType: sourceType, sourceBucketIDs: buckets, sourceCollectionIDs: collections,
            featureExtractorID: extractorID, passthroughFields: passthrough, location: location, json: value)
    }

    // MARK: - Field helpers

    private static func requiredString(
        _ object: JSONObject, _ key: String, offset: Int, recordID: String?, path: String? = nil
    ) throws(RecordError) -> String {
        guard let value = try optionalString(object, key, offset: offset, recordID: recordID, path: path) else {
            throw RecordError(
                code: .missingField, offset: offset, message: "`\(path ?? key)` is missing or null", recordID: recordID)
        }
        return value
    }

    private static func optionalString(
        _ object: JSONObject, _ key: String, offset: Int, recordID: String?, path: String? = nil
    ) throws(RecordError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?:
            throw RecordError(
                code: .wrongFieldType, offset: offset,
                message: "`\(path ?? key)` must be a string or null, found \(other.typeName)", recordID: recordID)
        }
    }

    private static func stringList(
        _ object: JSONObject, single: String, list: String, offset: Int, recordID: String?
    ) throws(RecordError) -> [String] {
        var result: [String] = []
        if let value = try optionalString(object, single, offset: offset, recordID: recordID, path: "source.\(single)")
        {
            result.append(value)
        }
        switch object[list] {
        case nil, .null?: break
        case .array(let elements)?:
            for element in elements {
                guard let value = element.stringValue else {
                    throw RecordError(
                        code: .wrongFieldType, offset: offset,
                        message: "`source.\(list)` must hold strings, found \(element.typeName)", recordID: recordID)
                }
                result.append(value)
            }
        case let other?:
            throw RecordError(
                code: .wrongFieldType, offset: offset,
                message: "`source.\(list)` must be an array, found \(other.typeName)", recordID: recordID)
        }
        return result
    }

    /// Refuses an object with a key twice, as the document reader does (docs/cli.md).
    private static func refuseDuplicateKeys(_ object: JSONObject, _ path: String, offset: Int, recordID: String)
        throws(RecordError)
    {
        guard let key = object.duplicateKey else { return }
        throw RecordError(
            code: .duplicateKey, offset: offset,
            message: "the key \"\(key)\" appears twice in \(path); LineageKit does not guess which value is meant: "
                + "remove one",
            recordID: recordID)
    }
}
