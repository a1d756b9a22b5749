/// `cycle`: following source documents leads back to this document. Every member of the cycle
/// gets the finding; documents below a cycle do not (their own source is fine).
public struct CycleRule: AuditRule {
    /// The stable rule id.
    public let id = "cycle"
    /// The severity of this rule's findings.
    public let severity = Severity.error
    /// When the rule fires, in one line.
    public let summary = "following source documents leads back to this document"

    /// How many members of a cycle a finding names.
    static let shownSteps = 10

    /// Creates the rule.
    public init() {}

    /// Checks one document.
    public func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {
        guard document.lineage.sourceDocumentID == document.document.id else { return }
        findings.append(
            finding(
                document, "names itself as its source document",
                evidence: ["cycle": [.string(document.document.id), .string(document.document.id)]]))
    }

    /// Checks the namespace as a whole.
    public func checkNamespace(in context: AuditContext, into findings: inout [Finding]) {
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
