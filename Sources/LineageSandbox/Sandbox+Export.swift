internal import FlyingFox
import Foundation
import LineageKit

/// `POST /v1/collections/{id}/export` and the download it points at, as the API and object
/// storage serve them: the export answers with a presigned URL, which takes no API key.
extension Sandbox {
    /// The path prefix of export downloads.
    static let exportPrefix = "_exports"

    /// The signature a download URL of `collection` carries, fixed by the seed.
    func exportSignature(_ collection: String) -> String {
        String(("export " + collection).hashValueStable ^ options.seed, radix: 16)
    }

    /// Exports a collection's documents as JSON Lines (the only format the sandbox writes).
    func export(collection: String, body: [UInt8], host: String?) -> HTTPResponse {
        guard store.collectionIndex[collection] != nil else { return notFound("collection", collection) }
        let request = (try? JSONValue(parsing: body.isEmpty ? Array("{}".utf8) : body, name: "body"))?.objectValue
        guard let request else { return fastAPIError(["body"], "Input should be a valid dictionary") }
        // The API's default format is Parquet.
        let format = request["format"]?.stringValue ?? "parquet"
        guard format == "json" else {
            return error(
                422, "ValidationError",
                "lineage serve exports JSON Lines only (format \"json\"); \(format) exports come from the real API")
        }
        let entries = store.documents[collection] ?? []
        let base = "http://" + (host ?? "\(options.host):\(options.port)")
        let path = "/\(Self.exportPrefix)/\(collection)/documents.jsonl"
        return json(
            200,
            [
                "download_url": .string(base + path + "?X-Amz-Signature=" + exportSignature(collection)),
                "s3_path": .string("s3://lineage-sandbox/\(collection)/documents.jsonl"), "format": "json",
                "document_count": .number(JSONNumber(entries.count)),
                // The size of the file the download serves: each document and its newline.
                "file_size_bytes": .number(JSONNumber(entries.reduce(0) { $0 + $1.bytes.count + 1 })),
                "exported_at": .string(ISO8601DateFormatter().string(from: Date())),
                "vectors_download_url": .null, "vectors_s3_path": .null,
            ])
    }

    /// The download of an export: refused without the right signature, or with an
    /// `Authorization` header besides it (object storage allows one way to sign a request).
    func exportDownload(_ segments: [String], signature: String?, authorization: String?) -> HTTPResponse {
        guard segments.count == 3, segments[2] == "documents.jsonl", store.collectionIndex[segments[1]] != nil,
            signature == exportSignature(segments[1])
        else { return error(403, "AccessDenied", "Request has expired or the signature does not match") }
        guard authorization == nil else {
            return error(
                400, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Signature query is supported")
        }
        var response = raw(200, exportFile(segments[1]))
        response.headers[HTTPHeader("Content-Type")] = "application/x-ndjson"
        return response
    }

    /// A collection's documents as JSON Lines, as the export writes them.
    private func exportFile(_ collection: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for entry in store.documents[collection] ?? [] {
            bytes += entry.bytes
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
