/// `batch.unreconciled` (warning): with batches fetched (`lineage fetch --batches`), a tier task's
/// `documents_written` disagrees with the documents of the snapshot the batch made in that tier's
/// collections, or a document the batch failed to make (`failed-documents`) has no later document
/// for the same source.
///
/// A document belongs to the batch whose id it states (`_internal.batch_id`,
/// `_internal.processing.batch_id`, `_internal.metadata.batch_id` or `internal_metadata.batch_id`),
/// else to the one batch whose `object_ids` hold its root object (none when several do). A tier
/// task is judged only when the snapshot holds documents of one of its collections and the task has
/// reported `documents_written`. Silent without batches.
package struct BatchUnreconciledRule: AuditRule {
    /// The stable rule id.
    package let id = "batch.unreconciled"
    /// The severity of this rule's findings.
    package let severity = Severity.warning
    /// When the rule fires, in one line.
    package let summary = "a batch's documents_written or failed documents disagree with the snapshot's documents"

    /// Where a document may state the batch that made it, most specific first.
    static let batchPaths = [
        ["_internal", "batch_id"], ["_internal", "processing", "batch_id"], ["_internal", "metadata", "batch_id"],
        ["internal_metadata", "batch_id"],
    ]

    /// Creates the rule.
    package init() {}

    /// Checks the namespace against its batches.
    package func checkNamespace(in context: AuditContext, into findings: inout [Finding]) {
        let graph = context.graph
        let batches = graph.batches
        guard !batches.isEmpty else { return }
        var batchByID: [String: Int] = [:]
        var batchesOfObject: [String: [Int]] = [:]
        for (index, batch) in batches.enumerated() {
            if batchByID[batch.batchID] == nil { batchByID[batch.batchID] = index }
            for object in Set(batch.objectIDs) { batchesOfObject[object, default: []].append(index) }
        }
        let failedSources = Set(batches.flatMap { $0.failures.map(\.sourceID) })
        var written: [[String: Int]] = Array(repeating: [:], count: batches.count)
        // Documents made from a source that failed somewhere: (collection, created_at) per source.
        var madeFrom: [String: [(collection: String, created: String?)]] = [:]
        for position in graph.documents.indices where graph.documentNodeIndex[position] >= 0 {
            let document = graph.documents[position]
            let lineage = document.lineage
            let batch =
                Self.statedBatchID(of: document).flatMap { batchByID[$0] }
                ?? lineage.rootObjectID.flatMap { batchesOfObject[$0] }.flatMap { $0.count == 1 ? $0[0] : nil }
            if let batch { written[batch][document.collectionID, default: 0] += 1 }
            for source in [lineage.rootObjectID, lineage.sourceDocumentID].compactMap({ $0 })
            where failedSources.contains(source) {
                madeFrom[source, default: []].append(
                    (document.collectionID, DuplicateDocumentRule.createdAt(of: document)))
            }
        }
        for (index, batch) in batches.enumerated() {
            for task in batch.tierTasks {
                guard let stated = task.documentsWritten,
                    task.collectionIDs.contains(where: context.collectionsWithDocuments.contains)
                else { continue }
                let found = task.collectionIDs.reduce(0) { $0 + written[index][$1, default: 0] }
                guard found != stated else { continue }
                let collections = task.collectionIDs.joined(separator: ", ")
                findings.append(
                    Finding(
                        rule: id, severity: severity, documentID: nil,
                        collectionID: task.collectionIDs.count == 1 ? task.collectionIDs[0] : nil,
                        message: "batch \(batch.batchID) tier \(task.tier) says it wrote \(stated) document(s) in "
                            + "\(collections); the snapshot holds \(found) of it",
                        evidence: [
                            "batch_id": .string(batch.batchID), "tier": .number(JSONNumber(task.tier)),
                            "collections": .array(task.collectionIDs.map(JSONValue.string)),
                            "documents_written": .number(JSONNumber(stated)),
                            "documents_in_snapshot": .number(JSONNumber(found)),
                        ]))
            }
            for failure in batch.failures {
                let later = (madeFrom[failure.sourceID] ?? []).contains { made in
                    (failure.collectionID == nil || made.collection == failure.collectionID)
                        && Self.isLater(made.created, than: failure.timestamp)
                }
                guard !later else { continue }
                var evidence: JSONObject = [
                    "batch_id": .string(batch.batchID), "object_id": .string(failure.sourceID),
                ]
                if let tier = failure.tier { evidence["tier"] = .number(JSONNumber(tier)) }
                if let error = failure.error { evidence["error"] = .string(error) }
                if let timestamp = failure.timestamp { evidence["failed_at"] = .string(timestamp) }
                let place = failure.collectionID.map { " in \($0)" } ?? ""
                findings.append(
                    Finding(
                        rule: id, severity: severity, documentID: nil, collectionID: failure.collectionID,
                        message: "batch \(batch.batchID) failed \(failure.sourceID)\(place)"
                            + (failure.error.map { " (\($0))" } ?? "") + " and no later document was made from it",
                        evidence: evidence))
            }
        }
    }

    /// Whether a document created at `created` came after a failure at `failed`: yes when either
    /// time is unknown (nothing says it came before), else by ISO-8601 time.
    static func isLater(_ created: String?, than failed: String?) -> Bool {
        guard let created, let failed, let createdSeconds = ISOTimestamp.seconds(created),
            let failedSeconds = ISOTimestamp.seconds(failed)
        else { return true }
        return createdSeconds >= failedSeconds
    }

    /// The batch id the document states, read from its record only when its text names one.
    static func statedBatchID(of document: Document) -> String? {
        guard let bytes = try? document.raw.bytes(), bytes.count >= 10 else { return nil }
        let needle = Array("\"batch_id\"".utf8)
        let found = bytes.withUnsafeBufferPointer { haystack in
            haystack.indices.dropLast(needle.count - 1).contains { start in
                haystack[start] == needle[0] && zip(needle.indices, needle).allSatisfy { haystack[start + $0] == $1 }
            }
        }
        guard found, let record = try? document.json() else { return nil }
        for path in batchPaths {
            var value: JSONValue? = record
            for key in path { value = value?[key] }
            if let id = value?.stringValue { return id }
        }
        return nil
    }
}

extension BatchUnreconciledRule: SQLAuditRule {
    private static let failure = SQLType.object([
        ("object_id", .string), ("document_id", .string), ("collection_id", .string), ("tier_num", .string),
        ("timestamp", .string), ("failed_at", .string),
    ])
    private static let batch = SQLType.object([
        ("batch_id", .string), ("object_ids", .array(.string)),
        (
            "tier_tasks",
            .array(
                .object([("tier_num", .string), ("collection_ids", .array(.string)), ("documents_written", .string)]))
        ),
        ("failed_documents", .array(failure)), ("failed_objects", .array(failure)),
    ])

    /// The batches, each document's batch, the tier tasks and the failures, as tables.
    package func sqlTables(_ dialect: SQLDialect) -> [String] {
        let d = dialect
        return [
            d.createTable("lk_batch") + """
                SELECT b.batch_id, coalesce(b.object_ids, \(d.emptyArray)) AS object_ids, b.tier_tasks,
                  b.failed_documents, b.failed_objects
                FROM (
                  SELECT \(d.parse("bj", as: Self.batch)) AS b FROM (
                    SELECT \(d.explodeJSON(d.json("j", "$.batches"))) AS bj FROM lk_lineage_file
                    WHERE \(d.json("j", "$." + ProcessingBatch.fileKey)) IS NOT NULL
                  ) listed
                ) parsed
                WHERE b.batch_id IS NOT NULL
                """,
            d.createTable("lk_batch_doc") + """
                SELECT d.document_id, d.collection_id, coalesce(s.batch_id, o.batch_id) AS batch_id
                FROM lk_doc d JOIN lk_doc_raw u ON u.document_id = d.document_id
                LEFT JOIN (SELECT DISTINCT batch_id FROM lk_batch) s ON s.batch_id = u.batch_id
                LEFT JOIN (
                  SELECT object_id, min(batch_id) AS batch_id FROM (
                    SELECT DISTINCT batch_id, object_id FROM (
                      SELECT batch_id, \(d.explode("object_ids")) AS object_id FROM lk_batch
                    ) exploded
                  ) listed
                  GROUP BY object_id HAVING count(*) = 1
                ) o ON o.object_id = d.root_object_id
                """,
            d.createTable("lk_batch_task") + """
                SELECT row_number() OVER (ORDER BY batch_id, tier, collections, written) AS task, * FROM (
                  SELECT batch_id, CAST(t.tier_num AS INT) AS tier, t.collection_ids,
                    \(d.join("t.collection_ids", ", ")) AS collections, CAST(t.documents_written AS BIGINT) AS written
                  FROM (SELECT batch_id, \(d.explode("tier_tasks")) AS t FROM lk_batch WHERE tier_tasks IS NOT NULL) tasks
                  WHERE t.documents_written IS NOT NULL
                ) listed
                """,
            d.createTable("lk_batch_failure") + """
                SELECT DISTINCT batch_id, source_id, collection_id, tier, failed_at, listed_as_object FROM (
                  SELECT batch_id, coalesce(f.object_id, f.document_id) AS source_id, f.collection_id,
                    CAST(f.tier_num AS INT) AS tier, coalesce(f.timestamp, f.failed_at) AS failed_at, 0 AS listed_as_object
                  FROM (SELECT batch_id, \(d.explode("failed_documents")) AS f FROM lk_batch
                        WHERE failed_documents IS NOT NULL) documents
                  UNION ALL
                  SELECT batch_id, coalesce(f.object_id, f.document_id), f.collection_id, CAST(f.tier_num AS INT),
                    coalesce(f.timestamp, f.failed_at), 1
                  FROM (SELECT batch_id, \(d.explode("failed_objects")) AS f FROM lk_batch
                        WHERE failed_objects IS NOT NULL) objects
                ) failures
                WHERE source_id IS NOT NULL
                """,
        ]
    }

    /// The rule as SQL over an ``AuditScript``'s tables and its own.
    package func sql(_ dialect: SQLDialect) -> String {
        let d = dialect
        let later =
            "(m.created_at IS NULL OR f.failed_at IS NULL OR \(d.isoSeconds("m.created_at")) IS NULL "
            + "OR \(d.isoSeconds("f.failed_at")) IS NULL OR \(d.isoSeconds("m.created_at")) >= \(d.isoSeconds("f.failed_at")))"
        return """
            SELECT CAST(NULL AS STRING) AS document_id,
              CASE WHEN \(d.size("collection_ids")) = 1 THEN \(d.element("collection_ids", "1")) END AS collection_id,
              'batch ' || batch_id || ' tier ' || CAST(tier AS STRING) || ' says it wrote ' || CAST(written AS STRING)
                || ' document(s) in ' || collections || '; the snapshot holds ' || CAST(found AS STRING) || ' of it'
                AS message,
              \(d.object([("batch_id", "batch_id"), ("documents_written", "written"), ("documents_in_snapshot", "found")]))
                AS evidence
            FROM (
              SELECT t.batch_id, t.tier, t.collection_ids, t.collections, t.written, f.found, p.present
              FROM lk_batch_task t
              JOIN (
                SELECT t.task, count(bd.document_id) AS found FROM lk_batch_task t
                LEFT JOIN lk_batch_doc bd ON bd.batch_id = t.batch_id AND \(d.contains("t.collection_ids", "bd.collection_id"))
                GROUP BY t.task
              ) f ON f.task = t.task
              JOIN (
                SELECT t.task, count(c.collection_id) AS present FROM lk_batch_task t
                LEFT JOIN (SELECT DISTINCT collection_id FROM lk_doc) c ON \(d.contains("t.collection_ids", "c.collection_id"))
                GROUP BY t.task
              ) p ON p.task = t.task
            ) counted
            WHERE present > 0 AND found <> written
            UNION ALL
            SELECT CAST(NULL AS STRING), collection_id,
              'batch ' || batch_id || ' failed ' || source_id || coalesce(' in ' || collection_id, '')
                || ' and no later document was made from it' AS message,
              \(d.object([("batch_id", "batch_id"), ("object_id", "source_id")])) AS evidence
            FROM (
              SELECT f.batch_id, f.source_id, f.collection_id, count(m.source_id) AS made
              FROM (
                SELECT * FROM lk_batch_failure WHERE listed_as_object = 0
                UNION ALL
                SELECT * FROM lk_batch_failure o WHERE listed_as_object = 1 AND NOT EXISTS (
                  SELECT 1 FROM lk_batch_failure e WHERE e.listed_as_object = 0 AND e.batch_id = o.batch_id
                    AND e.source_id = o.source_id)
              ) f
              LEFT JOIN (
                SELECT d.root_object_id AS source_id, d.collection_id, u.created_at FROM lk_doc d
                JOIN lk_doc_raw u ON u.document_id = d.document_id WHERE d.root_object_id IS NOT NULL
                UNION ALL
                SELECT d.source_document_id, d.collection_id, u.created_at FROM lk_doc d
                JOIN lk_doc_raw u ON u.document_id = d.document_id WHERE d.source_document_id IS NOT NULL
              ) m ON m.source_id = f.source_id AND (f.collection_id IS NULL OR m.collection_id = f.collection_id)
                AND \(later)
              GROUP BY f.batch_id, f.source_id, f.collection_id, f.tier, f.failed_at
            ) judged
            WHERE made = 0
            """
    }
}
