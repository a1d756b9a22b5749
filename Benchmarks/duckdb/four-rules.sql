-- Four of LineageKit's audit rules as DuckDB SQL over the raw JSON Lines a snapshot holds, for the
-- side-by-side benchmark (Benchmarks/duckdb-side-by-side.sh; docs/benchmarks.md). This is what a
-- data engineer would write instead of LineageKit: read_json with schema inference, each shape
-- normalised with the precedence of Document.lineage (_internal.lineage first; for 2025-10 v1, or
-- a nested `lineage` without a version, the nested object before root fields; otherwise root
-- fields before the nested object), then joins.
-- @DOCUMENTS@ and @OBJECTS@ are replaced with the files' paths by the script.
SET threads = 2;
SET preserve_insertion_order = false;

CREATE TEMP TABLE raw_documents AS
SELECT * FROM read_json('@DOCUMENTS@', format = 'newline_delimited', union_by_name = true);

CREATE TEMP TABLE documents AS
SELECT
    document_id AS id,
    collection_id AS collection,
    CASE WHEN document_schema_version = 'v1' OR (document_schema_version IS NULL AND lineage IS NOT NULL)
         THEN true ELSE false END AS nested_first,
    _internal.lineage AS i,
    lineage AS n,
    struct_pack(
        root_object_id := root_object_id, source_type := source_type,
        source_document_id := source_document_id, source_collection_id := source_collection_id) AS r
FROM raw_documents;

CREATE TEMP TABLE lineage AS
SELECT
    id, collection,
    coalesce(i.root_object_id, CASE WHEN nested_first THEN coalesce(n.root_object_id, r.root_object_id)
                                    ELSE coalesce(r.root_object_id, n.root_object_id) END) AS root_object_id,
    coalesce(i.source_type, CASE WHEN nested_first THEN coalesce(n.source_type, r.source_type)
                                 ELSE coalesce(r.source_type, n.source_type) END) AS source_type,
    coalesce(i.source_document_id, CASE WHEN nested_first THEN coalesce(n.source_document_id, r.source_document_id)
                                        ELSE coalesce(r.source_document_id, n.source_document_id) END) AS source_document_id,
    coalesce(i.source_collection_id,
             CASE WHEN nested_first THEN coalesce(n.source_collection_id, r.source_collection_id)
                  ELSE coalesce(r.source_collection_id, n.source_collection_id) END) AS source_collection_id
FROM documents;

CREATE TEMP TABLE objects AS
SELECT object_id FROM read_json('@OBJECTS@', format = 'newline_delimited', union_by_name = true);

CREATE TEMP TABLE findings AS
SELECT 'orphan.missing-parent' AS rule, c.id AS document_id
FROM lineage c LEFT JOIN lineage p ON p.id = c.source_document_id
WHERE c.source_document_id IS NOT NULL AND p.id IS NULL
UNION ALL
SELECT 'orphan.missing-root', c.id
FROM lineage c LEFT JOIN objects o ON o.object_id = c.root_object_id
WHERE c.root_object_id IS NOT NULL AND o.object_id IS NULL
UNION ALL
SELECT 'mismatch.root', c.id
FROM lineage c JOIN lineage p ON p.id = c.source_document_id
WHERE c.root_object_id IS DISTINCT FROM p.root_object_id AND p.root_object_id IS NOT NULL
UNION ALL
SELECT 'mismatch.parent', c.id
FROM lineage c JOIN lineage p ON p.id = c.source_document_id
WHERE c.source_collection_id IS NOT NULL AND c.source_collection_id <> p.collection;

SELECT rule, count(*) AS findings FROM findings GROUP BY rule ORDER BY rule;
