import LineageKit

/// Writes sample documents in the chosen shape, keeping what children need of their parents.
struct SampleDocumentWriter {
    /// What a child document needs of its parent.
    struct Parent {
        let documentID: String
        let collection: SampleCollection
        /// The parent's chain steps, the parent's own step naming the parent document.
        let chain: [JSONValue]
        let path: String
        let time: Int
    }

    let shape: SampleNamespace.ShapeChoice
    let style: SampleNamespace.Style
    var random: SampleRandom
    private var counter = 0

    init(shape: SampleNamespace.ShapeChoice, style: SampleNamespace.Style = .compact, random: SampleRandom) {
        self.shape = shape
        self.style = style
        self.random = random
    }

    /// The concrete shape of one document.
    enum Concrete: CaseIterable {
        case nestedV1, flatV2, flat2025, current, migrated
    }

    mutating func write(
        _ collection: SampleCollection, root: SampleRoot, parent: Parent?, fields: [(key: String, value: JSONValue)],
        sink: (SampleNamespace.Record) throws -> Void
    ) rethrows -> Parent {
        counter += 1
        let documentID = random.id("doc_")
        let time = (parent?.time ?? root.created) + 60 + random.int(0...30)
        let ownStep: JSONObject = [
            "collection_id": .string(collection.id), "feature_extractor_id": .string(collection.extractorID),
            "timestamp": .string(isoTimestamp(time)),
        ]
        let chain = (parent?.chain ?? []) + [.object(ownStep)]
        let fields = style == .vendor ? fields + vendorUserFields(collection, besides: fields) : fields
        let path = (parent?.path ?? root.bucketID) + "/" + collection.id
        var lineage: JSONObject = ["root_object_id": .string(root.objectID), "root_bucket_id": .string(root.bucketID)]
        if let parent {
            lineage["source_type"] = "collection"
            lineage["source_document_id"] = .string(parent.documentID)
            lineage["source_collection_id"] = .string(parent.collection.id)
        } else {
            lineage["source_type"] = "bucket"
            lineage["source_object_id"] = .string(root.objectID)
        }
        let document = build(
            documentID: documentID, collection: collection, lineage: lineage, chain: chain, path: path,
            fields: fields, time: time, root: root)
        try sink(.document(document))
        var parentStep = ownStep
        parentStep["document_id"] = .string(documentID)
        return Parent(
            documentID: documentID, collection: collection, chain: (parent?.chain ?? []) + [.object(parentStep)],
            path: path, time: time)
    }

    private mutating func concreteShape() -> Concrete {
        switch shape {
        case .shape2025_10: counter % 2 == 0 ? .nestedV1 : .flatV2
        case .shape2025_11: .flat2025
        case .current: .current
        case .mixed where style == .vendor:
            // An older namespace: most documents rewritten in the current shape, a third of those
            // still carrying the root lineage fields of their migration, the rest as written then.
            switch random.int(0...99) {
            case 0..<40: .current
            case 40..<60: .migrated
            case 60..<75: .flat2025
            case 75..<88: .nestedV1
            default: .flatV2
            }
        case .mixed: random.pick(Concrete.allCases)
        }
    }

    private mutating func build(
        documentID: String, collection: SampleCollection, lineage: JSONObject, chain: [JSONValue], path: String,
        fields: [(key: String, value: JSONValue)], time: Int, root: SampleRoot
    ) -> JSONValue {
        let sourceBlobs: JSONValue = [
            [
                "blob_id": .string("blob_\(root.objectID.dropFirst(4))"),
                "blob_property": .string(collection == .chunks ? "content" : "video"),
                "blob_type": .string(collection == .chunks ? "text" : "video"),
            ]
        ]
        var documentBlobs: [JSONValue] = []
        if collection == .frames || collection == .faces {
            documentBlobs.append([
                "field": "thumbnail", "role": "thumbnail", "type": "image",
                "url": .string("s3://mixpeek-sample/\(collection.id)/\(documentID).jpg"),
            ])
        }
        var document: JSONObject = ["document_id": .string(documentID), "collection_id": .string(collection.id)]
        let concrete = concreteShape()
        switch concrete {
        case .nestedV1:
            var nested = lineage
            nested["lineage_chain"] = .array(chain)
            document["document_schema_version"] = "v1"
            document["lineage"] = .object(nested)
        case .flatV2:
            document["document_schema_version"] = "v2"
            for (key, value) in lineage { document[key] = value }
            document["lineage_path"] = .string(path)
            var nested = lineage
            nested["lineage_chain"] = .array(chain)
            document["lineage"] = .object(nested)
        case .flat2025:
            for (key, value) in lineage { document[key] = value }
            document["lineage_chain"] = .array(chain)
            document["lineage_path"] = .string(path)
        case .current, .migrated:
            var internalLineage = lineage
            internalLineage["path"] = .string(path)
            internalLineage["chain"] = .array(chain)
            let timestamp = JSONValue.string(isoTimestamp(time))
            let internalPayload: JSONObject = [
                "internal_id": "org_sample", "namespace_id": .string(SampleNamespace.namespaceID),
                "document_id": .string(documentID), "collection_id": .string(collection.id),
                "created_at": timestamp, "updated_at": timestamp, "lineage": .object(internalLineage),
                "metadata": [
                    "ingestion_status": "COMPLETED",
                    "feature_extractor_config_hash": .string(String(collection.extractorID.hashValueStable, radix: 16)),
                ],
                "modality": .string(collection.modality), "source_blobs": sourceBlobs,
                "document_blobs": .array(documentBlobs),
            ]
            document["_internal"] = .object(internalPayload)
            if concrete == .migrated {
                for (key, value) in lineage { document[key] = value }
                document["lineage_path"] = .string(path)
            }
            for (key, value) in fields { document[key] = value }
        }
        if concrete != .current && concrete != .migrated {
            // The 2025 shapes keep system fields at the root and user fields under `metadata`.
            document["internal_metadata"] = ["ingestion_status": "COMPLETED"]
            document["metadata"] = .object(JSONObject(fields))
            document["source_blobs"] = sourceBlobs
            document["document_blobs"] = .array(documentBlobs)
        }
        guard style == .vendor else { return .object(document) }
        addVendorDetail(to: &document, concrete: concrete, collection: collection, documentID: documentID, time: time)
        return JSONValue.object(document).sortingKeys()
    }
}
