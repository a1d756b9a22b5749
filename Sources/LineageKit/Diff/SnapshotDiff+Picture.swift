/// What a picture of a diff marks: nodes added, removed and changed, and the edges that no longer
/// hold. Node ids are raw document and object ids.
public struct ChangeMarks: Sendable {
    /// Nodes only the new snapshot has.
    public var added: Set<String> = []
    /// Nodes only the old snapshot had.
    public var removed: Set<String> = []
    /// Documents in both whose lineage or user fields changed.
    public var changed: Set<String> = []
    /// "Derived from" edges of the old snapshot that the new one no longer has, for documents in
    /// both whose source changed: (old source, document).
    public var removedEdges: [(source: String, derived: String)] = []

    /// Creates marks.
    public init(
        added: Set<String> = [], removed: Set<String> = [], changed: Set<String> = [],
        removedEdges: [(source: String, derived: String)] = []
    ) {
        self.added = added
        self.removed = removed
        self.changed = changed
        self.removedEdges = removedEdges
    }
}

extension SnapshotDiff {
    /// One graph holding both snapshots, for one picture of the diff: the new snapshot's
    /// documents and objects plus those only the old one had, and the marks that tell them apart.
    public func picture(old: Snapshot, new: Snapshot) -> (graph: DecompositionGraph, marks: ChangeMarks) {
        let removedIDs = Set(removedDocuments.map(\.documentID))
        let removedObjectIDs = Set(removedObjects.map(\.objectID))
        let changedIDs = Set(lineageChanges.map(\.document.documentID))
        var documents = new.documents
        var oldSources: [String: String] = [:]
        for document in old.documents {
            if removedIDs.contains(document.id) { documents.append(document) }
            if changedIDs.contains(document.id), let source = Self.source(of: document) {
                oldSources[document.id] = source
            }
        }
        var removedEdges: [(source: String, derived: String)] = []
        for document in new.documents {
            guard let before = oldSources[document.id], before != Self.source(of: document) else { continue }
            removedEdges.append((before, document.id))
        }
        let objects = new.objects + old.objects.filter { removedObjectIDs.contains($0.id) }
        var graph = DecompositionGraph(documents: documents, objects: objects, collections: new.collections)
        graph.checkedBuckets = new.checkedBuckets
        let marks = ChangeMarks(
            added: Set(addedDocuments.map(\.documentID)).union(addedObjects.map(\.objectID)),
            removed: removedIDs.union(removedObjectIDs),
            changed: changedIDs.union(userFieldChanges.map(\.document.documentID)), removedEdges: removedEdges)
        return (graph, marks)
    }

    /// The id of what a document was made from directly: its source document, else its source
    /// (or, for a bucket source, root) object.
    static func source(of document: Document) -> String? {
        let lineage = document.lineage
        if lineage.effectiveSourceKind == .collection { return lineage.sourceDocumentID }
        return lineage.sourceObjectID ?? lineage.rootObjectID
    }
}
