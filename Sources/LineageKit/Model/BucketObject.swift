/// A raw object in a bucket: the root of a decomposition tree.
///
/// An object read from a file keeps its facts (id, bucket, metadata, status) and where its record
/// is, not the whole record: ``json`` reads it again, as a document's user fields are.
public struct BucketObject: Sendable {
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
    /// The record: held for objects made in memory, in its input for objects read.
    private var record: Record

    private enum Record: Sendable {
        case held(JSONValue)
        case input(RawJSON)
    }

    /// Creates an object.
    public init(
        id: String, bucketID: String, metadata: JSONObject = JSONObject(), status: String? = nil,
        location: SourceLocation? = nil, json: JSONValue
    ) {
        self.init(
            id: id, bucketID: bucketID, metadata: metadata, status: status, location: location, record: .held(json))
    }

    /// An object read from input, its record left there.
    init(id: String, bucketID: String, metadata: JSONObject, status: String?, location: SourceLocation, raw: RawJSON) {
        self.init(
            id: id, bucketID: bucketID, metadata: metadata, status: status, location: location, record: .input(raw))
    }

    private init(
        id: String, bucketID: String, metadata: JSONObject, status: String?, location: SourceLocation?, record: Record
    ) {
        self.id = id
        self.bucketID = bucketID
        self.metadata = metadata
        self.status = status
        self.location = location
        self.record = record
    }

    /// The whole record as read. An object read from a file reads it from the file again; when
    /// that file has changed or gone since, this is `null`: use ``readJSON()`` to get the error.
    public var json: JSONValue {
        get { (try? readJSON()) ?? .null }
        set { record = .held(newValue) }
    }

    /// The whole record as read, read from its file again for objects read from files.
    ///
    /// - Throws: ``LineageKitError`` when the record's file has changed or cannot be read.
    public func readJSON() throws -> JSONValue {
        switch record {
        case .held(let value): value
        case .input(let raw): try raw.value()
        }
    }
}

extension BucketObject: Hashable {
    /// Objects are equal when their facts and records are (a record read from a file is read again).
    public static func == (lhs: BucketObject, rhs: BucketObject) -> Bool {
        lhs.id == rhs.id && lhs.bucketID == rhs.bucketID && lhs.metadata == rhs.metadata && lhs.status == rhs.status
            && lhs.location == rhs.location && lhs.json == rhs.json
    }

    /// Hashes the id and bucket.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(bucketID)
    }
}
