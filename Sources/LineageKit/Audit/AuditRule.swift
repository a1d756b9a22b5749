/// One audit rule: a stable id, a severity, and a check over documents or the whole namespace.
///
/// A rule looks at one document at a time (``check(_:in:into:)``), called for every document,
/// possibly on several threads at once, or at the namespace as a whole
/// (``checkNamespace(in:into:)``), called once. Either may do nothing. Rules stay silent when the
/// evidence they need is absent (no chain, no objects given) rather than guess.
///
/// Your own rules run beside the built-in ones when given to
/// ``Auditor/init(configuration:customRules:)``, with ids in the `custom.` namespace (see
/// <doc:CustomRules>); built-in rules are listed in ``Auditor/allRules``.
public protocol AuditRule: Sendable {
    /// The stable id (`family.name`), which CI jobs, baselines and `--rules` rely on.
    var id: String { get }
    /// The severity of the rule's findings.
    var severity: Severity { get }
    /// One line saying when the rule fires.
    var summary: String { get }

    /// Checks one document, appending findings.
    func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding])

    /// Checks the namespace as a whole, appending findings.
    func checkNamespace(in context: AuditContext, into findings: inout [Finding])
}

extension AuditRule {
    /// Does nothing: most rules look at documents one at a time.
    public func checkNamespace(in context: AuditContext, into findings: inout [Finding]) {}

    /// Does nothing: some rules look only at the namespace as a whole.
    public func check(_ document: DocumentUnderAudit, in context: AuditContext, into findings: inout [Finding]) {}

    /// A finding of this rule (its id and severity) about `document`, with `message` for people
    /// and the `evidence` behind it.
    public func finding(_ document: DocumentUnderAudit, _ message: String, evidence: JSONObject = JSONObject())
        -> Finding
    {
        Finding(
            rule: id, severity: severity, documentID: document.document.id,
            collectionID: document.document.collectionID, message: message, evidence: evidence)
    }
}

/// A document as the rules see it: the document, its resolved lineage (computed once for all
/// rules) and the index of its node in the graph.
public struct DocumentUnderAudit: Sendable {
    /// The document.
    public let document: Document
    /// Its resolved lineage.
    public let lineage: ResolvedLineage
    /// Its node's position in ``DecompositionGraph/nodes``.
    public let nodeIndex: Int
}
