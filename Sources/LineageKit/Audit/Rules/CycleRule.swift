/// `cycle`: following source documents leads back to this document. Every member of the cycle
/// gets the finding; documents below a cycle do not (their own source is fine).
package struct CycleRule: AuditRule {
    /// The stable rule id.
    package let id = "cycle"
    /// The severity of this rule's findings.
    package let severity = Severity.error
    /// When the rule fires, in one line.
    package let summary = "following source documents leads back to this document"

    /// How many members of a cycle a finding names.
    static let shownSteps = 10

    /// Creates the rule.
    package init() {}

    /// Checks one document.
    package func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard let source = document.lineage.sourceDocumentID, document.document.hasID(source) else { return }
        findings.append(
            finding(
                document, "names itself as its source document",
                evidence: ["cycle": [.string(document.document.id), .string(document.document.id)]]))
    }

    /// Checks the namespace as a whole.
    package func checkNamespace(in context: AuditContext, into findings: inout [Finding]) {
        let graph = context.graph
        let parents = graph.parentIndex
        // 0: not seen; otherwise the number of the walk that first reached the node.
        var walkOf = [Int32](repeating: 0, count: parents.count)
        var path: [Int32] = []
        var walk: Int32 = 0
        for start in 0..<parents.count where walkOf[start] == 0 && graph.nodeKinds[start] == .document {
            walk += 1
            path.removeAll(keepingCapacity: true)
            var current = Int32(start)
            while current >= 0 && walkOf[Int(current)] == 0 {
                walkOf[Int(current)] = walk
                path.append(current)
                current = parents[Int(current)]
            }
            guard current >= 0, walkOf[Int(current)] == walk, let entry = path.firstIndex(of: current) else {
                continue
            }
            let members = Array(path[entry...])
            let ids = members.map { graph.nodes[Int($0)].id.rawID }
            for (position, member) in members.enumerated() {
                let node = graph.nodes[Int(member)]
                // The cycle as seen from this member: itself, its source, …, back to itself; a long
                // cycle is shown by its first steps and its length, so evidence stays small.
                var order: [String] = []
                for step in 0..<min(ids.count, Self.shownSteps) {
                    order.append(ids[(position + step) % ids.count])
                }
                var evidence: JSONObject = ["cycle_length": .number(JSONNumber(ids.count))]
                let text: String
                if ids.count <= Self.shownSteps {
                    order.append(ids[position])
                    text = order.joined(separator: " → ")
                } else {
                    text = order.joined(separator: " → ") + " → … (\(ids.count) documents in the cycle)"
                }
                evidence["cycle"] = .array(order.map(JSONValue.string))
                findings.append(
                    Finding(
                        rule: id, severity: severity, documentID: node.id.rawID, collectionID: node.collectionID,
                        message: "following source documents leads back here: " + text, evidence: evidence))
            }
        }
    }
}

extension CycleRule: SQLAuditRule {
    /// The rule as SQL over an ``AuditScript``'s tables: documents naming themselves, and the
    /// members of longer cycles (`lk_cycle_member`).
    package func sql(_ dialect: SQLDialect) -> String {
        """
        SELECT document_id, collection_id, 'names itself as its source document' AS message,
          \(dialect.object([("cycle", dialect.arrayOf(["document_id", "document_id"]))])) AS evidence
        FROM lk_doc WHERE source_document_id = document_id
        UNION ALL
        SELECT d.document_id, d.collection_id, 'following source documents leads back here' AS message,
          \(dialect.object([("source_document_id", "l.parent_document_id")])) AS evidence
        FROM lk_cycle_member m
        JOIN lk_doc d ON d.document_id = m.document_id
        JOIN lk_link l ON l.document_id = m.document_id
        """
    }
}

extension CycleRule {
    /// How many doubling steps follow source documents: 2^32 steps are more than any namespace
    /// has documents, so every walk that can end has ended.
    static let doublingSteps = 32

    /// Cycle members by pointer doubling, without recursion (which Spark SQL lacks): after step
    /// k, `lk_jump_k` maps each document to the document 2^k source links above it, and documents
    /// whose walk ends drop out. What is left after enough steps lies on a cycle, and the targets
    /// cover every member of it.
    package func sqlTables(_ dialect: SQLDialect) -> [String] {
        var statements = [
            dialect.createTable("lk_jump_0")
                + "SELECT document_id, parent_document_id AS target FROM lk_link WHERE parent_exists"
        ]
        for step in 1...Self.doublingSteps {
            statements.append(
                dialect.createTable("lk_jump_\(step)")
                    + "SELECT a.document_id, b.target FROM lk_jump_\(step - 1) a "
                    + "JOIN lk_jump_\(step - 1) b ON b.document_id = a.target")
        }
        statements.append(
            dialect.createTable("lk_cycle_member")
                + "SELECT DISTINCT target AS document_id FROM lk_jump_\(Self.doublingSteps)")
        return statements
    }
}
