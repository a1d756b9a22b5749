/// `stale.extractor` (warning): the document was made by another extractor, version or extractor
/// configuration than its collection's current one: the collection was re-configured (a
/// `re_extract` migration, a cloned collection), and old documents "remain queryable with legacy
/// schema".
///
/// Two checks, one finding per document:
/// - the extractor of the chain's last step (`feature_extractor_id`, name and version) against the
///   one the collection's configuration names (silent without configuration or chain);
/// - the document's `feature_extractor_config_hash` (`_internal.metadata` or `internal_metadata`)
///   against the collection's current one: the configuration's own, when it states one
///   (`feature_extractor_config_hash`, or `feature_extractor.config_hash`), else, when the
///   collection's documents hold more than one, the newest document's (by `created_at`; undated
///   documents count as oldest; ties by id).
package struct StaleExtractorRule: AuditRule {
    /// The stable rule id.
    package let id = "stale.extractor"
    /// The severity of this rule's findings.
    package let severity = Severity.warning
    /// When the rule fires, in one line.
    package let summary =
        "the document's extractor, version or configuration hash is not its collection's current one"

    /// Creates the rule.
    package init() {}

    /// The configuration hash a collection's configuration states, if any.
    static func configuredHash(_ config: CollectionConfig) -> String? {
        config.json["feature_extractor_config_hash"]?.stringValue
            ?? config.json["feature_extractor"]?["config_hash"]?.stringValue
    }

    /// Checks one document against its collection.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        var evidence: JSONObject = [:]
        var reasons: [String] = []
        if let configured = context.config(of: document)?.featureExtractorID, let chain = document.lineage.storedChain,
            !chain.isEmpty, let stated = chain[chain.count - 1].featureExtractorID, stated != configured
        {
            let path = document.document.chainPath + "[\(chain.count - 1)].feature_extractor_id"
            evidence["feature_extractor_id"] = Evidence.stated(path, stated)
            evidence["configured_feature_extractor_id"] = .string(configured)
            reasons.append("made by \(stated), but \(document.document.collectionID) is configured with \(configured)")
        }
        if let hash = document.document.featureExtractorConfigHash, let now = context.currentConfigHash(of: document),
            hash != now.hash
        {
            evidence["feature_extractor_config_hash"] = .string(hash)
            evidence["current_config_hash"] = .string(now.hash)
            evidence["current_config_hash_from"] = .string(now.basis)
            reasons.append("made with configuration hash \(hash), but the current one is \(now.hash) (\(now.basis))")
        }
        guard !reasons.isEmpty else { return }
        findings.append(finding(document, reasons.joined(separator: "; "), evidence: evidence))
    }

    /// Each collection's current configuration hash (by the graph's collection index), and where
    /// it comes from, when one is known: one pass comparing each document's hash with the first
    /// of its collection, and a second over the collections that hold several.
    static func currentHashes(_ graph: DecompositionGraph, configs: [CollectionConfig?]) -> [(
        hash: String, basis: String
    )?] {
        var current: [(hash: String, basis: String)?] = configs.map { config in
            config.flatMap(configuredHash).map { ($0, "the configuration's") }
        }
        var first: [String?] = Array(repeating: nil, count: graph.collectionIDs.count)
        var mixed = Array(repeating: false, count: graph.collectionIDs.count)
        for position in graph.documents.indices {
            let node = graph.documentNodeIndex[position]
            guard node >= 0, let hash = graph.documents[position].featureExtractorConfigHash else { continue }
            let collection = Int(graph.collectionOfNode[Int(node)])
            guard collection >= 0, current[collection] == nil else { continue }
            if let seen = first[collection] {
                if seen != hash { mixed[collection] = true }
            } else {
                first[collection] = hash
            }
        }
        guard mixed.contains(true) else { return current }
        var newest: [(seconds: Double, id: String, hash: String)?] = Array(repeating: nil, count: mixed.count)
        for position in graph.documents.indices {
            let node = graph.documentNodeIndex[position]
            let document = graph.documents[position]
            guard node >= 0, let hash = document.featureExtractorConfigHash else { continue }
            let collection = Int(graph.collectionOfNode[Int(node)])
            guard collection >= 0, mixed[collection] else { continue }
            let seconds = DuplicateDocumentRule.createdAt(of: document).flatMap(ISOTimestamp.seconds) ?? -.infinity
            if let best = newest[collection], (best.seconds, best.id) >= (seconds, document.id) { continue }
            newest[collection] = (seconds, document.id, hash)
        }
        for (collection, best) in newest.enumerated() {
            if let best { current[collection] = (best.hash, "the newest document's, \(best.id)") }
        }
        return current
    }
}

extension StaleExtractorRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables.
    package func sql(_ dialect: SQLDialect) -> String {
        let d = dialect
        let stated = d.element("d.chain", "-1") + ".feature_extractor_id"
        let seconds = "coalesce(\(d.isoSeconds("u.created_at")), -1e300)"
        return """
            SELECT document_id, collection_id,
              concat_ws('; ',
                CASE WHEN stated <> configured THEN 'made by ' || stated || ', but ' || collection_id
                  || ' is configured with ' || configured END,
                CASE WHEN hash <> current_hash THEN 'made with configuration hash ' || hash
                  || ', but the current one is ' || current_hash END) AS message,
              \(d.object([
                ("feature_extractor_id", "stated"), ("configured_feature_extractor_id", "configured"),
                ("feature_extractor_config_hash", "hash"), ("current_config_hash", "current_hash"),
              ])) AS evidence
            FROM (
              SELECT d.document_id, d.collection_id,
                CASE WHEN \(d.size("d.chain")) > 0 THEN \(stated) END AS stated, c.feature_extractor_id AS configured,
                u.config_hash AS hash,
                coalesce(c.config_hash, CASE WHEN h.hashes > 1 THEN n.hash END) AS current_hash
              FROM lk_doc d JOIN lk_doc_raw u ON u.document_id = d.document_id
              LEFT JOIN lk_collection c ON c.collection_id = d.collection_id
              LEFT JOIN (
                SELECT collection_id, count(DISTINCT config_hash) AS hashes FROM lk_doc_raw
                WHERE config_hash IS NOT NULL GROUP BY collection_id
              ) h ON h.collection_id = d.collection_id
              LEFT JOIN (
                SELECT collection_id, hash FROM (
                  SELECT u.collection_id, u.config_hash AS hash,
                    row_number() OVER (PARTITION BY u.collection_id ORDER BY \(seconds) DESC, u.document_id DESC) AS rank
                  FROM lk_doc_raw u WHERE u.config_hash IS NOT NULL
                ) ranked WHERE rank = 1
              ) n ON n.collection_id = d.collection_id
            ) judged
            WHERE stated <> configured OR hash <> current_hash
            """
    }
}
