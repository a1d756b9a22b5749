/// An audit rule an SQL engine can run as well: its findings as one query over the tables an
/// ``AuditScript`` prepares.
///
/// The query returns `document_id`, `collection_id`, `message` and `evidence` (a JSON object as
/// text); the script adds the rule id and severity. The tables, normalised from every document
/// shape with the precedence of ``Document/lineage``:
/// - `lk_doc`: one row per document: `document_id`, `collection_id`, `shape`, `shape_current`,
///   `statements` (how many places state lineage), the resolved facts (`root_object_id`,
///   `root_bucket_id`, `source_type`, `source_object_id`, `source_document_id`,
///   `source_collection_id`, `chain`), `distinct_<fact>` (how many values the places state),
///   `source_kind` (the effective one), `parent_document_id` (never the document itself),
///   `parent_object_id`, `ingestion_status`, `ingestion_status_path`.
/// - `lk_doc_raw`: per document, `user_fields` (JSON text: the record in the current shape, else
///   its `metadata`), `has_internal`, `created_at` (`_internal.created_at`, else the root's) and
///   `batch_id` (the batch the document states, as the `batch.unreconciled` rule reads it) and
///   `config_hash` (`feature_extractor_config_hash`).
/// - `lk_stmt`: one row per place stating lineage: `document_id`, `collection_id`, `rank` (0 is
///   the most authoritative), `place`, the facts, `path` and `chain` as that place states them.
/// - `lk_object`: `object_id`, `bucket_id`, `metadata` (JSON). `lk_collection`: `collection_id`,
///   `source_type`, `source_buckets`, `source_collections`, `passthrough`, `feature_extractor_id`,
///   `lifecycle_state`, `position_fields` (the configured ones, else empty), `config_hash`.
/// - `lk_link`: each document's source document as the graph links it: `parent_document_id`,
///   `parent_exists`, and the parent's `parent_collection_id`, `parent_root_object_id`,
///   `parent_chain`.
/// - `lk_ghost_document`: each absent source document and the collection its children name.
/// - `lk_lineage_file`: files LineageKit wrote among the inputs (a reconciliation), as `j`.
/// - `lk_checked_bucket`: `bucket_id` of each bucket a snapshot manifest says was looked up whole.
public protocol SQLAuditRule: AuditRule {
    /// The query returning this rule's findings in `dialect`.
    func sql(_ dialect: SQLDialect) -> String
    /// Statements making tables that only this rule's query reads, run before the queries.
    func sqlTables(_ dialect: SQLDialect) -> [String]
}

extension SQLAuditRule {
    /// No tables of its own: most rules read the shared ones.
    public func sqlTables(_ dialect: SQLDialect) -> [String] { [] }
}
