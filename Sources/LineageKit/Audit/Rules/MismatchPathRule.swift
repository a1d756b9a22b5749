/// `mismatch.path`: the materialised path differs from the root bucket followed by the chain's
/// collections.
package struct MismatchPathRule: AuditRule {
    /// The stable rule id.
    package let id = "mismatch.path"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary = "the materialised path differs from root bucket + the chain's collections"

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        for statement in document.document.storedStatements {
            guard let path = statement.path, let bucket = statement.rootBucketID ?? document.lineage.rootBucketID,
                let chain = statement.storedChain ?? document.lineage.storedChain, !chain.isEmpty
            else { continue }
            guard chain.indices.allSatisfy({ chain[$0].collectionID != nil }), !Self.path(path, is: bucket, chain)
            else {
                continue
            }
            let expected = ([bucket] + chain.compactMap(\.collectionID)).joined(separator: "/")
            let chainPlace =
                (statement.storedChain != nil
                    ? statement.place : document.document.storedStatements.first { $0.storedChain != nil }?.place)
            findings.append(
                finding(
                    document, "path \(path) should be \(expected) (root bucket, then the chain's collections)",
                    evidence: [
                        "path": Evidence.stated(statement.place.fieldPath("path"), path),
                        "expected": .string(expected),
                        "root_bucket_id": Evidence.stated(LineageFact.rootBucketID.path(in: document.document), bucket),
                        "chain": .string((chainPlace ?? .internal).fieldPath("chain")),
                    ]))
            return
        }
    }

    /// Whether `path` is `bucket/collection/…`, compared byte by byte without building the
    /// expected string (this runs for every document).
    static func path(_ path: String, is bucket: String, _ chain: some Collection<LineageStep>) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            var offset = 0
            func consume(_ part: String) -> Bool {
                var part = part
                return part.withUTF8 { segment in
                    guard offset + segment.count <= bytes.count,
                        FastHash.equal(
                            UnsafeRawBufferPointer(
                                rebasing: UnsafeRawBufferPointer(bytes)[offset..<(offset + segment.count)]),
                            UnsafeRawBufferPointer(segment))
                    else { return false }
                    offset += segment.count
                    return true
                }
            }
            guard consume(bucket) else { return false }
            for index in chain.indices {
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "/"),
                    let collection = chain[index].collectionID
                else { return false }
                offset += 1
                guard consume(collection) else { return false }
            }
            return offset == bytes.count
        }
    }
}

extension MismatchPathRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables: any place whose path is not the root
    /// bucket followed by the chain's collections (the place's own, else the resolved ones).
    package func sql(_ dialect: SQLDialect) -> String {
        let chain = "coalesce(s.chain, d.chain)"
        let bucket = "coalesce(s.root_bucket_id, d.root_bucket_id)"
        let expected = "\(bucket) || '/' || \(dialect.join(dialect.transform(chain, "x", "x.collection_id"), "/"))"
        return """
            SELECT document_id, collection_id, 'path ' || min(path) || ' should be ' || min(expected)
                || ' (root bucket, then the collections of the chain)' AS message,
              \(dialect.object([("path", "min(path)"), ("expected", "min(expected)")])) AS evidence
            FROM (
              SELECT s.document_id, s.collection_id, s.path, \(expected) AS expected
              FROM lk_stmt s JOIN lk_doc d ON d.document_id = s.document_id
              WHERE s.path IS NOT NULL AND \(bucket) IS NOT NULL AND \(dialect.size(chain)) > 0
                AND \(dialect.size(dialect.filter(chain, "x", "x.collection_id IS NULL"))) = 0
            ) paths
            WHERE path <> expected
            GROUP BY document_id, collection_id
            """
    }
}
