import LineageKit

/// The detail the vendor's example payloads carry besides lineage (`lineage sample --style vendor`).
///
/// None of it is read by the lineage rules, which is the point: a reader has to get past it at full
/// speed. Values are drawn from the writer's seeded generator, so the output stays reproducible.
extension SampleDocumentWriter {
    private static let tags = [
        "outdoor", "indoor", "people", "product", "logo", "text-overlay", "night", "crowd", "close-up", "b-roll",
    ]
    private static let languages = ["en", "en-GB", "de", "fr", "es", "ja", "pt-BR"]
    private static let descriptions = [
        "Video document with thumbnail artifact (return_url=true)",
        "Multi-tier document (collection→collection) with enrichments",
        "Segment flagged for review: \"brand safety\" score below threshold",
        "Transcript excerpt — speaker 2, café scene; line breaks kept:\nfirst\nsecond",
        "Frame exported from the 4K master; colour-graded (Rec.709)",
        "日本語の字幕付きシーン",
    ]

    /// User fields beyond the passthrough ones (tags, a score, a language, sometimes a free-text
    /// note), leaving out names the collection's own fields already use.
    mutating func vendorUserFields(
        _ collection: SampleCollection, besides fields: [(key: String, value: JSONValue)]
    ) -> [(key: String, value: JSONValue)] {
        var tags: [JSONValue] = []
        for _ in 0..<random.int(1...3) { tags.append(.string(random.pick(Self.tags))) }
        var extra: [(key: String, value: JSONValue)] = [
            ("tags", .array(tags)), ("language", .string(random.pick(Self.languages))),
            ("quality_score", .number(JSONNumber(Double(random.int(1000...99_999)) / 100_000))),
        ]
        if random.chance(0.25) { extra.append(("note", .string(random.pick(Self.descriptions)))) }
        return extra.filter { candidate in !fields.contains { $0.key == candidate.key } }
    }

    /// Adds root enrichments, a richer `_internal` and, for migrated documents, nothing more: their
    /// stale root lineage is already written by the shape.
    mutating func addVendorDetail(
        to document: inout JSONObject, concrete: Concrete, collection: SampleCollection, documentID: String,
        time: Int
    ) {
        if random.chance(0.5) { document["description"] = .string(random.pick(Self.descriptions)) }
        if random.chance(0.5) {
            document["cluster_id"] = .string("cl_" + random.pick(["marketing", "scenes_action", "faces", "docs"]))
            document["cluster_distance"] = .number(JSONNumber(Double(random.int(1...999_999)) / 1_000_000))
        }
        if random.chance(0.4) {
            document["taxonomy_products_label"] = .string(random.pick(["Electronics", "Apparel", "Food & Drink"]))
            document["taxonomy_products_score"] = .number(JSONNumber(Double(random.int(100...999)) / 1000))
        }
        if concrete != .current && concrete != .migrated {
            document["presigned_urls"] = []
            return
        }
        guard case .object(var internalPayload)? = document["_internal"] else { return }
        internalPayload["mime_type"] = .string(collection.modality == "text" ? "text/plain" : "image/jpeg")
        internalPayload["processing"] = [
            "attempts": .number(JSONNumber(random.chance(0.9) ? 1 : 2)),
            "duration_ms": .number(JSONNumber(random.int(40...9_000))),
            "queued_at": .string(isoTimestamp(time - random.int(1...120))),
        ]
        internalPayload["feature_refs"] = [
            [
                "dimensions": .number(JSONNumber(collection.modality == "text" ? 1024 : 1408)),
                "feature_uri": .string(
                    "mixpeek://\(collection.extractor.name)@\(collection.extractor.version)/embedding"),
            ]
        ]
        document["_internal"] = .object(internalPayload)
    }
}

extension JSONValue {
    /// The same value with every object's keys in code-point order, as the vendor's payloads are written.
    func sortingKeys() -> JSONValue {
        switch self {
        case .object(let object):
            return .object(
                JSONObject(
                    object.members.map { (key: $0.key, value: $0.value.sortingKeys()) }
                        .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }))
        case .array(let values): return .array(values.map { $0.sortingKeys() })
        default: return self
        }
    }
}
