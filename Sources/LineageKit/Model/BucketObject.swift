/// A raw object in a bucket: the root of a decomposition tree.
public struct BucketObject: Sendable, Hashable {
    /// The object id (`obj_…`).
    public var id: String
    /// The bucket holding it (`bkt_…`).
    public var bucketID: String
    /// The object's metadata: what passthrough fields copy into documents.
    public var metadata: JSONObject
    /// The object's processing status (`DRAFT`, `COMPLETED`, …), when present.
    public var status: String?
    /// Where the object was read from, when it came from input.
    public var location: SourceLocation?
    /// The whole record as read.
    public var json: JSONValue

    /// Creates an object.
    public init(
        id: String, bucketID: String, metadata: JSONObject = JSONObject(), status: String? = nil,
        location: SourceLocation? = nil, json: JSONValue
    ) {
        self.id = id
        self.bucketID = bucketID
        self.metadata = metadata
        self.status = status
        self.location = location
        self.json = json
    }
}
