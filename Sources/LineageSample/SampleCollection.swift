import LineageKit

/// The collections of the sample pipeline:
/// videos → frames → scenes → captions, frames → faces, articles → chunks.
enum SampleCollection: CaseIterable {
    case frames, scenes, captions, faces, chunks

    static let all: [SampleCollection] = allCases

    var id: String {
        switch self {
        case .frames: "col_frames"
        case .scenes: "col_scenes"
        case .captions: "col_captions"
        case .faces: "col_faces"
        case .chunks: "col_chunks"
        }
    }

    var extractor: (name: String, version: String) {
        switch self {
        case .frames: ("multimodal_extractor", "v1")
        case .scenes: ("scene_extractor", "v1")
        case .captions: ("caption_extractor", "v2")
        case .faces: ("face_extractor", "v1")
        case .chunks: ("text_extractor", "v1")
        }
    }

    var extractorID: String { "\(extractor.name)_\(extractor.version)" }

    /// The bucket this collection reads, for bucket-sourced collections.
    var sourceBucket: String? {
        switch self {
        case .frames: SampleNamespace.videoBucket
        case .chunks: SampleNamespace.articleBucket
        default: nil
        }
    }

    /// The collection this collection reads, for collection-sourced collections.
    var sourceCollection: SampleCollection? {
        switch self {
        case .scenes, .faces: .frames
        case .captions: .scenes
        case .frames, .chunks: nil
        }
    }

    var passthrough: [String] {
        switch self {
        case .frames: ["campaign_id", "title"]
        case .scenes, .captions, .faces: ["campaign_id"]
        case .chunks: ["author", "title"]
        }
    }

    var modality: String {
        switch self {
        case .chunks: "text"
        case .frames, .faces: "image"
        case .scenes: "video"
        case .captions: "text"
        }
    }

    var config: JSONValue {
        var source: JSONObject = [:]
        if let sourceBucket {
            source["type"] = "bucket"
            source["bucket_ids"] = [.string(sourceBucket)]
        } else if let sourceCollection {
            source["type"] = "collection"
            source["collection_id"] = .string(sourceCollection.id)
        }
        let name = String(id.dropFirst(4))
        return [
            "collection_id": .string(id), "collection_name": .string(name),
            "description": .string("Sample \(name) collection"), "enabled": true,
            "source": .object(source),
            "feature_extractor": [
                "feature_extractor_name": .string(extractor.name), "version": .string(extractor.version),
                "feature_extractor_id": .string(extractorID),
                "field_passthrough": .array(passthrough.map { ["source_path": .string($0)] }),
            ],
        ]
    }
}
