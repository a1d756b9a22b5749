import LineageKit

/// A realistic synthetic Mixpeek namespace: videos decomposed into frames, scenes, captions and
/// faces, articles into chunks, with passthrough fields, in any document shape.
///
/// The same options give the same namespace, byte for byte. Tests and benchmarks use it; so can
/// anyone who wants to see LineageKit work without an API key.
public struct SampleNamespace: Sendable {
    /// Which document shape to write.
    public enum ShapeChoice: String, Sendable, CaseIterable {
        /// 2025-10: `document_schema_version` v1 (nested `lineage`) and v2 (flat fields plus nested), alternating.
        case shape2025_10 = "2025-10"
        /// 2025-11: flat root lineage fields with `lineage_chain` and `lineage_path`.
        case shape2025_11 = "2025-11"
        /// The current `_internal` shape.
        case current
        /// Every shape, chosen per document, including migrated documents that carry `_internal`
        /// and stale root lineage fields.
        case mixed
    }

    /// How much each document carries besides its lineage.
    public enum Style: String, Sendable, CaseIterable {
        /// Lineage, a few user fields and blob references, keys in a fixed order.
        case compact
        /// As rich as the vendor's example payloads: keys sorted, a full `_internal` block
        /// (namespace, blobs, timestamps, processing, feature references), enrichments at the root
        /// (description, cluster, taxonomy), longer user metadata with text that needs escaping,
        /// stale root lineage after migration, and the shapes mixed as an older namespace has them.
        case vendor
    }

    /// What to generate.
    public struct Options: Sendable {
        /// Video objects, each decomposed into frames, scenes, captions and faces.
        public var videos: Int
        /// Article objects, each decomposed into chunks.
        public var articles: Int
        /// The seed; the same seed gives the same namespace.
        public var seed: UInt64
        /// The document shape.
        public var shape: ShapeChoice
        /// How many instances of each audit rule's defect to inject (see ``SampleDefect``).
        public var defects: Int
        /// How much each document carries besides its lineage.
        public var style: Style

        /// Creates options.
        public init(
            videos: Int = 3, articles: Int = 2, seed: UInt64 = 1, shape: ShapeChoice = .current, defects: Int = 0,
            style: Style = .compact
        ) {
            self.videos = videos
            self.articles = articles
            self.seed = seed
            self.shape = shape
            self.defects = defects
            self.style = style
        }
    }

    /// One generated record.
    public enum Record: Sendable {
        /// A bucket object.
        case object(JSONValue)
        /// A collection configuration.
        case collection(JSONValue)
        /// A document.
        case document(JSONValue)
        /// A finding the audit must report because of an injected defect:
        /// `{"rule": R, "document_id": D, "collection_id": C}`; a finding about a batch has no
        /// document and a `subject`: the batch id and `tier N` or the failed object.
        case expectedFinding(JSONValue)
        /// A processing batch (with defects only), as `batches.json` holds it.
        case batch(JSONValue)
    }

    /// The options in force.
    public let options: Options

    /// Creates a generator.
    public init(options: Options) {
        self.options = options
    }

    static let namespaceID = "ns_sample"
    static let videoBucket = "bkt_videos"
    static let articleBucket = "bkt_articles"
    static let baseTime = 1_761_904_800  // 2025-10-31T10:00:00Z

    /// With defects, the manifest the sample writes as `snapshot.json`: the video bucket's objects
    /// were all looked up (`Snapshot.checkedBuckets`), so the deleted root is known deleted.
    /// No namespace or base URL: the sample was not fetched from anywhere.
    public var manifest: JSONValue? {
        guard options.defects > 0 else { return nil }
        return [
            .init(Snapshot.manifestKey): 1, .init(Snapshot.checkedBucketsKey): [.string(Self.videoBucket)],
            "sample": true,
        ]
    }

    /// The collection configurations of the sample pipeline.
    public var collectionConfigs: [JSONValue] {
        SampleCollection.all.map { collection in
            // With defects, the collection of each collection-wide defect is archived.
            guard options.defects > 0,
                SampleDefect.allCases.contains(where: { $0.isCollectionWide && $0.collection.id == collection.id }),
                var config = collection.config.objectValue
            else { return collection.config }
            config["lifecycle_state"] = "archived"
            return .object(config)
        }
    }

    /// Generates every record in order: collections, then per root object the object and its
    /// documents, then (with defects) the findings the audit must report.
    ///
    /// - Throws: `LineageKitError` (`invalidArgument`) when there are too few documents to inject
    ///   the defects asked for; errors `sink` throws.
    public func generate(_ sink: (Record) throws -> Void) throws {
        var random = SampleRandom(seed: options.seed)
        for config in collectionConfigs {
            try sink(.collection(config))
        }
        var writer = SampleDocumentWriter(
            shape: options.shape, style: options.style, random: SampleRandom(seed: options.seed ^ 0xD0C5))
        guard options.defects > 0 else {
            for index in 0..<options.videos {
                try generateVideo(index, random: &random, writer: &writer, sink: sink)
            }
            for index in 0..<options.articles {
                try generateArticle(index, random: &random, writer: &writer, sink: sink)
            }
            return
        }
        var planner = SampleDefectPlanner(
            perRule: options.defects, videos: options.videos, articles: options.articles,
            random: SampleRandom(seed: options.seed ^ 0xDEFEC7))
        for index in 0..<options.videos {
            var tree: [Record] = []
            generateVideo(index, random: &random, writer: &writer) { tree.append($0) }
            let objectID = Self.objectID(of: tree)
            if index == 0 {
                planner.deleteRoot(of: &tree)
            } else {
                planner.inject(into: &tree, treeKind: .video)
            }
            planner.expectCollectionWide(in: tree)
            for record in tree { try sink(record) }
            try sink(.batch(planner.batch(for: tree, objectID: objectID, treeKind: .video)))
        }
        for index in 0..<options.articles {
            var tree: [Record] = []
            generateArticle(index, random: &random, writer: &writer) { tree.append($0) }
            let objectID = Self.objectID(of: tree)
            planner.inject(into: &tree, treeKind: .article)
            planner.expectCollectionWide(in: tree)
            for record in tree { try sink(record) }
            try sink(.batch(planner.batch(for: tree, objectID: objectID, treeKind: .article)))
        }
        for finding in try planner.expectedFindings() {
            try sink(.expectedFinding(finding))
        }
    }

    /// The id of the tree's root object.
    private static func objectID(of tree: [Record]) -> String {
        for record in tree {
            if case .object(let value) = record, let id = value["object_id"]?.stringValue { return id }
        }
        return ""
    }

    private func generateVideo(
        _ index: Int, random: inout SampleRandom, writer: inout SampleDocumentWriter, sink: (Record) throws -> Void
    ) rethrows {
        let objectID = random.id("obj_")
        let duration = random.int(20...90)
        let campaign = random.pick(["Q3_2025", "Q4_2025", "Q1_2026", "launch", "evergreen"])
        let title = random.pick(["Product tour", "Customer story", "Keynote", "How-to", "Teaser"]) + " \(index + 1)"
        let created = Self.baseTime + index * 600
        let metadata: JSONValue = [
            "campaign_id": .string(campaign), "title": .string(title), "duration": .number(JSONNumber(duration)),
        ]
        try sink(
            .object(
                Self.object(
                    id: objectID, bucket: Self.videoBucket, metadata: metadata, created: created, blob: "video",
                    mime: "video/mp4", random: &random)))
        let root = SampleRoot(objectID: objectID, bucketID: Self.videoBucket, metadata: metadata, created: created)
        var frames: [SampleDocumentWriter.Parent] = []
        for frameIndex in 0..<duration {
            let fields: [(key: String, value: JSONValue)] = [
                ("campaign_id", .string(campaign)), ("title", .string(title)),
                ("frame_index", .number(JSONNumber(frameIndex))), ("timestamp_s", .number(JSONNumber(frameIndex))),
            ]
            frames.append(try writer.write(.frames, root: root, parent: nil, fields: fields, sink: sink))
        }
        var sceneStart = 0
        var sceneIndex = 0
        while sceneStart < frames.count {
            let length = random.int(4...8)
            let frame = frames[sceneStart]
            let fields: [(key: String, value: JSONValue)] = [
                ("campaign_id", .string(campaign)), ("scene_index", .number(JSONNumber(sceneIndex))),
                ("scene_type", .string(random.pick(["action", "dialogue", "landscape", "product"]))),
                ("start_time", .number(JSONNumber(Double(sceneStart)))),
                ("end_time", .number(JSONNumber(Double(min(sceneStart + length, frames.count))))),
            ]
            let scene = try writer.write(.scenes, root: root, parent: frame, fields: fields, sink: sink)
            let caption = random.pick([
                "A presenter speaks to the camera", "Close-up of the product", "Wide shot of a city street",
                "Two people talk at a table", "Logo animation",
            ])
            _ = try writer.write(
                .captions, root: root, parent: scene,
                fields: [
                    ("campaign_id", .string(campaign)), ("caption", .string(caption)), ("language", .string("en")),
                ], sink: sink)
            sceneStart += length
            sceneIndex += 1
        }
        for frame in frames where random.chance(0.3) {
            _ = try writer.write(
                .faces, root: root, parent: frame,
                fields: [
                    ("campaign_id", .string(campaign)), ("face_index", .number(JSONNumber(0))),
                    ("confidence", .number(JSONNumber(Double(random.int(700...999)) / 1000))),
                ], sink: sink)
        }
    }

    private func generateArticle(
        _ index: Int, random: inout SampleRandom, writer: inout SampleDocumentWriter, sink: (Record) throws -> Void
    ) rethrows {
        let objectID = random.id("obj_")
        let author = random.pick(["Dr. Smith", "A. Okafor", "M. García", "L. Chen", "R. Müller"])
        let title = random.pick(["AI in Healthcare", "Supply chains", "Climate data", "Open source"]) + " \(index + 1)"
        let created = Self.baseTime + 86_400 + index * 300
        let metadata: JSONValue = [
            "author": .string(author), "title": .string(title),
            "category": .string(random.pick(["science", "business", "technology"])),
        ]
        try sink(
            .object(
                Self.object(
                    id: objectID, bucket: Self.articleBucket, metadata: metadata, created: created, blob: "content",
                    mime: "text/plain", random: &random)))
        let root = SampleRoot(objectID: objectID, bucketID: Self.articleBucket, metadata: metadata, created: created)
        for chunkIndex in 0..<random.int(3...12) {
            let sentence = random.pick([
                "Models now read scans faster than people.", "Costs fell by a third in two years.",
                "Data quality decides the outcome.", "Regulators asked for audit trails.",
            ])
            _ = try writer.write(
                .chunks, root: root, parent: nil,
                fields: [
                    ("author", .string(author)), ("title", .string(title)),
                    ("chunk_index", .number(JSONNumber(chunkIndex))), ("text", .string(sentence)),
                ], sink: sink)
        }
    }

    private static func object(
        id: String, bucket: String, metadata: JSONValue, created: Int, blob: String, mime: String,
        random: inout SampleRandom
    ) -> JSONValue {
        let blobID = random.id("blob_")
        let filename = blob == "video" ? "\(id).mp4" : "\(id).txt"
        return [
            "object_id": .string(id), "bucket_id": .string(bucket), "key_prefix": .string("/\(id)"),
            "status": "COMPLETED", "metadata": metadata,
            "blobs": [
                [
                    "blob_id": .string(blobID), "property": .string(blob),
                    "type": .string(blob == "video" ? "video" : "text"),
                    "key_prefix": .string("/\(id)/\(filename)"),
                    "properties": ["url": .string("s3://mixpeek-sample/\(bucket)/\(filename)")],
                    "details": [
                        "filename": .string(filename),
                        "size_bytes": .number(JSONNumber(random.int(10_000...90_000_000))),
                        "mime_type": .string(mime),
                    ],
                ]
            ],
            "created_at": .string(isoTimestamp(created)), "updated_at": .string(isoTimestamp(created)),
        ]
    }
}

/// The root object a tree of sample documents comes from.
struct SampleRoot {
    let objectID: String
    let bucketID: String
    let metadata: JSONValue
    let created: Int
}
