/// A collection's configuration: where its documents come from and what they copy.
public struct CollectionConfig: Sendable, Hashable {
    /// A field a collection copies from its source (`field_passthrough`).
    public struct PassthroughField: Sendable, Hashable {
        /// The field's path in the source.
        public var sourcePath: String
        /// The field's path in the document, when it is renamed.
        public var targetPath: String?

        /// The field's name in this collection's documents: the target path, else the source path.
        public var documentField: String { targetPath ?? sourcePath }

        /// Creates a passthrough entry.
        public init(sourcePath: String, targetPath: String? = nil) {
            self.sourcePath = sourcePath
            self.targetPath = targetPath
        }
    }

    /// The collection id (`col_…`).
    public var id: String
    /// The collection's name, when given.
    public var name: String?
    /// `source.type`: bucket or collection (taxonomy and cluster are kept as other).
    public var sourceType: SourceKind?
    /// The buckets a bucket-sourced collection reads (`bucket_ids`, or the older `bucket_id`).
    public var sourceBucketIDs: [String]
    /// The collections a collection-sourced collection reads (`collection_id` or `collection_ids`).
    public var sourceCollectionIDs: [String]
    /// The feature extractor id (`feature_extractor_id`, else name and version joined by `_`).
    public var featureExtractorID: String?
    /// The fields copied from the source.
    public var passthroughFields: [PassthroughField]
    /// Where the configuration was read from, when it came from input.
    public var location: SourceLocation?
    /// The whole record as read.
    public var json: JSONValue

    /// Creates a configuration.
    public init(
        id: String, name: String? = nil, sourceType: SourceKind?, sourceBucketIDs: [String] = [],
        sourceCollectionIDs: [String] = [], featureExtractorID: String? = nil,
        passthroughFields: [PassthroughField] = [], location: SourceLocation? = nil, json: JSONValue
    ) {
        self.id = id
        self.name = name
        self.sourceType = sourceType
        self.sourceBucketIDs = sourceBucketIDs
        self.sourceCollectionIDs = sourceCollectionIDs
        self.featureExtractorID = featureExtractorID
        self.passthroughFields = passthroughFields
        self.location = location
        self.json = json
    }
}
