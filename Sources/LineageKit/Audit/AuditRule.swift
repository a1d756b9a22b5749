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
///
/// It is lent to ``AuditRule/check(_:in:into:)`` for the length of the call, like the buffer of
/// `withUnsafeBufferPointer`: it reads the document in place in the graph's storage rather than
/// copying it (a copy touched every string of the document and cost about a fifth of an audit's
/// CPU). Copy ``document`` to keep it beyond the call.
public struct DocumentUnderAudit: @unchecked Sendable {
    /// The graph's documents, valid while the rule is called.
    private let documents: UnsafeBufferPointer<Document>
    /// The document's position in `documents`.
    private let position: Int
    /// Its resolved lineage.
    public let lineage: ResolvedLineage
    /// Its node's position in ``DecompositionGraph/nodes``.
    public let nodeIndex: Int

    /// Lends the document at `position` in `documents`, which must stay valid and unchanged while
    /// it is used.
    init(lending documents: UnsafeBufferPointer<Document>, position: Int, nodeIndex: Int) {
        precondition(documents.indices.contains(position), "a lent document lies in the graph's documents")
        self.documents = documents
        self.position = position
        self.lineage = ResolvedLineage(documents[position].storedStatements)
        self.nodeIndex = nodeIndex
    }

    /// The document, read in place.
    public var document: Document {
        unsafeAddress { documents.baseAddress.unsafelyUnwrapped + position }
    }

    /// ``Document/userFields(named:)`` of the document, asking its fingerprints first (a field
    /// read in place), so that a document lacking every name, the usual answer, is not copied.
    public func userFields(named names: [String]) -> JSONObject {
        if case .input(let prints) = documents[position].userFieldStorage {
            var anyPresent = false
            for name in names where prints.lookup(FastHash.hash(name)) != .absent {
                anyPresent = true
                break
            }
            guard anyPresent else { return JSONObject() }
        }
        return document.userFields(named: names)
    }

    /// ``Document/userFieldValuePrint(nameHash:)``, from the fingerprints read in place.
    func userFieldValuePrint(nameHash: UInt64) -> UInt64? {
        guard case .input(let prints) = documents[position].userFieldStorage else {
            return document.userFieldValuePrint(nameHash: nameHash)
        }
        guard case .present(let print) = prints.lookup(nameHash) else { return nil }
        return print
    }

    /// ``Document/forEachUserFieldPrint(_:)``, from the fingerprints read in place.
    func forEachUserFieldPrint(_ body: (UInt64, UInt64) -> Void) {
        guard case .input(let prints) = documents[position].userFieldStorage else {
            return document.forEachUserFieldPrint(body)
        }
        prints.forEach(body)
    }

    /// Another document of the same graph, lent the same way.
    func lending(position: Int, nodeIndex: Int) -> DocumentUnderAudit {
        DocumentUnderAudit(lending: documents, position: position, nodeIndex: nodeIndex)
    }
}
